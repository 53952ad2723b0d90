"""Posted reports and their distribution (SMC 3.29.030.H, 3.29.115.G, 3.29.220.A): once posted,
a report is what it was on that day, kept as written, never changed."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from oversight.cases.models import AppendOnly


class PostedReport(AppendOnly):
    kind = models.CharField(max_length=24)
    title = models.CharField(max_length=300)
    period_start = models.DateField()
    period_end = models.DateField()
    html = models.TextField()  # the report as posted (the public page and the PDF are made from it)
    sha256 = models.CharField(max_length=64)
    library_document = models.ForeignKey(
        "public.LibraryDocument", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    posted_on = models.DateField()
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    posted_at = models.DateTimeField()

    class Meta:
        ordering = ["-posted_at", "-pk"]


class Distribution(AppendOnly):
    """The report sent to one recipient the section names (the City Clerk among them, for filing)."""

    report = models.ForeignKey(PostedReport, on_delete=models.PROTECT, related_name="distribution")
    recipient = models.CharField(max_length=120)
    sent_on = models.DateField()
    cite = models.CharField(max_length=120)

    class Meta:
        ordering = ["report", "pk"]


class ReportDraft(AppendOnly):
    """OIG's preliminary draft of a report, delivered for review and comment (SMC 3.29.115.E)."""

    kind = models.CharField(max_length=24)
    period_start = models.DateField()
    period_end = models.DateField()
    delivered_on = models.DateField()
    reviewers = models.JSONField(default=list)  # who received it: the Chief of Police, the OPA Director, others
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    delivered_at = models.DateTimeField()

    class Meta:
        ordering = ["-delivered_at", "-pk"]


class DraftComment(AppendOnly):
    draft = models.ForeignKey(ReportDraft, on_delete=models.PROTECT, related_name="comments")
    reviewer = models.CharField(max_length=120)
    received_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["received_on", "pk"]
