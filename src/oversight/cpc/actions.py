"""The one door for CPC's writes: marking a closed case or a report as reviewed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from oversight import access
from oversight.cases.actions import ActionError, audit

from .models import Review


def mark_reviewed(
    user: Any, *, case: Any = None, audit_report: Any = None, document: Any = None, note: str = ""
) -> Review:
    """CPC reviewed a closed case (SMC 3.29.215.A.16) or a published report for systemic lessons."""
    subjects = [x for x in (case, audit_report, document) if x is not None]
    if len(subjects) != 1:
        raise ActionError("subject", "a review is of one closed case or one report")
    if case is not None:
        access.require(user, "cpc_review", case)
    else:
        access.require(user, "cpc_review")
    if audit_report is not None and audit_report.published_on is None:
        raise ActionError("audit", "only a published audit report is reviewed")
    with transaction.atomic():
        review = Review.objects.create(
            case=case,
            audit=audit_report,
            document=document,
            systemic_note=(note or "").strip(),
            reviewed_by=user,
            reviewed_at=timezone.now(),
        )
        audit(
            user,
            "cpc_review",
            case,
            review=review.pk,
            audit=getattr(audit_report, "pk", None),
            document=getattr(document, "pk", None),
        )
    return review
