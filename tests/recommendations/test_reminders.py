"""Reminders of a written answer due (SMC 3.29.305.A-B): mailed by the daily reminder task on the
deadline reminders' days before the due date and once it has passed, to the addressee's
answerers and to the issuing body; each once; none once answered, none where no period is set."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from oversight.cases.reminders import send_deadline_reminders
from oversight.recommendations import actions as ra
from oversight.recommendations.reminders import send_reminders
from oversight.rules import access as R

pytestmark = pytest.mark.django_db


def _issue(user, body, on, **over):
    kw = {
        "body": body,
        "addressee": "spd",
        "title": "Report stops by precinct",
        "text": "Each quarter.",
        "category": "stops",
        "issued_on": on,
        "report_title": "A review",
    }
    return ra.issue(user, **(kw | over))


def test_the_answer_due_is_mailed_to_the_liaison_and_the_issuing_body(staff, today, settings):
    settings.OVERSIGHT_REMINDER_DAYS = [14, 3, 0]
    days, _ = ra.answer_period(today)
    rec = _issue(staff[R.CPC_STAFF], "cpc", today - dt.timedelta(days=days - 14))  # due in 14 days
    council = _issue(staff[R.CPC_STAFF], "cpc", today - dt.timedelta(days=days + 5), addressee="council")
    sent = send_reminders(today)
    assert [s["recommendation"] for s in sent] == [rec.number] and sent[0]["days_before"] == 14
    to = set(mail.outbox[0].to)
    assert {staff[R.SPD_LIAISON].email, staff[R.CPC_STAFF].email} == to  # not OIG, not the Director
    assert "due in 14 days" in mail.outbox[0].subject and "SMC 3.29.305.A" in mail.outbox[0].body
    assert send_reminders(today) == []  # once only
    assert send_reminders(today + dt.timedelta(days=5)) == []  # 9 days left: nothing new
    assert [s["days_before"] for s in send_reminders(today + dt.timedelta(days=11))] == [3]
    assert send_reminders(today + dt.timedelta(days=14)) == []  # due today: not yet overdue
    late = send_reminders(today + dt.timedelta(days=15))
    assert [s["days_before"] for s in late] == [0] and "is overdue" in mail.outbox[-1].subject
    assert council.number not in str(late)


def test_answered_or_addressed_to_opa_goes_to_its_answerers(staff, today, settings):
    settings.OVERSIGHT_REMINDER_DAYS = [3, 0]
    days, _ = ra.answer_period(today)
    answered = _issue(staff[R.INSPECTOR_GENERAL], "oig", today - dt.timedelta(days=days + 1))
    ra.record(staff[R.SPD_LIAISON], answered, kind="not_accepted", on=today, text="No budget.")
    to_opa = _issue(staff[R.INSPECTOR_GENERAL], "oig", today - dt.timedelta(days=days + 1), addressee="opa")
    result = send_deadline_reminders.call(today.isoformat(), reschedule=False)  # the daily task sends them
    assert result == 1 and len(mail.outbox) == 1
    assert to_opa.number in mail.outbox[0].subject
    assert staff[R.DIRECTOR].email in mail.outbox[0].to and staff[R.INSPECTOR_GENERAL].email in mail.outbox[0].to
    assert staff[R.SPD_LIAISON].email not in mail.outbox[0].to
