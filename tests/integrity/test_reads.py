"""Who read what: every showing of a complainant's or witness's identity, evidence, discipline or
a hotline report is recorded at the access model's door (who, what, which case or record, when,
from where); a part withheld or redacted is not recorded as shown, and a refusal is recorded as
one. OIG reviews the records at /oig/reads/; they are sealed like every record of a case."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client

from oversight.cases import actions
from oversight.cases.integrity import verify
from oversight.cases.models import Case, ReadRecord
from oversight.rules import access as R

from .conftest import intake_kwargs

pytestmark = pytest.mark.django_db

FROM = "203.0.113.7"


def _client(user) -> Client:
    c = Client(REMOTE_ADDR=FROM)
    c.force_login(user)
    return c


@pytest.fixture
def case(staff, today):
    kw = intake_kwargs(today)
    kw["witnesses"] = [{"name": "Robin Quarrystone", "contact": "206-555-0199"}]
    return actions.open_case(staff[R.INTAKE], **kw)


def _shown(case=None, **kw):
    return set(ReadRecord.objects.filter(outcome="shown", case=case, **kw).values_list("part", flat=True))


def test_the_case_page_records_each_identity_it_shows(staff, case):
    page = _client(staff[R.DIRECTOR]).get(f"/cases/{case.number}/")
    assert page.status_code == 200 and "Taylor Brightwater" in page.content.decode()
    assert {R.COMPLAINANT, R.WITNESS} <= _shown(case)
    rec = ReadRecord.objects.get(case=case, part=R.COMPLAINANT)
    assert rec.user == staff[R.DIRECTOR] and rec.ip == FROM and rec.path == f"/cases/{case.number}/"
    assert rec.method == "GET" and "director" in rec.roles and rec.at is not None


def test_once_per_page_and_again_on_the_next(staff, case):
    c = _client(staff[R.DIRECTOR])
    c.get(f"/cases/{case.number}/")
    c.get(f"/cases/{case.number}/")
    assert ReadRecord.objects.filter(case=case, part=R.COMPLAINANT).count() == 2


def test_a_redacted_page_does_not_claim_to_have_shown_identity(staff, case, today):
    actions.classify(staff[R.SUPERVISOR], case, "investigation", "Force alleged.")
    other = actions.open_case(staff[R.INTAKE], **intake_kwargs(today))
    actions.classify(staff[R.SUPERVISOR], other, "investigation", "Force alleged.")
    page = _client(staff[R.INVESTIGATOR]).get(f"/cases/{case.number}/")  # not assigned: reads the case, no identity
    assert page.status_code == 200
    body = page.content.decode()
    assert "Taylor Brightwater" not in body
    assert not _shown(case) & {R.COMPLAINANT, R.WITNESS, R.EVIDENCE}


def test_a_case_page_with_no_witness_records_no_witness_read(staff, today):
    kw = intake_kwargs(today)
    kw["witnesses"] = []
    case = actions.open_case(staff[R.INTAKE], **kw)
    _client(staff[R.DIRECTOR]).get(f"/cases/{case.number}/")
    assert R.COMPLAINANT in _shown(case) and R.WITNESS not in _shown(case)


def test_an_evidence_download_is_recorded_and_a_refused_one_is_recorded_as_refused(staff, investigation):
    ef = actions.add_evidence(
        staff[R.INVESTIGATOR], investigation, SimpleUploadedFile("bwv.txt", b"body-worn video log"), kind="other"
    )
    url = f"/cases/{investigation.number}/evidence/{ef.pk}/"
    assert _client(staff[R.DIRECTOR]).get(url).status_code == 200
    rec = ReadRecord.objects.filter(case=investigation, part=R.EVIDENCE, outcome="shown", path=url).get()
    assert rec.user == staff[R.DIRECTOR] and rec.ip == FROM
    assert _client(staff[R.CPC_STAFF]).get(url).status_code == 403
    refused = ReadRecord.objects.get(case=investigation, user=staff[R.CPC_STAFF])
    assert refused.outcome == "refused" and refused.part == R.EVIDENCE
    assert not ReadRecord.objects.filter(user=staff[R.CPC_STAFF], outcome="shown").exists()


def test_a_hotline_report_read_is_recorded(staff):
    from oversight.oig.actions import hotline_submit

    report, _ = hotline_submit(text="A sergeant told us to falsify a report.", reporter_name="Jo Wren")
    c = _client(staff[R.OIG_AUDITOR])
    assert c.get(f"/oig/hotline/reports/{report.pk}/").status_code == 200
    rec = ReadRecord.objects.get(part=R.HOTLINE, record=f"hotline report {report.pk}")
    assert rec.user == staff[R.OIG_AUDITOR] and rec.case is None and rec.ip == FROM
    assert c.get("/oig/hotline/reports/").status_code == 200
    assert ReadRecord.objects.filter(part=R.HOTLINE, record="the hotline's inbox").count() == 1
    assert _client(staff[R.DIRECTOR]).get(f"/oig/hotline/reports/{report.pk}/").status_code == 403
    assert not ReadRecord.objects.filter(user=staff[R.DIRECTOR], outcome="shown").exists()


def test_discipline_shown_on_the_case_page_is_recorded(make_user):
    call_command("seed_demo", cases=40, seed=7)
    call_command("seed_discipline_demo", cases=3)
    from django.contrib.auth.models import User

    from oversight.discipline.models import Finding

    case = Case.objects.get(pk=Finding.objects.order_by("pk").first().case_id)
    director = User.objects.get(username="director")
    assert _client(director).get(f"/cases/{case.number}/").status_code == 200
    assert R.DISCIPLINE in _shown(case, user=director)
    cpc = User.objects.get(username="cpc")
    if case.closed_on is None:  # CPC reads discipline of closed cases only: refused, not shown
        _client(cpc).get(f"/cases/{case.number}/")
        assert R.DISCIPLINE not in _shown(case, user=cpc)


def test_read_records_are_sealed_and_a_deleted_one_is_named(staff, case):
    _client(staff[R.DIRECTOR]).get(f"/cases/{case.number}/")
    assert verify().ok
    rec = ReadRecord.objects.filter(case=case).order_by("pk").first()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM cases_readrecord WHERE id = %s", [rec.pk])
    v = verify()
    assert v.record == f"read record {rec.pk}" and "removed" in v.why


def test_oig_reviews_the_records_by_their_labels(staff, case):
    _client(staff[R.DIRECTOR]).get(f"/cases/{case.number}/")
    page = _client(staff[R.OIG_AUDITOR]).get("/oig/reads/", {"case": case.number})
    assert page.status_code == 200
    body = page.content.decode()
    assert "complainants&#x27;s identity" in body or "complainants&#x27; identity" in body
    assert "witnesses&#x27; identity" in body and "Shown" in body and FROM in body
    assert "OPA Director or Deputy Director" in body  # the role, by its label
    table = body[body.index('id="reads"') :]
    assert "named_employees" not in table and ">complainant<" not in table and ">shown<" not in table
    filtered = _client(staff[R.OIG_AUDITOR]).get("/oig/reads/", {"part": R.WITNESS, "case": case.number})
    assert "complainants&#x27; identity" not in filtered.content.decode().split('id="reads"')[1]
    verified = _client(staff[R.OIG_AUDITOR]).post("/oig/reads/")
    assert "The chain is intact" in verified.content.decode()


def test_only_oig_reviews_who_read_what(staff):
    for role in (R.DIRECTOR, R.INTAKE, R.CPC_STAFF, R.ADMINISTRATOR):
        assert _client(staff[role]).get("/oig/reads/").status_code == 403


def test_a_case_page_records_no_hotline_read_for_oig(staff, case):
    _client(staff[R.OIG_AUDITOR]).get(f"/cases/{case.number}/")
    assert R.COMPLAINANT in _shown(case, user=staff[R.OIG_AUDITOR])
    assert not ReadRecord.objects.filter(part=R.HOTLINE).exists()
