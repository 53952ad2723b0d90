"""Deadline reminders: the assigned investigator and their supervisor are emailed when
a deadline is some days away (settings.OVERSIGHT_REMINDER_DAYS, e.g. 14 and 3) and
when it has passed (0). Each reminder goes once; a missed day is caught up with the
nearest reminder only.

The job runs on Django's tasks framework (``django.tasks``) with the database
backend and worker of django-tasks-db: ``send_deadline_reminders`` does one day's
sending and enqueues itself for the next day; ``oversight manage schedule_reminders``
starts the cycle and ``oversight manage db_worker`` runs it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone

from .clock import RISK, deadline_label, refresh_board, timeline
from .models import Case, ReminderSent

TASK_PATH = "oversight.cases.reminders.send_deadline_reminders"


def _threshold(days_left: int, thresholds: list[int]) -> int | None:
    """The reminder a deadline ``days_left`` away is due for: the nearest threshold
    reached (0 once the deadline has passed), or None."""
    if days_left < 0:
        return 0 if 0 in thresholds else None
    reached = [t for t in thresholds if t > 0 and days_left <= t]
    return min(reached) if reached else None


def send_reminders(today: dt.date) -> list[dict[str, Any]]:
    thresholds = sorted(set(int(t) for t in settings.OVERSIGHT_REMINDER_DAYS), reverse=True)
    sent = []
    cases = (
        Case.objects.filter(closed_on__isnull=True, routed_to="", investigator__isnull=False)
        .select_related("investigator", "supervisor")
        .prefetch_related("events", "allegations")
    )
    for case in cases:
        for d in timeline(case, today)["deadlines"]:
            if d["status"] not in RISK or d["status"] in ("tolled", "not_applicable"):
                continue
            due = dt.date.fromisoformat(d["due"])
            t = _threshold((due - today).days, thresholds)
            if t is None:
                continue
            recipients = [u.email for u in (case.investigator, case.supervisor) if u is not None and u.email]
            if not recipients:
                continue
            try:
                with transaction.atomic():
                    ReminderSent.objects.create(
                        case=case,
                        deadline=d["id"],
                        due=due,
                        days_before=t,
                        recipients=recipients,
                        sent_at=timezone.now(),
                    )
                    label = deadline_label(d["id"])
                    when = "has passed" if t == 0 else f"is due in {(due - today).days} days"
                    why = "\n".join(f"  {s['days']:+d} days: {s['text']} [{s['cite']}]" for s in d["explanation"])
                    send_mail(
                        f"[{case.number}] {label} {when} ({d['due']})",
                        f"Case {case.number}: {label} {when}, on {d['due']}.\n\nWhy this date:\n{why}\n",
                        None,
                        recipients,
                    )
            except IntegrityError:
                continue  # already sent for this deadline, due date and threshold
            sent.append({"case": case.number, "deadline": d["id"], "due": d["due"], "days_before": t})
    return sent


@task
def send_deadline_reminders(today: str | None = None, reschedule: bool = True) -> int:
    """Refresh the board for the day, send the day's reminders, then enqueue tomorrow's run."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    refresh_board(day)  # the day's board projection, computed before anyone opens the board
    n = len(send_reminders(day))
    from oversight.recommendations.reminders import send_reminders as answers_due  # SMC 3.29.305.A-B

    n += len(answers_due(day))
    if reschedule:
        schedule_next(timezone.now() + dt.timedelta(days=1))
    return n


def schedule_next(when: dt.datetime) -> Any:
    return send_deadline_reminders.using(run_after=when).enqueue()


def ensure_scheduled() -> bool:
    """Enqueue a run now unless one is already waiting; True if one was enqueued."""
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").exists():
        return False
    send_deadline_reminders.enqueue()
    return True


@task
def checkpoint_chain_task(reschedule: bool = True) -> int:
    """Checkpoint the chain's heads (``oversight.cases.integrity.checkpoint``), then enqueue
    tomorrow's. Returns the number of events checkpointed."""
    from .integrity import checkpoint

    body = checkpoint()
    if reschedule:
        checkpoint_chain_task.using(run_after=timezone.now() + dt.timedelta(days=1)).enqueue()
    return int(body["events"])
