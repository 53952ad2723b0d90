"""Benchmark: timelines of 100,000 generated cases from a JSONL file, on one core.

    make bench            (or: .venv/bin/python benchmarks/timeline_bench.py [--cases N])

Writes benchmarks/results/timeline.json. Measures the whole batch path of
`oversight timeline --batch` (read a line, parse, check, compute, write a line) in
this one process, and the compute step alone. Target: 100,000 cases a second.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

import orjson

from oversight.demo import generate_case
from oversight.rules.events import parse_case
from oversight.rules.profile import get_profile
from oversight.rules.timeline import compute

ROOT = Path(__file__).resolve().parent
DATA = ROOT.parent / "var" / "bench"


def make_input(path: Path, n: int, seed: int = 20171) -> None:
    rng = random.Random(seed)
    start = dt.date(2017, 7, 1).toordinal()
    until = dt.date(2026, 11, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        for i in range(n):
            received = dt.date.fromordinal(rng.randint(start, until.toordinal() - 30))
            case = generate_case(rng, f"{received.year}OPA-{i:06d}", received, until)
            f.write(orjson.dumps(case) + b"\n")


def run_batch(lines: list[bytes], today: int) -> tuple[float, int]:
    """The batch command's loop, writing to memory; returns (seconds, output bytes)."""
    prof = get_profile("seattle")
    out = io.BytesIO()
    loads, dumps, write = orjson.loads, orjson.dumps, out.write
    t0 = time.perf_counter()
    for line in lines:
        write(dumps(compute(parse_case(loads(line)), prof, today)))
        write(b"\n")
    return time.perf_counter() - t0, out.tell()


def run_compute(cases: list[object], today: int) -> float:
    prof = get_profile("seattle")
    parsed = [parse_case(c) for c in cases]
    t0 = time.perf_counter()
    for c in parsed:
        compute(c, prof, today)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "results" / "timeline.json")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    path = DATA / f"cases-{args.cases}.jsonl"
    if not path.exists():
        make_input(path, args.cases)
    lines = path.read_bytes().splitlines()
    today = dt.date(2026, 11, 22).toordinal()
    run_batch(lines[:2000], today)  # warm caches
    batch = [run_batch(lines, today)[0] for _ in range(args.repeat)]
    cases = [orjson.loads(line) for line in lines]
    comp = [run_compute(cases, today) for _ in range(args.repeat)]
    n = len(lines)
    result = {
        "benchmark": "timeline batch: read JSONL line, parse, check, compute, write JSON line",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "cores_used": 1,
        },
        "cases": n,
        "repeats": args.repeat,
        "batch_seconds_median": round(statistics.median(batch), 4),
        "batch_cases_per_second": round(n / statistics.median(batch)),
        "batch_cases_per_second_best": round(n / min(batch)),
        "compute_only_cases_per_second": round(n / statistics.median(comp)),
        "target_cases_per_second": 100_000,
    }
    result["meets_target"] = result["batch_cases_per_second"] >= result["target_cases_per_second"]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
