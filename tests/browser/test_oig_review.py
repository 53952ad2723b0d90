"""Browser walks through OIG's certification of investigations (SMC 3.29.112) and the hotline.

The ``browser`` fixture (tests/browser/conftest.py) drives Debian's Chromium; the
server is pytest-django's live_server.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from oversight.cases import actions as ca
from oversight.rules import access as R
from tests.oig.conftest import open_investigation

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def cast(transactional_db: Any, settings: Any, tmp_path: Any) -> dict[str, User]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    users = {}
    for role in R.ROLES:
        u = User.objects.create_user(role, f"{role}@example.org", "pw")
        u.groups.add(Group.objects.get_or_create(name=role)[0])
        users[role] = u
    return users


def _investigation_due(page: Any) -> dt.date:
    return dt.date.fromisoformat(
        page.locator("#deadline-table tr[data-deadline='investigation'] .due").inner_text().strip()
    )


def _recommend(page: Any) -> None:
    """The Director recommends a finding on every allegation: the one door for proposed findings."""
    form = page.locator("#form-recommend")
    for sel in form.locator("select[name^=finding_]").all():
        sel.select_option("sustained")
    form.locator("button[type=submit]").last.click()


def test_not_certified_with_directed_investigation_then_resubmitted_certified_and_findings_allowed(cast, browse_as):
    today = timezone.localdate()
    case = open_investigation(cast, "honesty")
    ca.record_clock_event(cast[R.SUPERVISOR], case, "submitted_to_oig", today - dt.timedelta(days=3))

    auditor = browse_as(cast[R.OIG_AUDITOR])
    auditor.goto("/oig/queue/")
    row = auditor.locator("#queue tbody tr", has_text=case.number)
    sync_api.expect(row).to_contain_text("open")
    row.get_by_role("link", name=case.number).click()
    sync_api.expect(auditor.locator("h1")).to_have_text(f"Case {case.number}")
    sync_api.expect(auditor.locator("#requirement")).to_contain_text("honesty is on the mandatory review list")
    due_before = _investigation_due(auditor)

    form = auditor.locator("#determination-form")
    form.get_by_label("Not certified; further investigation requested or directed").check()
    form.get_by_label("Further investigation:").select_option("directed")
    form.get_by_label("What further investigation").fill("Interview the two civilian witnesses.")
    form.get_by_label("Reasons").fill("Material witnesses were never contacted.")
    form.locator("textarea[name=criterion_a]").fill("Two civilian witnesses were not contacted.")
    form.get_by_role("button", name="Record determination").click()

    sync_api.expect(auditor.get_by_role("status")).to_contain_text("determination was recorded")
    sync_api.expect(auditor.locator("#determination-1")).to_contain_text("Further investigation directed")
    ext = ca.rules_on(case.received_on).deadlines["investigation"].adjustments
    days = next(a.days for a in ext if a.event == "additional_investigation")
    assert _investigation_due(auditor) - due_before == dt.timedelta(days=days) == dt.timedelta(days=60)
    sync_api.expect(auditor.locator("#deadline-table tr[data-deadline='investigation']")).to_contain_text(
        "SMC 3.29.026.I"
    )
    sync_api.expect(auditor.locator("#findings-gate")).to_contain_text("must wait")
    sync_api.expect(auditor.locator("#findings-gate")).to_contain_text("SMC 3.29.112.D")

    # OPA completes the work and submits again (OPA's write, through the cases actions).
    ca.record_clock_event(cast[R.SUPERVISOR], case, "submitted_to_oig", today)
    auditor.goto("/oig/queue/")
    sync_api.expect(auditor.locator("#queue tbody tr", has_text=case.number)).to_contain_text("2")
    auditor.goto(f"/cases/{case.number}/")
    form = auditor.locator("#determination-form")
    form.get_by_label("Certified as thorough, timely and objective").check()
    form.locator("textarea[name=criterion_a]").fill("Both witnesses interviewed on video.")
    form.get_by_role("button", name="Record determination").click()
    sync_api.expect(auditor.locator("#determination-2")).to_contain_text("Certified as thorough")
    sync_api.expect(auditor.locator("#findings-gate")).to_contain_text("may now be made")
    sync_api.expect(auditor.locator("#form-recommend")).to_have_count(0)  # the Director's, not OIG's

    director = browse_as(cast[R.DIRECTOR])
    director.goto(f"/cases/{case.number}/")
    sync_api.expect(director.locator("#findings-gate")).to_contain_text("SMC 3.29.112.C")
    sync_api.expect(director.locator("#determination-form")).to_have_count(0)
    _recommend(director)
    sync_api.expect(director.get_by_role("status")).to_contain_text("Recommended findings recorded")
    assert case.events.filter(type="proposed_findings_issued").count() == 1


def test_lapsed_window_director_may_certify_and_oig_demand_is_refused_with_citation(cast, browse_as):
    today = timezone.localdate()
    case = open_investigation(cast, "honesty")
    window = ca.rules_on(case.received_on).deadlines["oig_review"].days
    ca.record_clock_event(cast[R.SUPERVISOR], case, "submitted_to_oig", today - dt.timedelta(days=window + 5))

    auditor = browse_as(cast[R.OIG_AUDITOR])
    auditor.goto(f"/cases/{case.number}/")
    sync_api.expect(auditor.locator("#lapsed")).to_contain_text("SMC 3.29.112.G")
    sync_api.expect(auditor.locator("#deadline-oig_review_1")).to_contain_text("overdue")
    form = auditor.locator("#determination-form")
    form.get_by_label("Not certified; further investigation requested or directed").check()
    form.get_by_label("Further investigation:").select_option("directed")
    form.get_by_label("What further investigation").fill("Re-interview the named employee.")
    form.get_by_label("Reasons").fill("The interview was short.")
    form.locator("textarea[name=criterion_b]").fill("Conflicting testimony not addressed.")
    form.get_by_role("button", name="Record determination").click()
    alert = auditor.get_by_role("alert")
    sync_api.expect(alert).to_contain_text("precluded from requiring further investigation [SMC 3.29.112.G]")
    sync_api.expect(auditor.locator("textarea[name=criterion_b]")).to_have_value("Conflicting testimony not addressed.")
    assert not case.events.filter(type__in=["oig_not_certified", "additional_investigation"]).exists()

    director = browse_as(cast[R.DIRECTOR])
    director.goto(f"/cases/{case.number}/")
    gate = director.locator("#findings-gate")
    sync_api.expect(gate).to_contain_text("may now be made")
    sync_api.expect(gate).to_contain_text("SMC 3.29.112.G")
    _recommend(director)
    sync_api.expect(director.get_by_role("status")).to_contain_text("Recommended findings recorded")
    assert case.events.filter(type="proposed_findings_issued").exists()


def test_hotline_report_without_an_account_then_status_with_the_code(cast, browser, live_server):
    ctx = browser.new_context(base_url=live_server.url)
    try:
        page = ctx.new_page()
        page.set_default_timeout(10_000)
        page.goto("/oig/hotline/")
        page.get_by_label("What is it about?").select_option("retaliation")
        page.get_by_label("You are").select_option("city_employee")
        page.get_by_label("Your report").fill("My overtime was cut after I gave OIG the logs.")
        page.get_by_role("button", name="Send to OIG").click()
        code = page.locator("#code").inner_text().strip()
        assert len(code) >= 16
        page.goto("/oig/hotline/status/")
        page.get_by_label("Your code").fill(code)
        page.get_by_role("button", name="Look up").click()
        sync_api.expect(page.locator("#status")).to_contain_text("Received")
        page.get_by_label("Add information").fill("The cut was announced on Monday.")
        page.get_by_role("button", name="Add").click()
        sync_api.expect(page.locator("#thread")).to_contain_text("The cut was announced on Monday.")
        assert code not in page.url
    finally:
        ctx.close()
