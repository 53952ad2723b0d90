"""Population denominators: how many people live in each group (a precinct, a race, both), as
data a user supplies with its citation, so that a summary can say how many stops there were per
1,000 residents of each group, with a Poisson 95% interval (stats.per).

A denominators file is a CSV whose header names one or more of the kind's group columns by
their standard names (``precinct``, ``subject_race``, ...), a ``population`` column, and
optionally a ``year`` (the year the count is for, e.g. a census year). One file is one
grouping; a dataset may have several (by race; by precinct; by precinct and race). Importing a
file again replaces the dataset's denominators of that grouping.

A count of residents is a count for a year, so rates per resident are shown for one year at a
time: the summary is grouped by year, or filtered to a single year. For a stop year without a
count of its own the nearest count is used, an earlier one before a later one, and the year used
is given beside the rate. Residents are not the people out on the street, nor the drivers on the
road: the pages say so.

Pure Python + DuckDB: imports no Django.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import orjson

from oversight.publicdata.stats import per

POPULATION = "population"
YEAR = "year"
SCALE = 1000
RATE = "per_1000_residents"

DDL = """
CREATE TABLE IF NOT EXISTS populations (
    dataset VARCHAR, kind VARCHAR, columns VARCHAR, key VARCHAR, year INTEGER, population BIGINT,
    citation VARCHAR, file VARCHAR, imported_at TIMESTAMP
)"""
NUMBER_RE = re.compile(r"^\d{1,3}(,\d{3})*$|^\d+$")


class PopulationError(ValueError):
    """A denominators file that cannot be used as it is; the message names what is wrong."""


@dataclass
class Denominators:
    file: str
    columns: tuple[str, ...]  # the group columns, in the file's order
    has_year: bool
    rows: dict[tuple[tuple[Any, ...], int | None], int] = field(default_factory=dict)
    lines: dict[tuple[tuple[Any, ...], int | None], int] = field(default_factory=dict)
    rejects: list[tuple[int, str]] = field(default_factory=list)
    rows_read: int = 0


def read(path: Path, group_columns: tuple[str, ...], encoding: str = "utf-8-sig") -> Denominators:
    """Read a denominators file; a header that names no usable column fails before anything is
    read, a row that cannot be used is set aside with its line and reason."""
    try:
        text = path.read_text(encoding=encoding)
    except UnicodeDecodeError as e:
        raise PopulationError(
            f"{path}: not {encoding} text at byte {e.start}; save the file as UTF-8 (or try --encoding latin-1)"
        ) from None
    except OSError as e:
        raise PopulationError(f"{path}: cannot read the file: {e.strerror}") from None
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    if POPULATION not in header:
        raise PopulationError(
            f"{path}: the header has no {POPULATION!r} column (it has: {', '.join(header) or 'nothing'})"
        )
    unknown = [h for h in header if h not in (POPULATION, YEAR, *group_columns)]
    if unknown:
        raise PopulationError(
            f"{path}: column {unknown[0]!r} is not a column to group by; use the standard names: "
            f"{', '.join(c for c in group_columns if c != YEAR)} (and {YEAR!r}, {POPULATION!r})"
        )
    if len(set(header)) != len(header):
        raise PopulationError(f"{path}: a column is named twice in the header")
    cols = tuple(h for h in header if h not in (POPULATION, YEAR))
    den = Denominators(file=path.name, columns=cols, has_year=YEAR in header)
    at = {h: i for i, h in enumerate(header)}
    for line, raw in enumerate(reader, start=2):
        if not any(c.strip() for c in raw):
            continue
        den.rows_read += 1
        if len(raw) != len(header):
            den.rejects.append((line, f"{len(raw)} cells where the header has {len(header)}"))
            continue
        cell = {h: raw[i].strip() for h, i in at.items()}
        n = cell[POPULATION].replace("_", "")
        if not NUMBER_RE.match(n) or int(n.replace(",", "")) <= 0:
            den.rejects.append((line, f"column {POPULATION!r}: {cell[POPULATION]!r} is not a whole number above 0"))
            continue
        year: int | None = None
        if den.has_year:
            if not re.fullmatch(r"\d{4}", cell[YEAR]):
                den.rejects.append((line, f"column {YEAR!r}: {cell[YEAR]!r} is not a year like 2020"))
                continue
            year = int(cell[YEAR])
        blank = next((c for c in cols if not cell[c]), None)
        if blank:
            den.rejects.append((line, f"column {blank!r} is blank: a count of residents is for a known group"))
            continue
        key = (tuple(cell[c] for c in cols), year)
        if key in den.rows:
            den.rejects.append((line, f"the same group as line {den.lines[key]}"))
            continue
        den.rows[key] = int(n.replace(",", ""))
        den.lines[key] = line
    return den


def write(con: duckdb.DuckDBPyConnection, dataset: str, kind: str, den: Denominators, citation: str) -> dict[str, Any]:
    """Replace the dataset's denominators of this grouping (one transaction); returns the report."""
    if not citation.strip():
        raise PopulationError("--citation: say where the counts come from (e.g. 'U.S. Census Bureau, 2020 Census, P1')")
    if not den.rows:
        raise PopulationError(
            f"{den.file}: no row usable ({den.rows_read} read, {len(den.rejects)} set aside); nothing was changed"
        )
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    columns = ",".join(sorted(den.columns))
    order = sorted(range(len(den.columns)), key=lambda i: den.columns[i])
    con.execute(DDL)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM populations WHERE dataset = ? AND columns = ?", [dataset, columns])
        con.executemany(
            "INSERT INTO populations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [dataset, kind, columns, _key([values[i] for i in order]), year, n, citation.strip(), den.file, now]
                for (values, year), n in den.rows.items()
            ],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return {
        "dataset": dataset,
        "file": den.file,
        "columns": sorted(den.columns),
        "years": sorted({y for _, y in den.rows if y is not None}),
        "rows_read": den.rows_read,
        "groups": len(den.rows),
        "set_aside": len(den.rejects),
        "set_aside_rows": [{"line": line, "reason": why} for line, why in den.rejects],
        "citation": citation.strip(),
    }


