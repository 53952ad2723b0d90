"""Summaries: counts and rates by group, each rate with its Wilson 95% interval, small groups
suppressed. The same functions serve the command line, the JSON API and the pages.

stops: one row per stop.
    stops        stops in the group
    frisks       stops with a frisk
    arrests      stops with an arrest
    weapon_found frisked stops in which a weapon was found
    frisk_rate = frisks / stops, arrest_rate = arrests / stops whose arrest is known,
    weapon_found_rate = weapon_found / frisks (the "hit rate" of frisks)
force: one row per subject per incident (a use of force on a person).
    uses, incidents, level_1, level_2, level_3 (includes Level 3 - OIS), ois,
    level_2_3_rate = (level_2 + level_3) / uses
shootings: one row per shooting (the export's rows, one per officer, folded together).
    shootings        shootings in the group
    fatal_shootings  shootings that were fatal (the flag ``fatal``)
    subject_armed    shootings in which the person shot at had a weapon (``subject_weapon``)
    officer_injured  shootings in which an officer was injured
    officers         officers involved, summed over the shootings (``n_officers``)
    subjects         people shot at, summed over the shootings (``n_subjects``)
    fatal_rate = fatal_shootings / shootings, subject_weapon_rate = subject_armed / shootings
    A shooting whose flag is unknown counts as a shooting, not as fatal (armed, injured).
    The counts are not named after the flags, which are group columns too.

Pure Python + DuckDB: imports no Django.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import duckdb

from oversight.publicdata import population
from oversight.publicdata.kinds import FORCE, KINDS, SHOOTINGS, STOPS
from oversight.publicdata.mapping import NAME_RE
from oversight.publicdata.stats import rate, wilson
from oversight.publicdata.store import StoreError, column_types, datasets

UNKNOWN = "(unknown)"
WHERE_RE = re.compile(r"^\s*([a-z_][a-z0-9_]*)\s*(!=|>=|<=|=|>|<)\s*(.*?)\s*$")
TRUE = {"y", "yes", "true", "1"}
FALSE = {"n", "no", "false", "0"}


class QueryError(ValueError):
    """A summary that cannot be made as asked; the message names the bad option and value."""


@dataclass(frozen=True)
class Measure:
    table: str
    unit: str  # the count column: stops, uses
    counts: tuple[tuple[str, str], ...]  # (name, SQL aggregate)
    rates: tuple[tuple[str, str, str], ...]  # (name, numerator, denominator)
    group_columns: tuple[str, ...]  # the columns to filter by; to group by, those not named as a count
    rollup: str = ""  # a table of the counts per combination of the group columns (kinds.Kind.rollup)
    rollup_columns: tuple[str, ...] = ()  # the group columns it keeps
    date_column: str = ""  # what a date range filters on
    more_filters: tuple[str, ...] = ()  # other columns a --where may name
    sources: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (count, the fields it needs: else "no data")
    # (count, the count of records where its field is known): none known is "no data", not 0
    known: tuple[tuple[str, str], ...] = ()
    # For data published only in aggregate: the columns its finest table has.
    cube: tuple[str, ...] = ("year",)
    # Whether small groups are withheld. Not for shootings: each is listed on the page, as the
    # department publishes it, so a withheld year would hide nothing and contradict the list.
    withhold: bool = True

    @property
    def helpers(self) -> frozenset[str]:
        """Counts the pages do not show as columns (a rate's own numerator, the records whose field
        is known): the rates read them; the downloads carry the latter."""
        return frozenset({"level_2_3", *(k for _, k in self.known)})

    @property
    def filter_columns(self) -> tuple[str, ...]:
        date = (self.date_column,) if self.date_column else ()
        return (*self.group_columns, *date, *self.more_filters, "dataset")

    @property
    def by_columns(self) -> tuple[str, ...]:
        counts = {name for name, _ in self.counts}
        return tuple(c for c in self.group_columns if c not in counts)


MEASURES = {
    "stops": Measure(
        table=STOPS.table,
        unit="stops",
        counts=(
            ("stops", "count(*)"),
            ("frisks", "count(*) FILTER (WHERE frisk)"),
            ("arrests", "count(*) FILTER (WHERE arrest)"),
            # stops whose arrest is known: an export's flag may say nothing in some years (missing_when)
            ("arrest_known", "count(*) FILTER (WHERE arrest IS NOT NULL)"),
            ("weapon_found", "count(*) FILTER (WHERE frisk AND weapon_found)"),
            ("searches", "count(*) FILTER (WHERE search_conducted)"),
            ("search_hits", "count(*) FILTER (WHERE search_conducted AND contraband_found)"),
            ("citations", "count(*) FILTER (WHERE citation_issued)"),
            ("warnings", "count(*) FILTER (WHERE warning_issued)"),
        ),
        rates=(
            ("frisk_rate", "frisks", "stops"),
            ("arrest_rate", "arrests", "arrest_known"),
            ("weapon_found_rate", "weapon_found", "frisks"),
            ("search_rate", "searches", "stops"),
            ("search_hit_rate", "search_hits", "searches"),
            ("citation_rate", "citations", "stops"),
            ("warning_rate", "warnings", "stops"),
        ),
        group_columns=STOPS.group_columns,
        rollup=STOPS.rollup_table,
        rollup_columns=STOPS.rollup_columns,
        date_column=STOPS.date_column,
        more_filters=("reported_date", "date"),
        sources=STOPS.sources,
        known=(("arrests", "arrest_known"),),
        cube=("year", "precinct", "subject_race", "subject_gender", "subject_age_group", "type"),
    ),
    "force": Measure(
        table=FORCE.extra_table,
        unit="uses",
        counts=(
            ("uses", "count(*)"),
            ("incidents", "count(DISTINCT incident_id)"),
            ("level_1", "count(*) FILTER (WHERE level = 'Level 1')"),
            ("level_2", "count(*) FILTER (WHERE level = 'Level 2')"),
            ("level_3", "count(*) FILTER (WHERE level LIKE 'Level 3%')"),
            ("ois", "count(*) FILTER (WHERE level = 'Level 3 - OIS')"),
            ("level_2_3", "count(*) FILTER (WHERE level = 'Level 2' OR level LIKE 'Level 3%')"),
        ),
        rates=(("level_2_3_rate", "level_2_3", "uses"),),
        group_columns=FORCE.group_columns,
        cube=("year", "precinct", "level", "subject_race", "subject_gender"),
        date_column=FORCE.date_column,
    ),
    "shootings": Measure(
        table=SHOOTINGS.table,
        unit="shootings",
        counts=(
            ("shootings", "count(*)"),
            ("fatal_shootings", "count(*) FILTER (WHERE fatal)"),
            ("subject_armed", "count(*) FILTER (WHERE subject_weapon)"),
            ("officer_injured", "count(*) FILTER (WHERE officer_injured)"),
            ("officers", "coalesce(sum(n_officers), 0)"),
            ("subjects", "coalesce(sum(n_subjects), 0)"),
        ),
        rates=(
            ("fatal_rate", "fatal_shootings", "shootings"),
            ("subject_weapon_rate", "subject_armed", "shootings"),
        ),
        group_columns=SHOOTINGS.group_columns,
        date_column=SHOOTINGS.date_column,
        withhold=False,
    ),
}


def _types(kind: str) -> dict[str, str]:
    t = column_types(KINDS[kind])
    t["dataset"] = "text"
    return t


def parse_by(kind: str, by: str | list[str] | None) -> list[str]:
    m = MEASURES[kind]
    if by is None or by == "" or by == []:
        return []
    cols = [c.strip() for c in (by.split(",") if isinstance(by, str) else by) if c.strip()]
    allowed = (*m.by_columns, "dataset")
    for c in cols:
        if c in m.group_columns and c not in allowed:
            raise QueryError(
                f"--by: {c!r} is a count of the summary, not a column to group {kind} by; filter with --where {c}=yes"
            )
        if c not in allowed:
            raise QueryError(f"--by: {c!r} is not a column to group {kind} by; choose from {', '.join(allowed)}")
    if len(set(cols)) != len(cols):
        raise QueryError(f"--by: a column is named twice in {','.join(cols)}")
    return cols


def parse_where(kind: str, clauses: list[str]) -> tuple[list[str], list[Any]]:
    """``COL=V``, ``COL=V1|V2``, ``COL!=V``, ``COL>=V`` ... ; ``(unknown)`` stands for a missing value."""
    m = MEASURES[kind]
    types = _types(kind)
    allowed = m.filter_columns
    sql: list[str] = []
    params: list[Any] = []
    for clause in clauses:
        mt = WHERE_RE.match(clause)
        if not mt:
            raise QueryError(f"--where: {clause!r} is not COLUMN=VALUE (or !=, >=, <=, >, <)")
        col, op, value = mt.groups()
        if col not in allowed:
            raise QueryError(f"--where: {col!r} is not a column of {kind}; choose from {', '.join(allowed)}")
        values = value.split("|") if op in ("=", "!=") else [value]
        typ = types[col]
        known: list[Any] = []
        has_unknown = False
        for v in values:
            if v == UNKNOWN:
                if op not in ("=", "!="):
                    raise QueryError(f"--where: {clause!r}: {UNKNOWN} goes only with = or !=")
                has_unknown = True
                continue
            known.append(_value(clause, typ, v))
        parts = []
        if known:
            if op in ("=", "!="):
                marks = ", ".join("?" for _ in known)
                parts.append(f'"{col}" {"IN" if op == "=" else "NOT IN"} ({marks})')
            else:
                if typ not in ("int", "date", "float", "text") or (typ == "text" and col != "month"):
                    raise QueryError(f"--where: {clause!r}: {op} needs a number or date column; {col} is {typ}")
                parts.append(f'"{col}" {op} ?')
            params.extend(known)
        if op == "=":
            if has_unknown:
                parts.append(f'"{col}" IS NULL')
            sql.append("(" + " OR ".join(parts) + ")")
        else:
            if has_unknown:
                parts.append(f'"{col}" IS NOT NULL')
            elif op == "!=":
                # "not East" keeps the stops whose precinct is unknown: they are not East either.
                parts = [f'({parts[0]} OR "{col}" IS NULL)']
            sql.append("(" + " AND ".join(parts) + ")")
    return sql, params


def _value(clause: str, typ: str, v: str) -> Any:
    if typ == "date":
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            raise QueryError(f"--where: {clause!r}: {v!r} is not a date like 2021-06-30") from None
    if typ == "int":
        try:
            return int(v)
        except ValueError:
            raise QueryError(f"--where: {clause!r}: {v!r} is not a whole number") from None
    if typ == "flag":
        if v.lower() in TRUE:
            return True
        if v.lower() in FALSE:
            return False
        raise QueryError(f"--where: {clause!r}: {v!r} is not yes or no")
    return v


def source(
    con: duckdb.DuckDBPyConnection, m: Measure, use_rollup: bool = True, columns: Iterable[str] = ()
) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Where a summary reads: the rollup, adding up its counts, when the store has one and it
    keeps every column the summary filters or groups by; else the table itself."""
    if m.rollup and use_rollup and set(columns) <= {*m.rollup_columns, "dataset"}:
        found = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [m.rollup]).fetchone()
        if found and found[0]:
            return m.rollup, tuple((name, f"coalesce(sum(n_{name}), 0)") for name, _ in m.counts)
    return m.table, m.counts


