"""The classification audit's sample size and draw (SMC 3.29.111)."""

from __future__ import annotations

import datetime as dt

from oversight.rules import get_profile
from oversight.rules.sampling import cochran_size, draw

RULE = get_profile("seattle").at(dt.date(2024, 1, 1)).sampling["classification_audit"]


def test_known_sizes_at_95_percent_and_5_points() -> None:
    # z = 1.95996 (95%), p = 0.5, e = 0.05: n0 = 384.146; with the correction 1000 -> 277.7 -> 278,
    # 100 -> 79.5 -> 80, 10 -> 10, and a million -> 383.9998 -> 384
    assert cochran_size(1000, 0.95, 0.05, 0.5) == 278
    assert cochran_size(100, 0.95, 0.05, 0.5) == 80
    assert cochran_size(10, 0.95, 0.05, 0.5) == 10
    assert cochran_size(1_000_000, 0.95, 0.05, 0.5) == 384
    assert cochran_size(0, 0.95, 0.05, 0.5) == 0


def test_the_same_seed_draws_the_same_sample_whatever_the_order() -> None:
    ids = [f"2024OPA-{i:04d}" for i in range(1, 301)]
    a = draw(ids, RULE, seed=42)
    b = draw(list(reversed(ids)), RULE, seed=42)
    assert a == b
    assert a.size == len(a.chosen) == cochran_size(300, 0.95, 0.05, 0.5)
    assert set(a.chosen) <= set(ids)
    assert draw(ids, RULE, seed=43).chosen != a.chosen
    assert "seed 42" in a.method and "population 300" in a.method