def not_in_data(con: duckdb.DuckDBPyConnection, table: str, dataset: str, den: Denominators) -> dict[str, list[str]]:
    """The denominators' group values the dataset never has (a spelling the data does not use
    would give a group no rate): reported, not refused, since a group may have no stops."""
    out: dict[str, list[str]] = {}
    for i, c in enumerate(den.columns):
        try:
            have = {
                str(v)
                for (v,) in con.execute(
                    f'SELECT DISTINCT "{c}" FROM {table} WHERE dataset = ? AND "{c}" IS NOT NULL', [dataset]
                ).fetchall()
            }
        except duckdb.Error:
            return {}
        missing = sorted({values[i] for values, _ in den.rows} - have)
        if missing:
            out[c] = missing
    return out


def _key(values: list[Any]) -> str:
    return orjson.dumps([str(v) for v in values]).decode()


def _exists(con: duckdb.DuckDBPyConnection) -> bool:
    found = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'populations'").fetchone()
    return bool(found and found[0])


def listed(con: duckdb.DuckDBPyConnection, dataset: str | None = None) -> list[dict[str, Any]]:
    """The denominators in the store: dataset, grouping, years, groups and citation."""
    if not _exists(con):
        return []
    rows = con.execute(
        """SELECT dataset, columns, list(DISTINCT year ORDER BY year) FILTER (WHERE year IS NOT NULL), count(*),
                  any_value(citation), any_value(file), max(imported_at)
           FROM populations WHERE ? IS NULL OR dataset = ? GROUP BY dataset, columns ORDER BY dataset, columns""",
        [dataset, dataset],
    ).fetchall()
    return [
        {
            "dataset": d,
            "columns": [c for c in cols.split(",") if c],
            "years": years or [],
            "groups": n,
            "citation": cite,
            "file": f,
            "imported_at": at.isoformat() + "Z",
        }
        for d, cols, years, n, cite, f, at in rows
    ]


