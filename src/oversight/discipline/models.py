"""Findings, the Chief's decision, discipline, statements, appeals and separations.

The clock reads the case's event log (oversight.cases); these tables keep the
richer record beside it. Every write goes through ``oversight.discipline.actions``,
which also appends an event to the case's hash-chained log and an audit entry.
Records of discipline are never changed or deleted (SMC 3.29.320.E): an appeal
that modifies discipline adds a new record that supersedes the old one.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from oversight.cases.models import Allegation, AppendOnly, AppendOnlyError, Case, NamedEmployee
from oversight.labels import finding_label

STAGES = [
    ("recommended", "OPA Director's recommendation"),
    ("chief", "Chief of Police's final finding"),
    ("appeal", "As modified on appeal or by settlement"),
]

DISCIPLINE_KINDS = [
    ("none", "No discipline"),
    ("oral_reprimand", "Oral reprimand"),
    ("written_reprimand", "Written reprimand"),
    ("suspension", "Unpaid suspension"),
    ("demotion", "Demotion"),
    ("termination", "Termination"),
]
DISCIPLINE_LABELS = dict(DISCIPLINE_KINDS)

MA_STATUSES = [
    ("awaiting_response", "Awaiting SPD's written response"),
    ("accepted", "Accepted; change under way"),
    ("implemented", "Implemented"),
    ("partially_implemented", "Partially implemented"),
    ("declined", "Declined by SPD"),
]

APPELLANTS = [("employee", "The named employee"), ("union", "The union, on the employee's behalf")]
FORUMS = [
    ("pscsc", "Public Safety Civil Service Commission"),
    ("pscsc_examiner", "Hearing examiner delegated by the PSCSC"),
    ("hearing_examiner", "City Hearing Examiner (collective bargaining agreement)"),
]
FORUM_LABELS = dict(FORUMS)
# The employee appeals to the PSCSC (or its delegate), the union through the Hearing Examiner.
FORUMS_FOR = {"employee": ("pscsc", "pscsc_examiner"), "union": ("hearing_examiner",)}
OUTCOMES = [
    ("pending", "Pending"),
    ("upheld", "Upheld: findings and discipline unchanged"),
    ("modified", "Findings or discipline modified"),
    ("reversed", "Reversed"),
    ("settled", "Settled with the City Attorney's approval"),
    ("withdrawn", "Withdrawn"),
]
OUTCOME_LABELS = dict(OUTCOMES)
SEPARATIONS = [
    ("terminated", "Terminated"),
    ("resigned_in_lieu", "Resigned in lieu of termination"),
    ("left_pending_complaint", "Resigned or retired with a pending complaint, not participating fully"),
]
STATEMENT_KINDS = [
    ("chief_reasons", "Chief of Police's statement of material reasons (SMC 3.29.027.B)"),
    ("timeline", "OPA Director's statement on an exceeded time limit (SMC 3.29.027.C)"),
]


class DisciplineRecordError(AppendOnlyError):
    """A record of discipline cannot be changed or removed."""


def _who() -> Any:
    return models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")


class Recommendation(AppendOnly):
    """The Director's certification of the investigation and recommended findings (SMC 3.29.020.A.7)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="recommendations")
    issued_on = models.DateField()
    analysis = models.TextField(blank=True)
    meet_complainant = models.BooleanField(default=False)  # SMC 3.29.025.F
    meet_complainant_reason = models.TextField(blank=True)
    recorded_by = _who()
    recorded_at = models.DateTimeField()


class Finding(AppendOnly):
    """One finding on one allegation against one named employee, at one stage."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="discipline_findings")
    allegation = models.ForeignKey(Allegation, on_delete=models.PROTECT, related_name="findings")
    named_employee = models.ForeignKey(NamedEmployee, on_delete=models.PROTECT, related_name="findings")
    stage = models.CharField(max_length=16, choices=STAGES)
    finding = models.CharField(max_length=32)
    material_dishonesty = models.BooleanField(default=False)  # SMC 3.29.027.F
    decided_on = models.DateField()
    recommendation = models.ForeignKey(Recommendation, null=True, blank=True, on_delete=models.PROTECT)
    decision = models.ForeignKey("ChiefDecision", null=True, blank=True, on_delete=models.PROTECT)
    appeal = models.ForeignKey("Appeal", null=True, blank=True, on_delete=models.PROTECT)
    recorded_by = _who()
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["allegation_id", "pk"]

    @property
    def label(self) -> str:
        """The finding as the profile's taxonomy labels it (``taxonomies.findings.labels``)."""
        return finding_label(self.finding, self.decided_on)


