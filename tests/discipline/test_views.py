"""The web pages: who sees what, refusals, errors that keep the input, reports as documents and CSV."""

from __future__ import annotations

import pytest
from django.test import Client

from oversight.discipline import actions
from oversight.discipline.models import ChiefDecision

from .conftest import ago, allegation_pks, employees


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


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
        discipline={e1.pk: ("suspension", 10)},
    )
    return case


def test_each_role_sees_the_step_that_is_theirs_when_the_case_is_ready(case, people, today):
    assert client_for(people["director"]).get(f"/discipline/cases/{case.number}/")["Location"].endswith("#findings")
    url = f"/cases/{case.number}/"
    chief, director = client_for(people["chief"]), client_for(people["director"])
    assert 'id="form-recommend"' in director.get(url).text
    before = chief.get(url)
    assert before.status_code == 403  # the case reaches the Chief with the recommended findings
    actions.recommend_findings(
        people["director"], case, on=ago(today, 10), findings=dict.fromkeys(allegation_pks(case), "unfounded")
    )
    assert 'id="form-decide"' in chief.get(url).text
    after = director.get(url).text
    assert 'id="form-decide"' not in after and 'id="form-recommend"' not in after
    assert 'id="form-management_action"' in after


@pytest.mark.parametrize("role", ["nobody", "cpc_staff", "named_employee", "union"])
def test_others_cannot_read_the_record(case, people, role):
    resp = client_for(people[role]).get(f"/discipline/cases/{case.number}/")
    assert resp.status_code == 403


def test_a_refused_post_writes_nothing(case, people, today):
    pks = allegation_pks(case)
    data = {"on": today.isoformat(), **{f"finding_{pk}": "sustained" for pk in pks}}
    resp = client_for(people["chief"]).post(f"/discipline/cases/{case.number}/do/recommend/", data)
    assert resp.status_code == 403
    assert not case.events.filter(type="proposed_findings_issued").exists()


def test_bad_input_names_the_field_and_keeps_what_was_typed(case, people, today):
    a1, a2, a3 = allegation_pks(case)
    resp = client_for(people["director"]).post(
        f"/discipline/cases/{case.number}/do/recommend/",
        {
            "on": today.isoformat(),
            f"finding_{a1}": "unfounded",
            f"finding_{a2}": "unfounded",
            f"finding_{a3}": "unfounded",
            "meet_complainant": "on",
            "meet_complainant_reason": "Credibility matters here",
            "analysis": "A long analysis that must not be lost",
        },
    )
    assert resp.status_code == 400
    assert "3.29.025.F" in resp.text
    assert "A long analysis that must not be lost" in resp.text and "Credibility matters here" in resp.text
    assert actions.recommendation_of(case) is None


def test_the_named_employee_reads_their_own_case_without_the_complainant(decided, people, today, make_user):
    e1, e2 = employees(decided)
    from oversight.cases import actions as case_actions

    case_actions.send_notice(people["intake"], decided, on=ago(today, 140))
    actions.grant_access(
        people["director"], decided, grantee=people["named_employee"], named_employee=e1, role="named_employee"
    )
    with pytest.raises(actions.Refused):
        actions.grant_access(people["chief"], decided, grantee=people["union"], named_employee=e1, role="union")
    resp = client_for(people["named_employee"]).get(f"/discipline/cases/{decided.number}/")
    assert resp.status_code == 200
    assert "Unpaid suspension of 10 days" in resp.text
    assert "Brightwater" not in resp.text and "Yarrow" not in resp.text and "555-0100" not in resp.text
    assert "#1 (Use of force)" in resp.text
    assert "#3 (Courtesy)" not in resp.text  # another employee's findings are not theirs
    assert (
        client_for(people["named_employee"]).post(f"/discipline/cases/{decided.number}/do/decide/", {}).status_code
        == 403
    )


def test_the_statement_with_a_name_offers_the_cleaned_text(case, people, today):
    a1, a2, a3 = allegation_pks(case)
    actions.recommend_findings(
        people["director"], case, on=ago(today, 100), findings={a1: "sustained", a2: "unfounded", a3: "sustained"}
    )
    actions.record_chief_decision(
        people["chief"],
        case,
        decided_on=ago(today, 80),
        due_process_hearing_on=ago(today, 90),
        findings={a1: "inconclusive", a2: "unfounded", a3: "sustained"},
        supplemental_meeting_on=ago(today, 85),
        inspector_general_present=True,
    )
    c = client_for(people["chief"])
    url = f"/discipline/cases/{case.number}/do/chief_statement/"
    resp = c.post(url, {"on": ago(today, 60).isoformat(), "reasons": "Kai Ironside's video was unclear."})
    assert resp.status_code == 400 and 'id="suggestion"' in resp.text
    assert "Named Employee #1" in resp.text
    resp = c.post(
        url,
        {
            "on": ago(today, 60).isoformat(),
            "reasons": "Kai Ironside's video was unclear.",
            "use_suggestion": "1",
            "suggested_reasons": "Named Employee #1's video was unclear.",
        },
    )
    assert resp.status_code == 302
    st = case.statements.get()
    assert "Ironside" not in st.document
    doc = c.get(f"/discipline/cases/{case.number}/statements/{st.pk}/")
    assert doc.status_code == 200 and "Named Employee #1's video was unclear." in doc.text


def test_reports_as_document_and_csv_and_who_may(people):
    ca = client_for(people["city_attorney"])
    html = ca.get("/discipline/reports/appeals/?year=2026&month=6")
    assert html.status_code == 200 and "SMC 3.29.305.J" in html.text
    csv = ca.get("/discipline/reports/appeals/?year=2026&month=6&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.text.splitlines()[0].startswith("Reported because,Case number,Named employee(s)")
    assert ca.get("/discipline/reports/appeals/?year=2026&month=5").status_code == 400
    assert client_for(people["chief"]).get("/discipline/reports/appeals/?year=2026&month=6").status_code == 403
    assert client_for(people["named_employee"]).get("/discipline/reports/criminal_referrals/").status_code == 403


def test_index(decided, people):
    resp = client_for(people["city_attorney"]).get("/discipline/")
    assert resp.status_code == 200 and decided.number in resp.text
    assert ChiefDecision.objects.count() == 1


def test_the_union_reads_its_members_case_only_after_access_is_granted(decided, people):
    e1, _ = employees(decided)
    url = f"/discipline/cases/{decided.number}/"
    union = client_for(people["union"])
    assert union.get(url).status_code == 403
    with pytest.raises(actions.ActionError, match="does not hold the role Union"):
        actions.grant_access(people["director"], decided, grantee=people["nobody"], named_employee=e1, role="union")
    actions.grant_access(people["director"], decided, grantee=people["union"], named_employee=e1, role="union")
    resp = union.get(url)
    assert resp.status_code == 200 and "Unpaid suspension of 10 days" in resp.text
    assert "Brightwater" not in resp.text
    assert union.get("/discipline/reports/appeals/?year=2026&month=6").status_code == 403


def test_a_report_cites_each_section_once(people):
    html = client_for(people["director"]).get("/discipline/reports/criminal_referrals/?year=2026&month=12").text
    assert "[SMC 3.29.030.F]" in html
