"""OIG's annual workplan shared with CPC (SMC 3.29.110.A.20): the Inspector General shares the
draft, CPC proposes additions (3.29.215.A.15), OIG answers each and then sets the workplan; each
step through the one door, each waiting on the home of the one who acts next."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from oversight.access import Refused
from oversight.cases.actions import ActionError
from oversight.cases.models import AuditEntry
from oversight.cpc import actions
from oversight.cpc.models import Workplan
from oversight.rules import access as R

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_the_draft_cpc_proposals_oig_answers_and_the_workplan_set(staff, today):
    ig, cpc = _client(staff[R.INSPECTOR_GENERAL]), _client(staff[R.CPC_STAFF])
    r = ig.post("/cpc/workplan/", {"year": today.year + 1, "draft": "", "on": today.isoformat()})
    assert r.status_code == 400 and "is required" in r.content.decode()
    r = ig.post("/cpc/workplan/", {"year": today.year + 1, "draft": "Audit the intake.", "on": today.isoformat()})
    assert r.status_code == 302
    plan = Workplan.objects.get(year=today.year + 1)
    assert "OIG&#x27;s draft workplan for" in cpc.get("/").content.decode()  # waits on CPC's home
    r = cpc.post(
        f"/cpc/workplan/{plan.pk}/do/propose/",
        {"area": "Crowd control at protests", "reasons": "", "on": today.isoformat()},
    )
    assert r.status_code == 400 and "Crowd control at protests" in r.content.decode()  # kept as typed
    r = cpc.post(
        f"/cpc/workplan/{plan.pk}/do/propose/",
        {"area": "Crowd control at protests", "reasons": "Community concern after May.", "on": today.isoformat()},
    )
    assert r.status_code == 302
    proposal = plan.proposals.get()
    assert "Crowd control at protests" in ig.get("/").content.decode()  # waits on the Inspector General's home
    with pytest.raises(ActionError, match="proposed addition"):
        actions.set_workplan(staff[R.INSPECTOR_GENERAL], plan, final="Intake.", on=today)
    r = ig.post(
        f"/cpc/workplan/{plan.pk}/do/answer/",
        {"proposal": proposal.pk, "decision": "included", "text": "Added as audit 4.", "on": today.isoformat()},
    )
    assert r.status_code == 302
    actions.set_workplan(staff[R.INSPECTOR_GENERAL], plan, final="Intake; crowd control (audit 4).", on=today)
    page = cpc.get("/cpc/workplan/").content.decode()
    assert "Included in the workplan" in page and "Added as audit 4." in page and "crowd control (audit 4)" in page
    assert "Crowd control at protests" not in ig.get("/").content.decode()  # answered: nothing waits
    with pytest.raises(ActionError, match="only an emergent issue"):
        actions.propose_workplan_addition(staff[R.CPC_STAFF], plan, area="More", reasons="Later.", on=today)
    actions.propose_workplan_addition(
        staff[R.CPC_STAFF], plan, area="Drones", reasons="New this year.", on=today, emergent=True
    )
    done = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"share_workplan", "propose_workplan_addition", "answer_workplan_proposal", "set_workplan"} <= done


def test_only_oig_shares_and_answers_and_only_cpc_proposes(staff, today):
    plan = actions.share_workplan(staff[R.INSPECTOR_GENERAL], year=today.year, draft="Audits.", on=today)
    with pytest.raises(Refused):
        actions.share_workplan(staff[R.CPC_STAFF], year=today.year + 1, draft="Ours.", on=today)
    with pytest.raises(Refused):
        actions.propose_workplan_addition(staff[R.INSPECTOR_GENERAL], plan, area="A", reasons="B", on=today)
    with pytest.raises(ActionError, match="already shared"):
        actions.share_workplan(staff[R.INSPECTOR_GENERAL], year=today.year, draft="Again.", on=today)
    with pytest.raises(ActionError, match="before the draft was shared"):
        actions.propose_workplan_addition(
            staff[R.CPC_STAFF], plan, area="A", reasons="B", on=today - dt.timedelta(days=1)
        )
    assert _client(staff[R.DIRECTOR]).get("/cpc/workplan/").status_code == 403
    cpc_page = _client(staff[R.CPC_STAFF]).get("/cpc/workplan/").content.decode()
    assert "Share a draft workplan" not in cpc_page and "Propose an area" in cpc_page
