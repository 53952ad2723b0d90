"""The demo's discipline records are written through the actions, and feed the status report."""

from __future__ import annotations

from oversight.discipline.models import Appeal, ChiefDecision, Recommendation
from oversight.discipline.reports import appeals_report
from oversight.discipline.seed import seed
from tests.history import record_history

from .conftest import NO_OIG_REVIEW, ago, open_case


def test_seed_takes_a_case_through_decision_and_appeal(people, today):
    case = open_case(people["intake"], today, received_days_ago=120, allegations=NO_OIG_REVIEW)
    record_history(case, [("proposed_findings_issued", ago(today, 60), {})], people["director"])
    assert seed(today, n=5) == 1
    assert Recommendation.objects.get(case=case).issued_on == ago(today, 60)
    assert ChiefDecision.objects.filter(case=case).exists()
    assert case.events.filter(type="proposed_findings_issued").count() == 1
    appeal = Appeal.objects.get(case=case)  # the seed's draws are fixed: this case is disciplined and appealed
    report = appeals_report(appeal.notice_filed_on.year, 12 if appeal.notice_filed_on.month > 6 else 6)
    row = next(r for r in report.rows if r["case_number"] == case.number)
    assert row["nature_of_appeal"] and row["chief_decision"]