def summarize(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    by: str | list[str] | None = None,
    where: list[str] | None = None,
    dataset: str | None = None,
    min_cell: int = 5,
    use_rollup: bool = True,
) -> dict[str, Any]:
    """Counts and rates by group, with Wilson 95% intervals; a group of fewer than ``min_cell``
    units has its numbers withheld (``suppressed``: true). ``use_rollup=False`` reads every
    record even where the store keeps a rollup (the benchmark compares the two)."""
    if kind not in MEASURES:
        raise QueryError(f"no summary for {kind!r}; kinds: {', '.join(MEASURES)}")
    m = MEASURES[kind]
    profile_min_cell = min_cell
    if not m.withhold:
        min_cell = 0
    cols = parse_by(kind, by)
    clauses = list(where or [])
    chosen = choose_datasets(con, kind, dataset)
    if dataset and dataset != ALL:
        clauses.append(f"dataset={dataset}")
    conds, params = parse_where(kind, clauses)
    where_sql = ("WHERE " + " AND ".join(conds)) if conds else ""
    used = [*cols, *(WHERE_RE.match(c).group(1) for c in clauses)]  # type: ignore[union-attr]
    aggregate = any(d["report"].get("disclosure") == "aggregate" for d in chosen) and m.withhold
    withheld_cells = 0
    if aggregate:
        table, counts, withheld_cells = _published_cells(con, m, chosen, used, min_cell, use_rollup)
    else:
        table, counts = source(con, m, use_rollup, used)
    aggs = ", ".join(f"{sql} AS {name}" for name, sql in counts)
    sel = ", ".join(f'"{c}"' for c in cols)
    # One pass for the groups and the total: GROUPING SETS, the total being the empty set.
    if cols:
        query = (
            f"SELECT {sel}, {aggs}, grouping({sel}) = 0 AS is_group FROM {table} {where_sql} "
            f"GROUP BY GROUPING SETS (({sel}), ())"
        )
    else:
        query = f"SELECT {aggs}, false AS is_group FROM {table} {where_sql}"
    try:
        result = con.execute(query, params).fetchall()
    except duckdb.CatalogException:
        raise StoreError(f"no {kind} imported yet (run `oversight import {kind} ...`)") from None
    n = len(cols)
    total = next(r[n:-1] for r in result if not r[-1])
    rows = sorted((r[:-1] for r in result if r[-1]), key=lambda r: tuple((v is None, v) for v in r[:n]))
    if not cols:
        rows = [total]
    names = [n for n, _ in m.counts]
    groups = [
        _row(m, dict(zip(cols, r[: len(cols)], strict=True)), dict(zip(names, r[len(cols) :], strict=True)), min_cell)
        for r in rows
    ]
    if cols and not aggregate:
        complement(m, groups)
    total_row = _row(m, {}, dict(zip(names, total or (), strict=True)), min_cell)
    missing = no_data(m, chosen)
    for g in [*groups, total_row]:
        _blank(m, g, missing)
    result = {
        "kind": kind,
        "dataset": dataset,
        "datasets": [d["dataset"] for d in chosen],
        "empty": not int((dict(zip(names, total or (), strict=True)).get(m.unit)) or 0),
        "no_data": sorted(missing - m.helpers),
        "field_caveats": mapping_caveats(m, chosen, [*cols, *(c for c, _ in m.sources if c not in missing)]),
        "by": cols,
        "where": list(where or []),
        "min_cell": profile_min_cell,
        "withholds": m.withhold,
        "aggregate_only": aggregate,
        # aggregate-only data: the small cells of the finest table, left out of every number
        "withheld_cells": withheld_cells if aggregate else None,
        "confidence": 0.95,
        "interval": "wilson",
        "groups": groups,
        "total": total_row,
    }
    population.attach(con, result, m.unit, {c for c in used[len(cols) :] if c != "dataset"})
    return result


