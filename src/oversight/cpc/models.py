"""CPC's own record of what it reviewed for systemic improvements (SMC 3.29.215.A.16): a closed
case or a report, when, by whom, and what systemic question it raised. CPC never records a
view on one case's evidence, findings or discipline: the note is about policy and practice."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from oversight.cases.models import AppendOnly, Case


class Review(AppendOnly):
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="cpc_reviews")
    audit = models.ForeignKey(
        "oig.ClassificationAudit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    document = models.ForeignKey(
        "public.LibraryDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    systemic_note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField()

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(case__isnull=False, audit__isnull=True, document__isnull=True)
                    | models.Q(case__isnull=True, audit__isnull=False, document__isnull=True)
                    | models.Q(case__isnull=True, audit__isnull=True, document__isnull=False)
                ),
                name="cpc_review_one_subject",
            )
        ]
