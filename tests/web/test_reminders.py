"""Reminders: 14 and 3 days before a deadline and when it passes, to the investigator
and their supervisor, once each; run as a task on Django's tasks framework."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from oversight.cases import actions
from oversight.cases.reminders import TASK_PATH, ensure_scheduled, send_deadline_reminders, send_reminders
from oversight.rules import access as R

from .conftest import intake_kwargs

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(staff, today, make_user):
    sup = staff[R.SUPERVISOR]
    case = actions.open_case(staff[R.INTAKE], **intake_kwargs(today, received_on=today - dt.timedelta(days=16)))
    actions.assign(sup, case, staff[R.INVESTIGATOR], sup)
    return case


def test_fourteen_days_before_the_notice_is_due(assigned, staff, today):
    # received 16 days ago: the 30-day notice is due in 14 days
    sent = send_reminders(today)
    assert sent == [
        {
            "case": assigned.number,
            "deadline": "named_employee_notice",
            "due": (today + dt.timedelta(days=14)).isoformat(),
            "days_before": 14,
        }
    ]
    assert len(mail.outbox) == 1
    msg = mail.outbox[0]
    assert set(msg.to) == {staff[R.INVESTIGATOR].email, staff[R.SUPERVISOR].email}
    assert assigned.number in msg.subject and "SMC 3.29.026.A" in msg.body
    assert send_reminders(today) == []  # once only
    assert len(mail.outbox) == 1


def test_three_days_before_and_when_it_passes(assigned, today):
    send_reminders(today)
    assert send_reminders(today + dt.timedelta(days=5)) == []  # 9 days left: nothing new
    three = send_reminders(today + dt.timedelta(days=11))
    assert [s["days_before"] for s in three] == [3]
    assert send_reminders(today + dt.timedelta(days=14)) == []  # due today, not yet passed
    passed = send_reminders(today + dt.timedelta(days=15))
    assert [s["days_before"] for s in passed] == [0]
    assert "has passed" in mail.outbox[-1].subject


def test_a_met_deadline_sends_nothing(assigned, staff, today):
    actions.send_notice(staff[R.INTAKE], assigned)
    assert [s["deadline"] for s in send_reminders(today + dt.timedelta(days=11))] == []


def test_no_assigned_investigator_no_reminder(staff, today):
    actions.open_case(staff[R.INTAKE], **intake_kwargs(today, received_on=today - dt.timedelta(days=16)))
    assert send_reminders(today) == []


def test_the_task_runs_and_schedules_the_next_day(assigned, today, settings):
    from django_tasks_db.models import DBTaskResult

    assert ensure_scheduled() is True
    assert ensure_scheduled() is False  # one waiting run is enough
    assert DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").count() == 1
    result = send_deadline_reminders.call(today.isoformat())  # what the worker runs
    assert result == 1 and len(mail.outbox) == 1
    waiting = DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").order_by("-run_after").first()
    assert waiting.run_after > timezone.now() + dt.timedelta(hours=23)  # tomorrow's run
    assert DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").count() == 2
