"""What waits on the recommendations: answers due from SPD's liaison and from the Director, and
for each issuing body, its recommendations whose answer is overdue (SMC 3.29.305.A-B)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse

from oversight import access
from oversight.home.registry import Waiting
from oversight.rules import recommendations as rr

from .actions import ANSWER_DUE_FROM, ANSWERING_ROLES, answer_period, bodies_of, public_text, shown_text
from .models import Recommendation, RecommendationEvent

CAP = 25


def awaiting_answer() -> Any:
    """Recommendations with no written answer yet and not withdrawn."""
    done = RecommendationEvent.objects.filter(recommendation=OuterRef("pk"), type__in=[*rr.ANSWERS, rr.WITHDRAWN])
    return Recommendation.objects.exclude(Exists(done))


def _item(kind: str, rec: Recommendation, today: dt.date, why: str, user: Any = None) -> Waiting:
    days, cite = answer_period(rec.issued_on, rec.addressee)
    due = rec.issued_on + dt.timedelta(days=days) if days is not None else None
    late = due is not None and today > due
    return Waiting(
        kind,
        f"{rec.number}: {shown_text(user, rec, rec.title) if user is not None else public_text(rec, rec.title)}",
        reverse("recommendations:detail", args=[rec.number]),
        why + (f" The answer was due {due} [{cite}]." if late else f" [{cite}]"),
        due=due,
        status="overdue" if late else "open",
        more=reverse("recommendations:index") + "?status=awaiting",
    )


def to_answer(user: Any, today: dt.date) -> Iterator[Waiting]:
    """SPD's liaison: what is addressed to SPD; the Director: what is addressed to OPA."""
    if not access.may(user, "answer_recommendation"):
        return
    roles = access.roles_of(user)
    addressees = [a for a, held in ANSWERING_ROLES.items() if roles & held]
    for rec in awaiting_answer().filter(addressee__in=addressees).order_by("issued_on", "number")[:CAP]:
        yield _item(
            "Recommendations to answer",
            rec,
            today,
            f"{rec.get_issuer_display()} recommended this to {rec.get_addressee_display()} on {rec.issued_on}: "
            "meet and confer, and answer in writing (accept with a plan, or explain why not).",
            user,
        )


def overdue_answers(user: Any, today: dt.date) -> Iterator[Waiting]:
    """For each issuing body: its recommendations whose answer is overdue."""
    bodies = bodies_of(user)
    if not bodies or not access.may(user, "track_recommendations"):
        return
    candidates = awaiting_answer().filter(issuer__in=bodies, addressee__in=ANSWER_DUE_FROM)
    for rec in candidates.order_by("issued_on", "number")[: CAP * 4]:
        days, _ = answer_period(rec.issued_on, rec.addressee)
        if days is None or today <= rec.issued_on + dt.timedelta(days=days):
            continue
        yield _item(
            "Recommendations with an overdue answer",
            rec,
            today,
            f"{rec.get_addressee_display()} has not answered in writing.",
            user,
        )


def register() -> None:
    from oversight.home.registry import register_waiting

    register_waiting(to_answer)
    register_waiting(overdue_answers)
