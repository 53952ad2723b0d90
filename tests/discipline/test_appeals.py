"""Appeals, settlements and what the complainant and the public are told (SMC 3.29.310.A.7-11, 3.29.030.G)."""

from __future__ import annotations

import pytest

from oversight.cases.actions import ActionError, Refused
from oversight.cases.clock import timeline
from oversight.discipline import actions
from oversight.discipline.models import ComplainantNotice, Discipline, Finding

from .conftest import ago, allegation_pks, employees


@pytest.fixture
def decided(case, people, today):
    a1, a2, a3 = allegation_pks(case)
    e1, e2 = employees(case)
    actions.recommend_findings(
        people["director"], case, on=ago(today, 100), findings={a1: "sustained", a2: "unfounded", a3: "sustained"}
    )
    actions.record_chief_decision(
        people["chief"],
        case,
        decided_on=ago(today, 80),
        due_process_hearing_on=ago(today, 90),
        findings={a1: "sustained", a2: "unfounded", a3: "sustained"},
        discipline={e1.pk: ("suspension", 10), e2.pk: ("written_reprimand", None)},
    )
    return case


def test_appeal_needs_the_date_the_determination_was_received(decided, people, today):
    e1, _ = employees(decided)
    with pytest.raises(ActionError, match="received the Chief's final determination first"):
        actions.file_appeal(
            people["city_attorney"],
            decided,
            named_employee=e1,
            appellant="employee",
            forum="pscsc",
            nature="Discipline too severe.",
            notice_filed_on=ago(today, 70),
        )


def test_a_union_challenge_has_no_ten_day_notice(decided, people, today):
    """SMC 3.29.310.A.8 sets no time for the union's challenge: filed a month after the determination it
    is not late, and it neither answers nor misses the employee's own notice (3.29.310.A.7.b)."""
    e1, _ = employees(decided)
    actions.record_determination_received(people["chief"], decided, named_employee=e1, on=ago(today, 80))
    ap = actions.file_appeal(
        people["city_attorney"],
        decided,
        named_employee=e1,
        appellant="union",
        forum="hearing_examiner",
        nature="The union challenges the suspension.",
        notice_filed_on=ago(today, 50),
    )
    filed = decided.events.get(type="appeal_filed")
    assert filed.data["late"] is False and "City Hearing Examiner" in filed.data["notified"]
    assert not decided.events.filter(type="appeal_notice_filed").exists()
    dl = next(d for d in timeline(decided, today)["deadlines"] if d["id"] == "appeal_notice")
    assert dl["status"] == "overdue" and dl["completed_on"] is None  # the employee's own notice was never filed
    assert ap.forum == "hearing_examiner"


def test_appeal_on_day_ten_meets_the_notice_deadline(decided, people, today):
    e1, _ = employees(decided)
    actions.record_determination_received(people["chief"], decided, named_employee=e1, on=ago(today, 80))
    ap = actions.file_appeal(
        people["city_attorney"],
        decided,
        named_employee=e1,
        appellant="employee",
        forum="pscsc",
        nature="Discipline too severe.",
        notice_filed_on=ago(today, 70),
    )
    dl = next(d for d in timeline(decided, today)["deadlines"] if d["id"] == "appeal_notice")
    assert (dl["due"], dl["status"]) == (ago(today, 70).isoformat(), "met")
    assert decided.events.get(type="appeal_filed").data["late"] is False
    assert ap.outcome == "pending"


def test_appeal_on_day_eleven_is_recorded_as_late(decided, people, today):
    e1, _ = employees(decided)
    actions.record_determination_received(people["chief"], decided, named_employee=e1, on=ago(today, 80))
    actions.file_appeal(
        people["city_attorney"],
        decided,
        named_employee=e1,
        appellant="employee",
        forum="pscsc",
        nature="x",
        notice_filed_on=ago(today, 69),
    )
    dl = next(d for d in timeline(decided, today)["deadlines"] if d["id"] == "appeal_notice")
    assert dl["status"] == "missed"
    assert decided.events.get(type="appeal_filed").data["late"] is True


@pytest.mark.parametrize(
    ("appellant", "forum", "cite"),
    [
        ("employee", "hearing_examiner", "3.29.310.A.7.a"),
        ("union", "pscsc", "3.29.310.A.8"),
    ],
)
def test_who_hears_an_appeal_depends_on_who_brings_it(decided, people, today, appellant, forum, cite):
    e1, _ = employees(decided)
    actions.record_determination_received(people["chief"], decided, named_employee=e1, on=ago(today, 80))
    with pytest.raises(ActionError, match=cite.replace(".", r"\.")):
        actions.file_appeal(
            people["city_attorney"],
            decided,
            named_employee=e1,
            appellant=appellant,
            forum=forum,
            nature="x",
            notice_filed_on=ago(today, 75),
        )