def one_year(where: list[str]) -> int | None:
    """The single year a selection is filtered to (``year=Y``, or ``year>=Y`` with ``year<=Y``)."""
    exact: set[int] = set()
    lo: int | None = None
    hi: int | None = None
    for clause in where:
        m = re.match(r"^\s*year\s*(>=|<=|=)\s*(\d{4})\s*$", clause)
        if not m:
            continue
        op, y = m.group(1), int(m.group(2))
        if op == "=":
            exact.add(y)
        elif op == ">=":
            lo = y if lo is None else max(lo, y)
        else:
            hi = y if hi is None else min(hi, y)
    if len(exact) == 1:
        return next(iter(exact))
    if lo is not None and lo == hi:
        return lo
    return None


def _nearest(years: dict[int | None, int], year: int | None) -> tuple[int | None, int] | None:
    """The count for ``year``: its own, else the latest before it, else the earliest after it; a
    count without a year serves every year."""
    if None in years:
        return None, years[None]
    if year is None or not years:
        return None
    before = [y for y in years if y is not None and y <= year]
    after = [y for y in years if y is not None and y > year]
    chosen = max(before) if before else min(after)  # type: ignore[type-var]
    return chosen, years[chosen]


def attach(
    con: duckdb.DuckDBPyConnection,
    result: dict[str, Any],
    unit: str,
    where_columns: set[str],
) -> None:
    """Add each group's residents and its ``unit`` per 1,000 residents to a summary (in place),
    when the store has denominators for exactly the summary's grouping of its one dataset and
    the summary covers one year at a time. ``result["population"]`` says which denominators were
    used, or ``result["population_note"]`` why none could be."""
    result["population"] = None
    result["population_note"] = None
    names = result["datasets"]
    if len(names) != 1 or not _exists(con):
        return
    dataset = names[0]
    cols = [c for c in result["by"] if c != YEAR]
    by_year = YEAR in result["by"]
    columns = ",".join(sorted(cols))
    rows = con.execute(
        "SELECT key, year, population, citation, file FROM populations WHERE dataset = ? AND columns = ?",
        [dataset, columns],
    ).fetchall()
    if not rows:
        if listed(con, dataset):
            result["population_note"] = "other_grouping"
        return
    year = one_year(result["where"])
    if not by_year and year is None:
        result["population_note"] = "one_year"
        return
    counts: dict[str, dict[int | None, int]] = {}
    for key, y, n, _, _ in rows:
        counts.setdefault(key, {})[y] = int(n)
    order = sorted(cols)
    for g in result["groups"]:
        _per(
            g,
            unit,
            counts.get(_key([g.get(c) for c in order])) if all(g.get(c) is not None for c in order) else None,
            g.get(YEAR) if by_year else year,
        )
    total = result["total"]
    if by_year or where_columns & set(cols):
        _per(total, unit, None, None)  # the total spans several years, or only some of the groups
    else:
        years: dict[int | None, int] = {}
        for per_key in counts.values():
            for y, n in per_key.items():
                years[y] = years.get(y, 0) + n
        # a year's total counts only when every group has a count for that year
        whole = {y: n for y, n in years.items() if all(y in k for k in counts.values())}
        _per(total, unit, whole or None, year)
    result["population"] = {
        "columns": cols,
        "years": sorted({y for _, y, _, _, _ in rows if y is not None}),
        "citation": rows[0][3],
        "file": rows[0][4],
        "scale": SCALE,
    }


def _per(g: dict[str, Any], unit: str, years: dict[int | None, int] | None, year: int | None) -> None:
    g[POPULATION] = None
    g[f"{POPULATION}_year"] = None
    g[RATE] = None
    g[f"{RATE}_ci"] = None
    if years is None:
        return
    found = _nearest(years, year)
    if found is None:
        return
    used, n = found
    g[POPULATION] = n
    g[f"{POPULATION}_year"] = used
    if g.get("suppressed") or g.get(unit) is None:
        return  # a withheld group's rate would give its count away
    r = per(int(g[unit]), n, SCALE)
    if r is not None:
        g[RATE] = round(r[0], 4)
        g[f"{RATE}_ci"] = [round(r[1], 4), round(r[2], 4)]
