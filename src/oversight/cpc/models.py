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


MEETING_KINDS = [
    ("public", "Monthly public meeting (SMC 3.29.225.C)"),
    ("with_director_and_ig", "Meeting with the OPA Director and the Inspector General (SMC 3.29.225.A)"),
    ("community", "Annual community meeting (SMC 3.29.215.A.11)"),
    ("workgroup", "Workgroup subcommittee (SMC 3.29.225.C)"),
]


class Meeting(models.Model):
    """A CPC meeting with its agenda and, once held, its minutes; both published to the public."""

    kind = models.CharField(max_length=24, choices=MEETING_KINDS)
    date = models.DateField()
    title = models.CharField(max_length=200)
    place = models.CharField(max_length=200, blank=True)
    agenda = models.TextField()
    minutes = models.TextField(blank=True)
    minutes_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-date", "-pk"]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        from oversight.cases.models import AppendOnlyError

        raise AppendOnlyError("A meeting, once on the record, stays there")


INPUT_SOURCES = [
    ("meeting", "At a public meeting"),
    ("outreach", "At an outreach event"),
    ("email", "By email"),
    ("phone", "By phone"),
    ("in_person", "In person"),
    ("community_org", "From a community organization"),
]
ROUTES = [("", "Kept by CPC"), ("opa", "Sent to OPA as a complaint"), ("oig", "Sent to the Inspector General")]


class CommunityInput(models.Model):
    """What the community told CPC (outreach, feedback), and where CPC sent it (3.29.215.A.3)."""

    received_on = models.DateField()
    source = models.CharField(max_length=24, choices=INPUT_SOURCES)
    summary = models.TextField()
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="inputs")
    routed_to = models.CharField(max_length=8, choices=ROUTES, blank=True)
    routed_on = models.DateField(null=True, blank=True)
    consent = models.BooleanField(default=False)  # the person agreed to their complaint going to OPA
    complaint = models.ForeignKey(
        "public.WebComplaint", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hotline_report = models.ForeignKey(
        "oig.HotlineReport", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-received_on", "-pk"]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        from oversight.cases.models import AppendOnlyError

        raise AppendOnlyError("Community input stays on the record")


# --------------------------------------------------------------------------
# OIG's annual workplan, reviewed with CPC (SMC 3.29.110.A.20; 3.29.215.A.15)
# --------------------------------------------------------------------------


class Workplan(models.Model):
    """The Inspector General's draft workplan for a year, shared with CPC for its annual review,
    and the workplan OIG then sets (independently: CPC proposes, OIG decides)."""

    year = models.PositiveSmallIntegerField(unique=True)
    draft = models.TextField()
    shared_on = models.DateField()
    meeting_on = models.DateField(null=True, blank=True)  # the annual meeting with CPC on the draft
    final = models.TextField(blank=True)
    set_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-year"]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        from oversight.cases.models import AppendOnlyError

        raise AppendOnlyError("A workplan, once shared, stays on the record")


class WorkplanProposal(AppendOnly):
    """An area CPC proposes for OIG's investigation and evaluation, or an emergent issue."""

    workplan = models.ForeignKey(Workplan, on_delete=models.PROTECT, related_name="proposals")
    proposed_on = models.DateField()
    area = models.CharField(max_length=200)
    reasons = models.TextField()
    emergent = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["proposed_on", "pk"]


PROPOSAL_DECISIONS = [
    ("included", "Included in the workplan"),
    ("in_part", "Included in part"),
    ("not_included", "Not included, with the reasons"),
]


class WorkplanAnswer(AppendOnly):
    proposal = models.OneToOneField(WorkplanProposal, on_delete=models.PROTECT, related_name="answer")
    decision = models.CharField(max_length=16, choices=PROPOSAL_DECISIONS)
    text = models.TextField()
    answered_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
