"""Search across every case a person may read (issue 11, item 4).

What the people using it and the law need: a case number found however it is typed; a
name finds a case only for those who may read that person's identity (SMC 3.29.040: the
complainant's; CPC reads closed cases for systemic lessons, never identities, SMC
3.29.215.A.16), not even through a summary or a note that names them; the words of
summaries, notes and allegations found; filters that combine; open cases never reach CPC;
pages; and a bad date named for what it is. The same on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client

from oversight.cases import actions
from oversight.cases import search as S
from oversight.cases.clock import classified_stage
from oversight.public import actions as public_actions
from oversight.rules import access as R

from .conftest import intake_kwargs

pytestmark = pytest.mark.django_db


def found(user, **criteria) -> list[str]:
    return [c.number for c in S.search(user, S.Criteria(**criteria))]


def _open(staff, today, days_ago=20, **over):
    return actions.open_case(
        staff[R.INTAKE],
        **intake_kwargs(
            today,
            received_on=today - dt.timedelta(days=days_ago),
            incident_date=today - dt.timedelta(days=days_ago + 1),
            **over,
        ),
    )


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _listed(response) -> list[str]:
    """The case numbers a result page lists, in order."""
    return re.findall(r'<li data-case="([^"]+)"', response.content.decode())


# --------------------------------------------------------------------------
# Case numbers
# --------------------------------------------------------------------------


def test_a_case_number_is_found_however_it_is_typed(staff, today):
    cases = [_open(staff, today) for _ in range(3)]
    target = cases[1]
    year, seq = re.fullmatch(r"(\d{4})OPA-(\d{4})", target.number).groups()  # the profile's form
    n = int(seq)
    director = staff[R.DIRECTOR]
    for typed in (
        target.number,
        target.number.lower(),
        f"{year} OPA {seq}",
        f"{year}opa-{n}",
        f" {year} - Opa - {n} ",
        f"opa {n} {year}",
        f"{year}-{n}",
    ):
        assert found(director, q=typed) == [target.number], typed
    for typed in (seq, str(n)):  # the number alone, any year: that case first
        assert found(director, q=typed)[0] == target.number, typed
    assert found(director, q=f"{int(year) + 1}OPA-{seq}") == []
    page = _client(director).get("/search/", {"q": f"{year} opa {n}"})
    assert page.status_code == 200
    assert _listed(page) == [target.number]
    assert f'href="/cases/{target.number}/"' in page.content.decode()


# --------------------------------------------------------------------------
# Names: only for those who read that person's identity
# --------------------------------------------------------------------------


def test_a_name_finds_the_case_for_the_director_and_oig(force_case, staff):
    for role in (R.DIRECTOR, R.OIG_AUDITOR, R.INSPECTOR_GENERAL):
        user = staff[role]
        assert found(user, q="Brightwater") == [force_case.number], role  # the complainant
        assert found(user, q="Taylor Brightwater") == [force_case.number], role
        assert found(user, q="Jules Northcott") == [force_case.number], role  # a witness
        assert found(user, q="Ironside") == [force_case.number], role  # the named employee
        assert found(user, q="7421") == [force_case.number], role  # the named employee's serial number
    assert found(staff[R.DIRECTOR], q="Brightwater Ironside") == []  # no one person bears both names


def test_cpc_never_finds_a_closed_case_by_a_name(force_case, staff):
    actions.close_case(staff[R.DIRECTOR], force_case, "Complete.")
    cpc = staff[R.CPC_STAFF]
    assert found(cpc, q="pushed") == [force_case.number]  # CPC reads the closed case ...
    for name in ("Brightwater", "Taylor Brightwater", "Taylor", "Northcott", "Jules Northcott", "Ironside", "7421"):
        assert found(cpc, q=name) == [], name  # ... but no one's identity in it
    # the summary names the complainant and gives an address: CPC's snippet reads their role
    page = _client(cpc).get("/search/", {"q": "pushed"}).content.decode()
    assert "Complainant #1 of" in page  # the case has two complainants, one anonymous
    assert "Brightwater" not in page and "Yarrow" not in page


def test_an_unassigned_investigator_does_not_find_a_case_by_the_complainants_name(investigation, staff, make_user):
    assigned = staff[R.INVESTIGATOR]
    other = make_user("investigator2", R.INVESTIGATOR)
    assert found(assigned, q="Brightwater") == [investigation.number]
    assert found(assigned, q="Northcott") == [investigation.number]
    assert found(other, q="pushed") == [investigation.number]  # the case is theirs to read ...
    assert found(other, q="Ironside") == [investigation.number]  # ... and its named employees
    assert found(other, q="Brightwater") == []  # ... not its complainant
    assert found(other, q="Northcott") == []  # ... nor its witnesses


def test_cpc_never_finds_a_case_by_a_name_written_in_the_summary_or_a_note(staff, today):
    case = _open(
        staff,
        today,
        summary="Jules Northcott saw Taylor Brightwater knocked down outside the library.",
    )
    actions.add_note(staff[R.INTAKE], case, "Called Taylor Brightwater at 206-555-0100; Northcott confirmed the time.")
    director, cpc = staff[R.DIRECTOR], staff[R.CPC_STAFF]
    assert found(director, q="Northcott confirmed") == [case.number]
    actions.close_case(director, case, "Complete.")
    assert found(cpc, q="library") == [case.number]
    assert found(cpc, q="confirmed the time") == [case.number]
    for typed in ("Northcott", "Brightwater", "Taylor", "Northcott confirmed", "Brightwater knocked", "555-0100"):
        assert found(cpc, q=typed) == [], typed
    api = _client(cpc).get("/api/cases", {"q": "Northcott"})
    assert api.status_code == 200 and api.json() == []


def test_a_badge_number_given_on_the_web_form_never_finds_the_case_for_cpc(staff):
    complaint, _ = public_actions.submit_complaint(
        public_actions.ComplaintInput(
            what_happened="An officer shoved me at the bus stop and laughed.",
            anonymous=True,
            officer_badge="8832",
        )
    )
    case = complaint.case
    director, cpc = staff[R.DIRECTOR], staff[R.CPC_STAFF]
    assert found(director, q="8832") == [case.number]
    actions.close_case(director, case, "Complete.")
    assert found(cpc, q="bus stop") == [case.number]
    assert found(cpc, q="8832") == []


# --------------------------------------------------------------------------
# The case's words
# --------------------------------------------------------------------------


def test_full_text_finds_words_in_summaries_notes_and_allegations(staff, today):
    case = _open(
        staff,
        today,
        allegations=[{"employee": 0, "category": "use_of_force", "description": "Struck with a flashlight."}],
    )
    other = _open(staff, today, summary="A parking dispute outside a bakery.")
    director = staff[R.DIRECTOR]
    assert found(director, q="ground") == [case.number]  # the summary
    assert found(director, q="flashlight") == [case.number]  # an allegation's description
    assert found(director, q="bakery") == [other.number]
    assert found(director, q="scooter") == []
    actions.add_note(staff[R.INTAKE], case, "The complainant's scooter was impounded after the stop.")
    assert found(director, q="scooter") == [case.number]  # a note, found as soon as it is written
    assert found(director, q="scooter impounded") == [case.number]
    assert found(director, q="scooter flashlight ground") == [case.number]  # every word, anywhere in the case
    assert found(director, q="scooter bakery") == []  # every word must be found in one case


def test_a_person_added_later_is_withheld_from_then_on(staff, today, make_user):
    """The redaction path can only remove the names it knows: once a complainant is recorded,
    their name written earlier in the summary no longer finds the case for those who may not read it."""
    case = _open(staff, today, summary="Robin Quarry says the officer pushed them.", complainants=[{"anonymous": True}])
    other = make_user("investigator2", R.INVESTIGATOR)  # reads the case, not its complainants
    assert found(other, q="Quarry") == [case.number]  # not yet anyone's name in the case
    complainant = actions.add_complainant(staff[R.INTAKE], case, name="Robin Quarry")
    assert found(other, q="Quarry") == []
    assert found(other, q="pushed") == [case.number]
    assert found(staff[R.DIRECTOR], q="Quarry") == [case.number]
    actions.edit_complainant(staff[R.INTAKE], complainant, name="Robin Quarrel")  # corrected: the summary's
    assert found(other, q="Quarry") == [case.number]  # "Quarry" is nobody's name any more
    assert found(other, q="Quarrel") == []


# --------------------------------------------------------------------------
# Filters
# --------------------------------------------------------------------------


def test_filters_combine(staff, today):
    inv = staff[R.INVESTIGATOR]
    a = _open(staff, today)
    b = _open(staff, today, precinct="north")
    c = _open(staff, today, allegations=[{"employee": 0, "category": "courtesy"}])
    d = _open(staff, today, days_ago=60)
    e = _open(staff, today)
    actions.classify(staff[R.SUPERVISOR], e, "investigation", "Force alleged.")
    actions.assign(staff[R.SUPERVISOR], e, inv, staff[R.SUPERVISOR])
    f = _open(staff, today)
    actions.close_case(staff[R.DIRECTOR], f, "Complete.")
    g = _open(staff, today)
    actions.route(staff[R.DIRECTOR], g, "sdhr", "EEO complaint against OPA staff.")
    director = staff[R.DIRECTOR]
    since = today - dt.timedelta(days=30)
    base = {"precinct": "west", "category": "use_of_force", "received_from": since}
    assert set(found(director, **base)) == {a.number, e.number, f.number, g.number}
    assert set(found(director, **base, state="open")) == {a.number, e.number, g.number}
    assert set(found(director, **base, state="closed")) == {f.number}
    assert set(found(director, **base, stage="Intake")) == {a.number}
    assert set(found(director, **base, stage=classified_stage("investigation"))) == {e.number}
    assert set(found(director, **base, stage="closed")) == {f.number}
    assert set(found(director, **base, stage="routed")) == {g.number}
    assert set(found(director, **base, investigator=inv.pk)) == {e.number}
    assert set(found(director, precinct="west", category="use_of_force")) == {
        a.number,
        d.number,
        e.number,
        f.number,
        g.number,
    }
    assert set(found(director, received_to=today - dt.timedelta(days=40))) == {d.number}
    assert set(found(director, category="courtesy")) == {c.number}
    assert set(found(director, q="pushed", precinct="north")) == {b.number}
    assert set(found(director, q="pushed", precinct="north", category="courtesy")) == set()
    # the same through the page, with the filters as labelled choices
    page = _client(director).get(
        "/search/",
        {
            "precinct": "west",
            "category": "use_of_force",
            "received_from": since.isoformat(),
            "stage": classified_stage("investigation"),
            "investigator": inv.get_username(),
        },
    )
    assert page.status_code == 200
    assert _listed(page) == [e.number]
    html = page.content.decode()
    assert '<option value="use_of_force" selected>Use of force</option>' in html
    assert '<option value="west" selected>West</option>' in html
    assert f'value="{since.isoformat()}"' in html


def test_results_read_labels_not_codes(staff, today):
    case = _open(staff, today, allegations=[{"employee": 0, "category": "stops_detentions_arrests"}])
    page = _client(staff[R.DIRECTOR]).get("/search/", {"q": case.number})
    html = page.content.decode()
    row = html[html.index(f'<li data-case="{case.number}"') :]
    row = row[: row.index("</li>")]
    assert "Intake" in row
    assert "West Precinct" in row
    assert "Stops, detentions and arrests" in row
    assert (today - dt.timedelta(days=20)).isoformat() in row
    text = re.sub(r'="[^"]*"', "", html)  # what a person reads, not the options' values
    assert "stops_detentions_arrests" not in text
    assert "use_of_force" not in text and ">west<" not in text


# --------------------------------------------------------------------------
# Who reaches what
# --------------------------------------------------------------------------


def test_open_cases_never_reach_cpc(staff, today):
    open_case = _open(staff, today, summary="Handcuffed too tightly at the market.")
    closed = _open(staff, today, summary="Handcuffed too tightly at the ferry.")
    actions.close_case(staff[R.DIRECTOR], closed, "Complete.")
    cpc = staff[R.CPC_STAFF]
    assert found(cpc) == [closed.number]
    assert found(cpc, q="handcuffed") == [closed.number]
    assert found(cpc, q="market") == []
    assert found(cpc, q=open_case.number) == []
    assert found(cpc, state="open") == []
    assert found(cpc, stage="Intake") == []
    assert _listed(_client(cpc).get("/search/", {"q": "handcuffed"})) == [closed.number]
    assert [c["number"] for c in _client(cpc).get("/api/cases", {"q": "handcuffed"}).json()] == [closed.number]
    # intake reads open cases only: the closed one is out of its reach
    assert found(staff[R.INTAKE], q="handcuffed") == [open_case.number]


def test_only_those_who_may_search_open_the_page(staff, force_case):
    assert _client(staff["nobody"]).get("/search/").status_code == 403
    assert _client(staff[R.NAMED_EMPLOYEE]).get("/search/").status_code == 403
    assert Client().get("/search/").status_code == 302  # to the login page
    home = _client(staff[R.INTAKE]).get("/").content.decode()
    assert 'role="search"' in home and 'action="/search/"' in home  # the header's search box
    own = _client(staff[R.NAMED_EMPLOYEE]).get("/")
    assert own.status_code == 200 and 'action="/search/"' not in own.content.decode()
    # an administrator may search but reads no case
    assert found(staff[R.ADMINISTRATOR]) == []


# --------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------


def test_nothing_typed_shows_the_form_and_the_latest_cases(staff, today):
    older = _open(staff, today, days_ago=50)
    newer = _open(staff, today, days_ago=5)
    middle = _open(staff, today, days_ago=20)
    page = _client(staff[R.DIRECTOR]).get("/search/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="q"' in html and "The latest cases you may read" in html
    assert _listed(page) == [newer.number, middle.number, older.number]
    kept = _client(staff[R.DIRECTOR]).get("/search/", {"q": "pushed ground", "precinct": "west"}).content.decode()
    assert 'value="pushed ground"' in kept  # what was typed stays in the form


def test_results_are_paginated(staff, today, monkeypatch):
    monkeypatch.setattr(S, "PAGE_SIZE", 4)
    cases = [_open(staff, today, days_ago=1 + i) for i in range(10)]  # newest first: cases[0], cases[1], ...
    client = _client(staff[R.DIRECTOR])
    pages = [client.get("/search/", {"q": "pushed", "page": p}) for p in (1, 2, 3)]
    listed = [_listed(p) for p in pages]
    assert [len(x) for x in listed] == [4, 4, 2]
    assert sum(listed, []) == [c.number for c in cases]
    html = pages[0].content.decode()
    assert "Page 1 of 3" in html and 'href="?q=pushed&amp;page=2"' in html
    assert "10 cases found" in html
    assert _listed(client.get("/search/", {"q": "pushed", "page": "99"})) == listed[2]  # past the end: the last page


def test_a_bad_date_is_named(staff, today):
    _open(staff, today)
    client = _client(staff[R.DIRECTOR])
    page = client.get("/search/", {"q": "pushed", "received_from": "2026-13-45"})
    assert page.status_code == 400
    html = page.content.decode()
    assert 'role="alert"' in html
    assert "Received on or after: enter a date as YYYY-MM-DD" in html
    assert _listed(page) == [] and 'id="results"' not in html
    assert 'value="2026-13-45"' in html  # kept, to be corrected
    backwards = client.get("/search/", {"received_from": today.isoformat(), "received_to": "2020-01-01"})
    assert backwards.status_code == 400
    assert "Received on or before: falls before" in backwards.content.decode()
    api = client.get("/api/cases", {"received_from": "nonsense"})
    assert api.status_code == 422 and "received_from" in api.content.decode()
    api = client.get("/api/cases", {"received_from": today.isoformat(), "received_to": "2020-01-01"})
    assert api.status_code == 400 and api.json()["detail"].startswith("received_to:")
    api = client.get("/api/cases", {"category": "not_a_category"})
    assert api.status_code == 400 and "category" in api.json()["detail"]


def test_the_api_searches_as_the_page_does(force_case, staff, today):
    other = _open(
        staff,
        today,
        precinct="north",
        summary="A parking dispute outside a bakery.",
        complainants=[{"name": "Sam Okafor"}],
    )
    client = _client(staff[R.DIRECTOR])
    assert [c["number"] for c in client.get("/api/cases", {"q": "Brightwater"}).json()] == [force_case.number]
    assert [c["number"] for c in client.get("/api/cases", {"q": "bakery"}).json()] == [other.number]
    assert [c["number"] for c in client.get("/api/cases", {"precinct": "north"}).json()] == [other.number]
    assert [c["number"] for c in client.get("/api/cases", {"q": force_case.number.lower()}).json()] == [
        force_case.number
    ]
    assert len(client.get("/api/cases", {"limit": 1}).json()) == 1


def test_the_best_match_comes_first_where_the_database_ranks(staff, today):
    """PostgreSQL ranks by its full-text rank; SQLite, which has no rank here, lists the newest first."""
    many = _open(staff, today, days_ago=40, summary="Baton strikes: the baton was raised, the baton struck twice.")
    once = _open(staff, today, days_ago=5, summary="A long account of a stop in which a baton is mentioned once.")
    order = found(staff[R.DIRECTOR], q="baton")
    if connection.vendor == "postgresql":
        assert order == [many.number, once.number]
    else:
        assert order == [once.number, many.number]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN indexes exist only on PostgreSQL")
def test_postgres_indexes_both_texts_for_full_text_search():
    with connection.cursor() as cur:
        cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE 'case_search_%%_fts'")
        defs = dict(cur.fetchall())
    assert set(defs) == {"case_search_text_fts", "case_search_redacted_fts"}
    assert all("USING gin (to_tsvector('english'::regconfig" in d for d in defs.values())
