"""OIG's review list, its discretion to add cases, and the category-only mode (SMC 3.29.112.A)."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.rules import get_profile
from oversight.rules.review import CHOSEN_CATEGORIES, review_requirement

RULES = get_profile("seattle").at(dt.date(2024, 1, 1))


@pytest.mark.parametrize(
    "category",
    [
        "law",
        "honesty",
        "use_of_force",
        "use_of_force_reporting",
        "bias",
        "integrity",
        "ethics",
        "professionalism",
        "personal_gain",
        "conflict_of_interest",
        "gifts",
        "off_duty",
        "retaliation",
        "harassment",
        "complaint_handling",
        "discretion",
        "primary_investigation",
        "stops_detentions_arrests",
        "search_seizure",
    ],
)
def test_every_listed_category_requires_review(category: str) -> None:
    req = review_requirement([category], RULES)
    assert req.required and req.reasons[0].cite == "SMC 3.29.112.A.1"


def test_other_categories_only_when_oig_directs() -> None:
    assert not review_requirement(["courtesy", None], RULES).required
    req = review_requirement(["courtesy"], RULES, directed_by_oig=True)
    assert req.required and [r.cite for r in req.reasons] == ["SMC 3.29.112.A.2"]


def test_chosen_categories_mode_never_drops_type_iii_force() -> None:
    assert not review_requirement(["honesty"], RULES, mode=CHOSEN_CATEGORIES, chosen=frozenset({"bias"})).required
    assert review_requirement(["bias"], RULES, mode=CHOSEN_CATEGORIES, chosen=frozenset({"bias"})).required
    req = review_requirement(["type_iii_force"], RULES, mode=CHOSEN_CATEGORIES, chosen=frozenset())
    assert req.required and req.reasons[0].cite == "SMC 3.29.112.A.3"
    with pytest.raises(ValueError, match="mode"):
        review_requirement(["bias"], RULES, mode="none")


def test_type_iii_force_as_a_property_of_an_allegation_is_always_reviewed() -> None:
    """3.29.007 defines Type III force as a level of force: an allegation of, say, courtesy or
    use of force whose conduct involved it is reviewed even under chosen categories (A.3)."""
    req = review_requirement(["courtesy"], RULES, mode=CHOSEN_CATEGORIES, chosen=frozenset(), type_iii_force=True)
    assert req.required and [r.cite for r in req.reasons] == ["SMC 3.29.112.A.3"]
    assert "Type III force" in req.reasons[0].text
    assert not review_requirement(["courtesy"], RULES, mode=CHOSEN_CATEGORIES, chosen=frozenset()).required
