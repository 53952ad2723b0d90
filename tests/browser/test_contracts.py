"""A bargaining agreement in the browser: the public opens the 2018 agreement's comparison with the
chapter and the replay summary of the cases under it (no case named, axe-clean); the Director opens
the same from the staff navigation."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from oversight.cases.models import Case

from .axe import axe

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytest.importorskip("playwright.sync_api")


def test_the_comparison_and_the_replay_summary(page: Any, browse_as: Any) -> None:
    call_command("seed_demo", cases=30, seed=7, history_years=1, per_year=80)
    numbers = list(Case.objects.values_list("number", flat=True))
    page.goto("/public/contracts/")
    page.click("#overlays li:has-text('2018') a:has-text('the agreement against the chapter')")
    page.wait_for_url(re.compile(r".*/public/contracts/spog-2018-tentative/compare/$"))
    assert "against the ordinance" in page.inner_text("h1")
    rows = page.locator("#compare tbody tr")
    assert rows.count() >= 10
    first = page.inner_text("#compare tbody tr >> nth=0")
    assert "news-2018-contract" in first
    assert page.locator("#compare td:has-text('Unknown')").count() >= 5
    assert page.locator("figure svg title").first.text_content() == "Provisions against SMC 3.29.400.A"
    axe(page)
    page.click("a:has-text('the cases replayed under it')")
    page.wait_for_url(re.compile(r".*/public/contracts/spog-2018-tentative/replay/$"))
    sentence = page.inner_text("#replay-sentence")
    assert f"of {len(numbers)} cases" in sentence
    body = page.inner_text("main")
    assert not any(n in body for n in numbers)
    axe(page)

    director = User.objects.create_user("director-c")
    director.groups.add(Group.objects.get(name="director"))
    staff = browse_as(director)
    staff.goto("/")
    staff.click("nav a:has-text('Contracts')")
    staff.wait_for_url(re.compile(r".*/contracts/$"))
    staff.click("#overlays li:has-text('2018') a:has-text('replay the cases')")
    assert f"of {len(numbers)} cases" in staff.inner_text("#replay-sentence")
