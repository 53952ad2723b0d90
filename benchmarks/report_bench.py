"""The reports over ten years of generated cases, at Seattle's scale and at ten times it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python benchmarks/report_bench.py \\
        [--per-year 1500] [--scales 1,10] [--runs 3]

For each scale: a throwaway test database (Django's, named after DATABASE_URL's with a test_
prefix) is filled with ten years of generated complaints (``per_year`` times the scale each
year, about a third investigated; their findings and discipline), and each of the six reports
is built for the last full year, ``runs`` times (the median is kept), then rendered as HTML, as
CSV and (the annual report) as PDF once. Results go to benchmarks/results/reports.json.
Target: the annual report under 2 s at Seattle's scale.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")

TARGET_S = 2.0


def fill(per_year: int, years: int) -> dict[str, float]:
    from django.db import transaction
    from django.utils import timezone

    from oversight.cases import actions
    from oversight.cases.models import Case
    from oversight.cases.seed import ensure_demo_users, iter_history
    from oversight.discipline.seed import seed_history

    users = ensure_demo_users()
    today = timezone.localdate()
    t0 = time.perf_counter()
    chunk: list[dict[str, object]] = []
    for case in iter_history(29_030, today, years, per_year, users):
        chunk.append(case)
        if len(chunk) == 5000:
            actions.import_cases(users["admin"], chunk)
            chunk = []
    if chunk:
        actions.import_cases(users["admin"], chunk)
    t1 = time.perf_counter()
    with transaction.atomic():
        seed_history()
    t2 = time.perf_counter()
    return {"cases": Case.objects.count(), "load_seconds": round(t1 - t0, 1), "history_seconds": round(t2 - t1, 1)}


def time_reports(runs: int) -> dict[str, dict[str, float]]:
    import datetime as dt

    from django.utils import timezone

    from oversight.reports import render
    from oversight.reports.kinds import KINDS, build

    today = timezone.localdate()
    start, end = dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    out: dict[str, dict[str, float]] = {}
    for kind in KINDS:
        times, cpu = [], []
        for _ in range(runs):
            t, c = time.perf_counter(), time.process_time()
            rep = build(kind, start, end, today)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        t = time.perf_counter()
        render.html(rep)
        html_s = time.perf_counter() - t
        t = time.perf_counter()
        render.csv_zip(rep)
        csv_s = time.perf_counter() - t
        row = {
            "build_seconds_median": round(statistics.median(times), 3),
            # this process's CPU time (the database server's is not in it): what the wall time is
            # made of when the machine is shared (see load_average_at_end)
            "build_cpu_seconds_median": round(statistics.median(cpu), 3),
            "html_render_seconds": round(html_s, 3),
            "csv_render_seconds": round(csv_s, 3),
        }
        if kind == "opa-annual":
            t = time.perf_counter()
            pdf = render.pdf(rep)
            row["pdf_render_seconds"] = round(time.perf_counter() - t, 3)
            row["pdf_bytes"] = len(pdf)
        out[kind] = row
    return out


def write(out: Path, results: list[dict[str, object]], vendor: str) -> None:
    """Write the results, keeping those of other scales an earlier run measured (scale 10 takes long)."""
    kept: list[dict[str, object]] = []
    if out.exists():
        try:
            kept = [
                r for r in json.loads(out.read_text())["results"] if r["scale"] not in {x["scale"] for x in results}
            ]
        except (ValueError, KeyError, TypeError):
            kept = []
    results = sorted([*kept, *results], key=lambda r: int(r["scale"]))  # type: ignore[call-overload]
    first = next((r for r in results if r["scale"] == 1), None)
    annual = first["reports"]["opa-annual"]["build_seconds_median"] if first else None  # type: ignore[index]
    doc = {
        "benchmark": "the six reports of Chapter 3.29 for the last full year of ten years of generated cases",
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "database": vendor,
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "target": f"opa-annual build under {TARGET_S} s at scale 1",
        "meets_target": None if annual is None else annual < TARGET_S,
        "load_average_at_end": list(os.getloadavg()),
        "results": results,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=2) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--per-year", type=int, default=1500)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "reports.json")
    parser.add_argument(
        "--existing",
        action="store_true",
        help="time the reports on DATABASE_URL's database as it is (filled by an earlier fill()), for --scales N",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    results = []
    for scale in [int(s) for s in args.scales.split(",")]:
        if args.existing:
            from oversight.cases.models import Case

            loaded: dict[str, float] = {"cases": Case.objects.count(), "load_seconds": -1, "history_seconds": -1}
            reports = time_reports(args.runs)
            results.append(
                {
                    "scale": scale,
                    "complaints_per_year": args.per_year * scale,
                    "years": args.years,
                    **loaded,
                    "reports": reports,
                }
            )
            write(args.out, results, connection.vendor)
            continue
        old = setup_databases(verbosity=0, interactive=False)
        try:
            loaded = fill(args.per_year * scale, args.years)
            reports = time_reports(args.runs)
        finally:
            teardown_databases(old, verbosity=0)
        results.append(
            {
                "scale": scale,
                "complaints_per_year": args.per_year * scale,
                "years": args.years,
                **loaded,
                "reports": reports,
            }
        )
        print(json.dumps(results[-1], indent=2), flush=True)
        write(args.out, results, connection.vendor)  # after each scale: a long run keeps what it measured
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
