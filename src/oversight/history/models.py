"""What marks a case as imported history, and the export's own words kept beside the
standard values. An imported case is closed, has no clock events and never enters the
board; its findings are ordinary Finding records (stage ``chief``) so that every report,
the discipline database and early intervention read native and imported cases alike."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from oversight.cases.models import Allegation, Case, NamedEmployee


class ImportedDataset(models.Model):
    name = models.CharField(max_length=64, unique=True)
    title = models.CharField(max_length=200)
    publisher = models.CharField(max_length=300, blank=True)
    mapping = models.CharField(max_length=300)
    notes = models.TextField(blank=True)
    can_show = models.TextField(blank=True)
    names_public = models.BooleanField(default=False)
    # this office's own past (counted in its reports of Chapter 3.29), not another city's records
    office_history = models.BooleanField(default=False)
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    report = models.JSONField(default=dict)

    def __str__(self) -> str:
        return self.name


class ImportedCase(models.Model):
    """A closed case that came from an export. A complaint no longer in a later export (or
    changed in it) is marked withdrawn, never deleted: its records stay (SMC 3.29.320.E)."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="imported")
    dataset = models.ForeignKey(ImportedDataset, on_delete=models.PROTECT, related_name="cases")
    source_id = models.CharField(max_length=64)
    version = models.PositiveSmallIntegerField(default=1)
    digest = models.CharField(max_length=64)
    line = models.PositiveIntegerField()
    raw = models.JSONField(default=dict)  # the complaint's own words, per field
    precision = models.JSONField(default=dict)  # date field -> day, month or year
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "source_id", "version"], name="imported_case_once"),
        ]
        indexes = [models.Index(fields=["dataset", "withdrawn_at"], name="imported_case_current")]


class ImportedEmployee(models.Model):
    named_employee = models.OneToOneField(NamedEmployee, on_delete=models.PROTECT, related_name="imported")
    pseudonym = models.CharField(max_length=32, blank=True, db_index=True)
    race = models.CharField(max_length=80, blank=True)
    gender = models.CharField(max_length=40, blank=True)
    raw = models.JSONField(default=dict)


class ImportedAllegation(models.Model):
    allegation = models.OneToOneField(Allegation, on_delete=models.PROTECT, related_name="imported")
    line = models.PositiveIntegerField()
    rows = models.PositiveIntegerField(default=1)
    recommended_discipline = models.CharField(max_length=120, blank=True)
    discipline = models.CharField(max_length=24, blank=True)
    appeal_outcome = models.CharField(max_length=12, blank=True)
    raw = models.JSONField(default=dict)


HANDLING = [
    ("reviewed_no_action", "Reviewed: no intervention needed"),
    ("mentoring", "Performance mentoring"),
    ("coaching", "Non-disciplinary coaching"),
    ("training", "Training"),
    ("referred", "Referred for a closer look"),
]
HANDLING_LABELS = dict(HANDLING)


class AlertHandling(models.Model):
    """How SPD command handled an early-intervention alert (SMC 3.29.305.E); OIG audits these
    (3.29.110.A.3.e). Kept under the alert's key, which changes when other records raise it."""

    alert_key = models.CharField(max_length=200, db_index=True)
    rule = models.CharField(max_length=48)
    pseudonym = models.CharField(max_length=32)
    level = models.CharField(max_length=12)
    records = models.JSONField(default=list)  # the records that raised it, as handled
    action = models.CharField(max_length=24, choices=HANDLING)
    note = models.TextField(blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    handled_at = models.DateTimeField()

    class Meta:
        ordering = ["-handled_at"]

    @property
    def action_label(self) -> str:
        return HANDLING_LABELS.get(self.action, self.action)


class EfficacyReport(models.Model):
    """SPD's or OIG's report on the efficacy of performance mentoring and early intervention
    (SMC 3.29.305.E), with the numbers it was written on."""

    office = models.CharField(max_length=8, choices=[("spd", "SPD"), ("oig", "OIG")])
    period_start = models.DateField()
    period_end = models.DateField()
    findings = models.TextField()
    numbers = models.JSONField(default=dict)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-period_end", "-recorded_at"]