class ManagementAction(models.Model):
    """A letter to SPD recommending a change, posted and copied to OIG and CPC when issued
    (SMC 3.29.030.D); SPD's written answer and the change's status are tracked here."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="management_actions")
    letter = models.TextField()
    issued_on = models.DateField()
    posted_on = models.DateField()
    copied_to_oig_on = models.DateField()
    copied_to_cpc_on = models.DateField()
    spd_response = models.TextField(blank=True)
    spd_response_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=24, choices=MA_STATUSES, default="awaiting_response")
    recorded_by = _who()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("A Management Action, once sent, stays on the record [SMC 3.29.030.D]")


class TrainingReport(AppendOnly):
    """The chain of command's report of the training given on a Training Referral."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="training_reports")
    reported_on = models.DateField()
    reported_by_name = models.CharField(max_length=200)
    training_given = models.TextField()
    recorded_by = _who()
    recorded_at = models.DateTimeField()


class ChiefDecision(AppendOnly):
    """The Chief's final findings and discipline, after the due process hearing (SMC 3.29.027, 3.29.310.A)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="chief_decisions")
    decided_on = models.DateField()
    due_process_hearing_on = models.DateField()
    follows_recommendation = models.BooleanField()
    supplemental_meeting_on = models.DateField(null=True, blank=True)  # SMC 3.29.027.A
    inspector_general_present = models.BooleanField(default=False)
    complainant_meeting_on = models.DateField(null=True, blank=True)  # SMC 3.29.025.F
    dishonesty_reasons = models.TextField(blank=True)  # SMC 3.29.027.F
    recorded_by = _who()
    recorded_at = models.DateTimeField()


class DisciplineQuerySet(models.QuerySet["Discipline"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise DisciplineRecordError(Discipline.NEVER_REMOVED)

    def update(self, **kwargs: Any) -> int:
        raise DisciplineRecordError(Discipline.NEVER_REMOVED)


class Discipline(models.Model):
    """Discipline as imposed: it takes effect when imposed, not after any appeal (SMC 3.29.310.A.3)."""

    NEVER_REMOVED = (
        "Records of written reprimands or other disciplinary actions shall not be removed "
        "[SMC 3.29.320.E]: this record cannot be changed or deleted; an appeal or settlement "
        "that modifies it is recorded as a new record that supersedes it."
    )

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="discipline")
    named_employee = models.ForeignKey(NamedEmployee, on_delete=models.PROTECT, related_name="discipline")
    kind = models.CharField(max_length=24, choices=DISCIPLINE_KINDS)
    suspension_days = models.PositiveSmallIntegerField(null=True, blank=True)
    imposed_on = models.DateField()
    effective_on = models.DateField()
    decision = models.ForeignKey(ChiefDecision, null=True, blank=True, on_delete=models.PROTECT)
    appeal = models.ForeignKey("Appeal", null=True, blank=True, on_delete=models.PROTECT)
    supersedes = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT)
    recorded_by = _who()
    recorded_at = models.DateTimeField()

    objects = DisciplineQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise DisciplineRecordError(self.NEVER_REMOVED)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise DisciplineRecordError(self.NEVER_REMOVED)

    @property
    def label(self) -> str:
        base = DISCIPLINE_LABELS.get(self.kind, self.kind)
        if self.kind == "suspension" and self.suspension_days:
            return f"{base} of {self.suspension_days} day{'s' if self.suspension_days != 1 else ''}"
        return base


class LeaveWithoutPay(AppendOnly):
    """Leave without pay before the investigation ends, for a felony or gross misdemeanor charge (SMC 3.29.310.A.4)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="leaves_without_pay")
    named_employee = models.ForeignKey(NamedEmployee, on_delete=models.PROTECT, related_name="+")
    charge = models.CharField(max_length=24, choices=[("felony", "Felony"), ("gross_misdemeanor", "Gross misdemeanor")])
    charged_on = models.DateField()
    leave_from = models.DateField()
    recorded_by = _who()
    recorded_at = models.DateTimeField()


