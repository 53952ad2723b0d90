"""Read a city's export through a mapping into standard records, inside DuckDB.

The mapping is compiled into SQL: every cell is trimmed, checked against the placeholders,
brought to the standard vocabulary, checked against its pattern and converted to its type,
each row getting the first problem it has (or none); the rows describing the same stop,
incident or shooting are then folded into one record by the merges the kind names. Python
only reads the header, writes the pseudonyms of the distinct officer IDs, and words the
reasons of the rows set aside.

The file is read by DuckDB's CSV reader when it has one record per line (the usual case of a
large export), which keeps each record's line number exact; a file with records over several
lines, blank lines or an encoding DuckDB does not read is read by Python's csv module instead
and handed over the same way. Either way a row that cannot be used is set aside with its line
number, the reason and the row as it was, and the rest go on.

Everything is staged in a DuckDB database in memory (spilling to a temporary folder when it
must); ``store.write`` copies the staged tables into the store in one transaction, so the
store is held only while it is written. Imports no Django.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import shutil
import sys
import tempfile
import threading
import weakref
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from oversight.publicdata.kinds import Field
from oversight.publicdata.mapping import FieldMap, Mapping, MappingError
from oversight.publicdata.pseudonym import Pseudonymizer
from oversight.publicdata.schema import SQL, columns, extra_columns, has_raw, same_as_read

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
WHITESPACE = " \t\r\n\x0b\x0c"
BAD_BYTES = re.compile("[\udc80-\udcff]")  # bytes that did not decode, kept by surrogateescape
TIME_RE = r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$"
INT_RE = r"^[+-]?[0-9]+$"
# DuckDB reads these encodings itself; any other is read by Python.
DUCKDB_ENCODINGS = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "iso8859-1": "latin-1"}
# Problems a row can have with one field; the row's problem code is 1 + 4 * field index + this.
PATTERN, CONVERT, REQUIRED = 0, 1, 2
BLANK_ROW = 0  # a row's problem code when every cell is empty
BLANK_REASON = "an empty row (every cell blank)"
CUT_SHORT = "; it is the file's last line: the file looks cut short (an interrupted download?)"

Progress = Callable[[str, float | None], None]


class ImportError_(ValueError):
    """The file cannot be imported at all (unreadable, no header, not the mapped columns)."""


@dataclass
class Imported:
    """What an import staged: the records (table ``records``) and, for force, the subjects
    (``extra``) in the staging connection; the report; the rows set aside. ``close()`` (or the
    garbage collector) lets the staging go."""

    mapping: Mapping
    staging: duckdb.DuckDBPyConnection
    folder: Path
    report: dict[str, Any]
    rejects: list[tuple[int, str, list[str]]] = field(default_factory=list)
    header: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._finalizer = weakref.finalize(self, _let_go, self.staging, self.folder)

    @property
    def loaded(self) -> int:
        return int(self.report["loaded"])

    def close(self) -> None:
        self._finalizer()


def _let_go(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    con.close()
    shutil.rmtree(folder, ignore_errors=True)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    """A string as an SQL literal."""
    return "'" + value.replace("'", "''") + "'"


def _in(expr: str, values: frozenset[str] | set[str]) -> str:
    if not values:
        return "false"
    return f"{expr} IN ({', '.join(literal(v) for v in sorted(values))})"


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


# ---------------------------------------------------------------- the mapping as SQL


def _trimmed(cell: str) -> str:
    """The cell without the spaces and tabs around it (the test first: most cells have none,
    and a trim makes a new string)."""
    test = " OR ".join(f"{cell} LIKE '{c}%' OR {cell} LIKE '%{c}'" for c in (" ", "\t"))
    return f"CASE WHEN {test} THEN trim({cell}, {literal(WHITESPACE)}) ELSE {cell} END"


def _value_sql(fm: FieldMap, s: str | None = None) -> tuple[str, str | None, str, bool]:
    """For one mapped field, SQL over its trimmed text ``s_F`` (or ``s``): (its unknown test, a
    first step the value needs (used as ``pre_F``) or None, the standard value, whether it can fail)."""
    n = fm.field.name
    s = s or f"s_{n}"
    empty = "false" if fm.blank is not None else f"{s} = ''"
    unknown = f"({empty} OR {_in(s, fm.placeholders)})" if fm.placeholders else f"({empty})"
    mapped = s
    whens: list[str] = []
    if fm.blank is not None:
        whens.append(f"WHEN {s} = '' THEN {literal(fm.blank)}")
    whens += [f"WHEN {s} = {literal(a)} THEN {literal(b)}" for a, b in sorted(fm.values.items())]
    whens += [f"WHEN contains({s}, {literal(a)}) THEN {literal(b)}" for a, b in fm.contains]
    whens += [f"WHEN regexp_matches({s}, {literal(a)}) THEN {literal(b)}" for a, b in fm.matches]
    whens += [f"WHEN TRY_CAST({s} AS DOUBLE) <= {ub!r} THEN {literal(lab)}" for lab, ub in fm.bands]
    if whens or fm.otherwise is not None:
        other = s if fm.otherwise is None else literal(fm.otherwise)
        mapped = f"(CASE {' '.join(whens)} ELSE {other} END)" if whens else other
    t = fm.field.type
    if t in ("text", "longtext", "private", "officer"):
        return unknown, None, mapped, False
    if t == "flag":
        v = f"(CASE WHEN {_in(mapped, fm.true)} THEN true WHEN {_in(mapped, fm.false)} THEN false END)"
        return unknown, None, v, True
    if t == "int":
        v = f"(CASE WHEN regexp_matches({mapped}, {literal(INT_RE)}) THEN TRY_CAST({mapped} AS BIGINT) END)"
        return unknown, None, v, True
    if t == "float":
        return unknown, None, f"TRY_CAST({mapped} AS DOUBLE)", True
    if t == "time":
        pre = f"regexp_extract({mapped}, {literal(TIME_RE)}, ['h', 'm', 's'])"
        h, m, sec = (f"TRY_CAST(pre_{n}.{x} AS INTEGER)" for x in ("h", "m", "s"))
        sec = f"coalesce({sec}, 0)"
        v = f"(CASE WHEN {h} <= 23 AND {m} <= 59 AND {sec} <= 59 THEN make_time({h}, {m}, {sec}) END)"
        return unknown, pre, v, True
    # date, datetime
    formats = "[" + ", ".join(literal(f) for f in fm.formats) + "]"
    v = f"try_strptime({mapped}, {formats})"
    if t == "date":
        v = f"CAST({v} AS DATE)"
    return unknown, None, v, True


# Text is kept in ``conv`` only as the cell read (and whether it is unknown): its standard
# value, the cell trimmed or brought to the mapping's vocabulary, is cheap to make again where
# it is read, and a second copy of the text in memory costs more than making it (see value()).
# Not so for text matched by patterns or put in bands, which is kept converted.
TEXT_TYPES = ("text", "longtext", "private", "officer")


def _from_cell(fm: FieldMap) -> bool:
    """Whether ``conv`` holds the field as its cell only (value() makes its standard value)."""
    return fm.field.type in TEXT_TYPES and not (fm.contains or fm.matches or fm.bands)


# The yes/no columns of ``conv`` (whether a field held as its cell is unknown, whether a row
# had spaces to trim) are kept as bits of a few BIGINT columns ``flags0``, ``flags1``...: each
# column of ``conv`` costs its copy per row, whatever its type.
FLAG_BITS = 62


def _flag_bits(mapping: Mapping) -> dict[str, tuple[int, int]]:
    """Each flag of ``conv`` (``spaced``, ``u_F`` of the fields held as their cells): its
    column and bit."""
    names = ["spaced"] + [f"u_{fm.field.name}" for fm in mapping.fields if _from_cell(fm)]
    return {n: divmod(i, FLAG_BITS) for i, n in enumerate(names)}


def _flag(mapping: Mapping, name: str, table: str = "") -> str:
    """SQL over ``conv``: the flag ``name`` (see _flag_bits)."""
    j, b = _flag_bits(mapping)[name]
    return f"(({table}flags{j} & {1 << b}) <> 0)"


def value(mapping: Mapping, positions: dict[str, int], name: str, table: str = "") -> str:
    """SQL for the standard value ``v_F`` of mapped field ``name`` over ``conv`` (``table`` the
    prefix its columns need, e.g. ``conv.``): the column ``v_F``, or for a field held as its
    cell the value made from it (the conversion's SQL, over the cell itself when no cell of the
    row had spaces to trim)."""
    fm = next(fm for fm in mapping.fields if fm.field.name == name)
    if not _from_cell(fm):
        return f"{table}v_{name}"
    cell = f"{table}c{positions[fm.column]}"
    as_read = _value_sql(fm, cell)[2]
    trimmed = _value_sql(fm, f"({_trimmed(cell)})")[2]
    unknown, spaced = _flag(mapping, f"u_{name}", table), _flag(mapping, "spaced", table)
    return f"(CASE WHEN {unknown} THEN NULL WHEN {spaced} THEN {trimmed} ELSE {as_read} END)"


def _unknown(mapping: Mapping, positions: dict[str, int], name: str) -> str:
    """SQL over ``conv`` true where an accepted row's field ``name`` is unknown (``v_F`` NULL)."""
    fm = next(fm for fm in mapping.fields if fm.field.name == name)
    return _flag(mapping, f"u_{name}") if _from_cell(fm) else f"v_{name} IS NULL"