@pytest.mark.parametrize("role", ["chief", "director", "named_employee", "union", "nobody"])
def test_only_the_city_attorney_records_appeals(decided, people, today, role):
    e1, _ = employees(decided)
    with pytest.raises(Refused, match="City Attorney"):
        actions.file_appeal(
            people[role],
            decided,
            named_employee=e1,
            appellant="employee",
            forum="pscsc",
            nature="x",
            notice_filed_on=ago(today, 75),
        )


@pytest.fixture
def appealed(decided, people, today):
    e1, _ = employees(decided)
    actions.record_determination_received(people["chief"], decided, named_employee=e1, on=ago(today, 80))
    ap = actions.file_appeal(
        people["city_attorney"],
        decided,
        named_employee=e1,
        appellant="employee",
        forum="pscsc",
        nature="Suspension too severe.",
        notice_filed_on=ago(today, 70),
    )
    actions.schedule_hearing(people["city_attorney"], ap, hearing_on=ago(today, 30))
    return ap


def test_ruling_that_reduces_discipline_keeps_the_old_record_and_tells_the_complainant(appealed, people, today):
    e1, _ = employees(appealed.case)
    before = Discipline.objects.get(named_employee=e1)
    with pytest.raises(ActionError, match="say which finding or discipline changed"):
        actions.record_ruling(people["city_attorney"], appealed, ruling_on=ago(today, 10), outcome="modified")
    actions.record_ruling(
        people["city_attorney"], appealed, ruling_on=ago(today, 10), outcome="modified", discipline=("suspension", 3)
    )
    recs = list(Discipline.objects.filter(named_employee=e1).order_by("pk"))
    assert [(d.kind, d.suspension_days) for d in recs] == [("suspension", 10), ("suspension", 3)]
    assert recs[1].supersedes == before and recs[1].effective_on == ago(today, 10)
    assert actions.current_discipline(appealed.case)[e1.pk] == recs[1]
    notice = ComplainantNotice.objects.get(appeal=appealed)
    assert "Unpaid suspension of 10 days → Unpaid suspension of 3 days" in notice.document
    assert "Public Safety Civil Service Commission" in notice.document
    for name in ("Ironside", "Kai", "7421", "Brightwater"):
        assert name not in notice.document
    appealed.refresh_from_db()
    assert appealed.closed_on == ago(today, 10) and appealed.outcome == "modified"


def test_upheld_ruling_changes_nothing_and_produces_no_notice(appealed, people, today):
    actions.record_ruling(people["city_attorney"], appealed, ruling_on=ago(today, 10), outcome="upheld")
    assert not ComplainantNotice.objects.exists()
    with pytest.raises(ActionError, match="closed"):
        actions.record_ruling(people["city_attorney"], appealed, ruling_on=ago(today, 5), outcome="upheld")


def test_ruling_that_changes_a_finding(appealed, people, today):
    a1 = allegation_pks(appealed.case)[0]
    a3 = allegation_pks(appealed.case)[2]
    with pytest.raises(ActionError, match="not against the appealing employee"):
        actions.record_ruling(
            people["city_attorney"], appealed, ruling_on=ago(today, 10), outcome="reversed", findings={a3: "unfounded"}
        )
    actions.record_ruling(
        people["city_attorney"],
        appealed,
        ruling_on=ago(today, 10),
        outcome="reversed",
        findings={a1: "inconclusive"},
        discipline=("none", None),
    )
    stages = actions.current_findings(appealed.case)[a1]
    assert (stages["chief"].finding, stages["appeal"].finding) == ("sustained", "inconclusive")
    assert Finding.objects.filter(allegation_id=a1).count() == 3
    assert "Sustained → Not Sustained: Inconclusive" in ComplainantNotice.objects.get().document


def test_settlement_needs_the_city_attorney_and_names_who_approved(appealed, people, today):
    with pytest.raises(Refused, match="City Attorney"):
        actions.record_settlement(
            people["chief"], appealed, terms="Five days.", settled_on=ago(today, 5), discipline=("suspension", 5)
        )
    s = actions.record_settlement(
        people["city_attorney"], appealed, terms="Five days.", settled_on=ago(today, 5), discipline=("suspension", 5)
    )
    assert s.approved_by == people["city_attorney"]
    assert appealed.case.events.get(type="appeal_settled").data["approved_by"] == "city_attorney"
    appealed.refresh_from_db()
    assert appealed.outcome == "settled"
    assert ComplainantNotice.objects.filter(appeal=appealed).exists()


def test_the_log_keeps_its_chain(appealed, people, today):
    from oversight.cases.actions import verify_chain

    actions.record_ruling(
        people["city_attorney"], appealed, ruling_on=ago(today, 10), outcome="modified", discipline=("suspension", 3)
    )
    n, broken, why = verify_chain()
    assert broken is None and why == "" and n > 10