ALL = "all"  # --dataset all: every dataset of the kind, pooled on purpose


def _published_cells(
    con: duckdb.DuckDBPyConnection,
    m: Measure,
    chosen: list[dict[str, Any]],
    used: list[str],
    min_cell: int,
    use_rollup: bool,
) -> tuple[str, tuple[tuple[str, str], ...], int]:
    """For data published only in aggregate: the finest table a person may ask for (``cube``,
    by dataset), its cells of fewer than ``min_cell`` units dropped. Every number shown is then
    a sum of cells that are shown in full, so no two tables, however filtered, can be subtracted
    to give a withheld cell away: it is in neither. Returns the cells as a table to summarise
    from, the counts over it, and how many cells were withheld."""
    allowed = {*m.cube, "dataset"}
    bad = [c for c in used if c not in allowed]
    if bad:
        raise QueryError(
            f"--by/--where: this dataset is published only as counts, which may be grouped or filtered by "
            f"{', '.join(m.cube)} only, not by {', '.join(dict.fromkeys(bad))}"
        )
    table, counts = source(con, m, use_rollup, list(m.cube))
    names = ", ".join(f'"{c}"' for c in ("dataset", *m.cube))
    aggs = ", ".join(f"{sql} AS {name}" for name, sql in counts)
    # dataset names are checked names (lower-case letters, digits, dashes): safe as literals
    names_in = ", ".join("'" + d["dataset"] + "'" for d in chosen if NAME_RE.match(d["dataset"])) or "NULL"
    cells = f"SELECT {names}, {aggs} FROM {table} WHERE dataset IN ({names_in}) GROUP BY ALL"
    n = con.execute(f"SELECT count(*) FROM ({cells}) WHERE {m.unit} < {int(min_cell)}").fetchone()
    shown = f"(SELECT * FROM ({cells}) WHERE {m.unit} >= {int(min_cell)}) AS published_cells"
    return shown, tuple((name, f"coalesce(sum({name}), 0)") for name, _ in counts), int(n[0]) if n else 0


