"""CPC's part of a closed case's page: whether CPC reviewed it, and the button to record it."""

from __future__ import annotations

from oversight.cases.page import CasePage
from oversight.home import registry as reg

from .models import Review


def cpc_section(page: CasePage) -> reg.Section | None:
    if not page.reader.may["cpc_review"]:
        return None
    reviews = list(Review.objects.filter(case=page.case).select_related("reviewed_by"))
    return reg.Section(
        "cpc",
        "CPC's systemic review",
        "cpc/sections/review.html",
        {"reviews": reviews},
        reg.PUBLICATION + 2,
    )


def register() -> None:
    reg.register_section(cpc_section)
