"""Public-data benchmark: import throughput and faceted queries on DuckDB, pandas and PostgreSQL.

    .venv/bin/python benchmarks/publicdata_bench.py                  # 10,000,000 synthetic stops
    .venv/bin/python benchmarks/publicdata_bench.py --rows 1000000   # a smaller run
    .venv/bin/python benchmarks/publicdata_bench.py --quick          # the same as --rows 100000
    make bench-publicdata ROWS=1000000                               # the same, PostgreSQL started first

1. Generates a synthetic export in the Seattle Terry stops format with DuckDB SQL. When the
   real export is found (../shared/data/seattle_terry_stops_2023/Terry_Stops.csv, or --source)
   its stops are resampled whole, with replacement, so the joint distribution of race, gender,
   precinct, frisk, arrest, weapon type, placeholders ... is the file's; each drawn stop gets a
   fresh Terry Stop ID and a random day within its year. Without the file (or with --builtin),
   built-in distributions are used. The export's quirks are kept: a stop with more than one
   weapon type is repeated on extra rows (as often as in the source; the rows come in no
   particular order), placeholders are left as they are, and a few bad rows are planted (an
   unreadable date, a frisk flag that is neither yes nor no, a missing stop ID). What was planted
   is recorded, and the import report must agree (rows read, loaded, duplicates, set aside).
2. Imports it through the project's importer (importer.read_export, then store.write), timed.
3. Runs a fixed set of faceted queries (two-column filters, group by race and year, counts and
   rates with Wilson 95% intervals, groups under OVERSIGHT_MIN_CELL withheld), each with several
   filter values, side by side on: DuckDB through summary.summarize on a read-only connection
   to the store (what the app serves); pandas on the stored table's summary columns loaded into
   memory once; and PostgreSQL on the same standard table copied in (schema bench_publicdata,
   dropped at start and end; --pg-table narrow for the summary columns only). The three must
   give the same answers (the run fails loudly if not); then each query is timed --runs times
   per engine, the engines interleaved. Loading pandas and PostgreSQL is timed apart.
4. Writes machine, generation, import, per-query median and p95, ratios to DuckDB and the two
   targets (query p95 under 100 ms, import at least 200,000 rows/s, both at 10 million stops)
   to benchmarks/results/publicdata.json (or --out). Timings are measured here, never asserted
   in tests: a missed target is reported, not a failure. Exit 1 when a check failed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import orjson

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
REAL_TERRY = REPO.parent / "shared" / "data" / "seattle_terry_stops_2023" / "Terry_Stops.csv"
KEY = "benchmark-pseudonym-key-000000000000"
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/test")
PG_SCHEMA = "bench_publicdata"
MIN_CELL = 5  # OVERSIGHT_MIN_CELL's default: what the app serves
TARGET_P95_MS = 100.0
TARGET_IMPORT_ROWS_PER_S = 200_000
TARGET_ROWS = 10_000_000
BAD_EVERY = 10_000  # about one stop in this many gets a bad first row
FIRST_STOP_ID = 100_000_000_000  # longer than any real Terry Stop ID (at most 11 digits)

HEADER = [
    "Subject Age Group", "Subject ID", "GO / SC Num", "Terry Stop ID", "Stop Resolution", "Weapon Type",
    "Officer ID", "Officer YOB", "Officer Gender", "Officer Race", "Subject Perceived Race",
    "Subject Perceived Gender", "Reported Date", "Reported Time", "Initial Call Type", "Final Call Type",
    "Call Type", "Officer Squad", "Arrest Flag", "Frisk Flag", "Precinct", "Sector", "Beat",
]  # fmt: skip
DATE_FORMATS = ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d")
# What is planted: kind -> (column, value). The Terry Stop ID "-" is a placeholder, so the
# required key is missing.
BAD_KINDS = {1: ("Reported Date", "not a date"), 2: ("Frisk Flag", "Maybe"), 3: ("Terry Stop ID", "-")}

# Built-in distributions, used when the real export is not there: (value, weight). Close to the
# 2015-2023 export's marginals, but independent of one another (the real file keeps the joint).
BUILTIN: dict[str, list[tuple[str, int]]] = {
    "Subject Age Group": [("1 - 17", 3), ("18 - 25", 19), ("26 - 35", 33), ("36 - 45", 22), ("46 - 55", 13),
                          ("56 and Above", 5), ("-", 5)],
    "Stop Resolution": [("Field Contact", 50), ("Offense Report", 28), ("Arrest", 19),
                        ("Referred for Prosecution", 2), ("Citation / Infraction", 1)],
    "Weapon Type": [("None", 56), ("-", 38), ("Lethal Cutting Instrument", 3),
                    ("Knife/Cutting/Stabbing Instrument", 2), ("Handgun", 1)],
    "Officer YOB": [("1900", 2)] + [(str(y), 3) for y in range(1955, 2001)],
    "Officer Gender": [("M", 86), ("F", 13), ("N", 1)],
    "Officer Race": [("White", 70), ("Asian", 8), ("Hispanic or Latino", 7), ("Black or African American", 6),
                     ("Two or More Races", 4), ("Not Specified", 4), ("Unknown", 1)],
    "Subject Perceived Race": [("White", 490), ("Black or African American", 299), ("Unknown", 70),
                               ("Asian", 34), ("-", 31), ("Hispanic", 29), ("American Indian or Alaska Native", 27),
                               ("Multi-Racial", 14), ("Other", 3), ("Native Hawaiian or Other Pacific Islander", 2)],
    "Subject Perceived Gender": [("Male", 789), ("Female", 199), ("Unable to Determine", 6), ("-", 4),
                                 ("Unknown", 1), ("Gender Diverse (gender non-conforming and/or transgender)", 1)],
    "Initial Call Type": [("-", 30), ("SUSPICIOUS PERSON, VEHICLE OR INCIDENT", 20),
                          ("DISTURBANCE, MISCELLANEOUS/OTHER", 10), ("ASLT - WITH OR W/O WEAPONS (NO SHOOTINGS)", 8),
                          ("THEFT (DOES NOT INCLUDE SHOPLIFT OR SVCS)", 6), ("TRESPASS", 6),
                          ("WARRANT - FELONY, MISD", 4)],
    "Final Call Type": [("-", 30), ("--SUSPICIOUS CIRCUM. - SUSPICIOUS PERSON", 18), ("--DISTURBANCE - OTHER", 10),
                        ("--ASSAULTS, OTHER", 8), ("--THEFT - ALL OTHER", 6), ("--PROWLER - TRESPASS", 6),
                        ("--WARRANT SERVICES - FELONY", 4)],
    "Call Type": [("911", 45), ("ONVIEW", 25), ("-", 20), ("TELEPHONE OTHER, NOT 911", 9),
                  ("ALARM CALL (NOT POLICE ALARM)", 1)],
    "Officer Squad": [("WEST PCT 1ST W - DAVID - PLATOON 1", 5), ("NORTH PCT 2ND W - BOY (JOHN) - PLATOON 1", 4),
                      ("EAST PCT 3RD W - E/G RELIEF", 3), ("SOUTH PCT 1ST W - ROBERT", 3),
                      ("SOUTHWEST PCT 2ND WATCH - F/W RELIEF", 2), ("TRAINING - FIELD TRAINING SQUAD", 3)],
    "Arrest Flag": [("N", 896), ("Y", 104)],
    "Frisk Flag": [("N", 755), ("Y", 236), ("-", 9)],
    "Precinct": [("West", 269), ("North", 215), ("-", 180), ("East", 133), ("South", 120), ("Southwest", 78),
                 ("Unknown", 4), ("OOJ", 1)],
}  # fmt: skip
SECTORS = {"West": "DKMQ", "North": "BJLNU", "East": "CEG", "South": "ORS", "Southwest": "FW"}
REPEAT_WEAPONS = ["Lethal Cutting Instrument", "Handgun", "Knife/Cutting/Stabbing Instrument", "Firearm Other"]


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def lit(v: Any) -> str:
    """A SQL literal."""
    if isinstance(v, str):
        return "'" + v.replace("'", "''") + "'"
    return str(v)


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# ------------------------------------------------------------------ 1. the synthetic export


def _builtin_source(con: duckdb.DuckDBPyConnection, units: int, seed: int) -> None:
    """The source table (u, k, the 23 columns) from the built-in distributions."""

    def pick(col: str, salt: int) -> str:
        values = [v for v, w in BUILTIN[col] for _ in range(w)]
        return (
            f"list_extract([{', '.join(lit(v) for v in values)}], 1 + (hash(u, {seed}, {salt}) % {len(values)})::INT)"
        )

    sectors = ", ".join(f"({lit(p)}, [{', '.join(lit(s) for s in ss)}])" for p, ss in SECTORS.items())
    exprs = {
        "Subject ID": f"CASE WHEN hash(u, {seed}, 1) % 10 < 6 THEN '-1' "
        f"ELSE (7000000000 + hash(u, {seed}, 2) % 2999999999)::VARCHAR END",
        "GO / SC Num": f"(20150000000000 + hash(u, {seed}, 3) % 999999999)::VARCHAR",
        "Terry Stop ID": "(1000000 + u)::VARCHAR",
        "Officer ID": f"(4000 + hash(u, {seed}, 4) % 5000)::VARCHAR",
        "Reported Date": f"strftime(DATE '2015-03-15' + (hash(u, {seed}, 5) % 3180)::INT, '%Y-%m-%dT00:00:00Z')",
        "Reported Time": f"lpad((hash(u, {seed}, 6) % 24)::VARCHAR, 2, '0') || ':' "
        f"|| lpad((hash(u, {seed}, 7) % 60)::VARCHAR, 2, '0') || ':00.0000000'",
        "Sector": f"CASE WHEN p.sec IS NULL THEN '-' "
        f"ELSE list_extract(p.sec, 1 + (hash(u, {seed}, 8) % len(p.sec))::INT) END",
    }
    for i, col in enumerate(BUILTIN):
        exprs[col] = pick(col, 100 + i)
    body = ", ".join(f"{exprs[c]} AS {ident(c)}" for c in HEADER if c not in ("Sector", "Beat"))
    con.execute(
        f"""CREATE TEMP TABLE base AS
            SELECT u, {body} FROM range({units}) t(u)"""
    )
    con.execute(
        f"""CREATE TEMP TABLE base2 AS
            SELECT b.*, {exprs["Sector"]} AS "Sector"
            FROM base b LEFT JOIN (VALUES {sectors}) p(pct, sec) ON b."Precinct" = p.pct"""
    )
    cols = ", ".join(ident(c) for c in HEADER if c not in ("Weapon Type", "Beat"))
    repeat = f"[{', '.join(lit(w) for w in REPEAT_WEAPONS)}]"
    con.execute(
        f"""CREATE TEMP TABLE src AS
            WITH one AS (
                SELECT u, 0 AS k, {cols}, "Weapon Type" FROM base2
                UNION ALL  -- about 0.15% of stops come again on a row with another weapon type
                SELECT u, 1 AS k, {cols},
                       list_extract({repeat}, 1 + (hash(u, {seed}, 9) % {len(REPEAT_WEAPONS)})::INT)
                FROM base2 WHERE hash(u, {seed}, 10) % 10000 < 15)
            SELECT u, k, {", ".join(ident(c) for c in HEADER if c != "Beat")},
                   CASE WHEN "Sector" = '-' THEN '-'
                        ELSE "Sector" || (1 + hash(u, {seed}, 11) % 3)::VARCHAR END AS "Beat"
            FROM one"""
    )
    con.execute("DROP TABLE base")
    con.execute("DROP TABLE base2")


def _real_source(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """The source table (u, k, the 23 columns): the real export's rows, u numbering its stops."""
    p = lit(str(path))
    con.execute(
        f"""CREATE TEMP TABLE raw AS
            SELECT row_number() OVER () AS line, *
            FROM read_csv({p}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')"""
    )
    got = [r[0] for r in con.execute("DESCRIBE raw").fetchall()][1:]
    missing = [c for c in HEADER if c not in got]
    if missing:
        raise SystemExit(f"FAIL: {path}: not the Terry stops export: no column(s) {', '.join(missing)}")
    cols = ", ".join(ident(c) for c in HEADER)
    con.execute(
        f"""CREATE TEMP TABLE src AS
            SELECT (dense_rank() OVER (ORDER BY "Terry Stop ID") - 1)::BIGINT AS u,
                   (row_number() OVER (PARTITION BY "Terry Stop ID" ORDER BY line) - 1)::BIGINT AS k, {cols}
            FROM raw"""
    )
    con.execute("DROP TABLE raw")