def choose_datasets(con: duckdb.DuckDBPyConnection, kind: str, dataset: str | None) -> list[dict[str, Any]]:
    """The datasets a summary reads. Several datasets of one kind are never pooled silently:
    with more than one in the store, the caller names one, or ``all``."""
    have = datasets(con, kind)
    if dataset == ALL:
        return have
    if dataset:
        return [d for d in have if d["dataset"] == dataset]
    if len(have) > 1:
        names = ", ".join(d["dataset"] for d in have)
        raise QueryError(
            f"--dataset: the store has {len(have)} {kind} datasets ({names}); choose one, or 'all' to pool them"
        )
    return have


def no_data(m: Measure, chosen: list[dict[str, Any]]) -> set[str]:
    """The counts (and so the rates over them) that some chosen dataset has no source for:
    "no data", never 0. An import of an older version, without the list of fields, fed the
    fields the mappings of that version had to have."""
    out: set[str] = set()
    for count, needs in m.sources:
        for d in chosen:
            fields = d.get("report", {}).get("fields")
            if fields is None:
                fields = LEGACY_FIELDS  # an import made before the report listed its fields
            if not set(needs) <= set(fields):
                out.add(count)
    return out


# What every stops mapping had to feed before the fields became optional (version 1).
LEGACY_FIELDS = ("stop_id", "frisk", "arrest", "weapon_type")


