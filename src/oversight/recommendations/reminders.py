"""Reminders of the written answers due (SMC 3.29.305.A-B), sent by the daily deadline-reminder
task (``oversight.cases.reminders.send_deadline_reminders``) on the same days before the due
date as the case deadlines (settings.OVERSIGHT_REMINDER_DAYS) and on the day after it passed:
to those who answer for the addressee (SPD's liaison for SPD, the OPA Director for OPA) and to
the issuing body, which tracks the answer. Each reminder goes once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from oversight.cases.reminders import _threshold

from .actions import ANSWER_DUE_FROM, ANSWERING_ROLES, BODY_ROLES, answer_period, public_text
from .models import Recommendation, RecommendationReminder
from .waiting import awaiting_answer


def recipients(rec: Recommendation) -> list[str]:
    roles = set(ANSWERING_ROLES.get(rec.addressee, frozenset())) | set(BODY_ROLES[rec.issuer])
    users = get_user_model().objects.filter(groups__name__in=sorted(roles), is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def send_reminders(today: dt.date) -> list[dict[str, Any]]:
    thresholds = sorted({int(t) for t in settings.OVERSIGHT_REMINDER_DAYS}, reverse=True)
    sent = []
    for rec in awaiting_answer().filter(addressee__in=ANSWER_DUE_FROM).order_by("issued_on", "number"):
        days, cite = answer_period(rec.issued_on, rec.addressee)
        if days is None:
            continue
        due = rec.issued_on + dt.timedelta(days=days)
        t = _threshold((due - today).days, thresholds)
        if t is None:
            continue
        to = recipients(rec)
        if not to:
            continue
        when = "is overdue" if t == 0 else f"is due in {(due - today).days} days"
        link = settings.OVERSIGHT_PUBLIC_BASE_URL.rstrip("/") + reverse("recommendations:detail", args=[rec.number])
        try:
            with transaction.atomic():
                RecommendationReminder.objects.create(
                    recommendation=rec, due=due, days_before=t, recipients=to, sent_at=timezone.now()
                )
                send_mail(
                    f"[{rec.number}] The written answer {when} ({due.isoformat()})",
                    f"{rec.number}: {public_text(rec, rec.title)}\n\n"
                    f"{rec.get_issuer_display()} recommended this to {rec.get_addressee_display()} on "
                    f"{rec.issued_on.isoformat()}. The written answer, accepting it with a plan or explaining why "
                    f"not, is due {days} days after, on {due.isoformat()} [{cite}]; none is recorded yet.\n\n"
                    f"{link}\n",
                    None,
                    to,
                )
        except IntegrityError:
            continue  # already sent for this due date and threshold
        sent.append({"recommendation": rec.number, "due": due.isoformat(), "days_before": t, "to": to})
    return sent
