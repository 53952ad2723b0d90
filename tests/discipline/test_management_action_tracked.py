"""Every Management Action is a recommendation to SPD in the tracker (SMC 3.29.030.D-E), its
letter public at issue, SPD's written response its answer; the case never shows publicly."""

from __future__ import annotations

from django.test import Client

from oversight.discipline import actions
from oversight.recommendations.actions import status_of
from oversight.recommendations.models import Recommendation

from .conftest import ago


def test_a_management_action_is_tracked_and_spd_answer_moves_it(case, people, today):
    pks = [a.pk for a in case.allegations.order_by("pk")]
    actions.recommend_findings(people["director"], case, on=ago(today, 30), findings=dict.fromkeys(pks, "unfounded"))
    ma = actions.issue_management_action(
        people["director"], case, letter="Revise the vehicle pursuit policy.\nDetails follow.", on=ago(today, 20)
    )
    rec = Recommendation.objects.get(management_action=ma)
    assert (rec.issuer, rec.addressee, rec.source) == ("opa", "spd", "management_action")
    assert status_of(rec, today).status == "issued"
    assert status_of(rec, ago(today, -11)).status == "overdue"  # day 31 after issue, no answer
    actions.record_spd_response(
        people["director"], ma, response="We will revise it.", on=ago(today, 5), status="accepted"
    )
    assert status_of(rec, today).status == "accepted" and not status_of(rec, today).answered_late
    actions.record_spd_response(people["director"], ma, response="Revised.", on=today, status="implemented")
    assert status_of(rec, today).status == "implemented"
    page = Client().get(f"/public/recommendations/{rec.number}/").content.decode()
    assert "Revise the vehicle pursuit policy" in page and "Revised." in page
    assert case.number not in page and "Kai Ironside" not in page and "Taylor Brightwater" not in page