def _convert_sql(mapping: Mapping, positions: dict[str, int], width: int, source: str, has_line: bool) -> str:
    """SELECT over the raw cells (c0 ... cN): the cells as read, each field's standard value
    ``v_F`` (NULL when unknown; for a field held as its cell, made where it is read by value())
    and the row's first problem (NULL when the row can be used). Each step is a layer of its
    own so that no step is computed twice."""
    cells = [f"c{i}" for i in range(width)] + (["line"] if has_line else [])
    layers: list[list[str]] = [[] for _ in range(5)]
    keep: list[list[str]] = [[] for _ in range(4)]  # what a layer passes on from the one before
    problems: list[str] = []
    required: list[str] = []
    spaced: dict[str, str] = {}
    for i, fm in enumerate(mapping.fields):
        n = fm.field.name
        unknown, pre, v, can_fail = _value_sql(fm)
        layers[0].append(f"{_trimmed(f'c{positions[fm.column]}')} AS s_{n}")
        layers[1].append(f"{unknown} AS u_{n}")
        keep[1].append(f"s_{n}")
        cases = []
        if fm.pattern is not None:
            layers[1].append(f"regexp_matches(s_{n}, {literal(fm.pattern.pattern)}) AS p_{n}")
            keep[2] += [f"p_{n}"]
            keep[3] += [f"p_{n}"]
            cases.append(f"WHEN NOT p_{n} THEN {1 + 4 * i + PATTERN}")
        keep[2] += [f"u_{n}", f"s_{n}"]
        if pre is not None:
            layers[2].append(f"{pre} AS pre_{n}")
            keep[3].append(f"pre_{n}")
        layers[3].append(f"{v} AS v_{n}")
        keep[3].append(f"u_{n}")
        if can_fail:
            cases.append(f"WHEN v_{n} IS NULL THEN {1 + 4 * i + CONVERT}")
        if cases:
            problems.append(f"CASE WHEN u_{n} THEN NULL {' '.join(cases)} END")
        if fm.field.required:
            required.append(f"CASE WHEN u_{n} THEN {1 + 4 * i + REQUIRED} END")
        if _from_cell(fm):
            spaced.setdefault(fm.column, f"s_{n} <> c{positions[fm.column]}")
        else:
            layers[4].append(f"CASE WHEN u_{n} THEN NULL ELSE v_{n} END AS v_{n}")
    # Whether a cell of a field held as its cell had spaces to trim (rarely): where none had,
    # value() makes the standard values from the cells themselves.
    layers[1].append(f"({' OR '.join(spaced.values()) or 'false'}) AS spaced")
    keep[2].append("spaced")
    keep[3].append("spaced")
    columns: dict[int, list[str]] = {}
    for flag, (j, b) in _flag_bits(mapping).items():
        columns.setdefault(j, []).append(f"(CAST({flag} AS BIGINT) << {b})")
    layers[4] += [f"({' | '.join(bits)}) AS flags{j}" for j, bits in columns.items()]
    # A row whose every cell is empty is no record (a blank line of commas): set aside as such.
    blank_row = f"CASE WHEN {' AND '.join(f'c{i} = {chr(39)}{chr(39)}' for i in range(width))} THEN {BLANK_ROW} END"
    checks = [blank_row] + problems + required
    problem = f"coalesce({', '.join(checks)})"
    q = f"SELECT {', '.join(f'coalesce(c{i}, {chr(39)}{chr(39)}) AS c{i}' for i in range(width))}"
    q += (", line" if has_line else "") + f" FROM {source}"
    q = f"SELECT {', '.join(cells + layers[0])} FROM ({q})"
    for j in (1, 2, 3):
        q = f"SELECT {', '.join(cells + keep[j] + layers[j])} FROM ({q})"
    return f"SELECT {', '.join(cells + layers[4])}, {problem} AS problem FROM ({q})"


