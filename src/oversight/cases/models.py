"""A case is its events: an append-only log from which the clock computes every date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models

from oversight.rules.events import EVENT_TYPES

EVENT_CHOICES = [(t, t.replace("_", " ")) for t in EVENT_TYPES]


class AppendOnlyError(Exception):
    """An attempt to change or remove a record the law or the log keeps forever."""


class CaseNumber(models.Model):
    """The last sequence number handed out for a year: numbers are never reused."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


class Case(models.Model):
    number = models.CharField(max_length=32, unique=True)
    incident_date = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return self.number

    def as_clock_input(self, events: list[CaseEvent] | None = None) -> dict[str, Any]:
        """The case in the timeline contract's input shape (shared/spec/timeline.md)."""
        evs = events if events is not None else list(self.events.all())
        return {
            "case_id": self.number,
            "incident_date": self.incident_date.isoformat() if self.incident_date else None,
            "allegations": [
                {"id": f"A{a.pk}", "category": a.category, "criminal": a.criminal, "concealment": a.concealment}
                for a in self.allegations.all()
            ],
            "events": [e.as_clock_input() for e in evs],
        }


class Allegation(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="allegations")
    named_employee = models.CharField(max_length=200)
    category = models.CharField(max_length=64)
    description = models.TextField(blank=True)
    criminal = models.BooleanField(default=False)
    concealment = models.BooleanField(default=False)


class CaseEvent(models.Model):
    """One thing that happened to a case, on a date. Never edited, never deleted."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    type = models.CharField(max_length=48, choices=EVENT_CHOICES)
    date = models.DateField()
    data = models.JSONField(default=dict, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="case_event_seq_unique")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("case events are append-only: record a new event instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("case events are append-only and cannot be deleted")

    def as_clock_input(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "date": _iso(self.date)}
        out.update(self.data)
        return out


def _iso(d: dt.date | str) -> str:
    return d if isinstance(d, str) else d.isoformat()
