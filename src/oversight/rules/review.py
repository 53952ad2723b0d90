"""Which investigations OIG must review before certification (SMC 3.29.112.A).

- A.1: every investigation with an allegation on the mandatory list;
- A.2: any other investigation OIG directs, at classification or during the investigation;
- A.3: OIG may instead review only chosen categories (plus random audits), but never
  stops reviewing investigations that involve Type III force.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from oversight.rules.profile import Rules

ALL_MANDATORY = "all_mandatory"
CHOSEN_CATEGORIES = "chosen_categories"


@dataclass(frozen=True, slots=True)
class Reason:
    text: str
    cite: str


@dataclass(frozen=True, slots=True)
class Requirement:
    required: bool
    reasons: tuple[Reason, ...]


def review_requirement(
    categories: Iterable[str | None],
    rules: Rules,
    *,
    mode: str = ALL_MANDATORY,
    chosen: frozenset[str] = frozenset(),
    directed_by_oig: bool = False,
    type_iii_force: bool = False,
) -> Requirement:
    """Whether OIG must review this investigation, and why, each reason cited. ``type_iii_force``:
    an allegation's conduct involved Type III force (3.29.007 defines it as a level of force)."""
    if mode not in (ALL_MANDATORY, CHOSEN_CATEGORIES):
        raise ValueError(f"mode: {mode!r} is not {ALL_MANDATORY} or {CHOSEN_CATEGORIES}")
    cats = {c for c in categories if c}
    mandatory = rules.taxonomies["oig_mandatory_review"]
    always = rules.taxonomies["oig_always_review"]
    labels: dict[str, str] = {}
    for table in rules.taxonomy_labels.values():
        labels.update(table)

    def name(c: str) -> str:
        return labels.get(c, c.replace("_", " ")).lower()

    reasons: list[Reason] = []
    for c in sorted(cats & set(always.value)):
        reasons.append(Reason(f"an allegation of {name(c)} is always reviewed", always.cite))
    if type_iii_force and not cats & set(always.value):
        reasons.append(Reason("the conduct alleged involved Type III force, which OIG always reviews", always.cite))
    if mode == ALL_MANDATORY:
        for c in sorted(cats & set(mandatory.value)):
            reasons.append(Reason(f"an allegation of {name(c)} is on the mandatory review list", mandatory.cite))
    else:
        for c in sorted(cats & chosen):
            reasons.append(Reason(f"OIG reviews the chosen category {name(c)}", always.cite))
    if directed_by_oig:
        reasons.append(Reason("OIG directed that this investigation be submitted for review", "SMC 3.29.112.A.2"))
    return Requirement(bool(reasons), tuple(reasons))