def generate(path: Path, rows: int, seed: int, source: Path | None, mapping: Any) -> dict[str, Any]:
    """Write a Terry-format export of exactly ``rows`` rows; return what was planted in it."""
    con = duckdb.connect(config={"memory_limit": "4GB", "temp_directory": str(path.parent / "duckdb_tmp")})
    try:
        if source is not None:
            _real_source(con, source)
            origin = {"distributions": "resampled from the real export", "file": str(source)}
        else:
            _builtin_source(con, 60_000, seed)
            origin = {"distributions": "built in (the real export was not used)"}
        src_rows, src_stops = con.execute("SELECT count(*), count(DISTINCT u) FROM src").fetchall()[0]
        origin.update({"source_rows": src_rows, "source_stops": src_stops})
        date = " , ".join(f'try_strptime("Reported Date", {lit(f)})' for f in DATE_FORMATS)
        # One date per stop (its rows agree); the spread keeps each stop in its year.
        con.execute(
            f"""CREATE TEMP TABLE units AS
                SELECT u, count(*) AS nk, year(min(coalesce({date}))::DATE) AS y FROM src GROUP BY u"""
        )
        con.execute(
            f"""CREATE TEMP TABLE years AS
                SELECT year(d) AS y, min(d) AS dmin, max(d) AS dmax
                FROM (SELECT coalesce({date})::DATE AS d FROM src) WHERE d IS NOT NULL GROUP BY 1"""
        )
        per_stop = src_rows / src_stops
        draws = int(rows / per_stop * 1.02) + 1000
        while True:
            con.execute(
                f"""CREATE OR REPLACE TEMP TABLE pick AS
                    SELECT i, u, nk, y, sum(nk) OVER (ORDER BY i) - nk AS first_row
                    FROM (SELECT i, hash(i, {seed}) % {src_stops} AS u FROM range({draws}) t(i))
                    JOIN units USING (u)
                    QUALIFY first_row < {rows}"""
            )
            have = con.execute("SELECT max(first_row + nk) FROM pick").fetchall()[0][0]
            if have is not None and have >= rows:
                break
            draws = int(draws * 1.1) + 1000
        # Which drawn stop each row comes from, and which rows are planted bad (only a stop's first
        # row: when the stop has more rows, it is still loaded from those).
        con.execute(
            f"""CREATE TEMP TABLE keys AS
                SELECT p.i, p.u, s.k, p.y, CASE WHEN s.k = 0 AND hash(p.i, {seed}, 1) % {BAD_EVERY} = 0
                                                THEN 1 + hash(p.i, {seed}, 2) % {len(BAD_KINDS)} ELSE 0 END AS bad
                FROM pick p JOIN (SELECT u, k FROM src) s USING (u)
                WHERE p.first_row + s.k < {rows}
                ORDER BY p.i, s.k"""
        )
        over: dict[str, str] = {
            "Terry Stop ID": f"(r.i + {FIRST_STOP_ID})::VARCHAR",
            "Reported Date": f"""CASE WHEN yr.y IS NULL THEN s."Reported Date" ELSE strftime(
                yr.dmin + (hash(r.i, {seed}, 3) % (yr.dmax - yr.dmin + 1))::INT, '%Y-%m-%dT00:00:00Z') END""",
        }
        for kind, (col, value) in BAD_KINDS.items():
            over[col] = f"CASE WHEN r.bad = {kind} THEN {lit(value)} ELSE {over.get(col, 's.' + ident(col))} END"
        cols = ", ".join(f"{over.get(c, 's.' + ident(c))} AS {ident(c)}" for c in HEADER)
        # Streamed to the file; the rows of a stop need not be next to each other.
        con.execute(
            f"""COPY (SELECT {cols} FROM keys r JOIN src s USING (u, k) LEFT JOIN years yr ON yr.y = r.y)
                TO {lit(str(path))} (HEADER)"""
        )
        # What the import report must say (every source row is taken to be one the importer keeps,
        # as in the 2023 export). Every good row carries its drawn stop's fresh ID.
        total, bad, loaded, stops = con.execute(
            """SELECT count(*), count(*) FILTER (WHERE bad > 0), count(DISTINCT i) FILTER (WHERE bad = 0),
                      count(DISTINCT i) FROM keys"""
        ).fetchall()[0]
        by_kind = dict(con.execute("SELECT bad, count(*) FROM keys WHERE bad > 0 GROUP BY 1 ORDER BY 1").fetchall())
        # Placeholders left as they came, among the rows that will be loaded, per mapped field: each
        # source row counted as often as it was drawn. The fresh IDs and the spread dates are never
        # placeholders; a stop whose date could not be read keeps it.
        value = {c: "s." + ident(c) for c in HEADER}
        value["Terry Stop ID"] = "'0'"
        value["Reported Date"] = """CASE WHEN w.y IS NULL THEN s."Reported Date" ELSE '2000-01-01' END"""
        sums = []
        for fm in mapping.fields:
            phs = ", ".join(lit(v) for v in sorted(fm.placeholders)) or "NULL"
            v = value[fm.column]
            sums.append(f"coalesce(sum(w.n) FILTER (WHERE coalesce(trim({v}), '') = '' OR trim({v}) IN ({phs})), 0)")
        counts = con.execute(
            f"""SELECT {", ".join(sums)}
                FROM (SELECT u, k, y, count(*) AS n FROM keys WHERE bad = 0 GROUP BY ALL) w JOIN src s USING (u, k)"""
        ).fetchall()[0]
        unknowns = {fm.field.name: int(n) for fm, n in zip(mapping.fields, counts, strict=True) if n}
    finally:
        con.close()
    assert total == rows, (total, rows)
    return {
        **origin,
        "rows": total,
        "stops": stops,
        "repeated_rows": total - stops,
        "bad_rows": bad,
        "bad_rows_by_kind": {f"{BAD_KINDS[k][0]} = {BAD_KINDS[k][1]!r}": n for k, n in by_kind.items()},
        "placeholder_rows_by_field": unknowns,
        "expected_report": {"rows_read": total, "loaded": loaded, "duplicates": total - bad - loaded, "set_aside": bad},
    }


