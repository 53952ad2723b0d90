"""The annual report in the browser: the Director opens it from the reports page, reads a
chart's table, downloads its PDF and a table's CSV, and posts it to the public library;
the dashboard links a number to the cases behind it."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.utils import timezone

from oversight.cases.models import Case

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytest.importorskip("playwright.sync_api")


def _login(page: Any, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))


def test_the_director_opens_reads_downloads_and_posts_the_annual_report(page: Any, tmp_path: Any) -> None:
    call_command("seed_demo", cases=40, seed=5, history_years=1, per_year=120)
    call_command("seed_discipline_demo")
    u = User.objects.create_user("director1", "d@example.org", "pw")
    u.groups.add(Group.objects.get(name="director"))
    last = timezone.localdate().year - 1
    _login(page, "director1")
    page.click("nav a:has-text('Reports')")
    page.wait_for_url(re.compile(r".*/reports/$"))
    page.click("form[aria-label='OPA annual report'] button")
    page.wait_for_url(re.compile(r".*/reports/opa-annual/\?.*"))
    assert page.inner_text("h1").startswith("Office of Police Accountability: annual report")
    for n in range(1, 13):
        assert page.locator(f"section.report-section h2:text-matches('^{n}\\\\. ')").count() == 1, n
    assert (
        page.locator("#table-complaints_by_classification svg title").text_content() == "Complaints by classification"
    )
    total = page.inner_text("#table-complaints_by_classification tr.total td >> nth=0").replace(",", "")
    received = Case.objects.filter(received_on__year=last).count()
    assert int(total) == received
    with page.expect_download(timeout=180_000) as d:
        page.click("#table-findings caption a.csv")
    path = tmp_path / "findings.csv"
    d.value.save_as(path)
    assert path.read_text().splitlines()[0] == "Finding,Allegations,Percent"
    with page.expect_download(timeout=180_000) as d:
        page.click("p.downloads a:has-text('PDF')", timeout=180_000)  # the PDF is made on request
    pdf = tmp_path / "annual.pdf"
    d.value.save_as(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    page.click("button:has-text('Post to the public library')")
    page.wait_for_url(re.compile(r".*/reports/posted/\d+/$"))
    assert "the City Clerk: sent" in page.inner_text("#distribution")
    page.goto("/public/library/")
    assert f"annual report, {last}-01-01 to {last}-12-31" in page.inner_text("main")
    page.goto("/reports/dashboard/")
    page.click("#table-classifications summary")  # the chart's table, opened under it
    link = page.locator("#table-classifications a.cases-link").first
    link.click()
    page.wait_for_url(re.compile(r".*/reports/dashboard/cases/\?.*"))
    assert page.locator("#cases-behind tbody tr").count() >= 1
