"""The June and December status reports (SMC 3.29.305.J, 3.29.030.F): every listed field, filled or marked missing."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command

from oversight.cases import actions as case_actions
from oversight.discipline import actions
from oversight.discipline.reports import MISSING, ReportError, appeals_report, criminal_referrals_report, period
from tests.history import record_history

from .conftest import NO_OIG_REVIEW, allegation_pks, employees, open_case

APPEALS_FIELDS = [
    "Case number",
    "Named employee(s)",
    "Date of complaint",
    "Date of disciplinary action",
    "Chief of Police disciplinary decision",
    "Date of appeal",
    "Nature of the appeal",
    "Case not yet closed due to appeal",
    "Current status, including any modification on appeal",
]
CRIMINAL_FIELDS = [
    "Case number",
    "Nature of the criminal allegation",
    "Named employee(s)",
    "Date of complaint",
    "Timeliness of the criminal investigation",
    "Current status of the case",
]


def test_the_period_comes_from_the_profile():
    assert period("appeals_status_reports", "appeals_lookback", 2026, 6)[:2] == (
        dt.date(2026, 1, 1),
        dt.date(2026, 6, 30),
    )
    assert period("appeals_status_reports", "appeals_lookback", 2026, 12)[:2] == (
        dt.date(2026, 7, 1),
        dt.date(2026, 12, 31),
    )
    with pytest.raises(ReportError, match="June, December"):
        period("appeals_status_reports", "appeals_lookback", 2026, 5)


@pytest.fixture
def history(people):
    """A case appealed in March 2026 (rich record), one appealed in 2025 still open, one appealed in 2025 and closed
    before the period (left out), and one the log knows only by its clock events."""
    today = dt.date.today()
    assert today >= dt.date(2026, 7, 1), "the fixture writes dated history before today"

    def through_appeal(received, rec, decided, received_det, filed, rich=True):
        extra = {} if rich else {"allegations": NO_OIG_REVIEW}
        c = open_case(people["intake"], today, received_days_ago=(today - received).days, **extra)
        a = allegation_pks(c)
        e1, _ = employees(c)
        if not rich:
            record_history(
                c,
                [
                    ("proposed_findings_issued", rec, {}),
                    ("chief_decision", decided, {"follows_recommendation": True}),
                    ("discipline_determination_received", received_det, {}),
                    ("appeal_notice_filed", filed, {}),
                ],
                people["director"],
            )
            return c, None
        actions.recommend_findings(people["director"], c, on=rec, findings=dict.fromkeys(a, "sustained"))
        actions.record_chief_decision(
            people["chief"],
            c,
            decided_on=decided,
            due_process_hearing_on=decided,
            findings=dict.fromkeys(a, "sustained"),
            discipline={e1.pk: ("suspension", 10)},
        )
        actions.record_determination_received(people["chief"], c, named_employee=e1, on=received_det)
        ap = actions.file_appeal(
            people["city_attorney"],
            c,
            named_employee=e1,
            appellant="employee",
            forum="pscsc",
            nature="Suspension too severe.",
            notice_filed_on=filed,
        )
        return c, ap

    d = dt.date
    march, _ = through_appeal(d(2025, 10, 1), d(2026, 2, 1), d(2026, 3, 1), d(2026, 3, 2), d(2026, 3, 10))
    earlier, ap2 = through_appeal(d(2025, 1, 10), d(2025, 5, 1), d(2025, 6, 1), d(2025, 6, 2), d(2025, 6, 9))
    actions.schedule_hearing(people["city_attorney"], ap2, hearing_on=d(2026, 2, 1))
    actions.record_ruling(
        people["city_attorney"], ap2, ruling_on=d(2026, 8, 1), outcome="modified", discipline=("suspension", 2)
    )
    closed, ap3 = through_appeal(d(2025, 1, 10), d(2025, 5, 1), d(2025, 6, 1), d(2025, 6, 2), d(2025, 6, 5))
    actions.schedule_hearing(people["city_attorney"], ap3, hearing_on=d(2025, 9, 1))
    actions.record_ruling(people["city_attorney"], ap3, ruling_on=d(2025, 10, 1), outcome="upheld")
    bare, _ = through_appeal(d(2025, 11, 1), d(2026, 1, 5), d(2026, 2, 1), d(2026, 2, 2), d(2026, 2, 6), rich=False)
    return {"march": march, "earlier": earlier, "closed": closed, "bare": bare}


def test_june_appeals_report(history):
    rep = appeals_report(2026, 6)
    rows = {r["case_number"]: r for r in rep.rows}
    assert set(rows) == {history["march"].number, history["earlier"].number, history["bare"].number}
    m = rows[history["march"].number]
    assert m["group"] == "appealed during the period"
    assert m["named_employees"] == "Officer Kai Ironside"
    assert m["date_of_disciplinary_action"] == "2026-03-01"
    assert m["chief_decision"] == "Unpaid suspension of 10 days"
    assert m["date_of_appeal"] == "2026-03-10"
    assert "Suspension too severe." in m["nature_of_appeal"]
    assert m["not_closed_due_to_appeal"] == "Yes"
    e = rows[history["earlier"].number]
    assert e["group"] == "appealed earlier, open during the period"
    assert e["not_closed_due_to_appeal"] == "Yes"  # the ruling came after the period
    b = rows[history["bare"].number]
    assert b["date_of_appeal"] == "2026-02-06" and b["date_of_disciplinary_action"] == "2026-02-01"
    assert not b["chief_decision"] and not b["nature_of_appeal"]
    table = csv.reader(io.StringIO(rep.csv()))
    header = next(table)
    assert all(f in header for f in APPEALS_FIELDS)
    body = list(table)
    assert len(body) == 3 and all(cell for row in body for cell in row)
    bare_row = next(r for r in body if r[1] == history["bare"].number)
    assert bare_row[header.index("Nature of the appeal")] == MISSING
    assert rep.missing_count == 2


def test_december_report_shows_the_modification(history):
    rows = {r["case_number"]: r for r in appeals_report(2026, 12).rows}
    e = rows[history["earlier"].number]
    assert "Findings or discipline modified on 2026-08-01" in e["current_status"]
    assert "Unpaid suspension of 10 days → Unpaid suspension of 2 days" in e["current_status"]
    assert e["not_closed_due_to_appeal"] == "No"


def test_criminal_referrals_report(people):
    today = dt.date.today()
    d = dt.date
    referred = open_case(
        people["intake"],
        today,
        received_days_ago=(today - d(2026, 1, 20)).days,
        allegations=[{"employee": 0, "category": "use_of_force", "criminal": True, "description": "assault"}],
    )
    case_actions.record_clock_event(people["director"], referred, "criminal_pause_started", d(2026, 2, 1))
    case_actions.record_clock_event(people["director"], referred, "criminal_pause_ended", d(2026, 3, 3))
    flagged_only = open_case(
        people["intake"],
        today,
        received_days_ago=(today - d(2026, 4, 1)).days,
        allegations=[{"employee": 1, "category": "law", "criminal": True}],
    )
    open_case(people["intake"], today, received_days_ago=(today - d(2026, 4, 1)).days)  # no criminal allegation
    rep = criminal_referrals_report(2026, 6)
    rows = {r["case_number"]: r for r in rep.rows}
    assert set(rows) == {referred.number, flagged_only.number}
    r = rows[referred.number]
    assert r["nature"] == "use of force: assault"
    assert r["referred_on"] == "2026-02-01"
    assert r["timeliness"].endswith("30 days")
    assert r["named_employees"].startswith("Officer Kai Ironside")
    f = rows[flagged_only.number]
    assert not f["referred_on"] and not f["timeliness"]
    header = next(csv.reader(io.StringIO(rep.csv())))
    assert all(h in header for h in CRIMINAL_FIELDS)


def test_the_command_writes_documents_and_csv(history, tmp_path):
    out = io.StringIO()
    call_command("discipline_reports", year=2026, month=6, out=str(tmp_path), stdout=out)
    html = (tmp_path / "appeals-status-2026-06.html").read_text()
    assert history["march"].number in html and "SMC 3.29.305.J" in html
    assert (tmp_path / "appeals-status-2026-06.csv").read_text().count("\n") == 4
    assert (tmp_path / "criminal_referrals-status-2026-06.csv").exists()
