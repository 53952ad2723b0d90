"""Classification with rationale, the Supervisor Action constraint, routing to OIG and SDHR."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from oversight.cases import actions
from oversight.cases.clock import rules_for
from oversight.cases.models import AuditEntry, Case
from oversight.rules import access as R
from oversight.rules import classification as rc

from .conftest import intake_kwargs

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("category", ["use_of_force", "bias", "law", "type_iii_force"])
def test_force_bias_and_law_cannot_go_to_supervisor_action(staff, today, category):
    case = actions.open_case(
        staff[R.INTAKE], **intake_kwargs(today, allegations=[{"employee": 0, "category": category}])
    )
    before = case.events.count()
    with pytest.raises(rc.ClassificationRefused) as err:
        actions.classify(staff[R.DIRECTOR], case, "supervisor_action", "Minor, coaching will do.")
    assert "SMC 3.29.025.A" in str(err.value) and err.value.cite == "SMC 3.29.025.A"
    assert "Kai Ironside" in str(err.value)  # names the barred allegation
    case.refresh_from_db()
    assert case.classification == "" and case.events.count() == before
    refused = AuditEntry.objects.get(action="classify_refused", case=case)
    assert refused.detail["cite"] == "SMC 3.29.025.A"


def test_classification_is_recorded_with_its_rationale(force_case, staff):
    ev = actions.classify(staff[R.SUPERVISOR], force_case, "investigation", "Force alleged; video exists.")
    force_case.refresh_from_db()
    assert force_case.classification == "investigation"
    assert ev.data == {
        "classification": "investigation",
        "rationale": "Force alleged; video exists.",
        "label": "Investigation",
    }
    assert ev.recorded_by == staff[R.SUPERVISOR]


def test_a_rationale_is_required(force_case, staff):
    with pytest.raises(actions.ActionError) as err:
        actions.classify(staff[R.SUPERVISOR], force_case, "investigation", "  ")
    assert err.value.field == "rationale"


def test_courtesy_may_go_to_supervisor_action_and_is_referred_to_the_supervisor(staff, today):
    case = actions.open_case(
        staff[R.INTAKE], **intake_kwargs(today, allegations=[{"employee": 0, "category": "courtesy"}])
    )
    actions.classify(staff[R.DIRECTOR], case, "supervisor_action", "Rudeness at a traffic stop.")
    case.refresh_from_db()
    ne = case.named_employees.get()
    ref = actions.refer_supervisor_action(staff[R.SUPERVISOR], case, ne, today + dt.timedelta(days=30))
    assert ref.supervisor_name == "Sgt. Vale"  # the named employee's supervisor, from intake
    actions.record_supervisor_report(staff[R.INTAKE], ref, "Coached the officer; called the complainant.")
    ref.refresh_from_db()
    assert ref.reported_on == today
    assert list(case.events.values_list("type", flat=True))[-2:] == [
        "supervisor_action_referred",
        "supervisor_action_reported",
    ]


def test_unknown_classification_is_refused(force_case, staff):
    with pytest.raises(rc.ClassificationRefused, match="not a classification"):
        actions.classify(staff[R.SUPERVISOR], force_case, "shrug", "why not")


@pytest.mark.parametrize(
    ("to", "cite", "dest"),
    [
        ("oig", "SMC 3.29.025.G", "Office of Inspector General"),
        ("sdhr", "SMC 3.29.300.G", "Seattle Department of Human Resources"),
    ],
)
def test_routing_outside_opa(force_case, staff, to, cite, dest):
    ev = actions.route(staff[R.DIRECTOR], force_case, to, "Complaint names an OPA investigator.")
    assert ev.data["cite"] == cite and ev.data["to"] == dest
    force_case.refresh_from_db()
    assert force_case.routed_to == to
    with pytest.raises(actions.ActionError, match="routed"):
        actions.classify(staff[R.DIRECTOR], force_case, "investigation", "x")


def test_refusal_shows_on_the_page_with_the_citation_and_keeps_the_rationale(force_case, staff):
    c = Client()
    c.force_login(staff[R.DIRECTOR])
    r = c.post(
        f"/cases/{force_case.number}/do/classify/",
        {"classification": "supervisor_action", "rationale": "My typed rationale"},
    )
    assert r.status_code == 400
    page = r.content.decode()
    assert "SMC 3.29.025.A" in page and "My typed rationale" in page
    assert Case.objects.get(pk=force_case.pk).classification == ""


def test_allowed_lists_only_what_the_constraints_permit():
    rules = rules_for(dt.date(2024, 1, 1))
    force = [rc.AllegationView("A", "use_of_force")]
    assert "supervisor_action" not in rc.allowed(rules, force)
    assert "supervisor_action" in rc.allowed(rules, [rc.AllegationView("A", "courtesy")])
