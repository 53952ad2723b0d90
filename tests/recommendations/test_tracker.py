"""The tracker through its doors and pages: OIG issues to SPD, SPD's liaison answers within the
window with a plan, a progress report follows, the public tracker shows each change; a CPC
recommendation left unanswered turns overdue on CPC's home on day 31; nothing of a case's
people reaches a public page; each write is refused to those who may not make it, saying why."""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from oversight.access import Refused
from oversight.cases.actions import ActionError
from oversight.recommendations import actions as ra
from oversight.recommendations.models import Recommendation
from oversight.rules import access as R

pytestmark = pytest.mark.django_db


def _issue(user, body, today, days_ago=0, **over):
    kw = {
        "body": body,
        "addressee": "spd",
        "title": "Record the reason for every frisk",
        "text": "SPD should record the articulable reason for each frisk.",
        "category": "stops",
        "issued_on": today - dt.timedelta(days=days_ago),
        "report_title": "Review of Terry stops",
    }
    kw.update(over)
    return ra.issue(user, **kw)


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_oig_issues_spd_answers_with_a_plan_and_the_public_sees_each_change(staff, today):
    oig = _client(staff[R.INSPECTOR_GENERAL])
    form = {
        "body": "oig",
        "addressee": "spd",
        "title": "Publish frisk data monthly",
        "text": "SPD should publish its frisk data each month.",
        "category": "transparency",
        "issued_on": (today - dt.timedelta(days=12)).isoformat(),
        "report_title": "",
    }
    r = oig.post("/recommendations/new/", form)
    assert r.status_code == 400 and "name the written report" in r.content.decode()
    assert "Publish frisk data monthly" in r.content.decode()  # what was typed is kept
    r = oig.post("/recommendations/new/", form | {"report_title": "OIG stops review, 2026"})
    assert r.status_code == 302
    rec = Recommendation.objects.get(title="Publish frisk data monthly")
    public = Client()
    assert (
        "Issued, awaiting the written answer" in public.get(f"/public/recommendations/{rec.number}/").content.decode()
    )

    liaison = _client(staff[R.SPD_LIAISON])
    home = liaison.get("/").content.decode()
    assert rec.number in home and "Recommendations to answer" in home
    url = f"/recommendations/{rec.number}/do/answer/"
    r = liaison.post(url, {"kind": "progress_report", "on": today.isoformat(), "text": "Half done."})
    assert r.status_code == 400 and "before the recommendation was accepted" in r.content.decode()
    assert "Half done." in r.content.decode()
    r = liaison.post(
        url, {"kind": "accepted", "on": (today - dt.timedelta(days=2)).isoformat(), "text": "Plan: monthly by June."}
    )
    assert r.status_code == 302
    assert "Accepted" in public.get(f"/public/recommendations/{rec.number}/").content.decode()
    assert (
        liaison.post(url, {"kind": "progress_report", "on": today.isoformat(), "text": "March data out."}).status_code
        == 302
    )
    page = public.get(f"/public/recommendations/{rec.number}/").content.decode()
    assert "implementation in progress" in page and "Plan: monthly by June." in page and "March data out." in page
    # the feed carries each change
    feed = ET.fromstring(public.get("/public/recommendations/feed/").content)
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert any(rec.number in t and "Progress report" in t for t in titles)
    assert any(rec.number in t and "accepted" in t for t in titles)
    # and the liaison has nothing left to answer
    assert "Recommendations to answer" not in liaison.get("/").content.decode()


def test_an_unanswered_cpc_recommendation_turns_overdue_on_day_31(staff, today):
    on_time = _issue(staff[R.CPC_STAFF], "cpc", today, days_ago=30, title="Civilian crisis response")
    late = _issue(staff[R.CPC_STAFF], "cpc", today, days_ago=31, title="Body camera retention")
    home = _client(staff[R.CPC_STAFF]).get("/").content.decode()
    assert "Recommendations with an overdue answer" in home
    assert late.number in home and on_time.number not in home
    assert ra.status_of(late, today).status == "overdue" and ra.status_of(on_time, today).status == "issued"