def _blank(m: Measure, g: dict[str, Any], missing: set[str]) -> None:
    for name in missing:
        g[name] = None
    for name, num, den in m.rates:
        if num in missing or den in missing:
            g[name] = None
            g[f"{name}_ci"] = None


def mapping_caveats(m: Measure, chosen: list[dict[str, Any]], shown: list[str]) -> list[dict[str, str]]:
    """The mappings' warnings about the fields a summary shows (its groups and its counts)."""
    counts_fields = dict(m.sources)
    fields = set(shown)
    for c in shown:
        fields |= set(counts_fields.get(c, ()))
    out = []
    for d in chosen:
        for f, text in (d.get("report", {}).get("caveats") or {}).items():
            if f in fields:
                out.append({"dataset": d["dataset"], "field": f, "caveat": text})
    return out


def _row(m: Measure, keys: dict[str, Any], counts: dict[str, Any], min_cell: int) -> dict[str, Any]:
    out: dict[str, Any] = {k: _jsonable(v) for k, v in keys.items()}
    n = int(counts.get(m.unit) or 0)
    suppressed = n < min_cell
    shown = [name for name, _ in m.counts if name != "level_2_3"]
    for name in shown:
        out[name] = None if suppressed else int(counts[name] or 0)
    for name, num, den in m.rates:
        if suppressed:
            out[name] = None
            out[f"{name}_ci"] = None
            continue
        a, b = int(counts[num] or 0), int(counts[den] or 0)
        r = rate(a, b)
        ci = wilson(a, b)
        out[name] = None if r is None else round(r, 6)
        out[f"{name}_ci"] = None if ci is None else [round(ci[0], 6), round(ci[1], 6)]
    if not suppressed and n:
        for num, known in m.known:
            if not int(counts.get(known) or 0):
                out[num] = None
    out["suppressed"] = suppressed
    out["withheld_because"] = f"fewer than {min_cell}" if suppressed else None
    return out


COMPLEMENT = "so that a smaller withheld group cannot be worked out from the total"


def complement(m: Measure, groups: list[dict[str, Any]]) -> None:
    """With one group withheld, the total less the others would give it away: withhold the
    next smallest group too (complementary suppression)."""
    if sum(1 for g in groups if g["suppressed"]) != 1:
        return
    shown = [g for g in groups if not g["suppressed"]]
    if not shown:
        return
    g = min(shown, key=lambda x: x[m.unit])
    for name, _ in m.counts:
        if name in g:
            g[name] = None
    for name, _, _ in m.rates:
        g[name] = None
        g[f"{name}_ci"] = None
    g["suppressed"] = True
    g["withheld_because"] = COMPLEMENT


def _jsonable(v: Any) -> Any:
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def _header(result: dict[str, Any]) -> list[str]:
    """The flat columns: group columns, counts, each rate then its interval's low and high."""
    groups = result["groups"]
    header: list[str] = []
    for k in groups[0] if groups else result["total"]:
        header += [f"{k}_low", f"{k}_high"] if k.endswith("_ci") else [k]
    if not groups:
        header = [*result["by"], *[h for h in header if h not in result["by"]]]
    return header


def to_records(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The summary as flat records (each interval as ``<rate>_ci_low`` and ``_ci_high``, a
    missing value as None): what the Parquet download holds."""
    header = _header(result)
    out = []
    for g in result["groups"]:
        rec: dict[str, Any] = {}
        for k in header:
            if k.endswith("_ci_low") or k.endswith("_ci_high"):
                ci = g.get(k.rsplit("_", 1)[0])
                rec[k] = None if ci is None else ci[0 if k.endswith("_low") else 1]
            else:
                rec[k] = g.get(k)
        out.append(rec)
    return out


def to_csv_rows(result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The summary as a flat table (``to_records``), a missing value as an empty cell."""
    header = _header(result)
    return header, [["" if v is None else v for v in rec.values()] for rec in to_records(result)]
