"""Timelines of many cases, one JSON line in and one JSON line out (``oversight timeline --batch``).

The profile and ``today`` are the same for every case of a batch. Replay, reports and the
board read a batch's lines, so this is the loop that must be fast; the benchmark
(``benchmarks/timeline_bench.py``) measures it beside reading and writing the same lines
with orjson alone. The rules in force are resolved once (``plan.Plan``), not for every case.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Final

import orjson

from oversight.rules.events import CaseError, parse_case
from oversight.rules.plan import Plan
from oversight.rules.profile import Profile

# Pieces (a result and its newline) held before a write: 128 lines, some 140 kB. Small enough
# that the joined buffer is reused from the heap and stays in cache; one big join per 4,096
# lines (8,192 pieces) made every flush fresh memory to fault in (the batch went 15 to 25%
# slower, the orjson floor's loop as much: benchmarks/timeline_bench.py uses this value too).
FLUSH_EVERY: Final = 256
_BLANK: Final = b" \t\n\r\x0b\x0c"  # what bytes.strip() removes: a line that begins with none of them is not blank


def run_batch(
    lines: Iterable[bytes],
    write: Callable[[bytes], object],
    profile: Profile,
    today: int,
    on_error: Callable[[int, str], object] | None = None,
) -> int:
    """Write one result line per input line to ``write``; returns how many lines were bad.

    A blank line gets a blank line. A line that is not JSON, or not a case, gets
    ``{"line": N, "error": "..."}`` and ``on_error(N, message)`` is told.
    """
    plan = Plan(profile)
    dumps = orjson.dumps
    loads = orjson.loads
    bad = 0
    buf: list[bytes] = []  # its append called directly: compiled, that is the list's own append, not a call
    lineno = 0
    for line in lines:
        lineno += 1
        if not line or (line[0] in _BLANK and not line.strip()):
            buf.append(b"\n")
            continue
        try:
            out = dumps(plan.compute(parse_case(loads(line)), today))
        except (CaseError, orjson.JSONDecodeError) as e:
            bad += 1
            msg = str(e) if isinstance(e, CaseError) else f"not JSON: {e}"
            if on_error is not None:
                on_error(lineno, msg)
            out = dumps({"line": lineno, "error": msg})
        buf.append(out)
        buf.append(b"\n")
        if len(buf) >= FLUSH_EVERY:
            write(b"".join(buf))
            buf.clear()
    if buf:
        write(b"".join(buf))
    return bad
