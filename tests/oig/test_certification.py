"""Certification of investigations (SMC 3.29.112), through OIG's actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from oversight.cases import actions as ca
from oversight.cases.clock import timeline
from oversight.cases.models import AppendOnlyError, CaseEvent
from oversight.oig import actions as oa
from oversight.oig.models import CERTIFIED, FURTHER, NOT_CERTIFIED, Determination, OigAuditEntry
from oversight.oig.review import findings_gate, queue, review_state
from oversight.rules import access as OR
from oversight.rules import access as R

from .conftest import CRITERIA, days_ago, open_investigation, recommend, submit

pytestmark = pytest.mark.django_db


def _investigation_due(case: Any, today: dt.date) -> str:
    return next(d["due"] for d in timeline(case, today)["deadlines"] if d["id"] == "investigation")


def test_directed_further_investigation_extends_60_days_then_resubmit_and_certify(people, honesty, today):
    auditor = people[OR.OIG_AUDITOR]
    assert findings_gate(honesty, today).cite == "SMC 3.29.112.A"  # not yet submitted
    due_before = _investigation_due(honesty, today)
    submit(people, honesty, 4)
    gate = findings_gate(honesty, today)
    assert not gate.allowed and gate.cite == "SMC 3.29.112.G"
    det = oa.record_determination(
        auditor,
        honesty,
        FURTHER,
        criteria=CRITERIA,
        reasons="Witnesses not interviewed.",
        further_kind="directed",
        further_investigation="Interview both civilian witnesses.",
        on=days_ago(2),
    )
    assert det.extension_event is not None
    # The clock adds 60 days for further investigation (SMC 3.29.026.I): read from the profile.
    extra = ca.rules_on(honesty.received_on).deadlines["investigation"].adjustments
    days = next(a.days for a in extra if a.event == "additional_investigation")
    due_after = _investigation_due(honesty, today)
    assert dt.date.fromisoformat(due_after) - dt.date.fromisoformat(due_before) == dt.timedelta(days=days)
    assert days == 60
    gate = findings_gate(honesty, today)
    assert not gate.allowed and gate.cite == "SMC 3.29.112.D"
    with pytest.raises(PermissionDenied, match="3.29.112.D"):
        recommend(people[R.DIRECTOR], honesty)
    submit(people, honesty, 1)
    assert [r.case.pk for r in queue(today)] == [honesty.pk]
    oa.record_determination(auditor, honesty, CERTIFIED, criteria={"a": "Both witnesses interviewed."})
    assert queue(today) == []
    gate = findings_gate(honesty, today)
    assert gate.allowed and gate.cite == "SMC 3.29.112.C"
    recommend(people[R.DIRECTOR], honesty)
    types = list(honesty.events.order_by("seq").values_list("type", flat=True))
    assert types[-7:] == [
        "submitted_to_oig",
        "oig_not_certified",
        "additional_investigation",
        "submitted_to_oig",
        "oig_certified",
        "proposed_findings_issued",
        "findings_recommended",
    ]
    st = review_state(honesty, today)
    assert [s.round for s in st.submissions] == [1, 2]
    assert all(s.window and s.window["status"] == "met" for s in st.submissions)
    assert OigAuditEntry.objects.filter(action="record_determination", case=honesty).count() == 2


def test_a_demand_dated_inside_the_window_but_recorded_after_it_is_refused(people, honesty):
    window = ca.rules_on(honesty.received_on).deadlines["oig_review"].days
    submit(people, honesty, window + 3)
    with pytest.raises(PermissionDenied, match=r"\[SMC 3.29.112.G\]"):
        oa.record_determination(
            people[OR.OIG_AUDITOR],
            honesty,
            FURTHER,
            criteria=CRITERIA,
            reasons="r",
            further_kind="requested",
            further_investigation="More.",
            on=days_ago(window + 1),
        )
    # A certification or a non-certification without a demand may still be recorded late.
    det = oa.record_determination(
        people[OR.OIG_AUDITOR], honesty, NOT_CERTIFIED, criteria=CRITERIA, reasons="Too thin.", on=days_ago(1)
    )
    assert det.extension_event is None


def test_memorandum_records_date_criteria_reasons_and_is_in_the_chain(people, honesty):
    submit(people, honesty, 3)
    det = oa.record_determination(
        people[OR.INSPECTOR_GENERAL],
        honesty,
        FURTHER,
        criteria=CRITERIA,
        reasons="Witnesses not interviewed.",
        further_kind="requested",
        further_investigation="Interview the witnesses.",
        on=days_ago(1),
    )
    memo = det.memorandum
    assert f"Date of review: {days_ago(1).isoformat()}" in memo
    assert "Certified: no" in memo
    assert "Further investigation requested" in memo
    assert "Reasons: Witnesses not interviewed." in memo
    assert "(a) Witnesses contacted" in memo and "Two civilian witnesses were never contacted." in memo
    assert "(c) Whether additional clarifying information" in memo and "not addressed" in memo
    assert det.clock_event.data["memorandum_sha256"] == det.memorandum_sha256
    assert ca.verify_chain()[2] == ""


def test_lapsed_window_lets_the_director_certify_and_refuses_oig_further_investigation(people, today):
    case = open_investigation(people, "honesty")
    submit(people, case, 15)  # ten days passed with no word from OIG
    st = review_state(case, today)
    assert st.pending is not None and st.pending.window["status"] == "overdue"
    assert any(f["id"] == "oig_review_lapsed" for f in st.timeline["flags"])
    gate = findings_gate(case, today)
    assert gate.allowed and gate.cite == "SMC 3.29.112.G"
    with pytest.raises(PermissionDenied, match=r"precluded from requiring further investigation \[SMC 3.29.112.G\]"):
        oa.record_determination(
            people[OR.OIG_AUDITOR],
            case,
            FURTHER,
            criteria=CRITERIA,
            reasons="Late concern.",
            further_kind="directed",
            further_investigation="More.",
        )
    assert not Determination.objects.filter(case=case).exists()
    assert not case.events.filter(type__in=["oig_not_certified", "additional_investigation"]).exists()
    recommend(people[R.DIRECTOR], case)
    assert case.events.filter(type="proposed_findings_issued").exists()


def test_within_the_window_further_investigation_is_allowed_on_its_last_day(people):
    case = open_investigation(people)
    days = ca.rules_on(case.received_on).deadlines["oig_review"].days
    submit(people, case, days)
    det = oa.record_determination(
        people[OR.OIG_AUDITOR], case, FURTHER, criteria=CRITERIA, reasons="r", further_kind="meet_director"
    )
    assert det.extension_event is None  # a meeting request adds no days
    assert not findings_gate(case, det.decided_on).allowed


def test_non_certification_that_cannot_be_remedied_is_carried_into_findings(people, honesty, today):
    submit(people, honesty, 4)
    oa.record_determination(
        people[OR.OIG_AUDITOR],
        honesty,
        NOT_CERTIFIED,
        criteria=CRITERIA,
        reasons="The body-worn video was overwritten; no further work can recover it.",
        cannot_remedy=True,
        on=days_ago(1),
    )
    gate = findings_gate(honesty, today)
    assert gate.allowed and gate.carry_non_certification and gate.cite == "SMC 3.29.112.H"


def test_chief_asks_for_more_after_due_process_hearing_case_returns_to_oig(people, honesty, today):
    submit(people, honesty, 10)
    oa.record_determination(people[OR.OIG_AUDITOR], honesty, CERTIFIED, criteria={"a": "ok"}, on=days_ago(8))
    recommend(people[R.DIRECTOR], honesty, on=days_ago(7))
    ca.record_clock_event(
        people[R.SUPERVISOR],
        honesty,
        "additional_investigation",
        days_ago(4),
        reason="requested by the Chief of Police after the due process hearing",
    )
    assert findings_gate(honesty, today).cite == "SMC 3.29.112.D"
    submit(people, honesty, 1)
    st = review_state(honesty, today)
    assert st.pending is not None and st.pending.round == 2
    oa.record_determination(people[OR.OIG_AUDITOR], honesty, CERTIFIED, criteria={"a": "ok"})
    assert findings_gate(honesty, today).allowed


@pytest.mark.parametrize(
    ("outcome", "kw", "field"),
    [
        ("approved", {}, "outcome"),
        (NOT_CERTIFIED, {"reasons": ""}, "reasons"),
        (FURTHER, {"reasons": "r", "further_kind": ""}, "further_kind"),
        (FURTHER, {"reasons": "r", "further_kind": "directed", "further_investigation": " "}, "further_investigation"),
        (CERTIFIED, {"further_kind": "directed"}, "further_kind"),
        (CERTIFIED, {"criteria": {}}, "criteria"),
        (CERTIFIED, {"criteria": {"z": "?"}}, "criteria"),
        (CERTIFIED, {"on": dt.date.today() + dt.timedelta(days=3)}, "decided_on"),
    ],
)
def test_bad_determinations_name_the_field_and_save_nothing(people, honesty, outcome, kw, field):
    submit(people, honesty, 2)
    before = CaseEvent.objects.count()
    kw = {"criteria": CRITERIA} | kw
    with pytest.raises(ca.ActionError) as e:
        oa.record_determination(people[OR.OIG_AUDITOR], honesty, outcome, **kw)
    assert e.value.field == field
    assert CaseEvent.objects.count() == before and not Determination.objects.exists()


def test_no_determination_without_a_submission_and_only_one_per_submission(people, honesty):
    with pytest.raises(ca.ActionError, match="no investigation awaiting"):
        oa.record_determination(people[OR.OIG_AUDITOR], honesty, CERTIFIED, criteria=CRITERIA)
    submit(people, honesty, 2)
    oa.record_determination(people[OR.OIG_AUDITOR], honesty, CERTIFIED, criteria=CRITERIA)
    with pytest.raises(ca.ActionError, match="no investigation awaiting"):
        oa.record_determination(people[OR.OIG_AUDITOR], honesty, NOT_CERTIFIED, criteria=CRITERIA, reasons="r")


@pytest.mark.parametrize("role", [R.DIRECTOR, R.SUPERVISOR, R.INVESTIGATOR, R.ADMINISTRATOR, R.CPC_STAFF, "nobody"])
def test_only_oig_records_determinations(people, honesty, role):
    submit(people, honesty, 2)
    with pytest.raises(PermissionDenied, match="Only Inspector General, OIG auditor may record OIG's determination"):
        oa.record_determination(people[role], honesty, CERTIFIED, criteria=CRITERIA)
    assert not Determination.objects.exists()


def test_a_determination_cannot_be_changed_or_deleted(people, honesty):
    submit(people, honesty, 2)
    det = oa.record_determination(people[OR.OIG_AUDITOR], honesty, CERTIFIED, criteria=CRITERIA)
    det.outcome = NOT_CERTIFIED
    with pytest.raises(AppendOnlyError):
        det.save()
    with pytest.raises(AppendOnlyError):
        det.delete()


def test_only_the_director_issues_findings_through_the_gate(people, honesty):
    submit(people, honesty, 3)
    oa.record_determination(people[OR.OIG_AUDITOR], honesty, CERTIFIED, criteria=CRITERIA)
    for role in (OR.OIG_AUDITOR, OR.INSPECTOR_GENERAL, R.INVESTIGATOR):
        with pytest.raises(PermissionDenied):
            recommend(people[role], honesty)


def test_queue_lists_cases_awaiting_review_at_risk_first(people, today):
    late = open_investigation(people)
    soon = open_investigation(people)
    later = open_investigation(people)
    done = open_investigation(people)
    submit(people, late, 12)
    submit(people, soon, 8)
    submit(people, later, 1)
    submit(people, done, 3)
    oa.record_determination(people[OR.OIG_AUDITOR], done, CERTIFIED, criteria=CRITERIA)
    rows = queue(today)
    assert [r.case.number for r in rows] == [late.number, soon.number, later.number]
    assert [r.status for r in rows] == ["overdue", "open", "open"]
    assert rows[1].days_remaining < rows[2].days_remaining


def test_a_type_iii_force_allegation_is_reviewed_under_chosen_categories(people, today):
    """OIG's chosen-categories review (SMC 3.29.112.A.3) keeps the cases whose conduct involved
    Type III force, marked on the allegation (3.29.007), whatever its category."""
    from oversight.oig.review import requirement

    oa.set_review_policy(people[R.INSPECTOR_GENERAL], mode="chosen_categories", chosen=["bias"], reason="Focus.")
    case = open_investigation(people, "courtesy")
    assert not requirement(case).required
    allegation = case.allegations.get()
    ca.edit_allegation(people[R.SUPERVISOR], allegation, type_iii_force=True)
    req = requirement(case)
    assert req.required and req.reasons[0].cite == "SMC 3.29.112.A.3"
    flags = {f["id"] for f in timeline(case, today)["flags"]}
    assert "oig_review_required" in flags
