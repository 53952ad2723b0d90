"""OIG's own records, kept apart from OPA's: determinations, review policy, audits,
the hotline, itemizations of records withheld. Every write goes through
``oversight.oig.actions``; OPA may read determinations on its cases, never change them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.cases.models import AppendOnly, Case, CaseEvent

# SMC 3.29.112.F: the three written determinations.
CERTIFIED = "certified"
NOT_CERTIFIED = "not_certified"
FURTHER = "not_certified_further"
OUTCOMES = [
    (CERTIFIED, "Certified as thorough, timely and objective"),
    (NOT_CERTIFIED, "Not certified; further investigation not requested or directed"),
    (FURTHER, "Not certified; further investigation requested or directed, or a meeting with the Director"),
]
FURTHER_KINDS = [
    ("directed", "Further investigation directed"),
    ("requested", "Further investigation requested"),
    ("meet_director", "Request to meet with the OPA Director to discuss possible further investigation"),
]
# SMC 3.29.112.F.2 (a) to (e).
CRITERIA = [
    ("a", "Witnesses contacted and interviewed; all other material evidence timely collected"),
    ("b", "Interviews thorough and unbiased; conflicting testimony sufficiently addressed"),
    ("c", "Whether additional clarifying information would strengthen the investigation"),
    ("d", "Written summary and analysis objective and accurately reflect the evidence"),
    ("e", "Applicable OPA procedures followed; intake and investigation per the OPA Manual"),
]


class OigAuditEntry(AppendOnly):
    """Who in OIG (or at the hotline) did what, when: one entry for every write of this app."""

    at = models.DateTimeField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    action = models.CharField(max_length=48)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]


REVIEW_MODES = [
    ("all_mandatory", "Every investigation on the mandatory list (A.1)"),
    ("chosen_categories", "Only chosen categories, plus random audits (A.3)"),
]


class ReviewPolicy(AppendOnly):
    """OIG's standing choices; the latest row is in force.

    ``mode``: review every investigation on the mandatory list (A.1), or only chosen
    categories plus random audits (A.3; Type III force always). ``preclassification``:
    every proposed classification waits for OIG's input (3.29.111.B)."""

    mode = models.CharField(max_length=24, choices=REVIEW_MODES, default="all_mandatory")
    chosen = models.JSONField(default=list, blank=True)
    preclassification = models.BooleanField(default=False)
    reason = models.TextField()
    set_on = models.DateField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-pk"]


class ReviewDirection(AppendOnly):
    """OIG directs that an investigation not on the list be submitted for review (A.2)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="oig_directions")
    reason = models.TextField()
    directed_on = models.DateField()
    directed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")


class Determination(AppendOnly):
    """OIG's written determination on one submission; its memorandum is an exhibit in
    the case file (SMC 3.29.112.F.1)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="oig_determinations")
    submission = models.ForeignKey(CaseEvent, on_delete=models.PROTECT, related_name="+")
    review_round = models.PositiveSmallIntegerField()  # N of oig_review_N
    outcome = models.CharField(max_length=32, choices=OUTCOMES)
    further_kind = models.CharField(max_length=16, choices=FURTHER_KINDS, blank=True)
    further_investigation = models.TextField(blank=True)
    reasons = models.TextField(blank=True)
    criteria = models.JSONField(default=dict)  # {"a": "...", ..., "e": "..."}
    cannot_remedy = models.BooleanField(default=False)  # SMC 3.29.112.H
    decided_on = models.DateField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    memorandum = models.TextField()
    memorandum_sha256 = models.CharField(max_length=64)
    clock_event = models.ForeignKey(CaseEvent, on_delete=models.PROTECT, related_name="+")
    extension_event = models.ForeignKey(CaseEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case", "pk"]
        constraints = [models.UniqueConstraint(fields=["submission"], name="oig_one_determination_per_submission")]


class ClassificationInput(AppendOnly):
    """OIG's input on a proposed classification while pre-classification review is on."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="oig_classification_inputs")
    proposed = models.CharField(max_length=32)
    concur = models.BooleanField()
    comment = models.TextField()
    given_on = models.DateField()
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")


class ClassificationAudit(models.Model):
    """One quarter's random audit of classifications (SMC 3.29.111)."""

    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    population = models.PositiveIntegerField()
    population_ids = models.JSONField(default=list)  # the case numbers, sorted
    size = models.PositiveIntegerField()
    seed = models.BigIntegerField()
    method = models.TextField()
    cite = models.CharField(max_length=200)
    confidence = models.FloatField()
    margin_of_error = models.FloatField()
    expected_proportion = models.FloatField()
    sample = models.JSONField(default=list)  # case numbers drawn, sorted
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    findings = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)
    public_report = models.TextField(blank=True)
    published_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-quarter"]
        constraints = [models.UniqueConstraint(fields=["year", "quarter"], name="oig_one_audit_per_quarter")]

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter}"


