"""SMC 3.29.112.E: "If additional investigation is requested by the Chief of Police after a due
process hearing, the case shall be re-submitted to OIG for re-certification following the
additional investigation." The Director then recommends again; the Chief decides on that."""

from __future__ import annotations

import pytest

from oversight.cases import actions as case_actions
from oversight.cases.actions import ActionError, Refused
from oversight.cases.clock import timeline
from oversight.discipline import actions
from oversight.discipline.models import Finding, Recommendation
from oversight.oig import actions as oig_actions

from .conftest import ago, allegation_pks


def test_the_chiefs_additional_investigation_returns_through_oig_to_a_second_recommendation(case, people, today):
    pks = allegation_pks(case)
    actions.recommend_findings(people["director"], case, on=ago(today, 40), findings=dict.fromkeys(pks, "sustained"))
    with pytest.raises(Refused, match="Chief of Police"):
        actions.request_additional_investigation(people["director"], case, on=ago(today, 30), reason="More.")
    actions.request_additional_investigation(
        people["chief"], case, on=ago(today, 30), reason="Interview the second witness the hearing named."
    )
    assert actions.recommending_again(case)
    # the Chief does not decide now, nor ask twice; the Director waits for re-certification
    with pytest.raises(ActionError, match="has not come back yet"):
        actions.request_additional_investigation(people["chief"], case, on=ago(today, 29), reason="Again.")
    with pytest.raises(Refused, match="re-submitted to OIG"):
        actions.recommend_findings(
            people["director"], case, on=ago(today, 20), findings=dict.fromkeys(pks, "unfounded")
        )
    # OPA completes the work and re-submits; OIG re-certifies
    case_actions.submit_to_oig(people["investigation_supervisor"], case, ago(today, 15))
    oig_actions.record_determination(
        people["oig_auditor"],
        case,
        "certified",
        criteria={"a": "The second witness was interviewed."},
        on=ago(today, 12),
    )
    actions.recommend_findings(people["director"], case, on=ago(today, 10), findings=dict.fromkeys(pks, "unfounded"))
    assert Recommendation.objects.filter(case=case).count() == 2
    assert case.events.filter(type="proposed_findings_issued").count() == 2
    latest = actions.current_findings(case)
    assert {stages["recommended"].finding for stages in latest.values()} == {"unfounded"}
    assert Finding.objects.filter(case=case, stage="recommended").count() == 2 * len(pks)
    tl = {d["id"]: d for d in timeline(case, today)["deadlines"]}
    more = next(d for k, d in tl.items() if k.startswith("additional_investigation_"))
    assert more["status"] == "met" and more["completed_on"] == ago(today, 15).isoformat()
    assert not actions.recommending_again(case)
    with pytest.raises(ActionError, match="already recommended"):
        actions.recommend_findings(people["director"], case, on=ago(today, 9), findings=dict.fromkeys(pks, "sustained"))
    actions.record_chief_decision(
        people["chief"],
        case,
        decided_on=ago(today, 5),
        due_process_hearing_on=ago(today, 35),
        findings=dict.fromkeys(pks, "unfounded"),
    )
    assert actions.decision_of(case).follows_recommendation  # type: ignore[union-attr]