class Statement(AppendOnly):
    """A written statement SMC 3.29.027 requires; it names no employee (3.29.027.D)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="statements")
    kind = models.CharField(max_length=16, choices=STATEMENT_KINDS)
    issued_on = models.DateField()
    reasons = models.TextField()
    personal_circumstances = models.BooleanField(default=False)
    recipients = models.JSONField(default=list)
    document = models.TextField()
    sha256 = models.CharField(max_length=64)
    recorded_by = _who()
    recorded_at = models.DateTimeField()


class Appeal(models.Model):
    """An appeal of findings or discipline: the employee's to the PSCSC (or its hearing
    examiner), or the union's challenge to the City Hearing Examiner (SMC 3.29.310.A.7-8)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="appeals")
    named_employee = models.ForeignKey(NamedEmployee, on_delete=models.PROTECT, related_name="appeals")
    appellant = models.CharField(max_length=12, choices=APPELLANTS)
    forum = models.CharField(max_length=20, choices=FORUMS)
    nature = models.TextField()
    notice_filed_on = models.DateField()
    hearing_on = models.DateField(null=True, blank=True)
    ruling_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=OUTCOMES, default="pending")
    modification = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    recorded_by = _who()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("An appeal stays on the record [SMC 3.29.305.J]")


class Settlement(AppendOnly):
    """A settlement of an appeal or grievance: only with the City Attorney's approval (SMC 3.29.310.A.11)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="settlements")
    terms = models.TextField()
    settled_on = models.DateField()
    approved_by = _who()
    approved_at = models.DateTimeField()


class ComplainantNotice(AppendOnly):
    """What the complainant and the public are told when an appeal changes findings or discipline
    (SMC 3.29.030.G, 3.29.027.B)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="appeal_notices")
    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="notices")
    produced_on = models.DateField()
    document = models.TextField()
    sha256 = models.CharField(max_length=64)
    recorded_at = models.DateTimeField()


class Separation(models.Model):
    """A sworn employee separated for cause, and the documentation SMC 3.29.320.F requires."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="separations")
    named_employee = models.ForeignKey(NamedEmployee, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24, choices=SEPARATIONS)
    separated_on = models.DateField()
    wscjtc_letter_on = models.DateField(null=True, blank=True)
    wscjtc_letter = models.TextField(blank=True)
    wscjtc_response_on = models.DateField(null=True, blank=True)
    wscjtc_response = models.TextField(blank=True)
    no_special_commission_on = models.DateField(null=True, blank=True)
    no_concealed_carry_on = models.DateField(null=True, blank=True)
    recorded_by = _who()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("A separation for cause stays on the record [SMC 3.29.320.E-F]")

    def missing(self) -> list[str]:
        """What SMC 3.29.320.F still requires, in words."""
        out = []
        if self.kind != "left_pending_complaint":
            if self.wscjtc_letter_on is None:
                out.append("the letter to the WSCJTC regarding de-certification [SMC 3.29.310.A.13]")
            if self.wscjtc_response_on is None:
                out.append("whether the WSCJTC took action in response to the letter [SMC 3.29.320.F(2)]")
        if self.no_special_commission_on is None:
            out.append(
                "the Chief's refusal of a Special Commission, reserve or retired-officer authorization "
                "[SMC 3.29.320.F(3)]"
            )
        if self.no_concealed_carry_on is None:
            out.append("the Chief's refusal of concealed-carry authorization (LEOSA) [SMC 3.29.320.F(4)]")
        return out


class CaseAccess(models.Model):
    """A named employee or union representative who may read this case's notices and determinations."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="discipline_access")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="discipline_access")
    named_employee = models.ForeignKey(NamedEmployee, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=16, choices=[("named_employee", "Named employee"), ("union", "Union")])
    granted_by = _who()
    granted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "case", "named_employee"], name="discipline_access_once"),
        ]
