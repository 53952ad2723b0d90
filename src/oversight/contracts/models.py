"""The registry of bargaining agreements (SMC 3.29.330.B) and the consultations on the City's
bargaining agenda with OPA, OIG and CPC (SMC 3.29.330.A), kept confidential until the agreement
is public. Every write goes through ``oversight.contracts.actions``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

STATUSES = [
    ("proposed", "Proposed"),
    ("tentative", "Tentative agreement"),
    ("ratified", "Ratified"),
    ("rejected", "Rejected"),
    ("expired", "Expired"),
]
STATUS_LABELS = dict(STATUSES)
OFFICES = [
    ("opa", "Office of Police Accountability"),
    ("oig", "Office of Inspector General"),
    ("cpc", "Community Police Commission"),
]
OFFICE_LABELS = dict(OFFICES)


class Agreement(models.Model):
    guild = models.CharField(max_length=200)
    title = models.CharField(max_length=300)
    term_from = models.DateField(null=True, blank=True)
    term_to = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=STATUSES, default="proposed")
    # a rejected agreement's ratification vote
    votes_for = models.PositiveIntegerField(null=True, blank=True)
    votes_against = models.PositiveIntegerField(null=True, blank=True)
    vote_on = models.DateField(null=True, blank=True)
    # its coded overlay: a file of oversight/rules/agreements (without .toml)
    overlay = models.CharField(max_length=80, blank=True)
    # the agreement's text in the public library (SMC 3.29.330.B), once posted
    library_document = models.ForeignKey(
        "public.LibraryDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    public_on = models.DateField(null=True, blank=True)  # the day it was made public; None: confidential
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-term_from", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def public(self) -> bool:
        return self.public_on is not None


class Consultation(models.Model):
    """OPA, OIG or CPC consulted on the City's bargaining agenda; confidential until the agreement is public."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="consultations")
    office = models.CharField(max_length=4, choices=OFFICES)
    held_on = models.DateField()
    summary = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["held_on", "pk"]
