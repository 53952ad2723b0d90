"""Read a city's export through a mapping into standard records.

One pass over the CSV file: each row is checked and converted field by field; a row that
cannot be used is set aside (line number, reason, the row as it was) and the rest go on;
rows describing the same stop, incident or shooting are folded into one record. The
report says what was read, loaded, folded as duplicates, set aside, and left unknown.

Pure Python: imports no Django. The store (store.py) writes what this returns.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from oversight.publicdata.kinds import Record
from oversight.publicdata.mapping import FieldMap, Mapping, MappingError
from oversight.publicdata.pseudonym import Pseudonymizer
from oversight.publicdata.schema import TableBuilder, extra_columns
from oversight.publicdata.schema import columns as columns_of

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
BAD_BYTES = re.compile("[\udc80-\udcff]")  # bytes that did not decode, kept by surrogateescape
MEMO_SIZE = 8192  # distinct cells remembered per column
_MISS = object()
_UNKNOWN = object()
TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$")


class ImportError_(ValueError):
    """The file cannot be imported at all (unreadable, no header, not the mapped columns)."""


class RowError(ValueError):
    """One row cannot be used; the message names the column and the value."""


@dataclass
class Imported:
    mapping: Mapping
    table: pa.Table  # one record per stop, incident or shooting, in the stored columns
    extra: pa.Table | None  # force: one record per subject per incident
    report: dict[str, Any]
    rejects: list[tuple[int, str, list[str]]] = field(default_factory=list)
    header: list[str] = field(default_factory=list)


class Row(list):  # type: ignore[type-arg]
    """One accepted row: [line, value, raw, value, raw, ...]; ``get(name)`` for the kinds."""

    __slots__ = ()
    index: dict[str, int] = {}

    def get(self, name: str, default: Any = None) -> Any:
        i = self.index.get(name)
        return default if i is None else self[i]


def _hash_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class _Converter:
    """Turns one raw cell into a standard value for one mapped field."""

    def __init__(self, fm: FieldMap, pseudo: Pseudonymizer, namespace: str) -> None:
        self.fm = fm
        self.name = fm.field.name
        self.type = fm.field.type
        self.cache: dict[str, Any] = {}
        self.pseudo = pseudo
        self.namespace = namespace
        # plain text without a pattern: the loop maps it inline, without a call
        self.plain = fm.field.type in ("text", "longtext", "private") and fm.pattern is None
        self.values = fm.values
        self.memo: dict[str, Any] = {}

    def read(self, raw: str) -> Any:
        """The standard value of a raw cell, or _UNKNOWN for a placeholder; remembered for the
        next time the same cell comes (most columns have few distinct values)."""
        s = raw.strip()
        if s == "" or s in self.fm.placeholders:
            v = _UNKNOWN
        elif self.plain:
            v = self.values.get(s, s)
        else:
            v = self(s)
        if len(self.memo) < MEMO_SIZE:
            self.memo[raw] = v
        return v

    def where(self) -> str:
        return f"column {self.fm.column!r} ({self.name})"

    def __call__(self, s: str) -> Any:
        fm = self.fm
        if fm.pattern is not None and not fm.pattern.search(s):
            raise RowError(f"{self.where()}: {s!r} does not match {fm.pattern.pattern!r}")
        s = fm.values.get(s, s)
        t = self.type
        if t in ("text", "longtext", "private"):
            return s
        if t == "officer":
            return self.pseudo(self.namespace, s)
        if t == "flag":
            if s in fm.true:
                return True
            if s in fm.false:
                return False
            raise RowError(f"{self.where()}: {s!r} is neither a yes ({', '.join(sorted(fm.true))}) nor a no")
        hit = self.cache.get(s)
        if hit is not None:
            return hit
        v: Any
        if t == "int":
            try:
                v = int(s)
            except ValueError:
                raise RowError(f"{self.where()}: {s!r} is not a whole number") from None
        elif t == "float":
            try:
                v = float(s)
            except ValueError:
                raise RowError(f"{self.where()}: {s!r} is not a number") from None
        elif t == "time":
            m = TIME_RE.match(s)
            if not m or int(m[1]) > 23 or int(m[2]) > 59 or int(m[3] or 0) > 59:
                raise RowError(f"{self.where()}: {s!r} is not a time of day like 14:05:00")
            v = dt.time(int(m[1]), int(m[2]), int(m[3] or 0))
        else:  # date, datetime
            v = None
            for f in fm.formats:
                try:
                    v = dt.datetime.strptime(s, f)
                    break
                except ValueError:
                    continue
            if v is None:
                raise RowError(f"{self.where()}: {s!r} is not a {t} in the form {' or '.join(fm.formats)}")
            if t == "date":
                v = v.date()
        if len(self.cache) < 100_000:
            self.cache[s] = v
        return v


def check_header(mapping: Mapping, header: list[str], source: str) -> dict[str, int]:
    """Where each mapped column is; every missing column named before anything is loaded."""
    index: dict[str, int] = {}
    twice = []
    for i, h in enumerate(header):
        if h.strip() in index:
            twice.append(h.strip())
        index.setdefault(h.strip(), i)
    mapped_twice = sorted({fm.column for fm in mapping.fields} & set(twice))
    if mapped_twice:
        raise MappingError(
            f"{source}: column(s) {', '.join(map(repr, mapped_twice))} appear more than once in the header"
        )
    missing = [f"{fm.column!r} (for {fm.field.name})" for fm in mapping.fields if fm.column not in index]
    if missing:
        raise MappingError(
            f"{source}: mapping {mapping.origin} names column(s) not in the file: {', '.join(missing)}; "
            f"the file's columns are: {', '.join(repr(h) for h in header)}"
        )
    return {fm.column: index[fm.column] for fm in mapping.fields}


def read_export(path: Path, mapping: Mapping, pseudo: Pseudonymizer) -> Imported:
    """Read, check, convert and fold one export. Raises MappingError or ImportError_ before any row
    is used when the file as a whole does not fit the mapping."""
    kind = mapping.kind
    try:
        fh = path.open(encoding=mapping.encoding, errors="surrogateescape", newline="")
    except OSError as e:
        raise ImportError_(f"{path}: cannot read: {e.strerror}") from None
    with fh:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            raise ImportError_(f"{path}: empty file: no header row") from None
        except csv.Error as e:
            raise ImportError_(f"{path}: line 1: not CSV: {e}") from None
        if header and header[0].startswith("\ufeff"):
            header[0] = header[0][1:]
        positions = check_header(mapping, header, str(path))
        width = len(header)
        convs = [
            (positions[fm.column], fm.field.name, _Converter(fm, pseudo, mapping.officer_namespace))
            for fm in mapping.fields
        ]
        # A row is [line, value, raw, value, raw, ...] in the order of mapping.fields.
        index = {"_line": 0}
        for i, fm in enumerate(mapping.fields):
            index[fm.field.name] = 1 + 2 * i
            index[fm.field.name + "_raw"] = 2 + 2 * i
        row_type = type("Row", (Row,), {"__slots__": (), "index": index})
        columns = {fm.field.name: fm.column for fm in mapping.fields}
        required = [(index[fm.field.name], fm.field.name, fm.column) for fm in mapping.fields if fm.field.required]
        key_at = index[kind.key]

        groups: dict[Any, list[Row]] = {}
        rejects: list[tuple[int, str, list[str]]] = []
        unknown: dict[str, Counter[str]] = {fm.field.name: Counter() for fm in mapping.fields}
        seen_rows: set[int] = set()
        identical = 0
        read = 0
        line = 1
        while True:
            start = line + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as e:
                # The csv module cannot go on past a broken quote; say where and stop.
                raise ImportError_(f"{path}: line {start}: not CSV: {e}") from None
            line = reader.line_num
            if not cells:
                continue  # a blank line is not a row
            read += 1
            try:
                if len(cells) != width:
                    raise RowError(f"has {len(cells)} fields, the header has {width}")
                if BAD_BYTES.search("".join(cells)):
                    raise RowError(f"not valid {mapping.encoding} text")
                vals: list[Any] = [start]
                unk: list[tuple[str, str]] = []
                for pos, name, conv in convs:
                    raw = cells[pos]
                    v = conv.memo.get(raw, _MISS)
                    if v is _MISS:
                        v = conv.read(raw)
                    if v is _UNKNOWN:
                        vals.append(None)
                        unk.append((name, raw))
                    else:
                        vals.append(v)
                    vals.append(raw)
                for at, name, col in required:
                    if vals[at] is None:
                        raise RowError(f"column {col!r} ({name}): a value is required, got {vals[at + 1]!r}")
            except RowError as e:
                rejects.append((start, str(e), cells))
                continue
            for name, raw in unk:
                unknown[name][raw] += 1
            h = hash(tuple(cells))
            if h in seen_rows:
                identical += 1
            else:
                seen_rows.add(h)
            groups.setdefault(vals[key_at], []).append(row_type(vals))

    main = TableBuilder(columns_of(kind))
    extra = TableBuilder(extra_columns(kind)) if kind.extra_table else None
    conflicts = _fold(mapping, groups, pseudo, index, main, extra)
    table = main.table()
    loaded = table.num_rows
    report: dict[str, Any] = {
        "dataset": mapping.name,
        "kind": kind.name,
        "unit": kind.unit,
        "mapping": mapping.origin,
        "file": str(path),
        "sha256": _hash_file(path),
        "rows_read": read,
        "loaded": loaded,
        "duplicates": read - len(rejects) - loaded,
        "identical_rows": identical,
        "set_aside": len(rejects),
        "set_aside_reasons": dict(Counter(_reason_kind(r) for _, r, _ in rejects).most_common()),
        "unknowns": {
            name: {"column": columns[name], "rows": sum(c.values()), "values": dict(c.most_common())}
            for name, c in unknown.items()
            if c
        },
        "conflicts": dict(sorted(conflicts.items())),
    }
    extra_table = extra.table() if extra is not None else None
    if extra_table is not None:
        report[f"{kind.extra_table}_loaded"] = extra_table.num_rows
    return Imported(mapping, table, extra_table, report, rejects, header)


def _reason_kind(reason: str) -> str:
    """A rejects reason without the value, to count like reasons together."""
    return re.sub(r": '.*$", "", reason) if reason.startswith("column") else reason.split(",")[0]


def _fold(
    mapping: Mapping,
    groups: dict[Any, list[Row]],
    pseudo: Pseudonymizer,
    index: dict[str, int],
    main: TableBuilder,
    extra: TableBuilder | None,
) -> Counter[str]:
    """Fold each group of rows into one record, handing records to the builders as it goes
    (and letting go of the rows), so that memory holds one copy of the data, not two."""
    kind = mapping.kind
    stored = [f for f in kind.fields if f.stored]
    keyf = kind.get(kind.key)
    hashed_key = keyf is not None and keyf.type == "private"
    conflicts: Counter[str] = Counter()
    # (name, stored column, value position or -1, raw position or -1, merge)
    plan = []
    for f in stored:
        vi = index.get(f.name, -1)
        ri = index[f.name + "_raw"] if vi >= 0 and f.type not in ("officer", "longtext") else -1
        plan.append((f.name, f.col, vi, ri, f.type not in ("officer", "longtext"), f.merge))
    for k in list(groups):
        rows = groups.pop(k)
        rec: Record = {"dataset": mapping.name}
        single = len(rows) == 1
        for n, col, vi, ri, has_raw, merge in plan:
            if vi < 0:
                rec[col] = [] if merge == "list" else None
                if has_raw:
                    rec[col + "_raw"] = [] if merge == "list" else None
                continue
            if single:
                r0 = rows[0]
                v0 = r0[vi]
                if merge == "list":
                    rec[col] = [] if v0 is None else [v0]
                    if ri >= 0:
                        rec[col + "_raw"] = [r0[ri]]
                else:
                    rec[col] = v0
                    if ri >= 0:
                        rec[col + "_raw"] = r0[ri]
                continue
            if merge == "list":
                vals: list[Any] = []
                raws: list[str] = []
                for r in rows:
                    v = r[vi]
                    if v is not None and v not in vals:
                        vals.append(v)
                    if ri >= 0 and r[ri] not in raws:
                        raws.append(r[ri])
                rec[col] = vals
                if ri >= 0:
                    rec[col + "_raw"] = raws
                continue
            chosen = rows[0]
            known = [r for r in rows if r[vi] is not None]
            if merge == "any":
                chosen = next((r for r in known if r[vi]), known[0] if known else rows[0])
            elif merge in ("min", "max"):
                if known:
                    pick = min if merge == "min" else max
                    chosen = pick(known, key=lambda r, vi=vi: r[vi])
            elif known:  # first
                chosen = known[0]
                if len(known) > 1 and any(r[vi] != chosen[vi] for r in known):
                    conflicts[n] += 1
            rec[col] = chosen[vi]
            if ri >= 0:
                rec[col + "_raw"] = chosen[ri]
        if hashed_key:
            rec[kind.derived[0][0]] = pseudo(f"{mapping.name}:{kind.unit}", str(k)).split("-", 1)[1]
        kind.finish(rec, rows)
        rec["source_line"] = rows[0][0]
        rec["source_rows"] = len(rows)
        main.add(rec)
        if kind.extra is not None and extra is not None:
            for e in kind.extra(rec, rows):
                e["dataset"] = mapping.name
                extra.add(e)
    return conflicts


def write_rejects(path: Path, imported: Imported) -> None:
    """The rows set aside, as they were, each with its line number and the reason."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", errors="surrogateescape", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["line", "reason", *imported.header])
        for line, reason, cells in imported.rejects:
            w.writerow([line, reason, *cells])
