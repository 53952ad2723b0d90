"""The oversight bodies' rosters in the browser: the City Clerk records a CPC appointment through
the form, is refused a fourth term with the citation (the form keeps what was typed), records a
resignation without notice; the public roster shows the seats filled, the vacancy and the day it
must be filled by (SMC 3.29.215.C.5-6), with no accessibility violation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from oversight.institutions import actions

from .axe import axe

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


@pytest.fixture
def clerk(transactional_db: Any, settings: Any) -> User:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    u = User.objects.create_user("clerk", "clerk@example.org", "pw", first_name="Sidney", last_name="Clerk")
    u.groups.add(Group.objects.get_or_create(name="city_clerk")[0])
    return u


def test_the_clerk_records_and_the_public_roster_shows_seats_and_the_vacancy(browse_as: Any, clerk: User) -> None:
    today = timezone.localdate()
    y = today.year
    for seat, start in (("2", y - 1), ("5", y)):
        actions.record_appointment(
            clerk, "cpc", seat=seat, person=f"Seat {seat} Holder", kind="full", start=dt.date(start, 1, 1)
        )
    for first in (y - 9, y - 6, y - 3):
        a = actions.record_appointment(
            clerk, "cpc", seat="7", person="Ada Quill", kind="full", start=dt.date(first, 1, 1)
        )
        actions.end_appointment(clerk, a, on=dt.date(first + 3, 1, 1), reason="term_expired")
    page = browse_as(clerk)
    page.goto("/")
    page.get_by_role("link", name="Oversight bodies").first.click()
    page.get_by_role("link", name="Community Police Commission").first.click()
    page.get_by_text("Record an appointment, reappointment or interim designation").click()
    page.fill("input[name=person]", "Ada Quill")
    page.select_option("select[name=seat]", "7")
    page.fill("input[name=start]", f"{y}-01-01")
    page.get_by_role("button", name="Record", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("at most 3 [SMC 3.29.215.C.5]")
    expect(page.locator("input[name=person]")).to_have_value("Ada Quill")
    page.fill("input[name=person]", "Bea Lorne")
    page.get_by_role("button", name="Record", exact=True).click()
    expect(page.get_by_role("table").first).to_contain_text("Bea Lorne")
    # Seat 2's holder resigns without notice: the seat is to be filled within 90 days
    row = page.locator("tr", has_text="Seat 2 Holder").last
    row.get_by_text("End, confirm, residency").click()
    row.locator("select[name=reason]").select_option("resigned_without_notice")
    row.get_by_role("button", name="Record the end").click()
    due = (today + dt.timedelta(days=90)).isoformat()
    public = browse_as(clerk)
    public.goto("/public/institutions/cpc/")
    expect(public.get_by_role("table").first).to_contain_text("2 of 15 seats filled")
    expect(public.locator("main")).to_contain_text(f"{due} (soon): Fill seat 2")
    expect(public.locator("main")).to_contain_text("SMC 3.29.215.C.6")
    axe(public)
    public.goto("/public/institutions/")
    expect(public.locator("main")).to_contain_text("Seat 2 is vacant")
    axe(public)
