"""The quarterly reports of 3.29.030.E and 3.29.115.B, and the annual reports' recommendation
sections, read the tracker: each recommendation's status is the one its dated events give on
the period's end, the answer's timeliness against the profile's period, and a case's people
never reach the report."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from oversight.recommendations import actions as ra
from oversight.reports import render
from oversight.reports.kinds import build
from oversight.reports.tracker import timeliness
from oversight.rules import access as R

pytestmark = pytest.mark.django_db


def _issue(user, body, on, title, **over):
    kw = {
        "body": body,
        "addressee": "spd",
        "title": title,
        "text": title + ".",
        "category": "stops",
        "issued_on": on,
        "report_title": "A review",
    }
    kw.update(over)
    return ra.issue(user, **kw)


def _rows(report, table):
    return {r.key: r.cells for r in report.table(table).rows}


def test_the_quarterly_report_reads_each_status_from_the_dated_events(staff, today):
    ig, liaison = staff[R.INSPECTOR_GENERAL], staff[R.SPD_LIAISON]
    start = today - dt.timedelta(days=80)
    answered = _issue(ig, "oig", today - dt.timedelta(days=60), "Answered on time, then progress")
    ra.record(liaison, answered, kind="accepted", on=today - dt.timedelta(days=40), text="Plan: a form field.")
    ra.record(liaison, answered, kind="progress_report", on=today - dt.timedelta(days=5), text="In testing.")
    silent = _issue(ig, "oig", today - dt.timedelta(days=45), "Never answered")
    earlier = _issue(ig, "oig", today - dt.timedelta(days=150), "Earlier, answered late")
    ra.record(liaison, earlier, kind="accepted", on=today - dt.timedelta(days=100), text="Accepted late.")
    done = _issue(ig, "oig", today - dt.timedelta(days=200), "Earlier, implemented before the period")
    ra.record(liaison, done, kind="accepted", on=today - dt.timedelta(days=190), text="Yes.")
    ra.record(liaison, done, kind="implemented", on=today - dt.timedelta(days=120), text="Done.")
    _issue(staff[R.CPC_STAFF], "cpc", today - dt.timedelta(days=50), "CPC's, not in OIG's report")

    rep = build("oig-quarterly", start, today, today)
    listed = _rows(rep, "oig_recommendations_issued")
    assert set(listed) == {answered.number, silent.number}  # OIG's, issued in the period
    for rec in (answered, silent):
        st = ra.status_of(rec, today)
        assert listed[rec.number][5] == st.label
    assert listed[answered.number][5] == "Accepted, implementation in progress"
    assert listed[answered.number][4] == "Answered in writing within the period"
    assert listed[silent.number][4] == "Not answered, overdue"
    assert "Plan: a form field." in listed[answered.number][6] and "In testing." in listed[answered.number][6]
    by_status = _rows(rep, "oig_recommendations_status")
    assert by_status["in_progress"] == [1] and by_status["overdue"] == [1] and by_status["all"] == [2]
    got = {k: v[0] for k, v in _rows(rep, "oig_recommendations_timeliness").items() if v[0]}
    assert got == dict(Counter(timeliness(ra.status_of(r, today)) for r in (answered, silent)))
    # earlier ones still open at the period's start, where they stand now; the one implemented before is not
    assert set(_rows(rep, "oig_recommendations_earlier")) == {earlier.number}
    assert _rows(rep, "oig_recommendations_earlier")[earlier.number][4] == "Answered in writing after the period"

    # a period ending before the answer: the answer dated later is not yet there
    before = build("oig-quarterly", start, today - dt.timedelta(days=50), today)
    assert _rows(before, "oig_recommendations_issued")[answered.number][5] == "Issued, awaiting the written answer"
    assert silent.number not in _rows(before, "oig_recommendations_issued")  # issued after that end


def test_the_annual_reports_have_their_recommendations_and_no_one_from_a_case(staff, today, force_case):
    director, liaison = staff[R.DIRECTOR], staff[R.SPD_LIAISON]
    rec = _issue(
        director,
        "opa",
        today - dt.timedelta(days=20),
        "Retrain after the complaint of Taylor Brightwater",
        text="Kai Ironside's use of force shows a training gap.",
        case=force_case,
        report_title="",
    )
    ra.record(liaison, rec, kind="not_accepted", on=today - dt.timedelta(days=2), text="Kai Ironside was trained.")
    cpc = _issue(staff[R.CPC_STAFF], "cpc", today - dt.timedelta(days=10), "Publish stops by precinct")
    start = dt.date(today.year, 1, 1) if today.month > 1 else today - dt.timedelta(days=40)

    opa = build("opa-annual", start, today, today)
    row = _rows(opa, "opa_recommendations_issued")[rec.number]
    assert row[5] == "Not accepted" and row[4] == "Answered in writing within the period"
    page = render.html(opa)
    for who in ("Taylor Brightwater", "Kai Ironside", force_case.number):
        assert who not in page, who
    assert "[SMC 3.29.305.A; SMC 3.29.305.B]" in page  # the period's citation

    quarterly = build("opa-quarterly", start, today, today)
    assert rec.number in _rows(quarterly, "policy_recommendations_issued")
    assert "Kai Ironside" not in render.html(quarterly)

    cpc_annual = build("cpc-annual", start, today, today)
    assert set(_rows(cpc_annual, "cpc_new_issued")) == {cpc.number}
    assert not any("recommendation tracker" in m for s in cpc_annual.sections for m in s.missing)


def test_the_quarterly_report_waits_on_the_office_home_until_posted(staff, today):
    from django.test import Client

    from oversight.reports import actions as reports_actions
    from oversight.reports.waiting import last_quarter, quarterly_due
    from oversight.rules import get_profile

    start, end = last_quarter(today)
    assert end < today and (end + dt.timedelta(days=1)).day == 1 and end.month % 3 == 0
    months = list(get_profile("seattle").at(today).schedules["recommendations_status_reports"].value)
    due = quarterly_due(end, months)
    assert due > end and due.month in months
    ig = Client()
    ig.force_login(staff[R.INSPECTOR_GENERAL])
    title = f"OIG quarterly report on recommendations, {start.isoformat()} to {end.isoformat()}"
    home = ig.get("/").content.decode()
    assert title in home and "SMC 3.29.115.B" in home and "OPA quarterly report" not in home
    director = Client()
    director.force_login(staff[R.DIRECTOR])
    opa = f"OPA quarterly report on recommendations, {start.isoformat()} to {end.isoformat()}"
    assert opa in director.get("/").content.decode()
    reports_actions.post_report(staff[R.DIRECTOR], "opa-quarterly", start, end)
    assert opa not in director.get("/").content.decode()  # posted: nothing waits
