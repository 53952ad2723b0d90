"""Wilson intervals against the textbook derivation: the interval is the set of p for which
|p_hat - p| <= z * sqrt(p (1 - p) / n), i.e. the roots of a quadratic in p."""

from __future__ import annotations

import math
from statistics import NormalDist

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.publicdata.stats import ratio, wilson


def roots(x: int, n: int, conf: float = 0.95) -> tuple[float, float]:
    z = NormalDist().inv_cdf(1 - (1 - conf) / 2)
    ph = x / n
    a = 1 + z * z / n
    b = -(2 * ph + z * z / n)
    c = ph * ph
    disc = math.sqrt(b * b - 4 * a * c)
    return ((-b - disc) / (2 * a), (-b + disc) / (2 * a))


@pytest.mark.parametrize("x,n", [(0, 1), (1, 1), (0, 10), (3, 10), (10, 10), (81, 263), (1356, 5061), (1, 100000)])
def test_wilson_is_the_root_pair(x, n):
    lo, hi = wilson(x, n)
    rlo, rhi = roots(x, n)
    assert lo == pytest.approx(max(0.0, rlo), abs=1e-12)
    assert hi == pytest.approx(min(1.0, rhi), abs=1e-12)


@given(st.integers(min_value=1, max_value=10**6).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_holds_the_estimate_and_stays_in_zero_one(xn):
    x, n = xn
    lo, hi = wilson(x, n)
    assert 0.0 <= lo <= x / n <= hi <= 1.0
    # At the bounds the score statistic is exactly z.
    z = NormalDist().inv_cdf(0.975)
    for p in (lo, hi):
        if 0 < p < 1:
            assert abs(x / n - p) == pytest.approx(z * math.sqrt(p * (1 - p) / n), rel=1e-6, abs=1e-12)


def test_wilson_of_nothing_is_nothing_and_bad_counts_are_refused():
    assert wilson(0, 0) is None
    with pytest.raises(ValueError):
        wilson(5, 4)


def test_ratio_of_rates_with_katz_interval():
    r, lo, hi = ratio(30, 100, 15, 100)
    assert r == pytest.approx(2.0)
    se = math.sqrt(1 / 30 - 1 / 100 + 1 / 15 - 1 / 100)
    assert lo == pytest.approx(2.0 * math.exp(-1.959963984540054 * se))
    assert hi == pytest.approx(2.0 * math.exp(1.959963984540054 * se))
    assert ratio(0, 100, 15, 100) is None
