"""Public-data benchmark: import, summaries, disparity and the JSON API at scale.

    .venv/bin/python benchmarks/publicdata_bench.py                 # 1,000,000 synthetic stops
    .venv/bin/python benchmarks/publicdata_bench.py --rows 100000   # a quick run
    .venv/bin/python benchmarks/publicdata_bench.py --quick         # the same as --rows 100000

A synthetic export in the Seattle Terry stops format (with its quirks: repeated stop IDs,
placeholders, a few bad rows) is generated into a temporary folder, imported through the
shipped seattle-terry mapping, queried, and exported. The real Terry file is imported too when
it is found beside the repository (../shared/data). Results go to
benchmarks/results/publicdata.json (or --out). Timings are measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
REAL_TERRY = REPO.parent / "shared" / "data" / "seattle_terry_stops_2023" / "Terry_Stops.csv"
KEY = "benchmark-pseudonym-key-000000000000"

HEADER = [
    "Subject Age Group", "Subject ID", "GO / SC Num", "Terry Stop ID", "Stop Resolution", "Weapon Type",
    "Officer ID", "Officer YOB", "Officer Gender", "Officer Race", "Subject Perceived Race",
    "Subject Perceived Gender", "Reported Date", "Reported Time", "Initial Call Type", "Final Call Type",
    "Call Type", "Officer Squad", "Arrest Flag", "Frisk Flag", "Precinct", "Sector", "Beat",
]  # fmt: skip
AGES = ["1 - 17", "18 - 25", "26 - 35", "36 - 45", "46 - 55", "56 and Above", "-"]
RACES = ["White"] * 10 + ["Black or African American"] * 6 + ["Asian", "Hispanic", "Unknown", "-", "Multi-Racial"]
GENDERS = ["Male"] * 8 + ["Female"] * 2 + ["Unable to Determine", "-"]
RESOLUTIONS = ["Field Contact", "Offense Report", "Arrest", "Referred for Prosecution", "Citation / Infraction"]
WEAPONS = ["None"] * 12 + ["-"] * 8 + ["Lethal Cutting Instrument", "Handgun", "Knife/Cutting/Stabbing Instrument"]
PRECINCTS = {"West": "DKM", "North": "BJLNU", "East": "CEG", "South": "ORS", "Southwest": "FW", "-": "-"}
CALLS = ["911", "ONVIEW", "TELEPHONE OTHER, NOT 911", "-"]


def generate(path: Path, rows: int, seed: int = 7) -> dict[str, int]:
    """A Terry-format export of about ``rows`` rows; returns what was planted in it."""
    rng = random.Random(seed)
    start = dt.date(2015, 3, 15)
    planted = {"rows": 0, "repeats": 0, "bad": 0}
    stop_id = 10_000_000
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        while planted["rows"] < rows:
            stop_id += rng.randint(1, 5)
            precinct = rng.choice(list(PRECINCTS))
            sector = rng.choice(PRECINCTS[precinct])
            beat = "-" if sector == "-" else f"{sector}{rng.randint(1, 3)}"
            day = start + dt.timedelta(days=rng.randint(0, 3180))
            frisk = rng.choices(["Y", "N", "-"], [24, 75, 1])[0]
            row = [
                rng.choice(AGES), "-1" if rng.random() < 0.6 else str(rng.randint(7_000_000_000, 9_999_999_999)),
                str(20150000000000 + rng.randint(0, 999_999_999)), str(stop_id), rng.choice(RESOLUTIONS),
                rng.choice(WEAPONS), str(rng.randint(4000, 9000)), rng.choice(["1900"] + [str(y) for y in
                range(1960, 2000)]), rng.choice("MMMMMMFN"), rng.choice(["White", "Asian", "Not Specified"]),
                rng.choice(RACES), rng.choice(GENDERS), f"{day.isoformat()}T00:00:00Z",
                f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00.0000000", "-", "-", rng.choice(CALLS),
                "WEST PCT 1ST W - DAVID - PLATOON 1", rng.choices(["Y", "N"], [1, 9])[0], frisk, precinct, sector,
                beat,
            ]  # fmt: skip
            if rng.random() < 0.0001:
                row[12] = "not a date"
                planted["bad"] += 1
            w.writerow(row)
            planted["rows"] += 1
            if rng.random() < 0.0015 and planted["rows"] < rows:  # the same stop again, another weapon
                row = list(row)
                row[5] = "Handgun"
                w.writerow(row)
                planted["rows"] += 1
                planted["repeats"] += 1
    return planted


def timed(fn: Any, repeat: int = 1) -> tuple[float, Any]:
    """Median seconds over ``repeat`` runs, and the last result."""
    times = []
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000, help="synthetic rows (default 1,000,000)")
    ap.add_argument("--quick", action="store_true", help="100,000 rows")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "publicdata.json")
    ap.add_argument("--repeat", type=int, default=5, help="runs per query; the median is kept")
    args = ap.parse_args(argv)
    n = 100_000 if args.quick else args.rows

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
    os.environ["OVERSIGHT_PSEUDONYM_KEY"] = KEY
    from oversight.publicdata import disparity, importer, store, summary
    from oversight.publicdata.mapping import load_shipped
    from oversight.publicdata.pseudonym import Pseudonymizer

    results: dict[str, Any] = {
        "benchmark": "publicdata",
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        # Other work on the machine slows every timing here: the load averages say how much there was.
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "rows_requested": n,
    }
    mapping = load_shipped("seattle-terry")
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        src = tmp / "terry_synthetic.csv"
        db = tmp / "bench.duckdb"
        t, planted = timed(lambda: generate(src, n))
        results["generate_s"] = round(t, 3)
        results["synthetic"] = {**planted, "file_mb": round(src.stat().st_size / 2**20, 1)}
        print(f"generated {planted['rows']} rows ({results['synthetic']['file_mb']} MB) in {t:.1f}s", file=sys.stderr)

        t_read, imp = timed(lambda: importer.read_export(src, mapping, Pseudonymizer(KEY)))
        t_write, _ = timed(lambda: store.write(db, imp))
        rep = imp.report
        results["import"] = {
            "read_fold_s": round(t_read, 3),
            "store_write_s": round(t_write, 3),
            "total_s": round(t_read + t_write, 3),
            "rows_per_s": round(rep["rows_read"] / (t_read + t_write)),
            "rows_read": rep["rows_read"],
            "loaded": rep["loaded"],
            "duplicates": rep["duplicates"],
            "set_aside": rep["set_aside"],
            "report_agrees_with_plant": rep["duplicates"] == planted["repeats"] and rep["set_aside"] == planted["bad"],
            "duckdb_mb": round(db.stat().st_size / 2**20, 1),
        }
        print(f"import: {results['import']}", file=sys.stderr)
        imp = None
        t, imp2 = timed(lambda: importer.read_export(src, mapping, Pseudonymizer(KEY)))
        t2, _ = timed(lambda: store.write(db, imp2))
        results["reimport_same_file_s"] = round(t + t2, 3)
        imp2 = None

        con = store.connect(db, read_only=True)
        queries = {
            "summary_total": dict(by=None, where=[]),
            "summary_by_precinct": dict(by="precinct", where=[]),
            "summary_by_precinct_race_since_2020": dict(by="precinct,subject_race", where=["year>=2020"]),
            "summary_by_year_race_gender": dict(by="year,subject_race,subject_gender", where=[]),
        }
        results["queries_ms"] = {}
        for name, q in queries.items():
            t, _ = timed(lambda q=q: summary.summarize(con, "stops", min_cell=5, **q), args.repeat)
            results["queries_ms"][name] = round(t * 1000, 1)
        t, _ = timed(lambda: disparity.ratios(con, within="precinct"), args.repeat)
        results["queries_ms"]["disparity_ratios_within_precinct"] = round(t * 1000, 1)
        t, _ = timed(lambda: disparity.outcome_test(con), args.repeat)
        results["queries_ms"]["outcome_test"] = round(t * 1000, 1)
        out = tmp / "stops.parquet"
        t, rows = timed(lambda: store.export(con, "stops", out, "parquet"))
        results["export_parquet"] = {"s": round(t, 3), "rows": rows, "mb": round(out.stat().st_size / 2**20, 1)}
        con.close()
        print(f"queries: {results['queries_ms']}", file=sys.stderr)

        os.environ["OVERSIGHT_PUBLICDATA_DB"] = str(db)
        import django

        django.setup()
        from django.test import Client

        client = Client()
        api = {
            "api_summary_by_precinct_race": "/data/api/stops/summary.json?by=precinct,subject_race",
            "api_disparity": "/data/api/stops/disparity.json?within=precinct",
            "page_stops_by_precinct": "/data/stops/?by=precinct",
        }
        results["http_ms"] = {}
        for name, url in api.items():
            t, resp = timed(lambda url=url: client.get(url), args.repeat)
            if resp.status_code != 200:
                print(f"{url}: HTTP {resp.status_code}", file=sys.stderr)
            results["http_ms"][name] = round(t * 1000, 1)
        print(f"http: {results['http_ms']}", file=sys.stderr)

    if REAL_TERRY.exists():
        with tempfile.TemporaryDirectory() as tmpdir:
            db = Path(tmpdir) / "real.duckdb"
            t_read, imp = timed(lambda: importer.read_export(REAL_TERRY, mapping, Pseudonymizer(KEY)))
            t_write, _ = timed(lambda: store.write(db, imp))
            results["real_terry"] = {
                "rows_read": imp.report["rows_read"],
                "loaded": imp.report["loaded"],
                "import_s": round(t_read + t_write, 3),
            }
    results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2) + b"\n")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