def _reason(mapping: Mapping, code: int, cells: list[str], positions: dict[str, int]) -> str:
    """The words for a row's problem code: the column, the field, the value and what is wrong."""
    if code == BLANK_ROW:
        return BLANK_REASON
    i, problem = divmod(code - 1, 4)
    fm = mapping.fields[i]
    raw = cells[positions[fm.column]]
    where = f"column {fm.column!r} ({fm.field.name})"
    if problem == REQUIRED:
        return f"{where}: a value is required, got {raw!r}"
    s = raw.strip(WHITESPACE)
    if problem == PATTERN:
        return f"{where}: {s!r} does not match {fm.pattern.pattern!r}"  # type: ignore[union-attr]
    s = fm.values.get(s, s)
    t = fm.field.type
    if t == "flag":
        return f"{where}: {s!r} is neither a yes ({', '.join(sorted(fm.true))}) nor a no"
    if t == "int":
        return f"{where}: {s!r} is not a whole number"
    if t == "float":
        return f"{where}: {s!r} is not a number"
    if t == "time":
        return f"{where}: {s!r} is not a time of day like 14:05:00"
    return f"{where}: {s!r} is not a {t} in the form {' or '.join(fm.formats)}"


# ---------------------------------------------------------------- the fold as SQL


def _single_sql(f: Field) -> list[str]:
    """A record of one row: each stored column straight from the row."""
    typ = SQL[f.type]
    v, r, col = f"v_{f.name}", f"r_{f.name}", _q(f.col)
    if f.merge == "list":
        out = [f"CASE WHEN {v} IS NULL THEN CAST([] AS {typ}[]) ELSE [{v}] END AS {col}"]
        if has_raw(f.type):
            out.append(f"CASE WHEN {r} IS NULL THEN CAST([] AS VARCHAR[]) ELSE [{r}] END AS {_q(f.col + '_raw')}")
        return out
    out = [f"{v} AS {col}"]
    if has_raw(f.type):
        out.append(f"{r} AS {_q(f.col + '_raw')}")
    return out


def _grouped_sql(f: Field) -> tuple[list[str], list[str]]:
    """A record of several rows: (aggregates over its rows, the columns made from them)."""
    v, r, col, raw = f"v_{f.name}", f"r_{f.name}", _q(f.col), _q(f.col + "_raw")
    known = f"FILTER (WHERE {v} IS NOT NULL)"
    first_raw = f"arg_min_null({r}, k)"
    m = f.merge
    aggs: list[str]
    if m == "list":
        aggs = [f"list({v} ORDER BY k) {known} AS l_{f.name}"]
        cols = [f"coalesce(list_filter(l_{f.name}, lambda x, i: list_position(l_{f.name}, x) = i), []) AS {col}"]
        if has_raw(f.type):
            aggs.append(f"list({r} ORDER BY k) FILTER (WHERE {r} IS NOT NULL) AS lr_{f.name}")
            cols.append(
                f"coalesce(list_filter(lr_{f.name}, lambda x, i: list_position(lr_{f.name}, x) = i), []) AS {raw}"
            )
        return aggs, cols
    if m == "any":
        aggs = [f"bool_or({v}) AS {col}"]
        chosen = f"coalesce(arg_min({r}, k) FILTER (WHERE {v}), arg_min({r}, k) {known}, {first_raw})"
    elif m == "min":
        aggs = [f"min({v}) AS {col}"]
        chosen = f"coalesce(arg_min({r}, {{'v': {v}, 'k': k}}) {known}, {first_raw})"
    elif m == "max":
        aggs = [f"max({v}) AS {col}"]
        chosen = f"coalesce(arg_max({r}, {{'v': {v}, 'k': -k}}) {known}, {first_raw})"
    else:  # first
        # two known values that differ: min and max differ (a DISTINCT aggregate costs far more)
        aggs = [f"arg_min({v}, k) {known} AS {col}", f"coalesce(min({v}) <> max({v}), false) AS conflict_{f.name}"]
        chosen = f"coalesce(arg_min({r}, k) {known}, {first_raw})"
    if has_raw(f.type):
        aggs.append(f"{chosen} AS {raw}")
    return aggs, [col] + ([raw] if has_raw(f.type) else [])


