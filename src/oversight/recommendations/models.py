"""Every recommendation of the OPA Director, the Inspector General and CPC, and every
Management Action, with the dated events of its answer and implementation (SMC 3.29.305;
3.29.030.D-E; 3.29.115.B; 3.29.215.A). Written only through ``actions``; what the events mean
is ``rules.recommendations``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from oversight.cases.models import AppendOnly, Case
from oversight.rules import recommendations as rr

ISSUERS = [("opa", "OPA Director"), ("oig", "Inspector General"), ("cpc", "Community Police Commission")]
ADDRESSEES = [
    ("spd", "Seattle Police Department"),
    ("opa", "Office of Police Accountability"),
    ("other_department", "Another City department"),
    ("council", "City Council"),
    ("state", "State legislature"),
]
# The areas of the police accountability system a recommendation speaks to.
CATEGORIES = [
    ("policy", "SPD policy"),
    ("training", "Training"),
    ("supervision", "Supervision and early intervention"),
    ("use_of_force", "Use of force"),
    ("bias", "Bias-free policing"),
    ("stops", "Stops and detentions"),
    ("accountability_process", "The accountability process (OPA, OIG, CPC)"),
    ("discipline", "Discipline and appeals"),
    ("transparency", "Transparency and data"),
    ("community", "Community engagement"),
    ("technology", "Technology and records"),
    ("other", "Other"),
]
SOURCES = [
    ("report", "A written report"),
    ("case", "A case"),
    ("management_action", "A Management Action"),
]
EVENT_CHOICES = [(t, rr.EVENT_LABELS[t]) for t in rr.EVENT_TYPES]


class Recommendation(models.Model):
    number = models.CharField(max_length=24, unique=True)  # e.g. 2026-OIG-003
    issuer = models.CharField(max_length=8, choices=ISSUERS)
    addressee = models.CharField(max_length=24, choices=ADDRESSEES)
    title = models.CharField(max_length=200)
    text = models.TextField()
    category = models.CharField(max_length=32, choices=CATEGORIES)
    issued_on = models.DateField()
    source = models.CharField(max_length=24, choices=SOURCES)
    # The report it came from, as named in the public library; a case never shows publicly.
    report_title = models.CharField(max_length=300, blank=True)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="systemic_recommendations"
    )
    management_action = models.OneToOneField(
        "discipline.ManagementAction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tracked",
    )
    needs_funding = models.BooleanField(default=False)  # 3.29.305.G
    needs_state_legislation = models.BooleanField(default=False)  # 3.29.305.H
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-issued_on", "-number"]

    def __str__(self) -> str:
        return f"{self.number}: {self.title}"

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        from oversight.cases.models import AppendOnlyError

        raise AppendOnlyError("A recommendation, once issued, stays on the record: withdraw it instead")


class RecommendationEvent(AppendOnly):
    """One dated step: an answer, a progress report, implementation, a withdrawal."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="events")
    type = models.CharField(max_length=24, choices=EVENT_CHOICES)
    date = models.DateField()
    text = models.TextField()  # the plan, the reasons, the progress, the evidence of implementation
    by_whom = models.CharField(max_length=200)  # who answered or reported, as they signed it
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["date", "pk"]


# The Mayor's written notices (3.29.305.G-H) and the Council's review schedule (3.29.305.F).
CITY_NOTICE_KINDS = [
    ("council_review", "City Council review of implementation status (SMC 3.29.305.F)"),
    (
        "budget_omission",
        "Mayor's notice: recommendations needing funding left out of the proposed budget (SMC 3.29.305.G)",
    ),
    (
        "legislative_omission",
        "Mayor's notice: recommendations left out of the proposed state legislative agenda (SMC 3.29.305.H)",
    ),
]


class CityNotice(AppendOnly):
    kind = models.CharField(max_length=24, choices=CITY_NOTICE_KINDS)
    date = models.DateField()
    text = models.TextField()
    recommendations = models.ManyToManyField(Recommendation, blank=True, related_name="city_notices")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-date", "-pk"]


class RecommendationReminder(AppendOnly):
    """A reminder mailed once per recommendation, answer due date and threshold: to the
    addressee's answerers (SPD's liaison, the OPA Director) and to the issuing body."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="+")
    due = models.DateField()
    days_before = models.SmallIntegerField()
    recipients = models.JSONField(default=list)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "due", "days_before"], name="recommendation_reminder_once"
            ),
        ]
