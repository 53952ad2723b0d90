"""Read a complaint export through a mapping: each cell checked and brought to the standard
vocabulary (its raw value kept beside), bad rows set aside with their line and reason, and the
rows folded into complaints, their named employees and their allegations.

One row per allegation (NYC, Seattle), per named employee or per complaint: however many rows
carry a complaint, it is one complaint; an allegation repeated (NYC repeats one per
complainant) is one allegation. Officer IDs become keyed pseudonyms here; names are read only
when the mapping says they are public (and even then never reach a public page).
Pure Python: imports no Django.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oversight.history.mapping import FieldMap, Mapping, MappingError
from oversight.publicdata.pseudonym import Pseudonymizer

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
Progress = Callable[[str, float | None], None]


class ReadError(ValueError):
    """The file cannot be imported at all (unreadable, no header, not the mapped columns)."""


@dataclass
class Allegation:
    line: int
    values: dict[str, Any]  # standard values (None when unknown)
    raw: dict[str, str]  # the export's own words, per field
    rows: int = 1


@dataclass
class Employee:
    key: str
    pseudonym: str | None
    name: str  # "" unless the mapping says names are public
    values: dict[str, Any]
    raw: dict[str, str]
    allegations: dict[tuple[str, str], Allegation] = field(default_factory=dict)


@dataclass
class Complaint:
    source_id: str
    line: int
    values: dict[str, Any]
    raw: dict[str, str]
    precision: dict[str, str]  # date field -> day, month or year
    employees: dict[str, Employee] = field(default_factory=dict)
    rows: int = 0

    def digest(self) -> str:
        """What the complaint says, as a hash: the same export gives the same digest."""
        doc = {
            "v": self.values,
            "r": self.raw,
            "e": [
                [e.key, e.pseudonym, e.name, e.values, e.raw, [[a.values, a.raw] for a in e.allegations.values()]]
                for e in self.employees.values()
            ],
        }
        return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class Read:
    complaints: dict[str, Complaint]
    report: dict[str, Any]
    rejects: list[tuple[int, str, list[str]]]
    header: list[str]


def check_header(mapping: Mapping, header: list[str], source: str) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, h in enumerate(header):
        index.setdefault(h.strip(), i)
    missing = [f"{c!r} (for {fm.field.name})" for fm in mapping.fields for c in fm.columns if c not in index]
    if missing:
        raise MappingError(
            f"{source}: mapping {mapping.origin} names column(s) not in the file: {', '.join(missing)}; "
            f"the file's columns are: {', '.join(repr(h) for h in header)}"
        )
    return index


def _rows(path: Path, mapping: Mapping) -> tuple[list[str], Iterator[tuple[int, list[str] | None, str]]]:
    """The header and (line, cells or None, problem) for each record of a CSV or JSON file."""
    if mapping.format == "json":
        try:
            doc = json.loads(path.read_text(mapping.encoding))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise ReadError(f"{path}: cannot read as JSON: {e}") from None
        if isinstance(doc, dict):
            doc = next((v for v in doc.values() if isinstance(v, list)), None)
        if not isinstance(doc, list) or not all(isinstance(r, dict) for r in doc):
            raise ReadError(f"{path}: JSON must be a list of records (objects)")
        header = list(dict.fromkeys(k for r in doc for k in r))

        def from_json() -> Iterator[tuple[int, list[str] | None, str]]:
            for i, r in enumerate(doc, 1):
                yield i, ["" if r.get(h) is None else str(r.get(h)) for h in header], ""

        return header, from_json()
    try:
        fh = path.open(encoding=mapping.encoding, errors="surrogateescape", newline="")
    except OSError as e:
        raise ReadError(f"{path}: cannot read: {e.strerror}") from None
    reader = csv.reader(fh)
    try:
        header = next(reader)
    except StopIteration:
        fh.close()
        raise ReadError(f"{path}: empty file: no header row") from None
    except csv.Error as e:
        fh.close()
        raise ReadError(f"{path}: line 1: not CSV: {e}") from None
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    width = len(header)

    def from_csv() -> Iterator[tuple[int, list[str] | None, str]]:
        with fh:
            line = 1
            while True:
                start = line + 1
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as e:
                    yield start, None, f"not CSV: {e}; the rest of the file could not be read"
                    return
                line = reader.line_num
                if not cells:
                    continue
                if len(cells) != width:
                    yield start, cells, f"has {len(cells)} fields, the header has {width}"
                    continue
                if any("\udc80" <= ch <= "\udcff" for c in cells for ch in c):
                    yield start, cells, f"not valid {mapping.encoding} text"
                    continue
                yield start, cells, ""

    return header, from_csv()


def _precision(fmt: str) -> str:
    return "day" if "%d" in fmt or "%j" in fmt else "month" if "%m" in fmt or "%b" in fmt or "%B" in fmt else "year"


class _Converter:
    def __init__(self, mapping: Mapping, index: dict[str, int], vocab: dict[str, set[str]]) -> None:
        self.mapping = mapping
        self.plan = [(fm, [index[c] for c in fm.columns]) for fm in mapping.fields]
        self.vocab = vocab
        self.unknowns: dict[str, Counter[str]] = {}
        self.unmapped: dict[str, Counter[str]] = {}
        self.dates: dict[tuple[str, str], tuple[dt.date, str] | None] = {}

    def row(self, cells: list[str]) -> tuple[dict[str, Any], dict[str, str], dict[str, str], str]:
        """(standard values, raw values, date precisions, problem or "")."""
        values: dict[str, Any] = {}
        raw: dict[str, str] = {}
        prec: dict[str, str] = {}
        pending_unknown: list[tuple[str, str]] = []
        pending_unmapped: list[tuple[str, str]] = []
        for fm, idx in self.plan:
            n = fm.field.name
            parts = [cells[i].strip() for i in idx]
            text = " ".join(parts)
            raw[n] = text
            if any(p == "" or p in fm.placeholders for p in parts):
                if fm.default is not None:
                    text = fm.default
                else:
                    if fm.field.required:
                        return {}, {}, {}, f"column {fm.label!r} ({n}): a value is required, got {text!r}"
                    values[n] = None
                    pending_unknown.append((n, text))
                    continue
            if fm.pattern is not None and not fm.pattern.search(text):
                return {}, {}, {}, f"column {fm.label!r} ({n}): {text!r} does not match {fm.pattern.pattern!r}"
            t = fm.field.type
            if t == "date":
                got = self._date(fm, text)
                if got is None:
                    return (
                        {},
                        {},
                        {},
                        f"column {fm.label!r} ({n}): {text!r} is not a date in the form " + (" or ".join(fm.formats)),
                    )
                values[n], prec[n] = got
            elif t == "int":
                try:
                    values[n] = int(text)
                except ValueError:
                    return {}, {}, {}, f"column {fm.label!r} ({n}): {text!r} is not a whole number"
            elif t == "code":
                code = fm.values.get(text)
                if code is None and text in self.vocab.get(fm.field.vocabulary, ()):
                    code = text
                if code is None:
                    pending_unmapped.append((n, text))
                values[n] = code
            else:
                values[n] = fm.values.get(text, text)
        for n, text in pending_unknown:
            self.unknowns.setdefault(n, Counter())[text] += 1
        for n, text in pending_unmapped:
            self.unmapped.setdefault(n, Counter())[text] += 1
        return values, raw, prec, ""

    def _date(self, fm: FieldMap, text: str) -> tuple[dt.date, str] | None:
        key = (fm.field.name, text)
        if key in self.dates:
            return self.dates[key]
        got = None
        for f in fm.formats:
            try:
                got = (dt.datetime.strptime(text, f).date(), _precision(f))
                break
            except ValueError:
                continue
        self.dates[key] = got
        return got


def read(
    path: Path,
    mapping: Mapping,
    pseudo: Pseudonymizer,
    vocabularies: dict[str, set[str]] | None = None,
    progress: Progress | None = None,
) -> Read:
    """Read, check, convert and fold one export. Raises MappingError or ReadError before any
    row is used when the file as a whole does not fit the mapping."""
    header, records = _rows(path, mapping)
    index = check_header(mapping, header, str(path))
    conv = _Converter(mapping, index, vocabularies or {})
    size = max(path.stat().st_size, 1)
    complaints: dict[str, Complaint] = {}
    rejects: list[tuple[int, str, list[str]]] = []
    rows_read = 0
    duplicates = 0
    conflicts: Counter[str] = Counter()
    levels = {fm.field.name: fm.field.level for fm in mapping.fields}
    for line, cells, problem in records:
        rows_read += 1
        if progress is not None and rows_read % 2000 == 0:
            progress("reading", min(1.0, (rows_read * 200) / size) if mapping.format == "csv" else None)
        if cells is None or problem:
            rejects.append((line, problem, cells or []))
            continue
        values, raw, prec, problem = conv.row(cells)
        if problem:
            rejects.append((line, problem, cells))
            continue
        cv = {n: v for n, v in values.items() if levels[n] == "complaint"}
        cr = {n: v for n, v in raw.items() if levels[n] == "complaint"}
        cid = str(values["complaint_id"])
        c = complaints.get(cid)
        if c is None:
            c = complaints[cid] = Complaint(cid, line, cv, cr, prec)
        else:
            _merge(c.values, c.raw, cv, cr, conflicts)
        c.rows += 1
        ev = {n: v for n, v in values.items() if levels[n] == "employee"}
        er = {n: v for n, v in raw.items() if levels[n] == "employee"}
        officer = values.get("officer_id")
        name = values.get("officer_name") or ""
        key = str(officer) if officer is not None else (f"name:{name}" if name else "")
        e = c.employees.get(key)
        if e is None:
            ps = pseudo(mapping.officer_namespace, str(officer)) if officer is not None else None
            ev.pop("officer_name", None)
            er.pop("officer_name", None)
            ev.pop("officer_id", None)
            er.pop("officer_id", None)
            e = c.employees[key] = Employee(key, ps, str(name) if mapping.names_public else "", ev, er)
        else:
            for k in ("officer_name", "officer_id"):
                ev.pop(k, None)
                er.pop(k, None)
            _merge(e.values, e.raw, ev, er, conflicts)
        av = {n: v for n, v in values.items() if levels[n] == "allegation"}
        ar = {n: v for n, v in raw.items() if levels[n] == "allegation"}
        akey = (ar.get("category", ""), ar.get("allegation", "")) if mapping.row == "allegation" else ("", str(line))
        a = e.allegations.get(akey)
        if a is None:
            e.allegations[akey] = Allegation(line, av, ar)
        else:
            a.rows += 1
            duplicates += 1
            _merge(a.values, a.raw, av, ar, conflicts)
    if progress is not None:
        progress("reading", 1.0)
    n_alleg = sum(len(e.allegations) for c in complaints.values() for e in c.employees.values())
    officers = {e.pseudonym or f"{c.source_id}:{e.key}" for c in complaints.values() for e in c.employees.values()}
    report: dict[str, Any] = {
        "dataset": mapping.name,
        "kind": "complaints",
        "mapping": mapping.origin,
        "file": str(path),
        "sha256": _sha256(path),
        "rows_read": rows_read,
        "complaints": len(complaints),
        "allegations": n_alleg,
        "named_employees": sum(len(c.employees) for c in complaints.values()),
        "officers": len(officers),
        "duplicates": duplicates,
        "set_aside": len(rejects),
        "set_aside_reasons": dict(Counter(_reason_kind(r) for _, r, _ in rejects).most_common()),
        "unknowns": {
            n: {"column": mapping.get(n).label, "rows": sum(cnt.values()), "values": dict(cnt.most_common())}  # type: ignore[union-attr]
            for n, cnt in conv.unknowns.items()
        },
        "unmapped": {
            n: {"column": mapping.get(n).label, "rows": sum(cnt.values()), "values": dict(cnt.most_common())}  # type: ignore[union-attr]
            for n, cnt in conv.unmapped.items()
        },
        "conflicts": dict(sorted(conflicts.items())),
        "names_stored": mapping.names_public,
    }
    return Read(complaints, report, rejects, header)


def _merge(
    values: dict[str, Any], raw: dict[str, str], new: dict[str, Any], new_raw: dict[str, str], conflicts: Counter[str]
) -> None:
    """A later row of the same record: the first known value stays; a different one is a conflict."""
    for n, v in new.items():
        if v is None:
            continue
        if values.get(n) is None:
            values[n] = v
            raw[n] = new_raw[n]
        elif values[n] != v:
            conflicts[n] += 1


def _reason_kind(reason: str) -> str:
    """A reason without its value, to count like reasons together."""
    if reason.startswith("column"):
        return re.sub(r"\): '.*?' ", "): ", reason, count=1, flags=re.S)
    return reason.split(",")[0]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            h.update(chunk)
    return h.hexdigest()


def write_rejects(path: Path, result: Read) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", errors="surrogateescape", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["line", "reason", *result.header])
        for line, reason, cells in result.rejects:
            w.writerow([line, reason, *cells])
