"""The recommendations tracker in the browser (SMC 3.29.305.A): OIG issues a recommendation to
SPD; SPD's liaison answers within the window, accepting it with a plan; a progress report
follows; the public tracker shows each change; a CPC recommendation left unanswered turns
overdue on CPC's home page on day 31."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from oversight.recommendations import actions as ra

from .axe import axe

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


@pytest.fixture
def people(transactional_db: Any, settings: Any) -> dict[str, User]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = {}
    for role, name in (
        ("inspector_general", "Noor Inspector"),
        ("spd_liaison", "Quinn Liaison"),
        ("cpc_staff", "Drew Commission"),
    ):
        first, last = name.split()
        u = User.objects.create_user(role, f"{role}@example.org", "pw", first_name=first, last_name=last)
        u.groups.add(Group.objects.get_or_create(name=role)[0])
        out[role] = u
    return out


def test_issue_answer_report_and_the_public_tracker(
    browse_as: Any, chromium: Any, live_server: Any, people: dict[str, User], tmp_path: Any
) -> None:
    today = timezone.localdate()
    ig = browse_as(people["inspector_general"])
    ig.goto("/")
    ig.get_by_role("link", name="Recommendations").first.click()
    ig.get_by_role("link", name="Issue a recommendation").click()
    ig.select_option("select[name=addressee]", "spd")
    ig.fill("input[name=title]", "Record the reason for every frisk")
    ig.fill("textarea[name=text]", "SPD should record the articulable reason for each frisk.")
    ig.select_option("select[name=category]", "stops")
    ig.fill("input[name=issued_on]", (today - dt.timedelta(days=10)).isoformat())
    ig.fill("input[name=report_title]", "OIG review of Terry stops")
    ig.get_by_role("button", name="Issue").click()
    expect(ig.locator("h1")).to_contain_text("Record the reason for every frisk")
    number = ig.locator("h1").inner_text().split(":")[0]
    ig.screenshot(path=str(tmp_path / "issued.png"))

    public = chromium.new_context(base_url=live_server.url).new_page()

    def public_status() -> Any:  # the public tracker's row for it, after each change
        public.goto(f"/public/recommendations/?q={number}")
        return public.locator("tbody tr", has_text=number)

    expect(public_status()).to_contain_text("Issued, awaiting the written answer")

    spd = browse_as(people["spd_liaison"])
    spd.goto("/")
    expect(spd.locator("main")).to_contain_text("Recommendations to answer")
    spd.get_by_role("link", name=f"{number}: Record the reason for every frisk").click()
    spd.locator("#answer summary").click()
    spd.select_option("#answer select[name=kind]", "accepted")
    spd.fill("#answer textarea[name=text]", "Plan: a required field in the stop report by June.")
    spd.locator("#answer button").click()
    expect(spd.locator("main")).to_contain_text("Status now: Accepted")
    expect(public_status()).to_contain_text("Accepted")
    spd.locator("#answer summary").click()
    spd.select_option("#answer select[name=kind]", "progress_report")
    spd.fill("#answer textarea[name=text]", "The field is in testing in two precincts.")
    spd.locator("#answer button").click()
    expect(spd.locator("main")).to_contain_text("implementation in progress")
    spd.screenshot(path=str(tmp_path / "answered.png"), full_page=True)
    expect(public_status()).to_contain_text("Accepted, implementation in progress")
    public.goto("/public/")
    public.get_by_role("link", name="Recommendations").first.click()
    expect(public.locator("table")).to_contain_text(number)
    axe(public)
    public.get_by_role("link", name=number).click()
    for words in (
        "issued; the written answer is due",
        "accepted, with an implementation plan",
        "Progress report",
        "testing in two precincts",
    ):
        expect(public.locator("main")).to_contain_text(words)
    expect(public.locator("main")).not_to_contain_text("Quinn Liaison")  # SPD answers; its staff are not named
    axe(public)
    public.screenshot(path=str(tmp_path / "public.png"), full_page=True)
    public.goto("/public/manual/")  # the OPA Manual's versions (none yet), in an accessible table
    expect(public.locator("main")).to_contain_text("No version is posted yet")
    axe(public)

    # a CPC recommendation nobody answers: overdue on CPC's home on day 31, not on day 30
    for days in (30, 31):
        ra.issue(
            people["cpc_staff"],
            body="cpc",
            addressee="spd",
            title=f"Issued {days} days ago",
            text="x",
            category="community",
            issued_on=today - dt.timedelta(days=days),
            report_title="CPC report",
        )
    cpc = browse_as(people["cpc_staff"])
    cpc.goto("/")
    overdue = cpc.locator("main")
    expect(overdue).to_contain_text("Recommendations with an overdue answer")
    expect(overdue).to_contain_text("Issued 31 days ago")
    expect(overdue).not_to_contain_text("Issued 30 days ago")
