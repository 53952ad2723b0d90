"""Intake: channels, people, allegations, the three-year limit, case numbers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from oversight.cases import actions
from oversight.cases.models import AuditEntry, Case, CaseEvent, CaseNumber, Complainant
from oversight.rules import access as R

from .conftest import intake_kwargs

pytestmark = pytest.mark.django_db


def test_intake_records_people_incident_and_the_first_events(staff, today):
    case = actions.open_case(
        staff[R.INTAKE],
        **intake_kwargs(today, channel="spd_referral", should_have_been_referred_on=today - dt.timedelta(days=22)),
    )
    assert case.number == f"{case.received_on.year}OPA-0001"
    assert case.precinct == "west" and case.beat == "K2"
    assert case.named_employees.get().years_of_service == 6
    assert case.witnesses.count() == 1
    anon = case.complainants.get(anonymous=True)
    assert anon.name == ""  # an anonymous complainant keeps no name
    assert [e.type for e in case.events.order_by("seq")] == [
        "should_have_been_referred",
        "complaint_received",
        "intake_recorded",
    ]
    assert AuditEntry.objects.filter(action="open_case", case=case, user=staff[R.INTAKE]).exists()


def test_case_numbers_follow_seattles_form_and_are_never_reused(staff, today):
    first = actions.open_case(staff[R.INTAKE], **intake_kwargs(today))
    actions.close_case(staff[R.DIRECTOR], first, "Duplicate complaint.")
    second = actions.open_case(staff[R.INTAKE], **intake_kwargs(today))
    y = first.received_on.year
    assert (first.number, second.number) == (f"{y}OPA-0001", f"{y}OPA-0002")
    # a failed intake does not consume or hand out a number twice
    with pytest.raises(actions.ActionError):
        actions.open_case(staff[R.INTAKE], **intake_kwargs(today, allegations=[{"employee": 0, "category": "nope"}]))
    third = actions.open_case(staff[R.INTAKE], **intake_kwargs(today))
    assert third.number == f"{y}OPA-0003"
    assert CaseNumber.objects.get(year=y).last == 3


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"allegations": [{"employee": 0, "category": "not_a_category"}]}, "allegations[0].category"),
        ({"allegations": [{"employee": 5, "category": "courtesy"}]}, "allegations[0].employee"),
        ({"channel": "carrier_pigeon"}, "channel"),
        ({"complainants": [{"name": ""}]}, "complainants[0].name"),
        ({"named_employees": [{"name": " "}], "allegations": []}, "named_employees[0].name"),
        ({"should_have_been_referred_on": dt.date(2000, 1, 1)}, "should_have_been_referred_on"),
    ],
)
def test_bad_intake_names_the_field_and_saves_nothing(staff, today, over, field):
    with pytest.raises(actions.ActionError) as err:
        actions.open_case(staff[R.INTAKE], **intake_kwargs(today, **over))
    assert err.value.field == field
    assert not Case.objects.exists() and not CaseEvent.objects.exists() and not Complainant.objects.exists()


def test_future_receipt_is_refused(staff, today):
    with pytest.raises(actions.ActionError, match="received_on"):
        actions.open_case(staff[R.INTAKE], **intake_kwargs(today, received_on=today + dt.timedelta(days=1)))


def test_three_year_limit_is_checked_at_intake_and_shown(staff, today):
    old = today - dt.timedelta(days=3 * 365 + 40)
    barred = actions.open_case(staff[R.INTAKE], **intake_kwargs(today, incident_date=old))
    text = barred.events.get(type="intake_recorded").data["limitation"]
    assert "SMC 3.29.310.A.5" in text and "barred" in text
    lifted = actions.open_case(
        staff[R.INTAKE],
        **intake_kwargs(
            today, incident_date=old, allegations=[{"employee": 0, "category": "use_of_force", "concealment": True}]
        ),
    )
    assert "lifts the limit" in lifted.events.get(type="intake_recorded").data["limitation"]
    recent = actions.open_case(staff[R.INTAKE], **intake_kwargs(today))
    assert "within it" in recent.events.get(type="intake_recorded").data["limitation"]
    c = Client()
    c.force_login(staff[R.INTAKE])
    page = c.get(f"/cases/{barred.number}/").content.decode()
    assert "Three-year limit" in page and "barred" in page


def _form(**over):
    data = {
        "channel": "phone",
        "received_on": "",
        "incident_date": "",
        "summary": "Pushed at a protest.",
        "complainant-TOTAL_FORMS": "2",
        "complainant-INITIAL_FORMS": "0",
        "employee-TOTAL_FORMS": "3",
        "employee-INITIAL_FORMS": "0",
        "allegation-TOTAL_FORMS": "4",
        "allegation-INITIAL_FORMS": "0",
        "witness-TOTAL_FORMS": "2",
        "witness-INITIAL_FORMS": "0",
        "complainant-0-name": "Reese Dunmore",
        "complainant-0-in_person_interview": "yes",
        "complainant-0-email": "reese@example.org",
        "complainant-1-in_person_interview": "undecided",
        "witness-0-kind": "civilian",
        "witness-1-kind": "civilian",
        "employee-0-name": "Quinn Redfern",
        "employee-0-rank": "Officer",
        "allegation-0-employee": "0",
        "allegation-0-category": "use_of_force",
    }
    data.update(over)
    return data


def test_intake_form_creates_the_case(staff, today):
    c = Client()
    c.force_login(staff[R.INTAKE])
    r = c.post("/intake/", _form(received_on=today.isoformat()))
    assert r.status_code == 302, r.content.decode()[:3000]
    case = Case.objects.get()
    assert r["Location"] == f"/cases/{case.number}/"
    assert case.channel == "phone" and case.allegations.get().category == "use_of_force"


def test_rejected_intake_form_keeps_what_was_typed(staff, today):
    c = Client()
    c.force_login(staff[R.INTAKE])
    r = c.post("/intake/", _form(**{"received_on": today.isoformat(), "complainant-0-email": "not-an-email"}))
    assert r.status_code == 400
    page = r.content.decode()
    assert "Enter a valid email address" in page
    assert 'value="Reese Dunmore"' in page and 'value="Quinn Redfern"' in page and "Pushed at a protest." in page
    assert not Case.objects.exists()


def test_intake_form_refused_to_roles_that_may_not_take_complaints(staff):
    for role in (R.INVESTIGATOR, R.CPC_STAFF, R.ADMINISTRATOR, "nobody"):
        c = Client()
        c.force_login(staff[role])
        assert c.get("/intake/").status_code == 403
