"""SPD's own reviews of an incident (SMC 3.29.335.A: "limits the duration of each incident review
to 90 days"), and potential misconduct a review finds, to be "forwarded in a timely manner to OPA"
(3.29.300.A): recorded on the referred case, each review its own deadline on the case page and
the board, the finding the date the complaint should have been referred."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from oversight.cases import actions
from oversight.cases.clock import board, refresh_board, timeline
from oversight.rules import access as R

pytestmark = pytest.mark.django_db


def _referral(staff, today):
    return actions.open_case(
        staff[R.INTAKE],
        channel="spd_unit",
        received_on=today - dt.timedelta(days=10),
        incident_date=today - dt.timedelta(days=130),
        named_employees=[{"name": "Dana Ruiz"}],
        allegations=[{"employee": 0, "category": "use_of_force"}],
    )


def test_a_review_runs_its_own_deadline_and_its_finding_starts_the_investigation(staff, today):
    case = _referral(staff, today)
    began = today - dt.timedelta(days=120)
    found = today - dt.timedelta(days=30)
    actions.record_incident_review(staff[R.INTAKE], case, unit="Force Review Board", step="started", on=began)
    actions.record_incident_review(
        staff[R.INTAKE], case, unit="Force Review Board", step="found_potential_misconduct", on=found
    )
    tl = timeline(case, today)
    review = next(d for d in tl["deadlines"] if d["id"].startswith("incident_review"))
    assert review["due"] == (began + dt.timedelta(days=90)).isoformat() and review["status"] == "overdue"
    assert any("3.29.335.A" in s["cite"] for s in review["explanation"])
    inv = next(d for d in tl["deadlines"] if d["id"] == "investigation")
    assert inv["start"] == found.isoformat()  # not the day it reached OPA: the day it should have
    refresh_board(today)
    row = next(r for r in board(today) if r.number == case.number)
    assert row.deadline["id"].startswith("incident_review") and row.deadline_label.startswith("SPD incident review")
    # completing it meets the review's deadline (late, 3.29.335.A) and it leaves the board's next
    actions.record_incident_review(staff[R.INTAKE], case, unit="Force Review Board", step="completed", on=today)
    review = next(d for d in timeline(case, today)["deadlines"] if d["id"].startswith("incident_review"))
    assert review["status"] == "missed" and review["completed_on"] == today.isoformat()


def test_bad_steps_are_refused_with_the_reason(staff, today, force_case):
    case = _referral(staff, today)
    with pytest.raises(actions.ActionError, match="record its start first"):
        actions.record_incident_review(staff[R.INTAKE], case, unit="Collision Review", step="completed", on=today)
    with pytest.raises(actions.ActionError, match="referred to OPA by SPD"):
        actions.record_incident_review(staff[R.INTAKE], force_case, unit="Collision Review", step="started", on=today)
    with pytest.raises(actions.ActionError, match="future"):
        actions.record_incident_review(
            staff[R.INTAKE], case, unit="Collision Review", step="started", on=today + dt.timedelta(days=1)
        )
    actions.record_incident_review(staff[R.INTAKE], case, unit="Collision Review", step="started", on=today)
    with pytest.raises(actions.ActionError, match="already recorded"):
        actions.record_incident_review(staff[R.INTAKE], case, unit="Collision Review", step="started", on=today)


def test_through_the_case_page(staff, today):
    case = _referral(staff, today)
    c = Client()
    c.force_login(staff[R.INTAKE])
    page = c.get(f"/cases/{case.number}/").content.decode()
    assert "Record a step of SPD&#x27;s review" in page or "Record a step of SPD's review" in page
    url = f"/cases/{case.number}/do/incident_review/"
    r = c.post(url, {"unit": "Force Review Board", "step": "completed", "on": today.isoformat()})
    assert r.status_code == 400 and "record its start first" in r.content.decode()
    assert "Force Review Board" in r.content.decode()  # what was typed is kept
    r = c.post(url, {"unit": "Force Review Board", "step": "started", "on": today.isoformat()})
    assert r.status_code == 302
    page = c.get(f"/cases/{case.number}/").content.decode()
    assert "SPD incident review started (Force Review Board)" in page
    assert "SPD incident review (1)" in page  # its deadline, labelled
    c.force_login(staff[R.INVESTIGATOR])
    assert c.post(url, {"unit": "X", "step": "started", "on": today.isoformat()}).status_code == 403
