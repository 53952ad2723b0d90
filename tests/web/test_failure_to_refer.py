"""SMC 3.29.026.C: a late referral that made OPA miss a case's deadline is itself misconduct; OPA
opens a complaint against the employee who failed to refer, whose period is "the later of (a) 180
days following the end of the 180-day period for the underlying, untimely-referred alleged
misconduct or (b) 180 days following the determination that the 180-day deadline was missed"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from oversight.cases import actions
from oversight.cases.clock import timeline
from oversight.cases.models import Case
from oversight.rules import access as R

pytestmark = pytest.mark.django_db


def _late_referral(staff, today):
    """A referral that reached OPA long after it should have: its period ran out unmet."""
    return actions.open_case(
        staff[R.INTAKE],
        channel="spd_unit",
        should_have_been_referred_on=today - dt.timedelta(days=400),
        received_on=today - dt.timedelta(days=200),
        incident_date=today - dt.timedelta(days=401),
        named_employees=[{"name": "Marlo Keswick"}],
        allegations=[{"employee": 0, "category": "use_of_force"}],
    )


def test_a_missed_deadline_after_a_late_referral_opens_the_failure_to_refer_complaint(staff, today):
    case = _late_referral(staff, today)
    due = actions.failure_to_refer_due(case, today)
    assert due == (today - dt.timedelta(days=400) + dt.timedelta(days=180)).isoformat()
    determined = today - dt.timedelta(days=5)
    new = actions.open_failure_to_refer(
        staff[R.SUPERVISOR],
        case,
        named_employee={"name": "Sgt. Orrin Vale", "serial": "5120"},
        determined_on=determined,
    )
    assert new.channel == "opa_initiated" and new.allegations.get().category == "timely_referral"
    inv = next(d for d in timeline(new, today)["deadlines"] if d["id"] == "investigation")
    # the later of the underlying period's end + 180 and the determination + 180
    later = max(dt.date.fromisoformat(due), determined) + dt.timedelta(days=180)
    assert inv["due"] == later.isoformat()
    assert any("3.29.026.C.2" in s["cite"] for s in inv["explanation"])
    assert case.events.filter(type="failure_to_refer_opened", data__case=new.number).exists()
    # once is enough, and the page says where it went
    c = Client()
    c.force_login(staff[R.DIRECTOR])
    page = c.get(f"/cases/{case.number}/").content.decode()
    assert new.number in page and "open the failure-to-refer complaint" not in page


def test_not_offered_when_the_deadline_was_met_or_the_referral_was_timely(staff, today, force_case):
    assert actions.failure_to_refer_due(force_case, today) is None  # no late referral: a web complaint
    with pytest.raises(actions.ActionError, match="no failure to refer"):
        actions.open_failure_to_refer(
            staff[R.SUPERVISOR], force_case, named_employee={"name": "Sgt. Vale"}, determined_on=today
        )
    c = Client()
    c.force_login(staff[R.DIRECTOR])
    assert "failure-to-refer complaint" not in c.get(f"/cases/{force_case.number}/").content.decode()


def test_through_the_case_page_bad_input_keeps_what_was_typed(staff, today):
    case = _late_referral(staff, today)
    c = Client()
    c.force_login(staff[R.SUPERVISOR])
    url = f"/cases/{case.number}/do/failure_to_refer/"
    r = c.post(url, {"name": "Sgt. Orrin Vale", "determined_on": "2000-01-01"})
    assert r.status_code == 400 and "Sgt. Orrin Vale" in r.content.decode() and "was" in r.content.decode()
    r = c.post(url, {"name": "Sgt. Orrin Vale", "determined_on": today.isoformat()})
    assert r.status_code == 302
    new = Case.objects.get(channel="opa_initiated")
    assert r["Location"] == f"/cases/{new.number}/"
    c.force_login(staff[R.CPC_STAFF])
    assert c.post(url, {"name": "X", "determined_on": today.isoformat()}).status_code == 403
