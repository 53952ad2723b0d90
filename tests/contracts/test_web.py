"""Replay over the records (Case rows, native and imported), the pages, the registry's one door."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from oversight.cases.actions import ActionError
from oversight.cases.models import Case
from oversight.contracts import actions, service
from oversight.contracts.models import Agreement, Consultation
from oversight.contracts.records import replay_inputs
from oversight.rules import access as A
from oversight.rules.contracts import load_overlay
from oversight.rules.replay import Facts, replay

from .test_rules import SMALL

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", cases=60, seed=17, history_years=2, per_year=200)
        call_command("seed_discipline_demo")
        yield
        transaction.set_rollback(True)


def _user(role: str) -> User:
    u, _ = User.objects.get_or_create(username=f"c-{role}")
    u.groups.add(Group.objects.get_or_create(name=role)[0])
    return u


def test_replay_reads_every_case_record_as_the_case_page_does(seeded: None, tmp_path: Path) -> None:
    inputs = {obj["case_id"]: (obj, facts) for obj, facts, _pk in replay_inputs()}
    cases = list(Case.objects.all())
    assert set(inputs) == {c.number for c in cases}
    for c in cases[:80]:
        mine = c.as_clock_input(list(c.events.order_by("seq")))
        obj, facts = inputs[c.number]
        assert obj["events"] == mine["events"] and obj["allegations"] == mine["allegations"]
        assert facts.closed_on == (c.closed_on.toordinal() if c.closed_on else None)
    p = tmp_path / "small.toml"
    p.write_text(SMALL, encoding="utf-8")
    ov = load_overlay(p)
    # the same cases replayed another road: each case's own input, one by one
    one_by_one = [(c.as_clock_input(list(c.events.order_by("seq"))), Facts()) for c in cases]
    _s, expected = replay(one_by_one, ov.base, ov.profile, TODAY.toordinal())
    r = service.run_replay(str(p), None, None, TODAY)
    assert {x["case"] for x in r.differing} == {x["case"] for x in expected if x["differs"]}
    assert r.summary["differing"] > 0
    assert r.summary["cases"] == len(cases)


def test_another_offices_imported_history_is_not_replayed_this_offices_is(seeded: None) -> None:
    from django.utils import timezone

    from oversight.history.models import ImportedCase, ImportedDataset

    admin = User.objects.create(username="importer")
    native = Case.objects.count()
    for name, own in (("other-city", False), ("this-office", True)):
        ds = ImportedDataset.objects.create(
            name=name, title=name, mapping="m.toml", office_history=own, imported_at=timezone.now(), imported_by=admin
        )
        case = Case.objects.create(number=f"IMP-{name}", closed_on=dt.date(2016, 5, 1), channel="imported")
        ImportedCase.objects.create(case=case, dataset=ds, source_id="1", digest="d", line=2)
    numbers = {obj["case_id"]: facts for obj, facts, _pk in replay_inputs()}
    assert "IMP-other-city" not in numbers and numbers["IMP-this-office"].imported
    assert len(numbers) == native + 1


def test_shipped_2018_overlay_replays_against_the_records(seeded: None) -> None:
    r = service.run_replay("spog-2018-tentative", dt.date(2018, 1, 1), None, TODAY)
    assert r.summary["cases"] == Case.objects.count()
    js = r.to_json()
    assert js["overlay"] == "spog-2018-tentative"
    assert set(js["summary"]) >= {"cases", "differing", "indeterminate", "from", "to"}
    assert "Tentative agreement" in r.summary["sentence"]


def test_public_pages_show_counts_and_never_a_case(seeded: None) -> None:
    c = Client()
    numbers = list(Case.objects.values_list("number", flat=True)[:50])
    for name in ("public_contracts:compare", "public_contracts:replay"):
        r = c.get(reverse(name, args=["spog-2018-tentative"]))
        assert r.status_code == 200
        body = r.content.decode()
        assert "<svg" in body
        assert not any(n in body for n in numbers)
    pdf = c.get(reverse("public_contracts:replay", args=["spog-2018-tentative"]) + "?format=pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    assert (
        c.get(reverse("public_contracts:replay", args=["spog-2018-tentative"]) + "?format=json")
        .get("Content-Type", "")
        .startswith("text/html")
    )  # the cases' list is the staff's only
    bad = c.get(reverse("public_contracts:replay", args=["spog-2018-tentative"]) + "?from=2020-13-01")
    assert bad.status_code == 400 and "from: &#x27;2020-13-01&#x27; is not a date" in bad.content.decode()
    assert c.get(reverse("public_contracts:compare", args=["nothing-here"])).status_code == 404


def test_staff_replay_links_only_cases_the_reader_may_open(
    seeded: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    p = tmp_path / "small.toml"
    p.write_text(SMALL, encoding="utf-8")
    real = service.shipped_path
    monkeypatch.setattr(service, "shipped", lambda: ["small"])
    monkeypatch.setattr(service, "shipped_path", lambda n: p if n == "small" else real(n))
    director, cpc = _user(A.DIRECTOR), _user(A.CPC_STAFF)
    c = Client()
    c.force_login(director)
    body = c.get(reverse("contracts:replay", args=["small"])).content.decode()
    differing = service.run_replay("small", None, None, TODAY).differing
    first = differing[0]["case"]
    assert f'href="/cases/{first}/"' in body
    c.force_login(cpc)  # CPC opens closed cases only (3.29.215.A.16)
    body = c.get(reverse("contracts:replay", args=["small"])).content.decode()
    open_ones = [x["case"] for x in differing if not Case.objects.get(number=x["case"]).closed_on]
    assert open_ones and all(f'href="/cases/{n}/"' not in body for n in open_ones)
    assert "you may not open are counted above" in body


def test_the_registry_keeps_consultations_confidential_and_refuses_bad_input(seeded: None) -> None:
    director, attorney, intake = _user(A.DIRECTOR), _user(A.CITY_ATTORNEY), _user(A.INTAKE)
    with pytest.raises(ActionError, match="votes_for"):
        actions.record_agreement(director, guild="SPOG", title="2016 proposal", status="rejected")
    a = actions.record_agreement(
        director, guild="SPOG", title="2016 proposal", status="rejected", votes_for=156, votes_against=823
    )
    actions.record_consultation(director, a, "cpc", TODAY, "The appeal forum and purging of records.")
    c = Client()
    c.force_login(attorney)  # opens the registry, not the consultations (3.29.330.A)
    page = c.get(reverse("contracts:agreement", args=[a.pk])).content.decode()
    assert "156 to 823" in page and "purging of records" not in page
    c.force_login(director)
    assert "purging of records" in c.get(reverse("contracts:agreement", args=[a.pk])).content.decode()
    r = c.post(reverse("contracts:record"), {"guild": "SPOG", "title": "Typed title", "status": "rejected"})
    assert r.status_code == 400 and "Typed title" in r.content.decode() and "votes_for" in r.content.decode()
    n = Agreement.objects.count()
    c.force_login(intake)
    r = c.post(reverse("contracts:record"), {"guild": "SPOG", "title": "X", "status": "proposed"})
    assert r.status_code == 403 and Agreement.objects.count() == n
    assert Consultation.objects.filter(agreement=a).count() == 1
    assert "purging" not in Client().get(reverse("public_contracts:index")).content.decode()


def test_a_draft_pasted_is_compared_and_replayed_or_refused_with_the_key_named(seeded: None) -> None:
    c = Client()
    c.force_login(_user(A.INSPECTOR_GENERAL))
    r = c.get(reverse("contracts:draft"))
    assert r.status_code == 200 and "stigmatizing_termination_standard" in r.content.decode()
    bad = SMALL + '\n[provisions]\nbinding_arbitration."2018-01-01" = { value = true, cite = "art 9" }\n'
    r = c.post(reverse("contracts:draft"), {"overlay": bad})
    body = r.content.decode()
    assert r.status_code == 400 and "the draft: provisions.binding_arbitration: unknown key" in body
    assert "binding_arbitration" in body and "/tmp" not in body  # what was typed is kept; no server path
    r = c.post(reverse("contracts:draft"), {"overlay": SMALL})
    body = r.content.decode()
    assert r.status_code == 200 and 'id="compare"' in body and 'id="replay-sentence"' in body
    assert "Under a small agreement" in body


def test_an_agreement_posted_in_the_library_is_public(seeded: None) -> None:
    from oversight.public.models import LibraryDocument

    director = _user(A.DIRECTOR)
    doc = LibraryDocument.objects.create(
        kind="cba", title="SPOG agreement 2019-2020", text="…", published_on=dt.date(2019, 1, 2), published_by=director
    )
    with pytest.raises(ActionError, match="library_document"):
        actions.record_agreement(director, guild="SPOG", title="X", status="ratified", library_document=doc.pk + 99)
    a = actions.record_agreement(director, guild="SPOG", title="SPOG 2019", status="ratified", library_document=doc.pk)
    assert a.public_on == dt.date(2019, 1, 2)
    page = Client().get(reverse("public_contracts:index")).content.decode()
    assert "SPOG 2019" in page and reverse("public:library_document", args=[doc.pk]) in page
