"""What waits for OPA from the public: new web complaints and what complainants added later,
until someone working the case reads them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse

from oversight import access
from oversight.cases.models import Case
from oversight.home.registry import Waiting

from .models import ComplainantUpdate, ReadMark, WebComplaint


def _url(number: str) -> str:
    return reverse("cases:detail", args=[number]) + "#sent"


def web_complaints(user: Any, today: dt.date) -> Iterator[Waiting]:
    """Web complaints nobody has read yet, for intake."""
    if not access.may(user, "read_additions") or not access.may(user, "open_case"):
        return
    scope = Case.objects.filter(access.action_q(user, "read_additions"), closed_on__isnull=True)
    qs = (
        WebComplaint.objects.filter(case__in=scope)
        .exclude(Exists(ReadMark.objects.filter(complaint=OuterRef("pk"))))
        .select_related("case")
        .order_by("submitted_at")
    )
    for web in qs[:50]:
        files = web.evidence.count()
        later = web.updates.count()
        bits = [
            f"Filed {web.submitted_at:%Y-%m-%d %H:%M}" + (f" about “{web.get_topic_display()}”" if web.topic else "")
        ]
        if files:
            bits.append(f"{files} file{'s' if files != 1 else ''} attached")
        if later:
            bits.append(f"{later} later addition{'s' if later != 1 else ''} through the tracking page")
        yield Waiting(
            "New web complaints",
            f"{web.case.number}: filed on the web form",
            _url(web.case.number),
            "; ".join(bits) + ". Not yet read.",
            status="new",
            case=web.case.number,
        )


def additions(user: Any, today: dt.date) -> Iterator[Waiting]:
    """What complainants added after filing, unread, on the cases this person works."""
    if not access.may(user, "read_additions"):
        return
    scope = Case.objects.filter(access.action_q(user, "read_additions"), closed_on__isnull=True)
    later = ReadMark.objects.filter(complaint=OuterRef("complaint"), up_to__gte=OuterRef("added_at"))
    qs = (
        ComplainantUpdate.objects.filter(complaint__case__in=scope)
        .filter(Exists(ReadMark.objects.filter(complaint=OuterRef("complaint"))))  # unread complaints: listed whole
        .exclude(Exists(later))
        .select_related("complaint__case")
        .order_by("added_at")
    )
    seen: set[int] = set()
    for upd in qs[:200]:
        case = upd.complaint.case
        if case.pk in seen:
            continue
        seen.add(case.pk)
        n = sum(1 for u in qs if u.complaint.case_id == case.pk)
        yield Waiting(
            "What complainants sent",
            f"{case.number}: {n} addition{'s' if n != 1 else ''} unread",
            _url(case.number),
            f"The complainant added information through the tracking page on {upd.added_at:%Y-%m-%d}.",
            status="new",
            case=case.number,
        )


def summaries_to_publish(user: Any, today: dt.date) -> Iterator[Waiting]:
    """Cases the Chief decided that have no published summary yet (SMC 3.29.030.C)."""
    if not access.may(user, "publish"):
        return
    from oversight.cases.models import CaseEvent

    from .models import Publication

    qs = (
        Case.objects.filter(Exists(CaseEvent.objects.filter(case=OuterRef("pk"), type="chief_decision")))
        .exclude(Exists(Publication.objects.filter(case=OuterRef("pk"), kind="summary")))
        .order_by("-number")
    )
    for case in qs[:50]:
        yield Waiting(
            "Summaries to publish",
            f"{case.number}: completed investigation summary",
            reverse("public:staff_publish") + f"?case={case.number}",
            "The Chief decided this case; its summary is posted online through the redaction path [SMC 3.29.030.C].",
            status="new",
            case=case.number,
        )


def register() -> None:
    from oversight.home.registry import register_waiting

    register_waiting(web_complaints)
    register_waiting(additions)
    register_waiting(summaries_to_publish)
