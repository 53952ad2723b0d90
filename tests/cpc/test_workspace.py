"""CPC's workspace: its meetings at the chapter's rhythm (SMC 3.29.225.A, C) with agendas and
minutes published, and the community's input sent on to OPA (with consent) or OIG (3.29.215.A.3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from oversight.cases.actions import ActionError
from oversight.cases.models import Case
from oversight.cpc import actions
from oversight.oig.models import HotlineReport
from oversight.rules import access as R

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_a_period_without_the_meetings_it_needs_waits_on_cpc_home(staff, today):
    cpc = _client(staff[R.CPC_STAFF])
    home = cpc.get("/").content.decode()
    assert "Meetings the chapter requires" in home and "3.29.225.C" in home and "3.29.225.A" in home
    actions.schedule_meeting(staff[R.CPC_STAFF], kind="public", on=today, title="This month", agenda="Budget.")
    home = cpc.get("/").content.decode()
    assert "No public meeting is held or set" not in home and "3.29.225.A" in home
    actions.schedule_meeting(
        staff[R.CPC_STAFF], kind="with_director_and_ig", on=today, title="Quarterly", agenda="Status."
    )
    assert "Meetings the chapter requires" not in cpc.get("/").content.decode()


def test_minutes_are_recorded_once_after_the_meeting_and_published(staff, today):
    m = actions.schedule_meeting(
        staff[R.CPC_STAFF], kind="public", on=today - dt.timedelta(days=3), title="Stops", agenda="Terry stops."
    )
    assert "Minutes to record" in _client(staff[R.CPC_STAFF]).get("/").content.decode()
    with pytest.raises(ActionError, match="come after it"):
        actions.record_minutes(staff[R.CPC_STAFF], m, minutes="x", on=today - dt.timedelta(days=4))
    actions.record_minutes(staff[R.CPC_STAFF], m, minutes="Heard 14 speakers.", on=today)
    with pytest.raises(ActionError, match="were recorded"):
        actions.record_minutes(staff[R.CPC_STAFF], m, minutes="again", on=today)
    page = Client().get("/public/cpc/meetings/").content.decode()
    assert "Terry stops." in page and "Heard 14 speakers." in page


def test_input_goes_to_opa_only_with_consent_and_to_oig_as_a_hotline_report(staff, today):
    item = actions.record_input(staff[R.CPC_STAFF], received_on=today, source="outreach", summary="A stop unexplained.")
    with pytest.raises(ActionError, match="consent"):
        actions.route_input(staff[R.CPC_STAFF], item, to="opa")
    code = actions.route_input(staff[R.CPC_STAFF], item, to="opa", consent=True, name="Lee Ortega")
    case = Case.objects.get(channel="community_org")
    assert code and case.complainants.get().name == "Lee Ortega"
    with pytest.raises(ActionError, match="was sent to"):
        actions.route_input(staff[R.CPC_STAFF], item, to="oig")
    other = actions.record_input(staff[R.CPC_STAFF], received_on=today, source="email", summary="Overtime fraud.")
    actions.route_input(staff[R.CPC_STAFF], other, to="oig")
    other.refresh_from_db()
    assert other.routed_to == "oig" and HotlineReport.objects.filter(pk=other.hotline_report_id).exists()
    # through the page, a bad route keeps the item and says why
    r = _client(staff[R.CPC_STAFF]).post(f"/cpc/input/{other.pk}/route/", {"to": "oig"}, follow=True)
    assert "was sent to" in r.content.decode()


def test_cpc_home_lists_its_recommendations_with_their_answers(staff, today):
    from oversight.recommendations import actions as ra

    rec = ra.issue(
        staff[R.CPC_STAFF],
        body="cpc",
        addressee="spd",
        title="Report stops by precinct",
        text="Quarterly.",
        category="stops",
        issued_on=today - dt.timedelta(days=40),
        report_title="CPC report",
    )
    ra.issue(
        staff[R.INSPECTOR_GENERAL],
        body="oig",
        addressee="spd",
        title="OIG's own",
        text="x",
        category="stops",
        issued_on=today,
        report_title="OIG report",
    )
    page = _client(staff[R.CPC_STAFF]).get("/cpc/").content.decode()
    assert rec.number in page and "Answer overdue" in page and "OIG&#x27;s own" not in page
    ra.record(staff[R.SPD_LIAISON], rec, kind="accepted", on=today, text="Plan.")
    page = _client(staff[R.CPC_STAFF]).get("/cpc/").content.decode()
    assert "answered late" in page and "Written answer: accepted, with an implementation plan" in page
