"""What tamper evidence and the read records cost, on the demo's data.

    OVERSIGHT_DATA_DIR=/tmp/bench-data .venv/bin/python benchmarks/integrity_bench.py [--runs 15]

Fills a fresh embedded SQLite database in OVERSIGHT_DATA_DIR with the demo (or uses the
database DATABASE_URL names, once filled), then measures: verifying the whole chain (events,
seals of every record, checkpoints), taking a checkpoint, a backup, and one case page with the
read records written and without them (median, p95, queries). Writes
benchmarks/results/integrity.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")


def _p95(xs: list[float]) -> float:
    return sorted(xs)[max(0, int(round(0.95 * len(xs))) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "integrity.json")
    args = parser.parse_args()
    os.environ.setdefault("OVERSIGHT_DATA_DIR", tempfile.mkdtemp(prefix="oversight-bench-"))

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from oversight import access
    from oversight.backup import backup
    from oversight.cases.integrity import checkpoint, verify
    from oversight.cases.models import Case, ReadRecord

    call_command("migrate", "--no-input", verbosity=0)
    if not Case.objects.exists():
        for cmd in ("seed_demo", "seed_oig_demo", "seed_discipline_demo", "seed_public_demo"):
            call_command(cmd, stdout=open(os.devnull, "w"))

    t = time.perf_counter()
    v = verify()
    verify_s = time.perf_counter() - t
    assert v.ok, v.problems
    t = time.perf_counter()
    checkpoint()
    checkpoint_s = time.perf_counter() - t
    out = Path(tempfile.mkdtemp()) / "b.tar.gz"
    t = time.perf_counter()
    backup(out)
    backup_s = time.perf_counter() - t

    c = Client()
    c.force_login(User.objects.get(username="director"))
    case = Case.objects.filter(complainants__isnull=False, witnesses__isnull=False).first()
    assert case is not None
    url = f"/cases/{case.number}/"
    c.get(url)

    def page() -> tuple[float, float, int]:
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            assert c.get(url).status_code == 200
            times.append(time.perf_counter() - t0)
        with CaptureQueriesContext(connection) as q:
            c.get(url)
        return statistics.median(times), _p95(times), len(q)

    before = ReadRecord.objects.count()
    with_reads = page()
    reads_per_page = (ReadRecord.objects.count() - before) / (args.runs + 1)
    real = access.record_read
    access.record_read = lambda *a, **k: None  # type: ignore[assignment]
    try:
        without = page()
    finally:
        access.record_read = real

    result = {
        "what": "tamper evidence and read records on the demo's data (SQLite)",
        "database": connection.vendor,
        "events": v.events,
        "sealed_records": v.records,
        "seals": v.seals,
        "verify_s": round(verify_s, 3),
        "checkpoint_s": round(checkpoint_s, 3),
        "backup_s": round(backup_s, 3),
        "backup_bytes": out.stat().st_size,
        "case_page": {
            "reads_recorded_per_page": reads_per_page,
            "with_read_records": {
                "median_ms": round(with_reads[0] * 1000, 1),
                "p95_ms": round(with_reads[1] * 1000, 1),
                "queries": with_reads[2],
            },
            "without": {
                "median_ms": round(without[0] * 1000, 1),
                "p95_ms": round(without[1] * 1000, 1),
                "queries": without[2],
            },
        },
        "runs": args.runs,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