# ---------------------------------------------------------------- reading the file


def _hash_and_count(path: Path, out: dict[str, Any]) -> None:
    """SHA-256 of the file and its number of lines (a last line without a newline counts;
    blank lines at the very end do not)."""
    h = hashlib.sha256()
    newlines = 0
    tail = b""
    # One buffer read into again and again: a new chunk each time would cost its allocation
    # and page faults on the core the reader of the file needs.
    buf = bytearray(1 << 20)
    view = memoryview(buf)
    with path.open("rb", buffering=0) as fh:
        while n := fh.readinto(buf):
            h.update(view[:n])
            newlines += buf.count(b"\n", 0, n)
            tail = (tail + bytes(view[max(0, n - 64) : n]))[-64:]
    stripped = tail.rstrip(b"\r\n")
    trailing = tail[len(stripped) :].count(b"\n")
    lines = newlines - trailing + (1 if stripped else 0) if (newlines or tail) else 0
    out["sha256"] = h.hexdigest()
    out["lines"] = lines
    out["lone_cr"] = newlines == 0 and b"\r" in tail


def _read_header(path: Path, encoding: str) -> list[str]:
    try:
        fh = path.open(encoding=encoding, errors="surrogateescape", newline="")
    except OSError as e:
        raise ImportError_(f"{path}: cannot read: {e.strerror}") from None
    with fh:
        try:
            header = next(csv.reader(fh))
        except StopIteration:
            raise ImportError_(f"{path}: empty file: no header row") from None
        except csv.Error as e:
            raise ImportError_(f"{path}: line 1: not CSV: {e}") from None
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    return header


def _record_at(path: Path, pos: int, encoding: str) -> list[str]:
    """The record DuckDB set aside at byte ``pos`` (its line's start, counted from 0 or 1)."""
    with path.open("rb") as fh:
        fh.seek(max(0, pos - 2))
        before = fh.read(2) if pos >= 2 else b"\n" + fh.read(pos)
        start = pos - 1 if before[-2:-1] in (b"\n", b"\r") or pos == 1 else pos
        fh.seek(max(0, start))
        line = fh.readline()
    text = line.decode(encoding, errors="surrogateescape")
    return next(csv.reader(io.StringIO(text)), [])


@dataclass
class _Scan:
    rows: int  # rows in it
    rejects: list[tuple[int, str, list[str]]]  # set aside while reading
    line_of: Callable[[int], int]  # a row's position in the scan -> its line
    line_sql: str  # the same in SQL over ``k``, or "line" when the scan carries it
    thresholds: list[int] = field(default_factory=list)


def _duckdb_scan(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    width: int,
    encoding: str,
    mapping: Mapping,
    convert: Callable[[str, bool], str],
) -> _Scan | None:
    """Read with DuckDB's reader, converting as it reads, into ``conv``. None when the file is
    not strict CSV (quotes out of place, mixed line endings): then Python's reader reads it."""
    cols = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    source = (
        f"read_csv({literal(str(path))}, columns={cols}, header=true, "
        f"delim=',', quote='\"', escape='\"', strict_mode=true, auto_detect=false, null_padding=false, "
        f"parallel=true, encoding={literal(encoding)}, max_line_size=16777216, "
        f"store_rejects=true, rejects_table='scan_errors', rejects_scan='scan_files')"
    )
    try:
        con.execute(f"CREATE TEMP TABLE conv AS {convert(source, False)}")
    except duckdb.Error:
        con.execute("DROP TABLE IF EXISTS conv")
        return None
    n = con.execute("SELECT count(*) FROM conv").fetchone()[0]  # type: ignore[index]
    errors = con.execute(
        "SELECT line, min(line_byte_position), min(error_type::VARCHAR), min(error_message) "
        "FROM scan_errors GROUP BY line ORDER BY line"
    ).fetchall()
    rejects = []
    for line, pos, kind, message in errors:
        cells = _record_at(path, int(pos), mapping.encoding)
        if kind in ("MISSING COLUMNS", "TOO MANY COLUMNS"):
            reason = f"has {len(cells)} fields, the header has {width}"
        elif kind == "INVALID ENCODING":
            reason = f"not valid {mapping.encoding} text"
        else:
            reason = f"not CSV: {message.splitlines()[0] if message else kind}"
        rejects.append((int(line), reason, cells))
    # Good row k is on line k + 2 plus the set-aside lines before it (rows are one per line).
    thresholds = [line - 1 - j for j, (line, _, _) in enumerate(rejects, 1)]

    def line_of(k: int) -> int:
        return k + 2 + bisect_right(thresholds, k)

    return _Scan(int(n), rejects, line_of, "k + 2 + coalesce(offs.j, 0)" if rejects else "k + 2", thresholds)