class AuditItem(models.Model):
    """One sampled case and the auditor's check of it."""

    audit = models.ForeignKey(ClassificationAudit, on_delete=models.PROTECT, related_name="items")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    classification = models.CharField(max_length=32)
    classification_appropriate = models.BooleanField(null=True)
    allegations_identified = models.BooleanField(null=True)
    employees_identified = models.BooleanField(null=True)
    notes = models.TextField(blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["audit", "case__number"]

    @property
    def checked(self) -> bool:
        return self.checked_at is not None


# The hotline is public: what a reporter reads is translated (oversight/oig/locale).
HOTLINE_TOPICS = [
    ("general", _("An issue for OIG (SMC 3.29.110.A.17)")),
    ("retaliation", _("Retaliation for helping OPA, OIG or CPC (SMC 3.29.345.A)")),
    ("interference", _("Interference with OPA, OIG or CPC (SMC 3.29.345.B)")),
]
REPORTER_KINDS = [("public", _("A member of the public")), ("city_employee", _("A City employee"))]
HOTLINE_STATUSES = [
    ("received", _("Received")),
    ("under_review", _("Under review by OIG")),
    ("investigation_opened", _("OIG opened an investigation")),
    ("referred", _("Referred to the appropriate authority")),
    ("closed", _("Closed")),
]


class HotlineReport(models.Model):
    """A report to OIG's hotline. The reporter holds a code (only its hash is kept);
    their identity, if given at all, is for OIG's eyes only."""

    code_hash = models.CharField(max_length=64, unique=True)
    topic = models.CharField(max_length=16, choices=HOTLINE_TOPICS, default="general")
    reporter_kind = models.CharField(max_length=16, choices=REPORTER_KINDS, default="public")
    reporter_name = models.CharField(max_length=200, blank=True)
    reporter_contact = models.CharField(max_length=300, blank=True)
    received_at = models.DateTimeField()
    status = models.CharField(max_length=24, choices=HOTLINE_STATUSES, default="received")

    class Meta:
        ordering = ["-received_at"]

    @property
    def anonymous(self) -> bool:
        return not (self.reporter_name or self.reporter_contact)


class HotlineMessage(AppendOnly):
    report = models.ForeignKey(HotlineReport, on_delete=models.PROTECT, related_name="messages")
    from_reporter = models.BooleanField()
    text = models.TextField()
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["report", "at", "pk"]


class WithheldItemization(AppendOnly):
    """A department's itemization of documents or data it declined to give OIG (SMC 3.29.105.D)."""

    department = models.CharField(max_length=200)
    request = models.TextField()
    received_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-received_on", "-pk"]


class WithheldItem(AppendOnly):
    itemization = models.ForeignKey(WithheldItemization, on_delete=models.PROTECT, related_name="items")
    description = models.TextField()
    legal_basis = models.TextField()

    class Meta:
        ordering = ["pk"]


class ConflictClassification(AppendOnly):
    """OIG's classification of a complaint OPA routed to it for a conflict of interest
    (SMC 3.29.110.A.11; SMC 3.29.025.G), under the same constraints as OPA's."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="oig_classifications")
    classification = models.CharField(max_length=32)
    rationale = models.TextField()
    classified_on = models.DateField()
    classified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