# ------------------------------------------------------------------ 3. the queries


@dataclass(frozen=True)
class Query:
    name: str
    what: str
    by: tuple[str, ...]
    filters: tuple[tuple[str, str], ...]  # (column, operator): "=" or ">="
    params: tuple[tuple[Any, ...], ...]  # one value per filter, for each run (cycled)

    def where(self, values: Sequence[Any]) -> list[str]:
        """In summarize's --where syntax."""
        return [f"{c}{op}{v}" for (c, op), v in zip(self.filters, values, strict=True)]


def choose_queries(con: duckdb.DuckDBPyConnection) -> list[Query]:
    """The fixed query set; its filter values are the store's most frequent ones."""

    def top(col: str, n: int) -> list[Any]:
        rows = con.execute(
            f"SELECT {col} FROM stops WHERE {col} IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT {n}"
        ).fetchall()
        return [r[0] for r in rows]

    precincts, genders, races, ages = (
        top("precinct", 4),
        top("subject_gender", 2),
        top("subject_race", 4),
        top("subject_age_group", 3),
    )
    years = sorted(r[0] for r in con.execute("SELECT DISTINCT year FROM stops WHERE year IS NOT NULL").fetchall())
    since = sorted({years[int(len(years) * f)] for f in (0.25, 0.5, 0.75)}) if years else [2020]
    return [
        Query(
            "a_precinct_since_year_by_race",
            "precinct = P and year >= Y, by subject_race",
            ("subject_race",),
            (("precinct", "="), ("year", ">=")),
            tuple((p, y) for p in precincts for y in since),
        ),
        Query(
            "b_precinct_gender_by_race_year",
            "precinct = P and subject_gender = G, by subject_race, year",
            ("subject_race", "year"),
            (("precinct", "="), ("subject_gender", "=")),
            tuple((p, g) for p in precincts for g in genders),
        ),
        Query(
            "c_race_age_by_year",
            "subject_race = R and subject_age_group = A, by year",
            ("year",),
            (("subject_race", "="), ("subject_age_group", "=")),
            tuple((r, a) for r in races for a in ages),
        ),
        Query(
            "d_by_race_year",
            "no filter, by subject_race, year",
            ("subject_race", "year"),
            (),
            ((),),
        ),
    ]


