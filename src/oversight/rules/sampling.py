"""OIG's quarterly classification audit: how many cases, and which (SMC 3.29.111).

The sample size follows Cochran's formula for a proportion with the finite
population correction:

    n0 = z^2 * p * (1 - p) / e^2          z: the normal quantile for the confidence
    n  = ceil(n0 / (1 + (n0 - 1) / N))    N: the number of classifications in the quarter

The draw is reproducible: the population is put in a stable order (its identifiers
sorted) and sampled with Python's Mersenne Twister seeded by the recorded seed, so
the same population and seed give the same sample on any machine and database.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import NormalDist

from oversight.rules.profile import SamplingRule


@dataclass(frozen=True, slots=True)
class Sample:
    population: int
    size: int
    seed: int
    method: str  # a sentence anyone can recompute the size from
    cite: str
    chosen: tuple[str, ...]


def cochran_size(population: int, confidence: float, margin: float, proportion: float) -> int:
    """Cochran's sample size with the finite population correction (never more than N)."""
    if population <= 0:
        return 0
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    n0 = z * z * proportion * (1 - proportion) / (margin * margin)
    n = n0 / (1 + (n0 - 1) / population)
    return min(population, math.ceil(n - 1e-9))


def draw(population_ids: Iterable[str], rule: SamplingRule, seed: int) -> Sample:
    """The audit sample: its size from the rule's method, its members from the seed."""
    ids = sorted(set(population_ids))
    size = cochran_size(len(ids), rule.confidence, rule.margin_of_error, rule.expected_proportion)
    chosen = tuple(sorted(random.Random(seed).sample(ids, size)))
    method = (
        f"Cochran's formula with finite population correction: confidence {rule.confidence:.0%}, "
        f"margin of error {rule.margin_of_error:.0%}, expected proportion {rule.expected_proportion:g}, "
        f"population {len(ids)}: sample {size}; drawn with seed {seed} from the case numbers in sorted order"
    )
    return Sample(len(ids), size, seed, method, rule.cite, chosen)
