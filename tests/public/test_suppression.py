"""Published tables hide small cells, and the hiding cannot be undone by subtracting from totals."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.public.suppression import suppress

T = 5


def _lines(R: int, C: int) -> list[list[tuple[int, int]]]:
    return [[(i, j) for j in range(C + 1)] for i in range(R + 1)] + [
        [(i, j) for i in range(R + 1)] for j in range(C + 1)
    ]


def _table(cells: list[list[int]]) -> tuple[dict[tuple[str, str], int], list[str], list[str]]:
    rows = [f"r{i}" for i in range(len(cells))]
    cols = [f"c{j}" for j in range(len(cells[0]))]
    return {(rows[i], cols[j]): v for i, r in enumerate(cells) for j, v in enumerate(r)}, rows, cols


def test_subtracting_the_shown_cells_from_the_total_does_not_give_the_small_one() -> None:
    counts, rows, cols = _table([[2, 9, 12], [7, 8, 30]])
    t = suppress(counts, rows, cols, T)
    assert t.shown(0, 0) is None  # 2 is small
    # its row then hides another cell, so 23 - 9 - 12 cannot be done
    assert [t.shown(0, j) for j in range(4)].count(None) >= 2
    # and its column too, so that 9 - 7 cannot be done
    assert [t.shown(i, 0) for i in range(3)].count(None) >= 2


small_tables = st.integers(1, 3).flatmap(
    lambda r: st.integers(1, 3).flatmap(
        lambda c: st.lists(st.lists(st.integers(0, 12), min_size=c, max_size=c), min_size=r, max_size=r)
    )
)


@settings(max_examples=300, deadline=None)
@given(small_tables)
def test_no_small_cell_is_shown_and_no_line_hides_just_one(cells: list[list[int]]) -> None:
    counts, rows, cols = _table(cells)
    t = suppress(counts, rows, cols, T)
    for k, v in t.values.items():
        if 0 < v < T:
            assert k in t.hidden
    for line in _lines(len(rows), len(cols)):
        assert sum(1 for k in line if k in t.hidden) != 1


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.integers(0, 6), min_size=2, max_size=2), min_size=2, max_size=2))
def test_no_hidden_cell_can_be_worked_out_from_what_is_shown(cells: list[list[int]]) -> None:
    """Brute force: every non-negative table that agrees with everything shown (cells, row and
    column totals, the grand total); each hidden inner cell must take more than one value among them."""
    counts, rows, cols = _table(cells)
    t = suppress(counts, rows, cols, T)
    R, C = len(rows), len(cols)
    hi = t.values[(R, C)]
    inner = [(i, j) for i in range(R) for j in range(C)]
    unknown = [k for k in inner if k in t.hidden]
    possible: dict[tuple[int, int], set[int]] = {k: set() for k in unknown}

    def bound(k: tuple[int, int]) -> int:
        row, col = t.shown(k[0], C), t.shown(R, k[1])
        return min(x for x in (row, col, hi) if x is not None)

    for guess in itertools.product(*(range(bound(k) + 1) for k in unknown)):
        alt = {k: t.values[k] for k in inner} | dict(zip(unknown, guess, strict=True))
        margins = {(i, C): sum(alt[(i, j)] for j in range(C)) for i in range(R)}
        margins |= {(R, j): sum(alt[(i, j)] for i in range(R)) for j in range(C)}
        margins[(R, C)] = sum(alt.values())
        if all(t.shown(*k) is None or t.shown(*k) == v for k, v in margins.items()):
            for k in unknown:
                possible[k].add(alt[k])
    for k in unknown:
        if 0 < t.values[k] < T:
            assert len(possible[k]) > 1, (cells, k)