def _finish(keys: dict[str, Any], counts: dict[str, int], rates: Sequence[tuple[str, str, str]]) -> dict[str, Any]:
    """One group as summarize gives it: counts, rates with Wilson intervals, small cells withheld."""
    from oversight.publicdata.stats import rate, wilson

    out: dict[str, Any] = dict(keys)
    suppressed = counts["stops"] < MIN_CELL
    for name, n in counts.items():
        out[name] = None if suppressed else n
    for name, num, den in rates:
        if suppressed:
            out[name] = out[f"{name}_ci"] = None
            continue
        r, ci = rate(counts[num], counts[den]), wilson(counts[num], counts[den])
        out[name] = None if r is None else round(r, 6)
        out[f"{name}_ci"] = None if ci is None else [round(ci[0], 6), round(ci[1], 6)]
    if not suppressed and counts["stops"] and counts.get("arrest_known") == 0:
        out["arrests"] = None  # no stop whose arrest is known: no data, not 0 (the mapping's missing_when)
    out["suppressed"] = suppressed
    out["withheld_because"] = f"fewer than {MIN_CELL}" if suppressed else None
    return out


def _withhold(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The project's complementary suppression, as summarize applies it (a lone small group
    is not left to be worked out from the total)."""
    from oversight.publicdata import summary

    summary.complement(summary.MEASURES["stops"], groups)
    return groups


class Postgres:
    """The same standard table in PostgreSQL, the same SQL (summarize's aggregates and clauses)."""

    INDEXES = (("precinct", "year"), ("precinct", "subject_gender"), ("subject_race", "subject_age_group"))

    def __init__(self, url: str) -> None:
        import psycopg

        self.url = url
        self.pg = psycopg.connect(url, autocommit=True, connect_timeout=10)
        self.pg.execute(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")
        from oversight.publicdata.summary import MEASURES

        self.measure = MEASURES["stops"]
        self.aggs = ", ".join(f"{sql} AS {name}" for name, sql in self.measure.counts)
        self.names = [n for n, _ in self.measure.counts]

    PG_TYPES = {
        "VARCHAR": "text",
        "BIGINT": "bigint",
        "INTEGER": "integer",
        "DOUBLE": "double precision",
        "DATE": "date",
        "TIME": "time",
        "TIMESTAMP": "timestamp",
        "BOOLEAN": "boolean",
    }

    def load(self, con: duckdb.DuckDBPyConnection, workdir: Path, narrow: bool) -> dict[str, Any]:
        """Copy the store's stops table in: DuckDB writes CSV (lists as PostgreSQL arrays), COPY reads it.
        ``narrow``: only the columns a summary can filter or group by."""
        from oversight.publicdata.kinds import STOPS

        cols = con.execute("DESCRIBE stops").fetchall()
        if narrow:
            cols = [c for c in cols if c[0] in STOPS.group_columns]
        ddl, sel = [], []
        for name, typ, *_ in cols:
            base = typ.removesuffix("[]")
            if base not in self.PG_TYPES:
                raise SystemExit(f"FAIL: no PostgreSQL type for column {name} ({typ})")
            if typ.endswith("[]"):
                ddl.append(f"{ident(name)} {self.PG_TYPES[base]}[]")
                elem = """CASE WHEN x IS NULL THEN 'NULL'
                          ELSE '"' || replace(replace(x::VARCHAR, '\\', '\\\\'), '"', '\\"') || '"' END"""
                sel.append(
                    f"'{{' || array_to_string(list_transform({ident(name)}, lambda x: {elem}), ',') || '}}'"
                    f" AS {ident(name)}"
                )
            else:
                ddl.append(f"{ident(name)} {self.PG_TYPES[base]}")
                sel.append(ident(name))
        csv_path = workdir / "stops_for_postgres.csv"
        t0 = time.perf_counter()
        con.execute(f"COPY (SELECT {', '.join(sel)} FROM stops) TO {lit(str(csv_path))} (HEADER)")
        t1 = time.perf_counter()
        with self.pg.transaction():
            self.pg.execute(f"CREATE SCHEMA {PG_SCHEMA}")
            self.pg.execute(f"CREATE TABLE {PG_SCHEMA}.stops ({', '.join(ddl)})")
            with (
                self.pg.cursor() as cur,
                cur.copy(f"COPY {PG_SCHEMA}.stops FROM STDIN (FORMAT csv, HEADER, FREEZE)") as cp,
            ):
                with csv_path.open("rb") as fh:
                    while block := fh.read(1 << 20):
                        cp.write(block)
        t2 = time.perf_counter()
        indexes = []
        for cols_ in self.INDEXES:
            self.pg.execute(f"CREATE INDEX ON {PG_SCHEMA}.stops ({', '.join(cols_)})")
            indexes.append(f"btree ({', '.join(cols_)})")
        t3 = time.perf_counter()
        self.pg.execute(f"VACUUM (ANALYZE) {PG_SCHEMA}.stops")
        t4 = time.perf_counter()
        csv_mb = csv_path.stat().st_size / 2**20
        csv_path.unlink()
        self.pg.execute(f"SET search_path TO {PG_SCHEMA}")
        rows = self.pg.execute("SELECT count(*) FROM stops").fetchone()[0]
        size = self.pg.execute("SELECT pg_total_relation_size('stops'), pg_relation_size('stops')").fetchone()
        settings = dict(
            self.pg.execute(
                """SELECT name, setting || coalesce(unit, '') FROM pg_settings WHERE name IN
                   ('shared_buffers', 'work_mem', 'effective_cache_size', 'max_parallel_workers_per_gather',
                    'max_parallel_workers', 'jit', 'random_page_cost') ORDER BY name"""
            ).fetchall()
        )
        return {
            "version": self.pg.execute("SHOW server_version").fetchone()[0],
            "table": f"{PG_SCHEMA}.stops: "
            + (
                "only the columns a summary can filter or group by (--pg-table narrow)"
                if narrow
                else "every column of the store's stops table, lists as arrays (--pg-table full)"
            ),
            "rows": rows,
            "indexes": indexes,
            "settings": settings,
            "table_mb": round(size[1] / 2**20, 1),
            "table_with_indexes_mb": round(size[0] / 2**20, 1),
            "load_s": {
                "duckdb_to_csv": round(t1 - t0, 3),
                "copy": round(t2 - t1, 3),
                "indexes": round(t3 - t2, 3),
                "vacuum_analyze": round(t4 - t3, 3),
                "total": round(t4 - t0, 3),
            },
            "csv_mb": round(csv_mb, 1),
        }

    def summarize(self, q: Query, values: Sequence[Any]) -> dict[str, Any]:
        conds = [f'"{c}" IN (%s)' if op == "=" else f'"{c}" {op} %s' for c, op in q.filters]
        where = ("WHERE " + " AND ".join(conds)) if conds else ""
        sel = ", ".join(f'"{c}"' for c in q.by)
        order = ", ".join(f'"{c}" NULLS LAST' for c in q.by)
        group = f"GROUP BY {sel} ORDER BY {order}" if q.by else ""
        params = list(values)
        rows = self.pg.execute(
            f"SELECT {sel + ', ' if q.by else ''}{self.aggs} FROM stops {where} {group}", params
        ).fetchall()
        total = self.pg.execute(f"SELECT {self.aggs} FROM stops {where}", params).fetchone() or ()
        nb, rates = len(q.by), self.measure.rates
        return {
            "groups": _withhold(
                [
                    _finish(dict(zip(q.by, r[:nb], strict=True)), dict(zip(self.names, r[nb:], strict=True)), rates)
                    for r in rows
                ]
            ),
            "total": _finish({}, dict(zip(self.names, total, strict=True)), rates),
        }

    def close(self) -> None:
        try:
            self.pg.execute(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")
        finally:
            self.pg.close()


class Pandas:
    """The stored table in memory: boolean masks, groupby, sums; then the same finishing as the others."""

    COUNTS = ("stops", "frisks", "arrests", "arrest_known", "weapon_found")
    RATES = (("frisk_rate", "frisks", "stops"), ("arrest_rate", "arrests", "arrest_known"),
             ("weapon_found_rate", "weapon_found", "frisks"))  # fmt: skip

    def load(self, con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
        import pandas as pd
        import pyarrow as pa

        from oversight.publicdata.kinds import STOPS

        self.pd = pd
        cols = list(STOPS.group_columns)
        t0 = time.perf_counter()
        cur = con.cursor()  # a connection of its own: nothing left unfinished on the shared one matters
        table = cur.sql(f"SELECT {', '.join(ident(c) for c in cols)} FROM stops").to_arrow_table()
        cur.close()
        t1 = time.perf_counter()
        mapper = {pa.bool_(): pd.BooleanDtype(), pa.int64(): pd.Int64Dtype()}.get
        df = table.to_pandas(strings_to_categorical=True, types_mapper=mapper)
        del table
        df["year"] = df["year"].astype("Int16")
        # A stop counts as a frisk, an arrest, a weapon found only when the flag says yes.
        df["_frisk"] = df["frisk"].fillna(False).astype(bool)
        df["_arrest"] = df["arrest"].fillna(False).astype(bool)
        df["_arrest_known"] = df["arrest"].notna().astype(bool)  # the arrest rate's denominator
        df["_hit"] = (df["frisk"] & df["weapon_found"]).fillna(False).astype(bool)
        t2 = time.perf_counter()
        self.df = df
        return {
            "how": "SELECT the columns a summary can filter or group by from the store (DuckDB -> Arrow), then "
            "to_pandas with strings as categoricals, year as Int16, flags as nullable booleans plus "
            "plain yes-only booleans for counting",
            "columns": cols,
            "rows": len(df),
            "memory_mb": round(float(df.memory_usage(deep=True).sum()) / 2**20, 1),
            "load_s": {
                "duckdb_to_arrow": round(t1 - t0, 3),
                "to_pandas": round(t2 - t1, 3),
                "total": round(t2 - t0, 3),
            },
        }

    def summarize(self, q: Query, values: Sequence[Any]) -> dict[str, Any]:
        df = self.df
        mask = None
        for (col, op), v in zip(q.filters, values, strict=True):
            s = df[col]
            m = s == v if op == "=" else s >= v
            m = m.fillna(False).to_numpy(dtype=bool) if m.dtype != bool else m.to_numpy()
            mask = m if mask is None else mask & m
        flags = ["_frisk", "_arrest", "_arrest_known", "_hit"]
        sub = df.loc[mask, [*q.by, *flags]] if mask is not None else df[[*q.by, *flags]]
        gb = sub.groupby(list(q.by), observed=True, dropna=False, sort=True)
        agg = gb[flags].sum()
        sizes = gb.size()
        keys = agg.index.to_list()
        cols = [sizes.to_numpy().tolist(), *(agg[f].to_numpy().tolist() for f in flags)]
        tot = [len(sub), *(int(x) for x in sub[flags].sum().to_numpy())]
        # the same finishing as the other engines: rates, Wilson intervals, small cells withheld
        groups = []
        for key, *counts in zip(keys, *cols, strict=True):
            key = key if isinstance(key, tuple) else (key,)
            keyd = {c: (None if self.pd.isna(k) else _py(k)) for c, k in zip(q.by, key, strict=True)}
            groups.append(_finish(keyd, dict(zip(self.COUNTS, counts, strict=True)), self.RATES))
        total = _finish({}, dict(zip(self.COUNTS, tot, strict=True)), self.RATES)
        return {"groups": _withhold(groups), "total": total}


def _py(v: Any) -> Any:
    return v.item() if hasattr(v, "item") else v


def normalize(result: dict[str, Any], by: Sequence[str]) -> dict[Any, dict[str, Any]]:
    out = {tuple(_py(g[c]) for c in by): g for g in result["groups"]}
    out["(total)"] = result["total"]
    return out


def differences(a: dict[Any, dict[str, Any]], b: dict[Any, dict[str, Any]]) -> list[str]:
    """How two engines' answers differ: groups, counts exactly; rates and intervals to 2e-6."""
    diffs = []
    for k in sorted(set(a) | set(b), key=repr):
        if k not in a or k not in b:
            diffs.append(f"group {k!r} only in {'the first' if k in a else 'the second'}")
            continue
        ga, gb = a[k], b[k]
        for f in ("stops", "frisks", "arrests", "weapon_found", "suppressed"):
            if ga.get(f) != gb.get(f):
                diffs.append(f"group {k!r}: {f} {ga.get(f)!r} != {gb.get(f)!r}")
        for f in ("frisk_rate", "arrest_rate", "weapon_found_rate"):
            va, vb = ga.get(f), gb.get(f)
            ca, cb = ga.get(f + "_ci"), gb.get(f + "_ci")
            if (va is None) != (vb is None) or (va is not None and abs(va - vb) > 2e-6):
                diffs.append(f"group {k!r}: {f} {va!r} != {vb!r}")
            if (ca is None) != (cb is None) or (ca is not None and max(abs(ca[0] - cb[0]), abs(ca[1] - cb[1])) > 2e-6):
                diffs.append(f"group {k!r}: {f}_ci {ca!r} != {cb!r}")
    return diffs


def import_floor(csv_path: Path, db: Path, workdir: Path, table: str) -> dict[str, Any]:
    """The least any import of this file into this store could take, measured in the same run:
    DuckDB's CSV reader parsing every cell as text (no conversion, nothing kept), plus DuckDB
    writing the stored table's rows and columns (the dataset's own table, ``table``: the
    columns its mapping feeds), already in memory, to a new database file."""
    con = duckdb.connect(":memory:", config={"preserve_insertion_order": False})
    try:
        t0 = time.perf_counter()
        con.execute(
            f"SELECT count(*) FROM read_csv({lit(str(csv_path))}, all_varchar=true, header=true, "
            "ignore_errors=true, parallel=true)"
        ).fetchall()
        t_read = time.perf_counter() - t0
        con.execute(f"ATTACH {lit(str(db))} AS s (READ_ONLY)")
        con.execute(f'CREATE TEMP TABLE m AS SELECT * FROM s."{table}"')
        floor_db = workdir / "floor.duckdb"
        con.execute(f"ATTACH {lit(str(floor_db))} AS f")
        t0 = time.perf_counter()
        con.execute("CREATE TABLE f.stops AS SELECT * FROM m")
        con.execute("CHECKPOINT f")
        t_write = time.perf_counter() - t0
        cols = len(con.execute("DESCRIBE m").fetchall())
    finally:
        con.close()
    floor_db.unlink(missing_ok=True)
    return {
        "how": "read_csv(all_varchar) counted, plus CREATE TABLE AS of the stored rows from memory into a new file",
        "read_s": round(t_read, 3),
        "write_s": round(t_write, 3),
        "total_s": round(t_read + t_write, 3),
        "stored_columns": cols,
    }


def p95(xs: Sequence[float]) -> float:
    return statistics.quantiles(xs, n=100, method="inclusive")[94] if len(xs) > 1 else xs[0]


def ms(x: float) -> float:
    return round(x * 1000, 2)


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


# ------------------------------------------------------------------ the run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=TARGET_ROWS, help="synthetic rows (default 10,000,000)")
    ap.add_argument("--quick", action="store_true", help="100,000 rows")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "publicdata.json")
    ap.add_argument("--runs", type=int, default=25, help="timed runs per query and engine, after a warm-up (25)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--source", type=Path, default=REAL_TERRY, help="the real Terry export to resample")
    ap.add_argument("--builtin", action="store_true", help="use the built-in distributions, not the real export")
    ap.add_argument("--pg-url", default=PG_URL, help=f"PostgreSQL to compare with (default {PG_URL}; env PG_URL)")
    ap.add_argument(
        "--pg-table",
        choices=("full", "narrow"),
        default="full",
        help="full: the store's whole stops table (default); narrow: only the summary columns",
    )
    ap.add_argument("--no-postgres", action="store_true", help="leave PostgreSQL out (the run says so)")
    ap.add_argument("--workdir", type=Path, default=None, help="for the CSV files and the store (default: a temp dir)")
    args = ap.parse_args(argv)
    n = 100_000 if args.quick else args.rows
    if n < 1000:
        ap.error("--rows: at least 1000")

    from oversight.publicdata import importer, store, summary
    from oversight.publicdata.mapping import load_shipped
    from oversight.publicdata.pseudonym import Pseudonymizer

    started = time.perf_counter()
    failures: list[str] = []

    def fail(msg: str) -> None:
        failures.append(msg)
        log(f"FAIL: {msg}")

    import pandas as pd
    import psycopg
    import pyarrow as pa

    results: dict[str, Any] = {
        "benchmark": "publicdata",
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "argv": sys.argv[1:] if argv is None else argv,
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
            "duckdb": duckdb.__version__,
            "pandas": pd.__version__,
            "pyarrow": pa.__version__,
            "psycopg": psycopg.__version__,
        },
        # Other work on the machine slows every timing here: the load averages say how much there was.
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "rows": n,
        "min_cell": MIN_CELL,
    }
    mapping = load_shipped("seattle-terry")
    source = None if args.builtin or not args.source.exists() else args.source
    if source is None and not args.builtin:
        log(f"{args.source} not found: built-in distributions")

    tmp_ctx = tempfile.TemporaryDirectory(prefix="publicdata_bench_", dir=args.workdir)
    workdir = Path(tmp_ctx.name)
    pg: Postgres | None = None
    con: duckdb.DuckDBPyConnection | None = None
    try:
        if not args.no_postgres:  # before anything long: a PostgreSQL that is not there fails at once
            try:
                pg = Postgres(args.pg_url)
            except psycopg.Error as e:
                raise SystemExit(
                    f"FAIL: PostgreSQL does not answer at {args.pg_url} ({e}); start it (scripts/ensure-postgres) "
                    "or pass --no-postgres"
                ) from None
        # 1. generate
        csv_path = workdir / "terry_synthetic.csv"
        db = workdir / "bench.duckdb"
        log(f"generating {n:,} rows ...")
        t0 = time.perf_counter()
        planted = generate(csv_path, n, args.seed, source, mapping)
        t_gen = time.perf_counter() - t0
        results["generate"] = {
            "s": round(t_gen, 3),
            "rows_per_s": round(n / t_gen),
            "file_mb": round(csv_path.stat().st_size / 2**20, 1),
            **planted,
        }
        log(f"generated {n:,} rows ({results['generate']['file_mb']} MB) in {t_gen:.1f}s")

        # 2. import
        log("importing (importer.read_export, store.write) ...")
        t0 = time.perf_counter()
        imported = importer.read_export(csv_path, mapping, Pseudonymizer(KEY))
        t1 = time.perf_counter()
        store.write(db, imported)
        t2 = time.perf_counter()
        rep = dict(imported.report)
        if hasattr(imported, "close"):  # the importer's staging folder
            imported.close()
        del imported
        gc.collect()
        rows_read = rep.get("rows_read", 0)
        got = {k: rep.get(k) for k in ("rows_read", "loaded", "duplicates", "set_aside")}
        expected = planted["expected_report"]
        con = store.connect(db, read_only=True)
        stored = con.execute("SELECT count(*) FROM stops").fetchall()[0][0]
        agrees = got == expected and stored == expected["loaded"]
        if not agrees:
            fail(f"the import report {got} (stored rows {stored}) does not agree with what was planted {expected}")
        reported_unknowns = {k: v.get("rows") for k, v in rep.get("unknowns", {}).items()}
        unknowns_agree = reported_unknowns == planted["placeholder_rows_by_field"]
        if not unknowns_agree:
            log(
                f"WARNING: unknowns per field in the report {reported_unknowns} differ from the placeholders "
                f"planted {planted['placeholder_rows_by_field']}"
            )
        results["import"] = {
            "how": "importer.read_export(csv, mapping.load_shipped('seattle-terry'), Pseudonymizer(key)), "
            "then store.write(db, imported)",
            "read_fold_s": round(t1 - t0, 3),
            "read_fold_rows_per_s": round(rows_read / (t1 - t0)),
            "store_write_s": round(t2 - t1, 3),
            "store_write_rows_per_s": round(rows_read / (t2 - t1)),
            "total_s": round(t2 - t0, 3),
            "rows_per_s": round(rows_read / (t2 - t0)),
            "report": {**got, "set_aside_reasons": rep.get("set_aside_reasons"), "conflicts": rep.get("conflicts")},
            "stored_rows": stored,
            "report_agrees_with_plant": agrees,
            "unknowns_agree_with_placeholders": unknowns_agree,
            "unknowns_reported": reported_unknowns,
            "duckdb_mb": round(db.stat().st_size / 2**20, 1),
        }
        log(f"import: {rows_read:,} rows in {t2 - t0:.1f}s = {results['import']['rows_per_s']:,} rows/s")
        results["import"]["floor"] = import_floor(csv_path, db, workdir, f"stops/{mapping.name}")
        results["import"]["ratio_to_floor"] = round((t2 - t0) / results["import"]["floor"]["total_s"], 2)
        log(f"import floor: {results['import']['floor']} -> ratio {results['import']['ratio_to_floor']}")
        csv_path.unlink()

        # 3. engines
        queries = choose_queries(con)
        engines: dict[str, Callable[[Query, Sequence[Any]], dict[str, Any]]] = {}
        results["engines"] = {
            "duckdb": {
                "how": "summary.summarize(con, 'stops', by=..., where=[...], min_cell=5) on "
                "store.connect(db, read_only=True): the app's own path",
                "threads": con.execute("SELECT current_setting('threads')").fetchall()[0][0],
            }
        }
        duck = con
        engines["duckdb"] = lambda q, v: summary.summarize(
            duck, "stops", by=list(q.by), where=q.where(v), min_cell=MIN_CELL
        )
        rollup = con.execute("SELECT count(*) FROM stops_rollup").fetchall()[0][0]
        results["engines"]["duckdb"]["rollup_rows"] = rollup
        log(f"the rollup the app reads has {rollup:,} rows")
        # The same summaries reading every stop, as a store without its rollup would.
        results["engines"]["duckdb_every_stop"] = {
            "how": "summary.summarize(..., use_rollup=False): the stops table itself, no rollup"
        }
        engines["duckdb_every_stop"] = lambda q, v: summary.summarize(
            duck, "stops", by=list(q.by), where=q.where(v), min_cell=MIN_CELL, use_rollup=False
        )
        log("loading pandas ...")
        pdx = Pandas()
        results["engines"]["pandas"] = pdx.load(con)
        engines["pandas"] = pdx.summarize
        log(f"pandas: {results['engines']['pandas']['load_s']}")
        if pg is None:
            results["engines"]["postgres"] = {"skipped": "--no-postgres"}
            log("PostgreSQL left out (--no-postgres)")
        else:
            log("loading PostgreSQL ...")
            results["engines"]["postgres"] = pg.load(con, workdir, args.pg_table == "narrow")
            engines["postgres"] = pg.summarize
            log(f"postgres: {results['engines']['postgres']['load_s']}")

        # every query, every filter value, every engine: the same answers
        log("checking that the engines agree ...")
        checked = disagreements = 0
        for q in queries:
            for values in q.params:
                answers = {e: normalize(run(q, values), q.by) for e, run in engines.items()}
                checked += 1
                for e in engines:
                    if e == "duckdb":
                        continue
                    diffs = differences(answers["duckdb"], answers[e])
                    if diffs:
                        disagreements += 1
                        fail(f"{q.name} {values}: {e} disagrees with duckdb: " + "; ".join(diffs[:5]))
        results["verified"] = {
            "query_instances": checked,
            "engines": list(engines),
            "agree": disagreements == 0,
            "disagreements": disagreements,
        }

        # timings: after the check above (a warm-up), each query --runs times per engine, the
        # filter values cycled, the engines interleaved (their order turned each run)
        log(f"timing {len(queries)} queries x {args.runs} runs x {len(engines)} engines ...")
        names = list(engines)
        times: dict[str, dict[str, list[float]]] = {q.name: {e: [] for e in names} for q in queries}
        for q in queries:
            for r in range(args.runs):
                values = q.params[r % len(q.params)]
                for e in names[r % len(names) :] + names[: r % len(names)]:
                    t = time.perf_counter()
                    engines[e](q, values)
                    times[q.name][e].append(time.perf_counter() - t)
        out_q: dict[str, Any] = {}
        for q in queries:
            entry: dict[str, Any] = {
                "what": q.what,
                "by": list(q.by),
                "where": [f"{c}{op}?" for c, op in q.filters],
                "filter_values": [list(v) for v in q.params],
            }
            for e in names:
                xs = times[q.name][e]
                entry[e] = {"median_ms": ms(statistics.median(xs)), "p95_ms": ms(p95(xs)), "runs": len(xs)}
            for e in names[1:]:
                entry[f"ratio_{e}_to_duckdb"] = {
                    m: ratio(entry[e][m], entry["duckdb"][m]) for m in ("median_ms", "p95_ms")
                }
            out_q[q.name] = entry
            log(f"{q.name}: " + ", ".join(f"{e} {entry[e]['median_ms']}/{entry[e]['p95_ms']} ms" for e in names))
        results["queries"] = out_q
        overall: dict[str, Any] = {}
        for e in names:
            xs = [x for q in queries for x in times[q.name][e]]
            overall[e] = {"median_ms": ms(statistics.median(xs)), "p95_ms": ms(p95(xs)), "runs": len(xs)}
        for e in names[1:]:
            overall[f"ratio_{e}_to_duckdb"] = {
                m: ratio(overall[e][m], overall["duckdb"][m]) for m in ("median_ms", "p95_ms")
            }
        results["overall"] = overall

        # 4. targets
        at_scale = n >= TARGET_ROWS
        note = None if at_scale else f"the targets are for {TARGET_ROWS:,} stops; this run had {n:,} rows"
        worst = max(queries, key=lambda q: out_q[q.name]["duckdb"]["p95_ms"])
        floor_rate = round(results["import"]["report"]["rows_read"] / results["import"]["floor"]["total_s"])
        results["targets"] = {
            "query_p95_ms": {
                "target": f"under {TARGET_P95_MS:g} ms (DuckDB, the app's path, all queries together)",
                "measured": overall["duckdb"]["p95_ms"],
                "met": overall["duckdb"]["p95_ms"] < TARGET_P95_MS,
                "worst_query": {"name": worst.name, "p95_ms": out_q[worst.name]["duckdb"]["p95_ms"]},
                "at_target_scale": at_scale,
                "note": note,
            },
            "import_rows_per_s": {
                "target": f"at least {TARGET_IMPORT_ROWS_PER_S:,} rows/s (read, fold and store write)",
                "measured": results["import"]["rows_per_s"],
                "met": results["import"]["rows_per_s"] >= TARGET_IMPORT_ROWS_PER_S,
                "floor_rows_per_s": floor_rate,
                "ratio_to_floor": results["import"]["ratio_to_floor"],
                "at_target_scale": at_scale,
                "note": note,
            },
        }
    finally:
        if con is not None:
            con.close()
        if pg is not None:
            pg.close()
        tmp_ctx.cleanup()
    results["failures"] = failures
    results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    results["total_s"] = round(time.perf_counter() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2) + b"\n")
    for name, t in results["targets"].items():
        log(f"target {name}: {t['measured']} ({t['target']}): {'met' if t['met'] else 'NOT met'}")
    log(f"wrote {args.out}")
    if failures:
        log(f"FAILED: {len(failures)} check(s): see 'failures' in {args.out}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
