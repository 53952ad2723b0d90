"""The demo command's data and the first pages, on whichever database DATABASE_URL names."""

from __future__ import annotations

import datetime as dt
import re
from html import escape

import pytest
from django.core.management import call_command
from django.test import Client

from oversight.cases.models import AppendOnlyError, Case, CaseEvent

pytestmark = pytest.mark.django_db


def test_seeded_demo_serves_a_board_whose_dates_come_from_the_clock(client: Client) -> None:
    call_command("seed_demo", cases=60, seed=7)
    assert Case.objects.count() == 60
    client.login(username="director", password="oversight-demo")
    page = client.get("/board/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Deadline board" in body
    # a case on the board shows the due date the clock computes for it
    from oversight.cases.clock import next_deadline, timeline

    shown = 0
    for case in Case.objects.filter(closed_on__isnull=True):  # the board shows open cases
        nd = next_deadline(timeline(case, dt.date.today()))
        if nd is not None:
            assert case.number in body
            shown += 1
    assert shown > 0
    number = Case.objects.order_by("number").first().number  # type: ignore[union-attr]
    detail = client.get(f"/cases/{number}/")
    assert detail.status_code == 200
    assert "SMC 3.29.026.B" in detail.content.decode()


def test_seed_is_idempotent() -> None:
    call_command("seed_demo", cases=10, seed=1)
    call_command("seed_demo", cases=10, seed=1)
    assert Case.objects.count() == 10


def test_events_are_append_only() -> None:
    call_command("seed_demo", cases=3, seed=2)
    event = CaseEvent.objects.first()
    assert event is not None
    event.date = dt.date(2000, 1, 1)
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_each_demo_login_signs_in_to_a_working_home_page() -> None:
    """The README's logins: each signs in with the demo password and lands on a home page that
    lists what waits for them (in the site's layout, with their own navigation), never a refusal."""
    from oversight.cases.seed import DEMO_PASSWORD, DEMO_USERS
    from oversight.rules import access as A

    for command in ("seed_demo", "seed_oig_demo", "seed_discipline_demo", "seed_public_demo"):
        call_command(command, **({"cases": 80, "seed": 11} if command == "seed_demo" else {}))
    logins = {u for u, _, _ in DEMO_USERS}
    assert {
        "intake",
        "investigator",
        "supervisor",
        "director",
        "deputy",
        "admin",
        "cpc",
        "auditor",
        "ig",
        "chief",
        "cityattorney",
    } <= logins
    for username, role, full in DEMO_USERS:
        c = Client()
        r = c.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
        assert r.status_code == 302 and r["Location"] == "/", username
        home = c.get("/")
        body = home.content.decode()
        assert home.status_code == 200, username
        assert escape(f"{full}: what waits for you") in body, username
        assert escape(A.ROLES[role].label) in body, username
        assert 'id="waiting"' in body or 'id="nothing-waiting"' in body, username
        # every link the home page offers opens for this person
        links = set(re.findall(r'href="(/(?:board|intake|search|oig|discipline|cpc|people|cases)[^"#?]*)', body))
        for href in sorted(links)[:40]:
            assert c.get(href).status_code == 200, (username, href)
