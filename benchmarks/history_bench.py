"""Importing complaint history: the NYC CCRB allegations file (33,358 rows) through the shipped
mapping into a throwaway test database, beside its floor, reading the same file with the csv
module and nothing else, and beside the reading stage alone (mapping, checks, folding).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h16 .venv/bin/python benchmarks/history_bench.py

Writes rows a second and the ratios to benchmarks/results/history_import.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings_test")
REPO = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("OVERSIGHT_SHARED_DATA", REPO.parent / "shared" / "data"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DATA / "nyc_ccrb" / "allegations.csv")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "history_import.json")
    args = parser.parse_args()
    if not args.file.exists():
        sys.stderr.write(f"{args.file}: not here (set OVERSIGHT_SHARED_DATA)\n")
        return 2

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    from oversight.history import actions, mapping, reader
    from oversight.history.database import vocabularies
    from oversight.publicdata.pseudonym import Pseudonymizer

    t = time.perf_counter()
    with args.file.open(newline="", encoding="utf-8") as fh:
        rows = sum(1 for _ in csv.reader(fh)) - 1
    floor = time.perf_counter() - t

    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        m = mapping.load_shipped("nyc-ccrb")
        t = time.perf_counter()
        result = reader.read(args.file, m, Pseudonymizer("benchmark-pseudonym-key-0123456789"), vocabularies())
        read_s = time.perf_counter() - t
        t = time.perf_counter()
        out = actions.import_complaints(actions.system_user(), m, result)
        write_s = time.perf_counter() - t
        t = time.perf_counter()
        again = actions.import_complaints(actions.system_user(), m, result)
        again_s = time.perf_counter() - t
        vendor = connection.vendor
    finally:
        teardown_databases(old, verbosity=0)
    total = read_s + write_s
    doc = {
        "file": str(args.file.name),
        "rows": rows,
        "complaints": result.report["complaints"],
        "allegations": result.report["allegations"],
        "database": vendor,
        "floor_csv_read_s": round(floor, 3),
        "read_fold_s": round(read_s, 3),
        "write_s": round(write_s, 3),
        "total_s": round(total, 3),
        "rows_per_second": int(rows / total),
        "ratio_to_floor": round(total / floor, 1),
        "reimport_unchanged_s": round(again_s, 3),
        "cases_added": out.added,
        "reimport_added": again.added,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=2) + "\n")
    print(json.dumps(doc, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
