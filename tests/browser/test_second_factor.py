"""The second factor in Chromium: a director signs in for the first time, is sent to set up an
authenticator app (a code to scan, its key to type), enters the app's code, is shown the
recovery codes once, and reaches their home; the next sign-in asks for the code. axe-core
checks each page; the screenshots go to the test's folder (OVERSIGHT_SCREENSHOTS for another)."""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django_otp.oath import totp

from oversight.rules import access as R

from .axe import axe

pytestmark = pytest.mark.django_db(transaction=True)
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

PASSWORD = "a-long-enough-Passphrase-42"


def _code(key_text: str) -> str:
    key = key_text.replace(" ", "")
    raw = base64.b32decode(key + "=" * (-len(key) % 8))
    return f"{totp(raw):06d}"


def _sign_in(page: Any) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("rmoreno")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_first_sign_in_sets_up_the_second_factor_then_it_is_asked(page: Any, settings: Any, tmp_path: Path) -> None:
    settings.OVERSIGHT_SECOND_FACTOR = True
    shots = Path(os.environ.get("OVERSIGHT_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    user = User.objects.create_user(
        "rmoreno", "rmoreno@opa.example.org", PASSWORD, first_name="Rae", last_name="Moreno"
    )
    user.groups.add(Group.objects.get(name=R.DIRECTOR))

    _sign_in(page)
    page.wait_for_url(re.compile(r".*/accounts/second-factor/setup/.*"))
    expect(page.locator("h1")).to_have_text("Set up your second factor")
    expect(page.locator("figure svg")).to_be_visible()
    key = page.locator("figcaption strong").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+", key), key
    axe(page)
    page.screenshot(path=str(shots / "second-factor-setup.png"), full_page=True)

    page.get_by_label("Code from your app").fill("000000")
    page.get_by_role("button", name="Turn on the second factor").click()
    expect(page.locator("#code-error")).to_contain_text("did not match")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).update(throttling_failure_timestamp=None)  # no need to wait in a test
    page.get_by_label("Code from your app").fill(_code(key))
    page.get_by_role("button", name="Turn on the second factor").click()
    page.wait_for_url(re.compile(r".*/accounts/second-factor/recovery-codes/.*"))
    expect(page.locator("ul.recovery-codes li")).to_have_count(10)
    recovery = page.locator("ul.recovery-codes li").first.inner_text().strip()
    axe(page)
    page.screenshot(path=str(shots / "recovery-codes.png"), full_page=True)
    page.get_by_role("link", name="Continue").click()
    page.wait_for_url(re.compile(r".*/$"))
    expect(page.locator("header .who")).to_contain_text("Rae Moreno")
    page.screenshot(path=str(shots / "home-after-second-factor.png"), full_page=True)

    page.get_by_role("button", name="Log out").click()
    _sign_in(page)
    page.wait_for_url(re.compile(r".*/accounts/second-factor/\?next=.*"))
    expect(page.locator("h1")).to_have_text("Second step of sign-in")
    axe(page)
    page.screenshot(path=str(shots / "second-factor-verify.png"), full_page=True)
    # the app's code of this half-minute was used already (a code works once): a recovery code
    page.get_by_label("Code from your app, or a recovery code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#code-error")).to_contain_text(re.compile("did not match|Too many wrong codes in a row"))
    from django_otp.plugins.otp_static.models import StaticDevice

    StaticDevice.objects.filter(user=user).update(throttling_failure_timestamp=None)
    TOTPDevice.objects.filter(user=user).update(throttling_failure_timestamp=None)
    page.get_by_label("Code from your app, or a recovery code").fill(recovery)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r".*/$"))
    expect(page.locator("header .who")).to_contain_text("Rae Moreno")
