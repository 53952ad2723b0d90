"""The hotline: anonymous reports, a code instead of an account, identity for OIG only."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from oversight.oig import actions as oa
from oversight.oig.models import HotlineMessage, HotlineReport, OigAuditEntry
from oversight.rules import access as OR
from oversight.rules import access as R

pytestmark = pytest.mark.django_db


def test_anonymous_report_gets_a_code_to_add_information_and_see_status(client: Client, people):
    r = client.post(
        "/oig/hotline/",
        {"topic": "retaliation", "reporter_kind": "city_employee", "text": "My shift was cut after I spoke to OIG."},
    )
    assert r.status_code == 200
    code = r.context["code"]
    report = HotlineReport.objects.get()
    assert report.anonymous and report.topic == "retaliation"
    assert report.code_hash == hashlib.sha256(code.encode()).hexdigest()
    assert not HotlineReport.objects.filter(code_hash=code).exists()  # the code itself is not kept
    r = client.post("/oig/hotline/status/", {"code": code})
    assert "Status: Received" in r.content.decode()
    r = client.post("/oig/hotline/status/", {"code": code, "text": "It happened again on Monday."})
    assert r.status_code == 200
    assert HotlineMessage.objects.filter(report=report, from_reporter=True).count() == 2
    oa.hotline_answer(
        people[OR.OIG_AUDITOR], report, status="investigation_opened", text="OIG opened an investigation."
    )
    page = client.post("/oig/hotline/status/", {"code": code}).content.decode()
    assert "OIG opened an investigation" in page and "It happened again on Monday." in page
    assert OigAuditEntry.objects.filter(action__startswith="hotline_").count() == 3


def test_a_wrong_code_is_told_and_nothing_is_added(client: Client, db):
    oa.hotline_submit(text="Something to report.")
    r = client.post("/oig/hotline/status/", {"code": "not-a-code", "text": "more"})
    assert r.status_code == 400
    assert "No report has this code. Check it and try again." in r.content.decode()
    assert HotlineMessage.objects.count() == 1


def test_bad_input_says_what_to_do_and_keeps_what_was_typed(client: Client, db):
    r = client.post("/oig/hotline/", {"topic": "gossip", "reporter_kind": "public", "text": "Keep this text."})
    assert r.status_code == 400
    page = r.content.decode()
    assert "Choose one of the listed answers." in page and "Keep this text." in page
    assert "gossip" not in page.replace('value="gossip"', "")  # the bad code is not read back as words
    r = client.post("/oig/hotline/", {"topic": "general", "reporter_kind": "public", "text": "  "})
    assert r.status_code == 400 and "Write what you want to report; the report is empty." in r.content.decode()
    assert not HotlineReport.objects.exists()


def test_the_hotline_speaks_spanish_under_oigs_own_name(db):
    es = Client(headers={"accept-language": "es"})
    page = es.get("/oig/hotline/").content.decode()
    assert '<html lang="es">' in page
    assert "Oficina del Inspector General" in page and "Enviar a la OIG" in page
    assert "Represalias por ayudar a la OPA, la OIG o la CPC" in page  # the topics too
    assert "Office of Police Accountability" not in page and "Oficina de Rendición de Cuentas" not in page
    r = es.post("/oig/hotline/", {"topic": "general", "reporter_kind": "public", "text": ""})
    assert "Escriba lo que quiere informar" in r.content.decode()
    en = Client().get("/oig/hotline/").content.decode()
    assert "Office of Inspector General" in en and "Office of Police Accountability" not in en


@pytest.mark.parametrize("role", [R.DIRECTOR, R.INVESTIGATOR, R.ADMINISTRATOR, R.CPC_STAFF, "nobody"])
def test_nobody_outside_oig_sees_the_reporters_identity(client: Client, people, role):
    report, _ = oa.hotline_submit(
        text="I saw records altered.",
        reporter_kind="city_employee",
        reporter_name="Alex Fairholm",
        reporter_contact="alex@example.org",
    )
    client.force_login(people[role])
    for url in ("/oig/hotline/reports/", f"/oig/hotline/reports/{report.pk}/"):
        r = client.get(url)
        assert r.status_code == 403
        assert "Alex Fairholm" not in r.content.decode()
    r = client.post(f"/oig/hotline/reports/{report.pk}/", {"status": "closed"})
    assert r.status_code == 403
    report.refresh_from_db()
    assert report.status == "received"


def test_oig_sees_the_identity_when_given(client: Client, people):
    report, code = oa.hotline_submit(text="x", reporter_name="Alex Fairholm", reporter_contact="alex@example.org")
    client.force_login(people[OR.INSPECTOR_GENERAL])
    assert "Alex Fairholm" in client.get(f"/oig/hotline/reports/{report.pk}/").content.decode()
    # ...and the reporter's own status page never shows it either
    client.logout()
    assert "Alex Fairholm" not in client.post("/oig/hotline/status/", {"code": code}).content.decode()


def test_bad_status_from_oig_is_refused_by_name(people):
    report, _ = oa.hotline_submit(text="x")
    with pytest.raises(oa.ActionError) as e:
        oa.hotline_answer(people[OR.OIG_AUDITOR], report, status="lost")
    assert e.value.field == "status"