def test_nothing_of_a_case_reaches_a_public_page(staff, today, force_case):
    rec = _issue(
        staff[R.DIRECTOR],
        "opa",
        today,
        case=force_case,
        report_title="",
        title="Retrain on de-escalation after Kai Ironside's case",
        text="After Taylor Brightwater's complaint about Kai Ironside: retrain the precinct.",
    )
    ra.record(staff[R.SPD_LIAISON], rec, kind="accepted", on=today, text="Kai Ironside's unit is retrained first.")
    names = [c.name for c in force_case.complainants.all()] + [e.name for e in force_case.named_employees.all()]
    people = [n for n in names if n]  # an anonymous complainant has none
    assert len(people) >= 2
    public = Client()
    for url in (f"/public/recommendations/{rec.number}/", "/public/recommendations/", "/public/recommendations/feed/"):
        body = public.get(url).content.decode()
        assert force_case.number not in body, url
        assert not any(p in body for p in people), url
    rows = list(csv.reader(io.StringIO(public.get("/public/recommendations/?format=csv").content.decode())))
    assert force_case.number not in str(rows) and not any(p in str(rows) for p in people)
    assert "retrain the precinct" in str(rows)  # the rest of the text is published
    # nor can anyone find it by a person's name
    assert rec.number not in public.get("/public/recommendations/?q=Brightwater").content.decode()
    assert rec.number in public.get("/public/recommendations/?q=precinct").content.decode()
    # staff who read the case get its link; CPC (an open case) does not
    assert force_case.number in _client(staff[R.DIRECTOR]).get(f"/recommendations/{rec.number}/").content.decode()
    cpc_page = _client(staff[R.CPC_STAFF]).get(f"/recommendations/{rec.number}/").content.decode()
    assert force_case.number not in cpc_page and "a case you do not read" in cpc_page
    assert not any(p in cpc_page for p in people) and "retrain the precinct" in cpc_page
    # SPD's liaison answers it without reading the case: its people redacted on every page it sees
    liaison = _client(staff[R.SPD_LIAISON])
    waiting = _issue(staff[R.DIRECTOR], "opa", today, case=force_case, report_title="", title="Kai Ironside's unit")
    for url in ("/", "/recommendations/", f"/recommendations/{rec.number}/"):
        body = liaison.get(url).content.decode()
        assert (waiting.number if url == "/" else rec.number) in body and not any(p in body for p in people), url
    assert "Taylor Brightwater" in _client(staff[R.DIRECTOR]).get(f"/recommendations/{rec.number}/").content.decode()


def test_the_public_list_filters_and_its_csv_is_the_selection(staff, today):
    a = _issue(staff[R.INSPECTOR_GENERAL], "oig", today, days_ago=40, category="training", title="Train A")
    b = _issue(staff[R.CPC_STAFF], "cpc", today, days_ago=5, category="stops", title="Stops B")
    ra.record(staff[R.SPD_LIAISON], b, kind="not_accepted", on=today, text="No budget.")
    public = Client()
    page = public.get("/public/recommendations/?issuer=cpc").content.decode()
    assert b.number in page and a.number not in page
    page = public.get("/public/recommendations/?status=overdue").content.decode()
    assert a.number in page and b.number not in page
    rows = list(
        csv.DictReader(
            io.StringIO(public.get("/public/recommendations/?status=not_accepted&format=csv").content.decode())
        )
    )
    assert [r["number"] for r in rows] == [b.number] and rows[0]["status"] == "Not accepted"
    bad = public.get("/public/recommendations/?status=lost&year=abc").content.decode()
    assert "is not one of the choices" in bad and "is not a year" in bad


