"""Rates with Wilson score intervals, ratios with Katz log intervals, counts per exposure with
Byar's Poisson interval. Pure Python."""

from __future__ import annotations

import math

Z95 = 1.959963984540054  # the 97.5th percentile of the standard normal


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval for a proportion; None when there is nothing to estimate."""
    if n <= 0:
        return None
    if not 0 <= successes <= n:
        raise ValueError(f"successes {successes} not within 0..{n}")
    p = successes / n
    z2 = z * z
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    # At 0 and n the bound is exactly 0 or 1; rounding would leave a hair's breadth beside it.
    lo = 0.0 if successes == 0 else max(0.0, centre - half)
    hi = 1.0 if successes == n else min(1.0, centre + half)
    return (lo, hi)


def rate(successes: int, n: int) -> float | None:
    return successes / n if n > 0 else None


def ratio(a: int, n_a: int, b: int, n_b: int, z: float = Z95) -> tuple[float, float, float] | None:
    """The ratio of two proportions (a/n_a) / (b/n_b) with the Katz log interval.

    None when either proportion is zero or undefined (the ratio or its interval is not finite)."""
    if n_a <= 0 or n_b <= 0 or a <= 0 or b <= 0:
        return None
    r = (a / n_a) / (b / n_b)
    se = math.sqrt(1 / a - 1 / n_a + 1 / b - 1 / n_b)
    return (r, r * math.exp(-z * se), r * math.exp(z * se))


def per(count: int, exposure: int, scale: int = 1000, z: float = Z95) -> tuple[float, float, float] | None:
    """``count`` events per ``scale`` units of ``exposure`` (e.g. uses of force per 1,000 stops),
    with Byar's approximation to the Poisson 95% interval of the count. The events need not be
    a subset of the exposure, so this is not a proportion. None when there is no exposure."""
    if exposure <= 0:
        return None
    if count < 0:
        raise ValueError(f"count {count} is negative")
    lo = 0.0 if count == 0 else count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3
    up = count + 1
    hi = up * (1 - 1 / (9 * up) + z / (3 * math.sqrt(up))) ** 3
    f = scale / exposure
    return (count * f, lo * f, hi * f)
