"""Small-cell suppression for published tables, safe against subtraction from totals.

Pure Python. A cell with a count above zero and below the threshold is suppressed
(primary suppression). Then, so that no suppressed cell can be recovered by
subtracting the shown cells of its row or column from the shown total, every row and
every column (the totals included) holds either no suppressed entry or at least two:
where one alone is hidden, the smallest other entry of that line is hidden too
(complementary suppression), repeated until nothing changes. Last, no hidden entry may be
worked out by any combination of the lines' sums (a linear-algebra check over the hidden
entries); where one could, another entry of its row is hidden, and the checks run again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

Key = tuple[int, int]  # (row, column); row == len(rows) is the column-totals line, col == len(cols) the row totals


@dataclass(frozen=True)
class Table:
    rows: list[str]
    cols: list[str]
    values: dict[Key, int]  # every cell, the margins included
    hidden: frozenset[Key]

    def shown(self, r: int, c: int) -> int | None:
        return None if (r, c) in self.hidden else self.values[(r, c)]


def suppress(counts: Mapping[tuple[str, str], int], rows: Sequence[str], cols: Sequence[str], threshold: int) -> Table:
    R, C = len(rows), len(cols)
    vals: dict[Key, int] = {}
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            vals[(i, j)] = int(counts.get((r, c), 0))
    for i in range(R):
        vals[(i, C)] = sum(vals[(i, j)] for j in range(C))
    for j in range(C + 1):
        vals[(R, j)] = sum(vals[(i, j)] for i in range(R))
    hidden = {k for k, v in vals.items() if 0 < v < threshold}
    lines: list[list[Key]] = [[(i, j) for j in range(C + 1)] for i in range(R + 1)]
    lines += [[(i, j) for i in range(R + 1)] for j in range(C + 1)]
    while True:
        _balance_lines(lines, vals, hidden)
        exposed = recoverable(lines, vals, hidden)
        if not exposed:
            break
        k = min(exposed)
        row = lines[k[0]]
        candidates = [x for x in row if x not in hidden] or [x for x in lines[R + 1 + k[1]] if x not in hidden]
        if not candidates:
            break  # everything is hidden already
        hidden.add(min(candidates, key=lambda x: (vals[x] == 0, vals[x], x)))
    return Table(list(rows), list(cols), vals, frozenset(hidden))


def _balance_lines(lines: list[list[Key]], vals: dict[Key, int], hidden: set[Key]) -> None:
    changed = True
    while changed:
        changed = False
        for line in lines:
            inside = [k for k in line if k in hidden]
            if len(inside) != 1:
                continue
            # the line's total is its last entry; prefer hiding an inner cell, the smallest non-zero first
            candidates = [k for k in line[:-1] if k not in hidden] or [k for k in line if k not in hidden]
            if not candidates:
                continue
            pick = min(candidates, key=lambda k: (vals[k] == 0, vals[k], k))
            hidden.add(pick)
            changed = True


def recoverable(lines: list[list[Key]], vals: dict[Key, int], hidden: set[Key] | frozenset[Key]) -> set[Key]:
    """The hidden entries that the shown entries and the lines' sums determine exactly.

    Each line says: its inner entries add up to its last entry (the total). Over the hidden
    entries that is a linear system; a hidden entry is determined when its unit vector lies in
    the span of the system's rows.
    """
    unknowns = sorted(hidden)
    index = {k: i for i, k in enumerate(unknowns)}
    rows: list[list[Fraction]] = []
    for line in lines:
        coeffs = [Fraction(0)] * len(unknowns)
        for k in line[:-1]:
            if k in index:
                coeffs[index[k]] += 1
        if line[-1] in index:
            coeffs[index[line[-1]]] -= 1
        if any(coeffs):
            rows.append(coeffs)
    basis = _rref(rows)
    out = set()
    for k in unknowns:
        v = [Fraction(0)] * len(unknowns)
        v[index[k]] = Fraction(1)
        if not any(_reduce(v, basis)):
            out.add(k)
    return out


def _rref(rows: list[list[Fraction]]) -> list[tuple[int, list[Fraction]]]:
    basis: list[tuple[int, list[Fraction]]] = []  # (pivot column, row with 1 at the pivot)
    for r in rows:
        r = _reduce(list(r), basis)
        pivot = next((i for i, x in enumerate(r) if x), None)
        if pivot is None:
            continue
        r = [x / r[pivot] for x in r]
        basis = [(p, [a - b[p] * c for a, c in zip(b, r, strict=True)]) for p, b in basis]
        basis.append((pivot, r))
    return basis


def _reduce(v: list[Fraction], basis: list[tuple[int, list[Fraction]]]) -> list[Fraction]:
    for p, b in basis:
        if v[p]:
            f = v[p]
            v = [a - f * c for a, c in zip(v, b, strict=True)]
    return v
