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


def register() -> None:
    from oversight.home.registry import register_waiting

    register_waiting(closed_cases)
    register_waiting(reports)
