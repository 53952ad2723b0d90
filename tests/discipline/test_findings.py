"""The Director's recommendations, Management Actions and Training Referrals (SMC 3.29.007, 3.29.020.A.7,
3.29.025.F, 3.29.030.D)."""

from __future__ import annotations

import pytest

from oversight.cases.actions import ActionError, Refused
from oversight.cases.clock import timeline
from oversight.discipline import actions
from oversight.discipline.models import Finding, ManagementAction

from .conftest import ago, allegation_pks


def test_recommendation_records_each_finding_and_the_clock_event(case, people, today):
    a1, a2, a3 = allegation_pks(case)
    rec = actions.recommend_findings(
        people["director"],
        case,
        on=ago(today, 100),
        findings={a1: "sustained", a2: "sustained", a3: "training_referral"},
        meet_complainant=True,
        meet_complainant_reason="Credibility is in question.",
    )
    found = {f.allegation_id: f.finding for f in Finding.objects.filter(recommendation=rec)}
    assert found == {a1: "sustained", a2: "sustained", a3: "training_referral"}
    evs = list(case.events.filter(type="proposed_findings_issued"))
    assert [e.date for e in evs] == [ago(today, 100)]
    inv = next(d for d in timeline(case, today)["deadlines"] if d["id"] == "investigation")
    assert inv["status"] == "met"


def test_a_finding_outside_the_taxonomy_is_refused_and_nothing_saved(case, people, today):
    a1, a2, a3 = allegation_pks(case)
    with pytest.raises(ActionError) as e:
        actions.recommend_findings(
            people["director"], case, on=today, findings={a1: "exonerated", a2: "sustained", a3: "sustained"}
        )
    assert f"findings[{a1}]" in str(e.value) and "exonerated" in str(e.value)
    assert not Finding.objects.exists()
    assert not case.events.filter(type="proposed_findings_issued").exists()


def test_every_allegation_needs_a_finding(case, people, today):
    a1, _, a3 = allegation_pks(case)
    with pytest.raises(ActionError, match="missing for allegation"):
        actions.recommend_findings(people["director"], case, on=today, findings={a1: "sustained", a3: "unfounded"})


def test_meeting_the_complainant_only_with_a_sustained_recommendation(case, people, today):
    pks = allegation_pks(case)
    with pytest.raises(ActionError, match="3.29.025.F"):
        actions.recommend_findings(
            people["director"],
            case,
            on=today,
            findings=dict.fromkeys(pks, "unfounded"),
            meet_complainant=True,
            meet_complainant_reason="x",
        )


@pytest.mark.parametrize("role", ["chief", "city_attorney", "investigator", "named_employee", "union", "nobody"])
def test_only_the_director_recommends(case, people, today, role):
    pks = allegation_pks(case)
    with pytest.raises(Refused, match="OPA Director"):
        actions.recommend_findings(people[role], case, on=today, findings=dict.fromkeys(pks, "unfounded"))


def test_management_action_is_posted_and_copied_when_issued_and_tracks_spd_answer(case, people, today):
    pks = allegation_pks(case)
    with pytest.raises(ActionError, match="recommend findings first"):
        actions.issue_management_action(people["director"], case, letter="Revise the policy.", on=today)
    actions.recommend_findings(people["director"], case, on=ago(today, 30), findings=dict.fromkeys(pks, "unfounded"))
    ma = actions.issue_management_action(
        people["director"], case, letter="Revise the de-escalation policy.", on=ago(today, 20)
    )
    assert (ma.posted_on, ma.copied_to_oig_on, ma.copied_to_cpc_on) == (ago(today, 20),) * 3
    assert ma.status == "awaiting_response"
    ev = case.events.get(type="management_action_issued")
    assert ev.data["copied_to"] == ["OIG", "CPC"]
    actions.record_spd_response(
        people["director"], ma, response="We will revise it by March.", on=ago(today, 5), status="accepted"
    )
    ma.refresh_from_db()
    assert (ma.status, ma.spd_response_on) == ("accepted", ago(today, 5))
    with pytest.raises(Exception, match="3.29.030.D"):
        ma.delete()
    assert ManagementAction.objects.count() == 1


def test_training_report_only_on_a_training_referral(case, people, today):
    a1, a2, a3 = allegation_pks(case)
    actions.recommend_findings(
        people["director"],
        case,
        on=ago(today, 30),
        findings={a1: "sustained", a2: "unfounded", a3: "training_referral"},
    )
    tr_finding = Finding.objects.get(allegation_id=a3)
    sustained = Finding.objects.get(allegation_id=a1)
    with pytest.raises(ActionError, match="not a Training Referral"):
        actions.record_training_report(
            people["director"], sustained, reported_by_name="Lt. A", training_given="x", on=today
        )
    tr = actions.record_training_report(
        people["director"],
        tr_finding,
        reported_by_name="Lt. Amberly",
        training_given="Courtesy refresher, 4 hours",
        on=today,
    )
    assert tr.finding == tr_finding
