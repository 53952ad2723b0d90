"""Replay ten years of cases at Seattle's scale under one agreement, beside the baseline-only run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python benchmarks/replay_bench.py \\
        [--per-year 1500] [--years 10] [--runs 3]

A throwaway test database (Django's, test_ + DATABASE_URL's name) is filled with ten years of
generated complaints (``per_year`` a year, their findings and discipline), then, ``runs`` times
each (the median kept):

- the peer: every case read from the records and run through the chapter's rules alone
  (``records.replay_inputs`` and ``plan.Plan.compute``), what any replay must at least do;
- the replay: ``oversight replay --overlay benchmarks/replay_overlay.toml`` as the command runs it
  (``service.run_replay``: the records read once, every case through the baseline and the overlay,
  compared, the changes traced).

Results, with the ratio replay / peer, go to benchmarks/results/replay.json. Target: the replay under 10 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings_test")  # plain HTTP, test keys
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")

TARGET_S = 10.0
OVERLAY = Path(__file__).parent / "replay_overlay.toml"


# the same ten years of generated cases the reports benchmark fills (benchmarks/report_bench.py)
from report_bench import fill  # noqa: E402


def peer(today: int) -> int:
    from oversight.contracts.records import replay_inputs
    from oversight.rules.events import parse_case
    from oversight.rules.plan import Plan
    from oversight.rules.profile import get_profile

    plan = Plan(get_profile("seattle"))
    n = 0
    for obj, _facts, _pk in replay_inputs():
        plan.compute(parse_case(obj), today)
        n += 1
    return n


def timed(fn, runs: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--per-year", type=int, default=1500)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "replay.json")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases
    from django.utils import timezone

    from oversight.contracts import service

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    old = setup_databases(verbosity=0, interactive=False)
    try:
        loaded = fill(args.per_year, args.years)
        today = timezone.localdate()
        peer(today.toordinal())  # warm: the profile loaded, the plans made, the queries prepared
        peer_s, n = timed(lambda: peer(today.toordinal()), args.runs)
        replay_s, r = timed(lambda: service.run_replay(str(OVERLAY), None, None, today), args.runs)
    finally:
        teardown_databases(old, verbosity=0)
    summary = r.summary  # type: ignore[attr-defined]
    doc = {
        "benchmark": "replay every case of ten years at Seattle's scale under one agreement overlay",
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "database": connection.vendor,
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "overlay": str(OVERLAY.name),
        "complaints_per_year": args.per_year,
        "years": args.years,
        **loaded,
        "cases_replayed": summary["cases"],
        "differing": summary["differing"],
        "peer": "the records read and every case through the baseline alone",
        "peer_seconds_median": round(peer_s, 3),
        "peer_cases": n,
        "replay_seconds_median": round(replay_s, 3),
        "ratio_replay_to_peer": round(replay_s / peer_s, 2),
        "target": f"replay under {TARGET_S} s",
        "meets_target": replay_s < TARGET_S,
        "load_average_at_end": list(os.getloadavg()),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=2) + "\n")
    print(json.dumps(doc, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