def _python_scan(
    con: duckdb.DuckDBPyConnection, path: Path, width: int, mapping: Mapping, convert: Callable[[str, bool], str]
) -> _Scan:
    """Read with Python's csv module (records over several lines, blank lines, any encoding)."""
    cols: list[list[str]] = [[] for _ in range(width)]
    lines: list[int] = []
    rejects: list[tuple[int, str, list[str]]] = []
    with path.open(encoding=mapping.encoding, errors="surrogateescape", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        line = 1
        while True:
            start = line + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as e:
                rejects.append((start, f"not CSV: {e}; the rest of the file could not be read", []))
                break
            line = reader.line_num
            if not cells:
                continue  # a blank line is not a row
            if len(cells) != width:
                rejects.append((start, f"has {len(cells)} fields, the header has {width}", cells))
                continue
            if BAD_BYTES.search("".join(cells)):
                rejects.append((start, f"not valid {mapping.encoding} text", cells))
                continue
            lines.append(start)
            for i, c in enumerate(cells):
                cols[i].append(c)
    table = pa.table({**{f"c{i}": pa.array(cols[i], pa.string()) for i in range(width)}, "line": lines})
    con.register("python_scan", table)
    con.execute(f"CREATE TEMP TABLE conv AS {convert('python_scan', True)}")
    con.unregister("python_scan")
    return _Scan(len(lines), rejects, lambda k: lines[k], "line")


# ---------------------------------------------------------------- progress


@contextmanager
def stage(con: duckdb.DuckDBPyConnection, progress: Progress | None, name: str) -> Iterator[None]:
    """Report a stage and, while its queries run, how far DuckDB says they are."""
    if progress is None:
        yield
        return
    progress(name, 0.0)
    done = threading.Event()

    def poll() -> None:
        while not done.wait(0.25):
            try:
                p = con.query_progress()
            except (duckdb.Error, AttributeError):
                return
            if p is not None and p >= 0:
                progress(name, min(p, 100.0) / 100.0)

    t = threading.Thread(target=poll, daemon=True)
    t.start()
    try:
        yield
    finally:
        done.set()
        t.join()
        progress(name, 1.0)


# ---------------------------------------------------------------- the import


def read_export(path: Path, mapping: Mapping, pseudo: Pseudonymizer, progress: Progress | None = None) -> Imported:
    """Read, check, convert and fold one export into a staging database. Raises MappingError
    or ImportError_ before any row is used when the file as a whole does not fit the mapping.
    ``progress(stage, fraction)`` is told how far the import is, when given."""
    header = _read_header(path, mapping.encoding)
    mapping, absent = mapping.for_header(header)
    positions = check_header(mapping, header, str(path))
    width = len(header)
    folder = Path(tempfile.mkdtemp(prefix="oversight-import-"))
    try:
        imported = _import(path, mapping, pseudo, progress, header, positions, width, folder)
        imported.report["absent_columns"] = absent
        return imported
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _import(
    path: Path,
    mapping: Mapping,
    pseudo: Pseudonymizer,
    progress: Progress | None,
    header: list[str],
    positions: dict[str, int],
    width: int,
    folder: Path,
) -> Imported:
    kind = mapping.kind
    con = duckdb.connect(":memory:", config={"preserve_insertion_order": True, "temp_directory": str(folder)})
    file_facts: dict[str, Any] = {}
    hasher = threading.Thread(target=_hash_and_count, args=(path, file_facts))
    hasher.start()
    try:
        encoding = DUCKDB_ENCODINGS.get(codecs.lookup(mapping.encoding).name)

        def convert(source: str, has_line: bool) -> str:
            return _convert_sql(mapping, positions, width, source, has_line)

        scan: _Scan | None = None
        with stage(con, progress, "reading"):
            if encoding is not None:
                scan = _duckdb_scan(con, path, width, encoding, mapping, convert)
            hasher.join()
            # DuckDB's line numbers hold when every record is one line and no line is blank.
            if scan is not None and (file_facts["lone_cr"] or file_facts["lines"] != 1 + scan.rows + len(scan.rejects)):
                con.execute("DROP TABLE conv")
                scan = None
            if scan is None:
                scan = _python_scan(con, path, width, mapping, convert)
        if scan.thresholds:
            con.execute(
                "CREATE TEMP TABLE offs AS SELECT unnest(?) AS t, generate_subscripts(?, 1) AS j",
                [scan.thresholds, scan.thresholds],
            )
        with stage(con, progress, "checking"):
            report, rejects = _check_report(con, mapping, positions, width, scan, path, file_facts["sha256"])
            _mark_cut_short(report, rejects, int(file_facts["lines"]))
            suggestion = suggest_encoding(rejects, mapping.encoding)
            if suggestion:
                report["encoding_suggestion"] = suggestion
            report["key"] = (
                f"the row's line number (the file has no column for {kind.key})" if mapping.row_key else kind.key
            )
            report["fields"] = sorted(mapping.mapped())
            report["caveats"] = mapping.caveats()
            report["disclosure"] = mapping.disclosure
            report["timezone"] = mapping.timezone

        with stage(con, progress, "folding"):
            conflicts = _fold(con, mapping, pseudo, positions, scan)
            report["identical_rows"] = _identical_rows(con, mapping, width, report["_accepted"])
        many = con.execute("SELECT count(*), coalesce(sum(source_rows), 0) FROM grouped").fetchone()
        assert many is not None
        report["loaded"] = report.pop("_accepted") - int(many[1]) + int(many[0])
        report["duplicates"] = report["rows_read"] - report["set_aside"] - report["loaded"]
        report["conflicts"] = dict(sorted(conflicts.items()))
        if kind.extra_table:
            n = con.execute("SELECT count(*) FROM extra").fetchone()[0]  # type: ignore[index]
            report[f"{kind.extra_table}_loaded"] = int(n)
    except BaseException:
        con.close()
        raise
    finally:
        if hasher.is_alive():
            hasher.join()
    order = ["dataset", "kind", "unit", "mapping", "file", "sha256", "rows_read", "loaded", "duplicates"]
    report = {k: report[k] for k in order} | {k: v for k, v in report.items() if k not in order}
    return Imported(mapping, con, folder, report, rejects, header)


def _mark_cut_short(report: dict[str, Any], rejects: list[tuple[int, str, list[str]]], lines: int) -> None:
    """A last line with too few fields is most often a download that stopped: say so."""
    for j, (line, reason, cells) in enumerate(rejects):
        if line == lines and reason.startswith("has "):
            rejects[j] = (line, reason + CUT_SHORT, cells)
            report["last_line_cut_short"] = True


def suggest_encoding(rejects: list[tuple[int, str, list[str]]], encoding: str) -> dict[str, Any] | None:
    """When rows were set aside as not being the mapping's encoding, the encoding that reads
    every one of them (tried: UTF-8, Windows-1252, Latin-1), for the report to suggest."""
    bad = [cells for _, reason, cells in rejects if reason.startswith("not valid ")]
    if not bad:
        return None
    base = "utf-8" if codecs.lookup(encoding).name.startswith("utf-8") else encoding
    raw = [("\x1f".join(cells)).encode(base, errors="surrogateescape") for cells in bad]
    for cand in ("utf-8", "cp1252", "latin-1"):
        if codecs.lookup(cand).name == codecs.lookup(base).name:
            continue
        try:
            for b in raw:
                b.decode(cand)
        except UnicodeDecodeError:
            continue
        return {
            "rows": len(bad),
            "encoding": cand,
            "message": (
                f"{len(bad)} row(s) are not valid {encoding} text but all read as {cand}: "
                f'set encoding = "{cand}" in the mapping\'s [dataset], or pass --encoding {cand}'
            ),
        }
    return {"rows": len(bad), "encoding": None, "message": f"{len(bad)} row(s) are not valid {encoding} text"}


def _check_report(
    con: duckdb.DuckDBPyConnection,
    mapping: Mapping,
    positions: dict[str, int],
    width: int,
    scan: _Scan,
    path: Path,
    sha256: str,
) -> tuple[dict[str, Any], list[tuple[int, str, list[str]]]]:
    """The rows set aside (with their lines and reasons) and the first part of the report."""
    kind = mapping.kind
    cells = ", ".join(f"c{i}" for i in range(width))
    bad = con.execute(f"SELECT rowid, problem, {cells} FROM conv WHERE problem IS NOT NULL ORDER BY rowid").fetchall()
    rejects = list(scan.rejects)
    for k, code, *row in bad:
        rejects.append((scan.line_of(int(k)), _reason(mapping, int(code), list(row), positions), list(row)))
    rejects.sort(key=lambda r: r[0])
    row = con.execute("SELECT count(*) FROM conv WHERE problem IS NULL").fetchone()
    assert row is not None
    accepted = row[0]
    # Unknowns per column: a small GROUP BY per field reads two columns; one pass with a
    # filtered histogram per field would read them all and is several times slower.
    unknowns = {}
    for fm in mapping.fields:
        counts = con.execute(
            f"SELECT c{positions[fm.column]} AS raw, count(*) AS n FROM conv "
            f"WHERE problem IS NULL AND {_unknown(mapping, positions, fm.field.name)} "
            "GROUP BY 1 ORDER BY n DESC, raw"
        ).fetchall()
        if counts:
            values = {raw: int(n) for raw, n in counts}
            unknowns[fm.field.name] = {"column": fm.column, "rows": sum(values.values()), "values": values}
    report: dict[str, Any] = {
        "dataset": mapping.name,
        "kind": kind.name,
        "unit": kind.unit,
        "mapping": mapping.origin,
        "file": str(path),
        "sha256": sha256,
        "rows_read": scan.rows + len(scan.rejects),
        "identical_rows": None,  # counted by _identical_rows once the fold has found the repeated keys
        "_accepted": int(accepted),
        "set_aside": len(rejects),
        "set_aside_reasons": dict(Counter(_reason_kind(r) for _, r, _ in rejects).most_common()),
        "unknowns": unknowns,
    }
    return report, rejects


def _identical_rows(con: duckdb.DuckDBPyConnection, mapping: Mapping, width: int, accepted: int) -> int:
    """Accepted rows that repeat another one cell for cell. Rows alike have the same key, so
    with a key column only the rows of the keys met more than once (``multi_rows``) are
    compared; without one (each row keyed by its line) every accepted row is."""
    cells = ", ".join(f"c{i}" for i in range(width))
    if mapping.row_key:
        row = con.execute(f"SELECT count(DISTINCT hash({cells})) FROM conv WHERE problem IS NULL").fetchone()
        return accepted - int(row[0])  # type: ignore[index]
    row = con.execute(
        f"SELECT count(*), count(DISTINCT hash({cells})) FROM conv WHERE rowid IN (SELECT k FROM multi_rows)"
    ).fetchone()
    assert row is not None
    return int(row[0]) - int(row[1])


def _accepted_rows(
    con: duckdb.DuckDBPyConnection, mapping: Mapping, pseudo: Pseudonymizer, positions: dict[str, int], scan: _Scan
) -> str:
    """The view ``acc``: the accepted rows as the kind's SQL sees them (``k``, ``line``, and
    ``v_F``, ``r_F`` for every field of the kind, NULL where the mapping has no column), with
    officers' pseudonyms in place of their IDs and, when the key is private, ``key_pseudonym``.
    Returns the view's query with ``@conv`` where it reads ``conv``, for a view of some rows."""
    kind = mapping.kind
    mapped = {fm.field.name: fm for fm in mapping.fields}
    sel = ["conv.rowid AS k", f"{scan.line_sql} AS line"]
    joins = []
    for f in kind.fields:
        fm = mapped.get(f.name)
        if fm is None and f.name == kind.key and mapping.row_key:
            # no key column: each row is a record of its own, keyed by its line
            sel += [f"CAST({scan.line_sql} AS VARCHAR) AS v_{f.name}", f"CAST(NULL AS VARCHAR) AS r_{f.name}"]
            continue
        if fm is None:
            sel += [f"CAST(NULL AS {SQL[f.type]}) AS v_{f.name}", f"CAST(NULL AS VARCHAR) AS r_{f.name}"]
            continue
        v = value(mapping, positions, f.name, "conv.")
        if f.type == "officer":  # pseudonyms are made once per distinct ID, in Python (HMAC)
            table = f"pseudo_{f.name}"
            ids = _distinct(con, mapping, positions, f.name)
            _pairs(con, table, ids, [pseudo(mapping.officer_namespace, i) for i in ids])
            joins.append(f"LEFT JOIN {table} ON {table}.id = {v}")
            v = f"{table}.pseudonym"
        sel += [f"{v} AS v_{f.name}", f"conv.c{positions[fm.column]} AS r_{f.name}"]
    if scan.thresholds:
        joins.append("ASOF LEFT JOIN offs ON conv.rowid >= offs.t")
    keyf = kind.get(kind.key)
    if keyf is not None and keyf.type == "private":
        keys = _distinct(con, mapping, positions, kind.key)
        ns = f"{mapping.name}:{kind.unit}"
        _pairs(con, "key_pseudo", keys, [pseudo(ns, k).split("-", 1)[1] for k in keys])
        joins.append(f"LEFT JOIN key_pseudo ON key_pseudo.id = {value(mapping, positions, kind.key, 'conv.')}")
        sel.append("key_pseudo.pseudonym AS key_pseudonym")
    rows = f"SELECT {', '.join(sel)} FROM @conv {' '.join(joins)} WHERE conv.problem IS NULL"
    con.execute(f"CREATE TEMP VIEW acc AS {rows.replace('@conv', 'conv')}")
    return rows


def _distinct(con: duckdb.DuckDBPyConnection, mapping: Mapping, positions: dict[str, int], name: str) -> list[str]:
    v = value(mapping, positions, name)
    q = f"SELECT DISTINCT v FROM (SELECT {v} AS v FROM conv WHERE problem IS NULL) WHERE v IS NOT NULL"
    return [str(r[0]) for r in con.execute(q).fetchall()]


def _pairs(con: duckdb.DuckDBPyConnection, table: str, ids: list[str], values: list[str]) -> None:
    if len(ids) <= 50_000:
        # As parameters: handing DuckDB an Arrow table makes it import pandas (about 0.4 s),
        # more than a few thousand pairs cost this way.
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table} AS "
            "SELECT unnest(?::VARCHAR[]) AS id, unnest(?::VARCHAR[]) AS pseudonym",
            [ids, values],
        )
        return
    con.register(
        "incoming_pairs", pa.table({"id": pa.array(ids, pa.string()), "pseudonym": pa.array(values, pa.string())})
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM incoming_pairs")
    con.unregister("incoming_pairs")


def _fold(
    con: duckdb.DuckDBPyConnection, mapping: Mapping, pseudo: Pseudonymizer, positions: dict[str, int], scan: _Scan
) -> Counter[str]:
    """Fold the accepted rows into ``records`` (and ``extra``); returns the conflicts counted.

    A key met once is a record of one row, taken as it is (most records); the keys met more
    than once (``multi``) are folded by the merges into ``grouped``."""
    kind = mapping.kind
    rows = _accepted_rows(con, mapping, pseudo, positions, scan)
    key = f"v_{kind.key}"
    # The keys met more than once, from the key alone when the file has it (not through the
    # view, whose joins, e.g. the officers' pseudonyms, the keys do not need).
    keys = "acc"
    if any(fm.field.name == kind.key for fm in mapping.fields):
        v = value(mapping, positions, kind.key, "conv.")
        keys = f"(SELECT conv.rowid AS k, {v} AS {key} FROM conv WHERE conv.problem IS NULL) acc"
    con.execute(f"CREATE TEMP TABLE multi AS SELECT {key} AS key FROM {keys} GROUP BY 1 HAVING count(*) > 1")
    # Their rows, fetched by row id: a scan of every column of every row would cost far more
    # than the fold of the few rows it finds.
    con.execute(f"CREATE TEMP TABLE multi_rows AS SELECT k FROM {keys} SEMI JOIN multi ON acc.{key} = multi.key")
    some = "(SELECT rowid, * FROM conv WHERE rowid IN (SELECT k FROM multi_rows)) conv"
    con.execute(f"CREATE TEMP TABLE acc_multi AS {rows.replace('@conv', some)}")
    keyf = kind.get(kind.key)
    private_key = ["key_pseudonym"] if keyf is not None and keyf.type == "private" else []

    stored = [f for f in kind.fields if f.stored]
    aggs: list[str] = []
    group_cols: list[str] = []
    for f in stored:
        a, c = _grouped_sql(f)
        aggs += a
        group_cols += c
    aggs += [f"min({c}) AS {c}" for c in private_key]
    aggs += ["arg_min(line, k) AS source_line", "count(*) AS source_rows"]
    con.execute(f"CREATE TEMP TABLE grouped AS SELECT {key} AS key, {', '.join(aggs)} FROM acc_multi GROUP BY 1")
    conflicts: Counter[str] = Counter()
    firsts = [f.name for f in stored if f.merge == "first"]
    if firsts:
        row = con.execute(
            "SELECT " + ", ".join(f"count(*) FILTER (WHERE conflict_{n})" for n in firsts) + " FROM grouped"
        ).fetchone()
        assert row is not None
        conflicts.update({n: int(c) for n, c in zip(firsts, row, strict=True) if c})

    single_cols = [c for f in stored for c in _single_sql(f)] + [f"{h.single} AS {h.name}" for h in kind.helpers]
    single = (
        f"SELECT {', '.join(single_cols + private_key)}, line AS source_line, 1 AS source_rows "
        f"FROM acc ANTI JOIN multi ON acc.{key} = multi.key"
    )
    rows_multi = "acc_multi"
    helper_joins, helper_cols = [], []
    for i, h in enumerate(kind.helpers):
        q = h.grouped.replace("{rows}", rows_multi).replace("{key}", key)
        helper_joins.append(f"LEFT JOIN ({q}) h{i} ON h{i}.key = grouped.key")
        helper_cols.append(f"h{i}.value AS {h.name}")
    several = (
        f"SELECT {', '.join(group_cols + helper_cols + private_key)}, source_line, source_rows "
        f"FROM grouped {' '.join(helper_joins)}"
    )
    derived = {name: expr for name, _, expr in kind.derived}
    # The dependent fields' rule: e.g. no search basis or contraband where no search was made.
    mapped = mapping.mapped()
    for col, flag in kind.dependent:
        if col in mapped:
            derived[col] = f"CASE WHEN {_q(flag)} THEN {_q(col)} END"
            n = con.execute(
                f"SELECT count(*) FROM acc WHERE v_{col} IS NOT NULL AND v_{flag} IS DISTINCT FROM true"
            ).fetchone()
            if n and n[0]:
                conflicts[f"{col} without {flag} (cleared)"] = int(n[0])
    # Where the mapping says a column carries nothing (missing_when), the field is unknown.
    for fm in mapping.fields:
        if fm.missing_when:
            name = fm.field.name
            taken = " OR ".join(
                "("
                + " AND ".join(
                    f"CAST({_cond_expr(col, derived)} AS VARCHAR) IN ({', '.join(literal(v) for v in vals)})"
                    for col, vals in cond
                )
                + ")"
                for cond in fm.missing_when
            )
            derived[name] = f"CASE WHEN coalesce({taken}, false) THEN NULL ELSE {derived.get(name, _q(name))} END"
    # The columns of fields this mapping does not feed are left out of the view: the store's
    # insert (by name) fills them with NULL without carrying NULLs through the fold.
    unfed = set()
    if not kind.extra_sql:
        for f in kind.fields:
            if f.stored and f.merge != "list" and f.name not in mapped and f.name != kind.key:
                unfed |= {f.col, f.col + "_raw"}
    # A raw cell that reads as its stored value is left NULL (store.same_as_read): compared with
    # the value as stored, after the rules above.
    for raw, col in same_as_read(kind).items():
        r = derived.get(raw, _q(raw))
        derived[raw] = f"CASE WHEN {r} = ({derived.get(col, _q(col))}) THEN NULL ELSE {r} END"
    out_cols = [
        _out(name, typ, mapping.name, derived.get(name, _q(name))) for name, typ in columns(kind) if name not in unfed
    ]
    # A view: the records are made as the store writes them, not held twice.
    con.execute(f"CREATE TEMP VIEW records AS SELECT {', '.join(out_cols)} FROM ({single} UNION ALL BY NAME {several})")
    if kind.extra_table:
        q = kind.extra_sql.replace("{rows}", "acc").replace("{records}", "records")
        ecols = [_out(name, typ, mapping.name, _q(name)) for name, typ in extra_columns(kind)]
        con.execute(f"CREATE TEMP TABLE extra AS SELECT {', '.join(ecols)} FROM ({q}) ORDER BY incident_id, subject_no")
    return conflicts


def _cond_expr(col: str, derived: dict[str, str]) -> str:
    """A standard column in the fold's last step: a derived one (the year) by its expression."""
    return f"({derived[col]})" if col in derived else _q(col)


def _out(name: str, typ: str, dataset: str, expr: str) -> str:
    """One stored column: the dataset's name, or the expression in the stored type."""
    if name == "dataset":
        return f"{literal(dataset)} AS dataset"
    return f"CAST({expr} AS {typ}) AS {_q(name)}"


def _reason_kind(reason: str) -> str:
    """A rejects reason without the value, to count like reasons together."""
    return re.sub(r": '.*$", "", reason, flags=re.S) if reason.startswith("column") else reason.split(",")[0]


def write_rejects(path: Path, imported: Imported) -> None:
    """The rows set aside, as they were, each with its line number and the reason."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", errors="surrogateescape", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["line", "reason", *imported.header])
        for line, reason, cells in imported.rejects:
            w.writerow([line, reason, *cells])
