"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium) against
pytest-django's live server. Playwright never downloads a browser here."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as dj_settings
from django.test import Client

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests
# make to set up users are not run inside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

CHROMIUM = os.environ.get("OVERSIGHT_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make test does)")
        pytest.skip(f"{CHROMIUM} is missing: `apt-get install -y chromium` to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, live_server: Any, settings: Any, tmp_path: Any) -> Iterator[Any]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture(autouse=True)
def _role_groups(transactional_db: Any) -> None:
    """The live server's tests flush the database after each test, taking the groups the
    migrations created with it; every test starts with all of them again."""
    from django.contrib.auth.models import Group

    from oversight.rules.access import ROLES as DISCIPLINE_ROLES
    from oversight.rules.access import ROLES as OIG_ROLES

    for name in {**DISCIPLINE_ROLES, **OIG_ROLES}:
        Group.objects.get_or_create(name=name)


@pytest.fixture
def chromium(browser: Any) -> Any:
    """The session's one Chromium (tests/browser/conftest.py): two Playwright instances in
    one thread cannot run at once."""
    return browser


@pytest.fixture
def browse_as(chromium: Any, live_server: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def open_as(user: Any) -> Any:
        client = Client()
        client.force_login(user)
        ctx = chromium.new_context(base_url=live_server.url)
        ctx.add_cookies(
            [
                {
                    "name": dj_settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[dj_settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_as
    for c in contexts:
        c.close()
