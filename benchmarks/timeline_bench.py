"""Benchmark: timelines of 100,000 generated cases from a JSONL file, on one core.

    make bench            (or: .venv/bin/python benchmarks/timeline_bench.py [--cases N])

Writes benchmarks/results/timeline.json. Measures, in one run and on the same file:

- the floor: reading each line and writing it back with orjson alone (loads, dumps);
- the whole batch path of `oversight timeline --batch` (read a line, parse, check,
  compute, write a line: the loop the command runs, oversight.rules.batch.run_batch);
- the compute step alone (parsed cases in memory, no JSON).

"engine" says whether the clock ran compiled (mypyc, `make install`) or as pure Python
(OVERSIGHT_PURE=1 .venv/bin/python benchmarks/timeline_bench.py).

The floor and the batch path are timed in turns (floor, batch, floor, batch, ...) so that
both see the same machine, each by the wall clock and by the process's CPU time (the CPU
time is less disturbed by other work on a shared machine). The floor's loop buffers its
output exactly as the batch path does (``batch.FLUSH_EVERY`` pieces a write). Reported:
the medians of each, the ratio of the median times, and the median of the ratios of each
turn's pair. Targets: 100,000 cases a second end to end, and the batch path within 2.5
times the floor's time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import orjson

from oversight.demo import generate_case
from oversight.rules.batch import FLUSH_EVERY
from oversight.rules.batch import run_batch as batch_loop
from oversight.rules.events import parse_case
from oversight.rules.plan import Plan
from oversight.rules.profile import get_profile

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


def _timed_file(path: Path, loop: object) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, output bytes) of ``loop(lines, write)`` reading ``path`` and
    writing to memory."""
    out = io.BytesIO()
    c0 = time.process_time()
    t0 = time.perf_counter()
    with path.open("rb") as fh:
        loop(fh, out.write)  # type: ignore[operator]
    return time.perf_counter() - t0, time.process_time() - c0, out.tell()


def run_floor(path: Path) -> tuple[float, float, int]:
    """Read every line and write it back with orjson alone, buffered as the batch path is."""

    def loop(lines: Iterable[bytes], write: Callable[[bytes], object]) -> None:
        loads, dumps = orjson.loads, orjson.dumps
        buf: list[bytes] = []
        append = buf.append
        for line in lines:
            append(dumps(loads(line)))
            append(b"\n")
            if len(buf) >= FLUSH_EVERY:
                write(b"".join(buf))
                buf.clear()
        write(b"".join(buf))

    return _timed_file(path, loop)


def run_batch(path: Path, today: int) -> tuple[float, float, int]:
    """The batch command's loop on the file, writing to memory; returns (wall s, CPU s, output bytes)."""
    prof = get_profile("seattle")
    return _timed_file(path, lambda lines, write: batch_loop(lines, write, prof, today))


def run_compute(cases: list[object], today: int) -> float:
    """The compute step of the batch path alone (the plan's), on parsed cases. The parsed cases
    are held by the benchmark, not by the batch path: they are kept out of the cyclic
    collector's way (gc.freeze) so that its passes over them are not counted as compute."""
    compute = Plan(get_profile("seattle")).compute
    parsed = [parse_case(c) for c in cases]
    gc.freeze()
    t0 = time.perf_counter()
    for c in parsed:
        compute(c, today)
    seconds = time.perf_counter() - t0
    gc.unfreeze()
    return seconds


def engine() -> str:
    """Which build of the clock ran: "compiled" (mypyc, scripts/build-native) or "pure" (Python)."""
    import oversight.rules

    return "compiled" if oversight.rules.COMPILED else "pure"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--out", type=Path, default=ROOT / "results" / "timeline.json")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    path = DATA / f"cases-{args.cases}.jsonl"
    if not path.exists():
        make_input(path, args.cases)
    lines = path.read_bytes().splitlines()
    n = len(lines)
    today = dt.date(2026, 11, 22).toordinal()
    run_floor(path)  # warm the file cache and both loops
    run_batch(path, today)
    floor: list[float] = []
    batch: list[float] = []
    floor_cpu: list[float] = []
    batch_cpu: list[float] = []
    out_bytes = 0
    for _ in range(args.repeat):
        wall, cpu, _ = run_floor(path)
        floor.append(wall)
        floor_cpu.append(cpu)
        wall, cpu, out_bytes = run_batch(path, today)
        batch.append(wall)
        batch_cpu.append(cpu)
    cases = [orjson.loads(line) for line in lines]
    comp = [run_compute(cases, today) for _ in range(args.repeat)]
    floor_s, batch_s, comp_s = statistics.median(floor), statistics.median(batch), statistics.median(comp)
    ratio = batch_s / floor_s
    cpu_ratio = statistics.median(batch_cpu) / statistics.median(floor_cpu)
    paired = statistics.median(b / f for f, b in zip(floor, batch, strict=True))
    result = {
        "benchmark": "timeline batch: read JSONL line, parse, check, compute, write JSON line; beside orjson alone",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "cores_used": 1,
        },
        "engine": engine(),
        "cases": n,
        "input_bytes": path.stat().st_size,
        "output_bytes": out_bytes,
        "repeats": args.repeat,
        "floor_seconds_median": round(floor_s, 4),
        "floor_cases_per_second": round(n / floor_s),
        "batch_seconds_median": round(batch_s, 4),
        "batch_cases_per_second": round(n / batch_s),
        "batch_cases_per_second_best": round(n / min(batch)),
        "compute_only_seconds_median": round(comp_s, 4),
        "compute_only_cases_per_second": round(n / comp_s),
        "batch_to_floor_ratio": round(ratio, 2),
        "batch_to_floor_ratio_paired_median": round(paired, 2),
        "floor_cpu_seconds_median": round(statistics.median(floor_cpu), 4),
        "batch_cpu_seconds_median": round(statistics.median(batch_cpu), 4),
        "floor_cpu_cases_per_second": round(n / statistics.median(floor_cpu)),
        "batch_cpu_cases_per_second": round(n / statistics.median(batch_cpu)),
        "batch_to_floor_ratio_cpu": round(cpu_ratio, 2),
        "flush_every_pieces": FLUSH_EVERY,
        "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "target_cases_per_second": 100_000,
        "target_ratio": 2.5,
    }
    result["meets_target"] = result["batch_cases_per_second"] >= result["target_cases_per_second"]
    result["meets_ratio"] = ratio <= result["target_ratio"]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    print(
        f"batch {result['batch_cases_per_second']:,} cases/s, floor (orjson alone) "
        f"{result['floor_cases_per_second']:,} cases/s: {ratio:.2f} times the floor's time "
        f"(target {result['target_ratio']}; by CPU time {cpu_ratio:.2f}); "
        f"compute alone {result['compute_only_cases_per_second']:,} cases/s"
    )


if __name__ == "__main__":
    main()