def test_each_body_writes_only_its_own(staff, today):
    with pytest.raises(Refused, match="issues its recommendations"):
        _issue(staff[R.CPC_STAFF], "oig", today)
    with pytest.raises(Refused):
        _issue(staff[R.SPD_LIAISON], "cpc", today)
    to_opa = _issue(staff[R.CPC_STAFF], "cpc", today, addressee="opa")
    with pytest.raises(Refused, match="the OPA Director"):
        ra.record(staff[R.SPD_LIAISON], to_opa, kind="accepted", on=today, text="Yes.")
    ra.record(staff[R.DIRECTOR], to_opa, kind="accepted", on=today, text="OPA will do it.")  # 3.29.305.B
    with pytest.raises(Refused, match="withdraws what it issued"):
        ra.withdraw(staff[R.DIRECTOR], to_opa, on=today, reason="No.")
    with pytest.raises(ActionError, match="its own recommendations to itself"):
        _issue(staff[R.DIRECTOR], "opa", today, addressee="opa")
    # a refusal on the page says why, and the liaison is offered no form it would be refused
    page = _client(staff[R.SPD_LIAISON]).get(f"/recommendations/{to_opa.number}/").content.decode()
    assert "Record a written answer" not in page and "Withdraw this" not in page


def test_what_is_addressed_to_the_council_is_never_overdue(staff, today):
    rec = _issue(staff[R.CPC_STAFF], "cpc", today, days_ago=90, addressee="council", title="Fund crisis responders")
    assert ra.status_of(rec, today).status == "issued" and ra.status_of(rec, today).answer_due is None
    assert rec.number not in _client(staff[R.CPC_STAFF]).get("/").content.decode()


def test_a_number_taken_meanwhile_gives_the_next(staff, today, monkeypatch):
    """Two writers counting at once: the unique number refuses the second, which takes the next."""
    first = _issue(staff[R.CPC_STAFF], "cpc", today)
    real = ra.next_number
    calls = []

    def stale(body, year):  # the first count is the one a concurrent writer made before our commit
        calls.append(1)
        return first.number if len(calls) == 1 else real(body, year)

    monkeypatch.setattr(ra, "next_number", stale)
    second = _issue(staff[R.CPC_STAFF], "cpc", today, title="Another")
    assert second.number != first.number and len(calls) == 2
    assert Recommendation.objects.filter(number=first.number).count() == 1


def test_the_new_public_pages_speak_spanish(staff, today, settings, tmp_path):
    """The tracker, CPC's meetings and the OPA Manual, in Spanish as the complaint form is; every
    label the tracker shows is in the catalogue."""
    from oversight.cpc import actions as cpa
    from oversight.recommendations.label_strings import missing

    assert missing() == []
    rec = _issue(staff[R.CPC_STAFF], "cpc", today, days_ago=40, title="Stops B")
    ra.record_city_notice(
        staff[R.CPC_STAFF], kind="budget_omission", on=today, text="Left out of 2027.", recommendations=[rec]
    )
    cpa.schedule_meeting(staff[R.CPC_STAFF], kind="public", on=today, title="Diciembre", agenda="Presupuesto.")
    es = Client()
    es.cookies["django_language"] = "es"
    page = es.get("/public/recommendations/").content.decode()
    for words in (
        "Recomendaciones para la rendición de cuentas",
        "Respuesta vencida",
        "Comisión de Policía Comunitaria",
        "Aviso de la Alcaldía",
        "Left out of 2027.",
    ):
        assert words in page, words
    detail = es.get(f"/public/recommendations/{rec.number}/").content.decode()
    assert (
        "Respuesta vencida" in detail
        and f"emitida; la respuesta escrita vence en {ra.answer_period(today)[0]} días" in detail
    )
    assert "sin respuesta escrita al" in detail and "Reuniones de la CPC" in detail  # the steps, the navigation
    assert "Reunión pública mensual" in es.get("/public/cpc/meetings/").content.decode()
    assert "El Manual de la OPA" in es.get("/public/manual/").content.decode()
    assert "no es una de las opciones" in es.get("/public/recommendations/?status=lost").content.decode()
    english = Client().get("/public/recommendations/").content.decode()
    assert "Answer overdue" in english and "The Council's reviews and the Mayor's notices" in english
