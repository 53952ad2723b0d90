"""Who may do what: each role is refused every action it may not take, and the
refusal leaves nothing behind (no event, no audit entry, no row)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.test import Client

from oversight.cases import actions
from oversight.cases.models import AuditEntry, Case, CaseEvent, Subpoena, SupervisorActionReferral
from oversight.rules import access as R

from .conftest import intake_kwargs

pytestmark = pytest.mark.django_db


def _calls(case: Case, staff: dict[str, Any], today: dt.date) -> dict[str, Callable[[Any], object]]:
    ne = case.named_employees.get()
    plan = case.plans.get()
    sub = Subpoena.objects.create(
        case=case, recipient="Cafe", material="video", issued_on=today, issued_by=staff[R.DIRECTOR]
    )
    ref = SupervisorActionReferral.objects.create(
        case=case, named_employee=ne, supervisor_name="Sgt", referred_on=today, report_due=today + dt.timedelta(days=9)
    )
    return {
        "open_case": lambda u: actions.open_case(u, **intake_kwargs(today)),
        "add_party": lambda u: actions.add_named_employee(u, case, name="Another Officer"),
        "classify": lambda u: actions.classify(u, case, "investigation", "r"),
        "route": lambda u: actions.route(u, case, "oig", "conflict"),
        "assign": lambda u: actions.assign(u, case, staff[R.INVESTIGATOR]),
        "refer_supervisor_action": lambda u: actions.refer_supervisor_action(u, case, ne, today + dt.timedelta(9)),
        "record_supervisor_report": lambda u: actions.record_supervisor_report(u, ref, "done"),
        "send_notice": lambda u: actions.send_notice(u, case),
        "submit_plan": lambda u: actions.submit_plan(
            u, case, priority="p", witnesses="w", perishable_evidence="e", other_evidence="o", approach="a"
        ),
        "approve_plan": lambda u: actions.approve_plan(u, plan),
        "record_exigent": lambda u: actions.record_exigent(u, case, "Kai Ironside", "wildfire"),
        "investigate": lambda u: actions.add_evidence(u, case, ContentFile(b"video", name="v.mp4")),
        "toll": lambda u: actions.postpone_interview(u, case, 7, "guild representative unavailable"),
        "director_vacancy": lambda u: actions.record_clock_event(u, case, "director_vacancy", today),
        "issue_subpoena": lambda u: actions.issue_subpoena(u, case, "Cafe", "video"),
        "update_subpoena": lambda u: actions.update_subpoena(u, sub, "served"),
        "oig_step": lambda u: actions.record_clock_event(u, case, "submitted_to_oig", today),
        "issue_findings": lambda u: actions.record_clock_event(u, case, "proposed_findings_issued", today),
        "record_outcome": lambda u: actions.record_clock_event(
            u, case, "chief_decision", today, follows_recommendation=True
        ),
        "close_case": lambda u: actions.close_case(u, case, "done"),
        "import_cases": lambda u: actions.import_cases(u, []),
    }


def test_every_permission_has_a_call_here(investigation, staff, today):
    assert set(_calls(investigation, staff, today)) == set(R.PERMISSIONS)


def _snapshot() -> tuple[int, int, int]:
    return CaseEvent.objects.count(), AuditEntry.objects.count(), Case.objects.count()


@pytest.mark.parametrize("action", sorted(R.PERMISSIONS))
def test_each_role_is_refused_what_it_may_not_do(investigation, staff, today, action):
    call = _calls(investigation, staff, today)[action]
    refused_roles = [r for r in R.ROLES if r not in R.PERMISSIONS[action].roles] + ["nobody"]
    for role in refused_roles:
        before = _snapshot()
        with pytest.raises(actions.Refused) as err:
            call(staff[role])
        assert R.PERMISSIONS[action].label in str(err.value)
        assert _snapshot() == before, f"{role} refused {action} but something was written"
    with pytest.raises(actions.Refused):
        call(AnonymousUser())


@pytest.mark.parametrize("action", sorted(R.PERMISSIONS))
def test_each_allowed_role_may(investigation, staff, today, action):
    """The refusals above are specific: a role the table allows is not refused."""
    role = sorted(R.PERMISSIONS[action].roles)[0]
    calls = _calls(investigation, staff, today)
    try:
        calls[action](staff[role])
    except actions.Refused as e:  # pragma: no cover - the failure message says which
        pytest.fail(f"{role} was refused {action}: {e}")
    except actions.ActionError:
        pass  # allowed, but the case's state rejects it: not a role refusal


def test_cpc_staff_read_closed_cases_only(force_case, staff):
    cpc = Client()
    cpc.force_login(staff[R.CPC_STAFF])
    r = cpc.get(f"/cases/{force_case.number}/")
    assert r.status_code == 403
    assert cpc.get("/").status_code == 403  # the board lists open cases
    assert cpc.get(f"/api/cases/{force_case.number}").status_code == 403
    actions.close_case(staff[R.DIRECTOR], force_case, "Complete.")
    r = cpc.get(f"/cases/{force_case.number}/")
    assert r.status_code == 200
    assert "Close the case" not in r.content.decode()  # no forms for a reader


def test_no_role_reads_nothing(force_case, staff):
    c = Client()
    c.force_login(staff["nobody"])
    assert c.get(f"/cases/{force_case.number}/").status_code == 403
    assert c.get("/").status_code == 403
    anon = Client()
    assert anon.get("/").status_code == 302  # to the login page


def test_a_refused_post_through_the_web_writes_nothing(force_case, staff):
    c = Client()
    c.force_login(staff[R.INVESTIGATOR])
    before = _snapshot()
    r = c.post(f"/cases/{force_case.number}/do/classify/", {"classification": "investigation", "rationale": "x"})
    assert r.status_code == 403
    assert "Only" in r.content.decode() and _snapshot() == before
