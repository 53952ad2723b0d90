"""OIG's workspace over the web: who may read and do what, review policy, records withheld, conflicts."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from oversight.cases import actions as ca
from oversight.cases.models import CaseEvent
from oversight.oig import actions as oa
from oversight.oig.models import CERTIFIED, ClassificationInput, Determination, ReviewPolicy, WithheldItemization
from oversight.oig.review import requirement
from oversight.rules import access as OR
from oversight.rules import access as R
from oversight.rules.classification import ClassificationRefused

from .conftest import CRITERIA, days_ago, open_investigation, submit

pytestmark = pytest.mark.django_db


def test_oig_reads_every_case_and_the_queue(client: Client, people, honesty):
    submit(people, honesty, 2)
    for role in OR.OIG_STAFF:
        client.force_login(people[role])
        assert honesty.number in client.get("/oig/queue/").content.decode()
        page = client.get(f"/cases/{honesty.number}/").content.decode()
        assert "Quinn Larchmont" in page and "Record determination" in page


@pytest.mark.parametrize("role", [R.DIRECTOR, R.SUPERVISOR, R.INTAKE, R.CPC_STAFF, "nobody"])
def test_oig_workspace_pages_are_oig_only(client: Client, people, role):
    client.force_login(people[role])
    for url in ("/oig/queue/", "/oig/audits/", "/oig/policy/", "/oig/conflicts/", "/oig/withheld/"):
        assert client.get(url).status_code == 403, url
    r = client.post("/oig/policy/", {"mode": "chosen_categories", "chosen": "honesty", "reason": "r"})
    assert r.status_code == 403 and not ReviewPolicy.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client: Client, honesty):
    r = client.get(f"/cases/{honesty.number}/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_opa_reads_oig_determinations_on_its_cases_but_cannot_change_them(client: Client, people, honesty):
    submit(people, honesty, 3)
    client.force_login(people[R.DIRECTOR])
    page = client.get(f"/cases/{honesty.number}/").content.decode()
    assert "Record determination" not in page  # never offered to OPA
    before = CaseEvent.objects.count()
    r = client.post(
        f"/oig/cases/{honesty.number}/determine/",
        {"outcome": "certified", "criterion_a": "fine", "reasons": "typed by the Director"},
    )
    assert r.status_code == 403 and "Not allowed" in r.content.decode()  # the site's refusal page
    assert "Only Inspector General, OIG auditor may record" in r.content.decode()
    assert CaseEvent.objects.count() == before and not Determination.objects.exists()
    oa.record_determination(people[OR.OIG_AUDITOR], honesty, CERTIFIED, criteria=CRITERIA, on=days_ago(1))
    page = client.get(f"/cases/{honesty.number}/").content.decode()
    assert "Certified as thorough, timely and objective" in page
    assert "Two civilian witnesses were never contacted." in page  # the memorandum


def test_cpc_staff_cannot_read_oig_review_of_an_open_case(client: Client, people, honesty):
    client.force_login(people[R.CPC_STAFF])
    assert client.get(f"/cases/{honesty.number}/").status_code == 403


def test_a_determination_over_the_web_and_bad_input_keeps_what_was_typed(client: Client, people, honesty):
    submit(people, honesty, 2)
    client.force_login(people[OR.OIG_AUDITOR])
    r = client.post(
        f"/oig/cases/{honesty.number}/determine/",
        {
            "outcome": "not_certified_further",
            "further_kind": "directed",
            "reasons": "Keep my reasons.",
            "criterion_b": "Keep my criterion.",
        },
    )
    assert r.status_code == 400
    page = r.content.decode()
    assert "Further investigation: is required" in page  # the field in words, never its name
    assert "Keep my reasons." in page and "Keep my criterion." in page
    assert not Determination.objects.exists()
    r = client.post(
        f"/oig/cases/{honesty.number}/determine/",
        {
            "outcome": "not_certified_further",
            "further_kind": "directed",
            "reasons": "Keep my reasons.",
            "criterion_b": "Keep my criterion.",
            "further_investigation": "Re-interview the named employee.",
        },
    )
    assert r.status_code == 302
    det = Determination.objects.get()
    assert det.further_kind == "directed" and det.criteria["b"] == "Keep my criterion."


def test_review_policy_switch_keeps_type_iii_force(people):
    courtesy = open_investigation(people, "courtesy")
    force3 = open_investigation(people, "type_iii_force")
    bias = open_investigation(people, "bias")
    assert not requirement(courtesy).required and requirement(bias).required
    with pytest.raises(PermissionDenied, match="Only Inspector General may change"):
        oa.set_review_policy(people[OR.OIG_AUDITOR], mode="chosen_categories", chosen=["honesty"], reason="r")
    with pytest.raises(ca.ActionError) as e:
        oa.set_review_policy(people[OR.INSPECTOR_GENERAL], mode="chosen_categories", chosen=["poetry"], reason="r")
    assert e.value.field == "chosen"
    oa.set_review_policy(
        people[OR.INSPECTOR_GENERAL], mode="chosen_categories", chosen=["honesty"], reason="Quality is high."
    )
    assert not requirement(bias).required
    req = requirement(force3)
    assert req.required and req.reasons[0].cite == "SMC 3.29.112.A.3"
    oa.set_review_policy(people[OR.INSPECTOR_GENERAL], mode="all_mandatory", reason="Audits raised concerns.")
    assert requirement(bias).required
    assert ReviewPolicy.objects.count() == 2  # the history stays


def test_oig_may_direct_review_of_another_investigation(people, today):
    courtesy = open_investigation(people, "courtesy")
    assert not requirement(courtesy).required
    oa.direct_review(people[OR.OIG_AUDITOR], courtesy, "A pattern of courtesy complaints in this unit.")
    req = requirement(courtesy)
    assert req.required and req.reasons[-1].cite == "SMC 3.29.112.A.2"
    with pytest.raises(PermissionDenied):
        oa.direct_review(people[R.DIRECTOR], courtesy, "x")


def test_preclassification_input_is_oig_only_and_checked(people, honesty):
    ci = oa.give_classification_input(
        people[OR.OIG_AUDITOR], honesty, proposed="investigation", concur=True, comment="Agree."
    )
    assert ci.concur
    with pytest.raises(ca.ActionError) as e:
        oa.give_classification_input(people[OR.OIG_AUDITOR], honesty, proposed="shrug", concur=True, comment="x")
    assert e.value.field == "proposed"
    with pytest.raises(PermissionDenied):
        oa.give_classification_input(people[R.DIRECTOR], honesty, proposed="investigation", concur=True, comment="x")
    assert ClassificationInput.objects.count() == 1


def test_records_withheld_are_itemized_with_a_legal_basis_each(client: Client, people):
    client.force_login(people[OR.OIG_AUDITOR])
    r = client.post(
        "/oig/withheld/",
        {
            "department": "Seattle Police Department",
            "request": "Training files for 2025",
            "description": ["Roster of the gang unit", "Lesson plan"],
            "legal_basis": ["RCW 42.56.240(1)", ""],
        },
    )
    assert r.status_code == 400 and "Legal basis of item 2: is required" in r.content.decode()
    assert "Training files for 2025" in r.content.decode()
    assert not WithheldItemization.objects.exists()
    r = client.post(
        "/oig/withheld/",
        {
            "department": "Seattle Police Department",
            "request": "Training files for 2025",
            "description": ["Roster of the gang unit"],
            "legal_basis": ["RCW 42.56.240(1)"],
        },
    )
    assert r.status_code == 302
    page = client.get("/oig/withheld/").content.decode()
    assert "Roster of the gang unit" in page and "RCW 42.56.240(1)" in page
    client.force_login(people[R.DIRECTOR])
    assert client.get("/oig/withheld/").status_code == 403


def test_conflict_complaints_arrive_in_oig_intake_and_are_classified_under_the_same_rules(client: Client, people):
    case = ca.open_case(
        people[R.INTAKE],
        channel="web",
        received_on=days_ago(5),
        summary="A complaint against an OPA investigator's cousin.",
        named_employees=[{"name": "Skyler Vale"}],
        allegations=[{"employee": 0, "category": "use_of_force"}],
    )
    other = open_investigation(people, "courtesy")
    with pytest.raises(ca.ActionError, match="was not routed to OIG"):
        oa.classify_conflict(people[OR.OIG_AUDITOR], other, "investigation", "r")
    ca.route(people[R.SUPERVISOR], case, "oig", "The complaint involves a relative of OPA staff.")
    case.refresh_from_db()
    client.force_login(people[OR.OIG_AUDITOR])
    page = client.get("/oig/conflicts/").content.decode()
    assert case.number in page and "(open)" in page  # the same clock runs
    with pytest.raises(ClassificationRefused, match="3.29.025.A"):
        oa.classify_conflict(people[OR.OIG_AUDITOR], case, "supervisor_action", "minor")
    r = client.post("/oig/conflicts/", {"case": case.number, "classification": "investigation", "rationale": "Force."})
    assert r.status_code == 302
    assert case.oig_classifications.get().classification == "investigation"


def test_preclassification_review_holds_classification_until_oig_input(client: Client, people):
    from oversight.oig.review import classification_gate

    case = ca.open_case(
        people[R.INTAKE],
        channel="web",
        received_on=days_ago(3),
        named_employees=[{"name": "Noa Kestrel"}],
        allegations=[{"employee": 0, "category": "courtesy"}],
    )
    assert classification_gate(case, "supervisor_action").allowed
    oa.set_review_policy(
        people[OR.INSPECTOR_GENERAL], mode="all_mandatory", preclassification=True, reason="Audit found errors."
    )
    gate = classification_gate(case, "supervisor_action")
    assert not gate.allowed and gate.cite == "SMC 3.29.111.B"
    client.force_login(people[OR.OIG_AUDITOR])
    r = client.post(
        f"/oig/cases/{case.number}/classification-input/",
        {"proposed": "supervisor_action", "concur": "on", "comment": "Courtesy only; agree."},
    )
    assert r.status_code == 302
    assert classification_gate(case, "supervisor_action").allowed
    assert not classification_gate(case, "mediation").allowed
    oa.set_review_policy(people[OR.INSPECTOR_GENERAL], mode="all_mandatory", reason="Satisfied; audits resume.")
    assert classification_gate(case, "mediation").allowed


def test_demo_logins_for_oig(db):
    from django.contrib.auth.models import User
    from django.core.management import call_command

    call_command("seed_oig_demo")
    call_command("seed_oig_demo")  # a second run changes nothing
    assert set(User.objects.get(username="auditor").groups.values_list("name", flat=True)) == {OR.OIG_AUDITOR}
    assert set(User.objects.get(username="ig").groups.values_list("name", flat=True)) == {OR.INSPECTOR_GENERAL}
