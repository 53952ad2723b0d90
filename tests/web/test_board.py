"""The deadline board: open cases, at risk first, filters, the explanation on demand,
and a number of queries that does not grow with the number of cases."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from oversight.cases import actions
from oversight.cases.clock import board
from oversight.cases.models import Case
from oversight.cases.seed import demo_cases, ensure_demo_users
from oversight.rules import access as R

from .conftest import intake_kwargs

pytestmark = pytest.mark.django_db


def _open(staff, today, days_ago, **over):
    return actions.open_case(
        staff[R.INTAKE],
        **intake_kwargs(
            today,
            received_on=today - dt.timedelta(days=days_ago),
            incident_date=today - dt.timedelta(days=days_ago + 1),
            **over,
        ),
    )


def test_cases_at_risk_come_first(staff, today):
    fresh = _open(staff, today, 1)
    late = _open(staff, today, 40)  # its 30-day notice is overdue
    closer = _open(staff, today, 20)
    rows = board(today)
    assert [r.number for r in rows] == [late.number, closer.number, fresh.number]
    assert rows[0].deadline["status"] == "overdue" and rows[0].deadline["id"] == "named_employee_notice"
    assert rows[0].days_late == 10


def test_closed_and_routed_cases_leave_the_board(staff, today):
    a, b, c = (_open(staff, today, 5) for _ in range(3))
    actions.close_case(staff[R.DIRECTOR], a, "Duplicate.")
    actions.route(staff[R.DIRECTOR], b, "sdhr", "EEO complaint against OPA staff.")
    assert [r.number for r in board(today)] == [c.number]


def test_filters(staff, today):
    a = _open(staff, today, 40)
    b = _open(staff, today, 3)
    actions.send_notice(staff[R.INTAKE], b)
    actions.assign(staff[R.SUPERVISOR], b, staff[R.INVESTIGATOR])
    actions.classify(staff[R.SUPERVISOR], b, "investigation", "Force.")
    assert [r.number for r in board(today, investigator=staff[R.INVESTIGATOR].pk)] == [b.number]
    assert [r.number for r in board(today, status="overdue")] == [a.number]
    # the deadline filter reads each case's next deadline: b's notice is met, a's is overdue
    assert [r.number for r in board(today, deadline="investigation")] == [b.number]
    assert [r.number for r in board(today, deadline="named_employee_notice")] == [a.number]
    assert [r.number for r in board(today, stage="Classified: Investigation")] == [b.number]
    assert [r.number for r in board(today, within=0)] == [a.number]


def test_overdue_supervisor_action_reports_show(staff, today):
    case = _open(staff, today, 60, allegations=[{"employee": 0, "category": "courtesy"}])
    actions.send_notice(staff[R.INTAKE], case, today - dt.timedelta(days=50))
    actions.classify(staff[R.SUPERVISOR], case, "supervisor_action", "Courtesy.", today - dt.timedelta(days=55))
    case.refresh_from_db()
    actions.refer_supervisor_action(
        staff[R.SUPERVISOR],
        case,
        case.named_employees.get(),
        today - dt.timedelta(days=5),
        on=today - dt.timedelta(days=50),
    )
    row = board(today)[0]
    assert row.deadline["id"] == "supervisor_action_report" and row.deadline["status"] == "overdue"
    assert row.days_late == 5


def test_page_shows_filters_and_the_explanation(staff, today):
    _open(staff, today, 40)
    c = Client()
    c.force_login(staff[R.INVESTIGATOR])
    page = c.get("/board/?status=overdue").content.decode()
    assert "<details><summary>why</summary>" in page and "SMC 3.29.026.A" in page
    assert '<option value="overdue" selected>' in page
    assert c.get("/board/?status=open").content.decode().count("data-case=") == 0


def _load(n: int, today: dt.date) -> None:
    users = ensure_demo_users()
    cases = demo_cases(11, today, n, users)
    for c in cases:  # every case open
        c["closed_on"] = None
        c["events"] = [e for e in c["events"] if e["type"] != "case_closed"]
    actions.import_cases(users["admin"], cases)


def _board_queries(client: Client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as q:
        r = client.get("/board/")
    assert r.status_code == 200
    return len(q), r.content.decode()


# session, user, roles; the stale cases, their events, allegations, referrals, one bulk update
# (with its savepoint); counts by status, the page's count and rows, the investigators list.
COLD_QUERY_LIMIT = 15
WARM_QUERY_LIMIT = 10  # the same once the day's projection is computed


def test_board_queries_do_not_grow_with_cases(today):
    _load(20, today)
    c = Client()
    c.login(username="director", password="oversight-demo")
    small_cold, _ = _board_queries(c)
    small_warm, _ = _board_queries(c)
    more = demo_cases(12, today, 80, ensure_demo_users())
    for x in more:
        x["number"] = x["number"].replace("OPA-", "OPA-5")
    actions.import_cases(ensure_demo_users()["admin"], more)
    large_cold, page = _board_queries(c)
    large_warm, _ = _board_queries(c)
    assert page.count("data-case=") > 20
    assert small_cold == large_cold <= COLD_QUERY_LIMIT
    assert small_warm == large_warm <= WARM_QUERY_LIMIT


@pytest.mark.skipif(
    connection.vendor != "postgresql" and not os.environ.get("OVERSIGHT_BIG_BOARD"),
    reason="the 10,000-case board is asserted on PostgreSQL (DATABASE_URL=postgres://...)",
)
def test_board_for_ten_thousand_open_cases_uses_a_bounded_number_of_queries(today):
    _load(10_000, today)
    assert Case.objects.filter(closed_on__isnull=True).count() == 10_000
    c = Client()
    c.login(username="director", password="oversight-demo")
    cold, page = _board_queries(c)
    warm, _ = _board_queries(c)
    assert cold <= COLD_QUERY_LIMIT and warm <= WARM_QUERY_LIMIT
    assert "Page 1 of" in page and page.count("data-case=") == 100


def test_a_case_begun_before_the_chapter_shows_no_deadline_not_applicable(staff, today):
    """3.29.400.F: the chapter is not retroactive. A case received before it took effect is on
    the board and its page as 'not applicable', with the citation, never overdue."""
    from django.test import Client

    from oversight.cases import actions
    from oversight.cases.clock import board

    case = actions.open_case(
        staff[R.INTAKE],
        channel="phone",
        received_on=dt.date(2016, 5, 2),
        incident_date=dt.date(2016, 5, 1),
        named_employees=[{"name": "Vale Quarry"}],
        allegations=[{"employee": 0, "category": "courtesy"}],
    )
    row = next(r for r in board(today) if r.number == case.number)
    assert row.deadline["status"] == "not_applicable" and row.deadline["due"] is None
    assert "SMC 3.29.400.F" in row.deadline["explanation"][0]["cite"]
    assert [r.number for r in board(today)][-1] == case.number  # after every case at risk
    c = Client()
    c.force_login(staff[R.DIRECTOR])
    page = c.get(f"/cases/{case.number}/").content.decode()
    main = page[page.index("<main") :]
    assert "No deadline applies" in main and "SMC 3.29.400.F" in main and ">overdue" not in main
    listed = c.get("/board/").content.decode()
    assert "begun before the chapter took effect" in listed and "not applicable" in listed
    api = c.get(f"/api/cases/{case.number}/deadlines").json()
    assert {d["status"] for d in api} == {"not_applicable"} and all(d["due"] is None for d in api)
