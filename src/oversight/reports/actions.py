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
from oversight.cases.clock import rules_for
from oversight.public.models import LibraryDocument
from oversight.rules.report_cycle import Cycle, draft_cycle

from . import render
from .kinds import KINDS
from .models import Distribution, DraftComment, PostedReport, ReportDraft

DRAFT_CYCLE = frozenset({"oig-quarterly", "oig-annual", "oig-semiannual"})  # SMC 3.29.115.E: "the reports"
REVIEWERS = ["the Chief of Police", "the OPA Director"]


def cycle(draft: ReportDraft, today: dt.date) -> Cycle:
    """Where the draft stands: the comment period, the final report's due date, whether it may be released."""
    rules = rules_for(draft.delivered_on)
    c, f = rules.periods["oig_report_comment"], rules.periods["oig_report_final"]
    return draft_cycle(
        draft.delivered_on,
        len(draft.reviewers),
        [x.received_on for x in draft.comments.all()],
        int(c.value),
        int(f.value),
        today,
        c.cite,
    )


def deliver_draft(
    user: Any, kind: str, start: dt.date, end: dt.date, delivered_on: dt.date, reviewers: list[str] | None = None
) -> ReportDraft:
    """Record that OIG's preliminary draft went to the Chief, the Director (and others) for comment."""
    access.require(user, "report_draft")
    if kind not in DRAFT_CYCLE:
        raise ActionError("kind", f"only OIG's reports have a draft cycle ({', '.join(sorted(DRAFT_CYCLE))})")
    today = timezone.localdate()
    if delivered_on > today:
        raise ActionError("delivered_on", f"{delivered_on.isoformat()} is after today")
    if end < start:
        raise ActionError("to", f"{end.isoformat()} is before from ({start.isoformat()})")
    who = [r.strip() for r in (reviewers or REVIEWERS) if r.strip()]
    missing = [r for r in REVIEWERS if r not in who]
    if missing:
        raise ActionError(
            "reviewers", f"the draft goes to {' and '.join(REVIEWERS)} [SMC 3.29.115.E]; missing: {missing[0]}"
        )
    if ReportDraft.objects.filter(kind=kind, period_start=start, period_end=end).exists():
        raise ActionError(
            "draft", f"a draft of this report for {start.isoformat()} to {end.isoformat()} was already delivered"
        )
    with transaction.atomic():
        draft = ReportDraft.objects.create(
            kind=kind,
            period_start=start,
            period_end=end,
            delivered_on=delivered_on,
            reviewers=who,
            delivered_by=user,
            delivered_at=timezone.now(),
        )
        audit(user, "deliver_report_draft", None, draft=draft.pk, kind=kind, delivered_on=delivered_on.isoformat())
    return draft


def record_draft_comment(user: Any, draft: ReportDraft, reviewer: str, received_on: dt.date) -> DraftComment:
    access.require(user, "report_draft")
    if reviewer not in draft.reviewers:
        raise ActionError("reviewer", f"{reviewer!r} did not receive the draft ({', '.join(draft.reviewers)})")
    if received_on < draft.delivered_on or received_on > timezone.localdate():
        raise ActionError("received_on", f"{received_on.isoformat()} is before the draft was delivered or after today")
    if draft.comments.filter(reviewer=reviewer).exists():
        raise ActionError("reviewer", f"the comments of {reviewer} are already recorded")
    with transaction.atomic():
        c = DraftComment.objects.create(
            draft=draft, reviewer=reviewer, received_on=received_on, recorded_by=user, recorded_at=timezone.now()
        )
        audit(user, "record_draft_comment", None, draft=draft.pk, reviewer=reviewer)
    return c


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
    if kind in DRAFT_CYCLE:
        draft = ReportDraft.objects.filter(kind=kind, period_start=start, period_end=end).first()
        if draft is None:
            raise ActionError(
                "draft",
                "OIG delivers a preliminary draft to the Chief of Police and the OPA Director for comment "
                "before the report is issued [SMC 3.29.115.E]: deliver the draft first",
            )
        cyc = cycle(draft, today)
        if cyc.in_review:
            raise ActionError(
                "draft",
                f"the draft is in review until {cyc.comment_due.isoformat()} and may not be released meanwhile "
                "[SMC 3.29.115.E]",
            )
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
