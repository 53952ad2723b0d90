"""The one door for the reports' writes: posting a report to the public library and recording
its distribution, with the audit entry, in one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from oversight import access
from oversight.cases.actions import ActionError, audit
from oversight.public.models import LibraryDocument

from . import render
from .kinds import KINDS
from .models import Distribution, PostedReport


def post_report(user: Any, kind: str, start: dt.date, end: dt.date) -> PostedReport:
    """Build the report from the records as they stand, keep it as posted, add it to the public
    library and record that it went to each recipient the section names."""
    access.require(user, "post_report")
    if kind not in KINDS:
        raise ActionError("kind", f"{kind!r} is not a report; reports: {', '.join(KINDS)}")
    k = KINDS[kind]
    if not access.roles_of(user) & k.office:
        raise access.Refused(
            f"The {k.title} is posted by its own office ({k.cite}); you hold no role of it.",
            what=f"to post the {k.title}",
        )
    if end < start:
        raise ActionError("to", f"{end.isoformat()} is before from ({start.isoformat()})")
    today = timezone.localdate()
    if end >= today:
        raise ActionError("to", f"the period must have ended before it is posted (it ends {end.isoformat()})")
    rep = k.build(start, end, today)
    body = render.html(rep)
    with transaction.atomic():
        doc = LibraryDocument.objects.create(
            kind=k.library,
            title=f"{rep.title}, {rep.period}"[:300],
            text=f"{rep.title} ({rep.cite}), for {rep.period}. Distributed to {', '.join(rep.recipients)}.",
            effective_on=end,
            published_on=today,
            published_by=user,
        )
        posted = PostedReport.objects.create(
            kind=kind,
            title=doc.title,
            period_start=start,
            period_end=end,
            html=body,
            sha256=hashlib.sha256(body.encode()).hexdigest(),
            library_document=doc,
            posted_on=today,
            posted_by=user,
            posted_at=timezone.now(),
        )
        doc.url = reverse("reports:posted", args=[posted.pk])  # the library's link to the report as posted
        doc.save(update_fields=["url"])
        Distribution.objects.bulk_create(
            Distribution(report=posted, recipient=r, sent_on=today, cite=rep.cite) for r in rep.recipients
        )
        audit(user, "post_report", None, report=posted.pk, kind=kind, start=start.isoformat(), end=end.isoformat())
    return posted
