"""What waits for CPC: closed cases and published reports it has not reviewed yet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse

from oversight import access
from oversight.cases.models import Case
from oversight.home.registry import Waiting
from oversight.oig.models import ClassificationAudit
from oversight.public.models import LibraryDocument

from .models import Review

CAP = 25


def closed_cases(user: Any, today: dt.date) -> Iterator[Waiting]:
    if not access.may(user, "cpc_review"):
        return
    qs = (
        Case.objects.filter(access.action_q(user, "cpc_review"), closed_on__isnull=False)
        .exclude(Exists(Review.objects.filter(case=OuterRef("pk"))))
        .order_by("-closed_on", "-number")
    )
    for case in qs[:CAP]:
        yield Waiting(
            "Closed cases to review",
            f"{case.number}, closed {case.closed_on:%Y-%m-%d}",
            reverse("cases:detail", args=[case.number]),
            "A closed investigation CPC has not reviewed yet for systemic improvements [SMC 3.29.215.A.16].",
            status="new",
            case=case.number,
            more=reverse("cpc:home") + "?reviewed=no",
        )


def reports(user: Any, today: dt.date) -> Iterator[Waiting]:
    if not access.may(user, "cpc_review"):
        return
    done_audits = Review.objects.filter(audit__isnull=False).values("audit_id")
    for a in ClassificationAudit.objects.filter(published_on__isnull=False).exclude(pk__in=done_audits)[:CAP]:
        yield Waiting(
            "Reports to review",
            f"OIG classification audit {a}",
            reverse("oig:audit_report", args=[a.pk]),
            f"Published {a.published_on:%Y-%m-%d}; not yet reviewed by CPC.",
            status="new",
        )
    done_docs = Review.objects.filter(document__isnull=False).values("document_id")
    for d in LibraryDocument.objects.filter(kind__in=("opa_report", "oig_report")).exclude(pk__in=done_docs)[:CAP]:
        yield Waiting(
            "Reports to review",
            d.title,
            reverse("public:library_document", args=[d.pk]),
            f"{d.get_kind_display()} published {d.published_on:%Y-%m-%d}; not yet reviewed by CPC.",
            status="new",
        )


def meetings_due(user: Any, today: dt.date) -> Iterator[Waiting]:
    """A period of the chapter's rhythm with no meeting held or set in it (3.29.225.A, C), and
    meetings held whose minutes are not recorded yet."""
    if not access.may(user, "cpc_workspace"):
        return
    from oversight.cases.clock import rules_for
    from oversight.rules.meetings import met, period_of

    from .models import Meeting

    rules = rules_for(today)
    for schedule, kind, words in (
        ("cpc_public_meetings", "public", "No public meeting is held or set in this period"),
        (
            "cpc_meetings_with_director_and_ig",
            "with_director_and_ig",
            "No meeting with the OPA Director and the Inspector General is held or set in this period",
        ),
    ):
        months = list(rules.schedules[schedule].value)
        held = list(Meeting.objects.filter(kind=kind).values_list("date", flat=True))
        if not met(months, today, held):
            start, end = period_of(months, today)
            yield Waiting(
                "Meetings the chapter requires",
                f"{rules.schedules[schedule].cite}: {start} to {end}",
                reverse("cpc:meetings"),
                f"{words} [{rules.schedules[schedule].cite}].",
                due=end,
                status="open",
            )
    for m in Meeting.objects.filter(date__lt=today, minutes="").order_by("date")[:CAP]:
        yield Waiting(
            "Minutes to record",
            f"{m.title}, {m.date}",
            reverse("cpc:meetings") + f"#meeting-{m.pk}",
            "Held; its minutes are published once recorded.",
            status="new",
        )


def workplan(user: Any, today: dt.date) -> Iterator[Waiting]:
    """CPC: OIG's draft workplans not set yet, to review and propose additions to; the Inspector
    General: CPC's proposals waiting for an answer (SMC 3.29.110.A.20; 3.29.215.A.15)."""
    from .models import Workplan, WorkplanProposal

    url = reverse("cpc:workplan")
    if access.may(user, "propose_workplan_addition"):
        for plan in Workplan.objects.filter(set_on__isnull=True).exclude(proposals__isnull=False)[:CAP]:
            yield Waiting(
                "OIG's workplan to review",
                f"OIG's draft workplan for {plan.year}",
                url + f"#workplan-{plan.year}",
                f"Shared with CPC on {plan.shared_on}"
                + (f"; the meeting on it is on {plan.meeting_on}" if plan.meeting_on else "")
                + ". CPC may propose areas for OIG's investigation and evaluation [SMC 3.29.215.A.15].",
                due=plan.meeting_on,
                status="open",
            )
    if access.may(user, "share_workplan"):
        waiting = WorkplanProposal.objects.filter(answer__isnull=True).select_related("workplan")
        for p in waiting.order_by("proposed_on", "pk")[:CAP]:
            yield Waiting(
                "CPC's workplan proposals to answer",
                f"{p.workplan.year} workplan: {p.area}",
                url + f"#proposal-{p.pk}",
                f"Proposed by CPC on {p.proposed_on}"
                + (" as an emergent issue" if p.emergent else "")
                + " [SMC 3.29.110.A.20].",
                status="new",
            )


def register() -> None:
    from oversight.home.registry import register_waiting

    register_waiting(workplan)

    register_waiting(meetings_due)

    register_waiting(closed_cases)
    register_waiting(reports)
