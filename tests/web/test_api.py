"""The JSON API with its OpenAPI 3 description: cases, events, deadlines."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from oversight.cases import actions
from oversight.rules import access as R

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(staff):
    c = Client()
    c.force_login(staff[R.INVESTIGATOR])
    return c


def test_openapi_describes_cases_events_and_deadlines(api):
    r = api.get("/api/openapi.json")
    assert r.status_code == 200
    spec = r.json()
    assert spec["openapi"].startswith("3.")
    for p in (
        "/api/cases",
        "/api/cases/{number}",
        "/api/cases/{number}/events",
        "/api/cases/{number}/deadlines",
        "/api/deadlines",
    ):
        assert p in spec["paths"], p
    assert "post" in spec["paths"]["/api/cases/{number}/events"]


def test_case_and_its_deadlines_with_explanations(api, investigation, today):
    r = api.get(f"/api/cases/{investigation.number}")
    assert r.status_code == 200
    body = r.json()
    assert body["classification"] == "investigation"
    assert body["complainants"] == 2 and body["anonymous_complainants"] == 1
    assert "Brightwater" not in r.content.decode()  # the API gives no complainant identity
    inv = next(d for d in body["deadlines"] if d["id"] == "investigation")
    assert inv["explanation"][0]["cite"] == "SMC 3.29.026.B"
    assert inv["due"] == (investigation.received_on + dt.timedelta(days=180)).isoformat()


def test_events_carry_the_chain(api, investigation):
    events = api.get(f"/api/cases/{investigation.number}/events").json()
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    for before, after in zip(events, events[1:], strict=False):
        assert after["prev_hash"] == before["hash"]


def test_recording_a_postponement_moves_the_due_date(api, investigation):
    before = next(
        d for d in api.get(f"/api/cases/{investigation.number}/deadlines").json() if d["id"] == "investigation"
    )
    r = api.post(
        f"/api/cases/{investigation.number}/events",
        data=json.dumps(
            {
                "type": "interview_postponed",
                "date": dt.date.today().isoformat(),
                "days": 7,
                "reason": "labor representative unavailable",
            }
        ),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    after = next(
        d for d in api.get(f"/api/cases/{investigation.number}/deadlines").json() if d["id"] == "investigation"
    )
    assert (dt.date.fromisoformat(after["due"]) - dt.date.fromisoformat(before["due"])).days == 7


def test_api_writes_pass_the_same_checks(api, force_case, staff):
    post = {"type": "interview_postponed", "date": dt.date.today().isoformat(), "days": 7, "reason": "x"}
    r = api.post(f"/api/cases/{force_case.number}/events", data=json.dumps(post), content_type="application/json")
    assert r.status_code == 403 and "only on cases assigned to them" in r.json()["detail"]  # not this investigator's
    actions.classify(staff[R.SUPERVISOR], force_case, "investigation", "Force alleged.")
    actions.assign(staff[R.SUPERVISOR], force_case, staff[R.INVESTIGATOR])
    r = api.post(f"/api/cases/{force_case.number}/events", data=json.dumps(post), content_type="application/json")
    assert r.status_code == 403 and "SMC 3.29.025.E" in r.json()["detail"]  # no approved plan yet
    bad = api.post(
        f"/api/cases/{force_case.number}/events",
        data=json.dumps({"type": "nonsense", "date": "x"}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    cpc = Client()
    cpc.force_login(staff[R.CPC_STAFF])
    assert cpc.get(f"/api/cases/{force_case.number}").status_code == 403
    assert cpc.get("/api/deadlines").status_code == 403
    assert cpc.get("/api/cases").json() == []  # CPC staff see closed cases only
    actions.close_case(staff[R.DIRECTOR], force_case, "Complete.")
    assert [c["number"] for c in cpc.get("/api/cases").json()] == [force_case.number]
    assert Client().get("/api/cases").status_code == 401


def test_deadlines_board_filters(api, force_case, staff):
    rows = api.get("/api/deadlines").json()
    assert [r["number"] for r in rows] == [force_case.number]
    assert rows[0]["deadline"]["id"] == "named_employee_notice"
    assert api.get("/api/deadlines?status=overdue").json() == []
    assert api.get(f"/api/deadlines?investigator={staff[R.INVESTIGATOR].username}").json() == []
