"""Production by default: the app refuses to start on a missing or unsafe setting (naming it),
`check --deploy` is clean under the production settings, and the pages carry the security
headers (CSP, no-store for what shows people)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from oversight.rules import access as R


def _run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("OVERSIGHT_") and k != "DATABASE_URL"}
    base |= {"DJANGO_SETTINGS_MODULE": "oversight.settings", "OVERSIGHT_DATA_DIR": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "-m", "oversight.cli", "manage", *args],
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _keys() -> dict[str, str]:
    return {
        "OVERSIGHT_SECRET_KEY": secrets.token_urlsafe(64),
        "OVERSIGHT_PSEUDONYM_KEY": secrets.token_urlsafe(48),
        "OVERSIGHT_CHAIN_KEY": secrets.token_urlsafe(48),
    }


def test_production_is_the_default_and_refuses_to_start_without_its_keys(tmp_path: Path) -> None:
    r = _run(tmp_path, "check")  # no OVERSIGHT_ENV at all: production
    assert r.returncode == 2, r.stderr
    assert "OVERSIGHT_SECRET_KEY is not set" in r.stderr
    assert "OVERSIGHT_PSEUDONYM_KEY is not set" in r.stderr
    assert "OVERSIGHT_CHAIN_KEY is not set" in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""

    only_secret = _run(tmp_path, "check", OVERSIGHT_SECRET_KEY=_keys()["OVERSIGHT_SECRET_KEY"])
    assert only_secret.returncode == 2
    assert "OVERSIGHT_PSEUDONYM_KEY is not set" in only_secret.stderr
    assert "OVERSIGHT_SECRET_KEY" not in only_secret.stderr.replace("differ from OVERSIGHT_SECRET_KEY", "")


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"OVERSIGHT_SECRET_KEY": "short"}, "OVERSIGHT_SECRET_KEY is too short"),
        ({"OVERSIGHT_SECRET_KEY": "a" * 80}, "OVERSIGHT_SECRET_KEY is not random enough"),
        ({"OVERSIGHT_PSEUDONYM_KEY": "x" * 10}, "OVERSIGHT_PSEUDONYM_KEY is too short"),
        ({"OVERSIGHT_CHAIN_KEY": "c" * 10}, "OVERSIGHT_CHAIN_KEY is too short"),
        ({"same": "1"}, "OVERSIGHT_PSEUDONYM_KEY must differ from OVERSIGHT_SECRET_KEY"),
        ({"OVERSIGHT_DEBUG": "1"}, "OVERSIGHT_DEBUG=1 is for the demo only"),
        ({"OVERSIGHT_DEMO_PASSWORD_ONLY": "1"}, "OVERSIGHT_DEMO_PASSWORD_ONLY=1"),
    ],
)
def test_an_unsafe_production_setting_is_refused_by_name(tmp_path: Path, env: dict[str, str], named: str) -> None:
    keys = _keys()
    if env.pop("same", None):
        keys["OVERSIGHT_PSEUDONYM_KEY"] = keys["OVERSIGHT_SECRET_KEY"]
    r = _run(tmp_path, "check", OVERSIGHT_ENV="production", **(keys | env))
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert named in r.stderr


def test_the_test_settings_cannot_be_borrowed_by_a_deployment(tmp_path: Path) -> None:
    r = _run(tmp_path, "check", OVERSIGHT_ENV="test")
    assert r.returncode == 2 and "OVERSIGHT_ENV=test is for the test suite only" in r.stderr


def test_the_demo_setting_passes_only_in_the_demo(tmp_path: Path) -> None:
    demo = _run(tmp_path, "check", OVERSIGHT_ENV="demo", OVERSIGHT_DEMO_PASSWORD_ONLY="1")
    assert demo.returncode == 0, demo.stderr
    # the demo made keys of its own, random, kept beside its database (never a fixed string)
    keys = (tmp_path / "keys.env").read_text()
    assert "OVERSIGHT_SECRET_KEY=" in keys and "OVERSIGHT_PSEUDONYM_KEY=" in keys and "OVERSIGHT_CHAIN_KEY=" in keys
    assert oct((tmp_path / "keys.env").stat().st_mode & 0o777) == "0o600"


def test_check_deploy_reports_no_issue_under_the_production_settings(tmp_path: Path) -> None:
    r = _run(tmp_path, "check", "--deploy", "--fail-level", "WARNING", OVERSIGHT_ENV="production", **_keys())
    assert r.returncode == 0, r.stdout + r.stderr
    assert "System check identified no issues (0 silenced)." in r.stdout + r.stderr


def test_the_production_settings_are_https_only(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_PROXY_SSL_HEADER, s.OVERSIGHT_SECOND_FACTOR)"
    )
    r = _run(tmp_path, "shell", "--no-imports", "-c", code, OVERSIGHT_ENV="production", **_keys())
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [
        "False",
        "True",
        "True",
        "True",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "True",
    ]


@pytest.mark.django_db
def test_staff_pages_are_never_cached_and_carry_the_content_security_policy(staff: dict[str, Any]) -> None:
    c = Client()
    c.force_login(staff[R.DIRECTOR])
    r = c.get("/board/")
    assert r.status_code == 200
    assert "no-store" in r["Cache-Control"] and "private" in r["Cache-Control"]
    csp = r["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    nonce = csp.split("'nonce-", 1)[1].split("'", 1)[0]
    assert f'<style nonce="{nonce}">' in r.content.decode()  # the one inline style block carries it
    assert r["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_public_pages_are_not_cached_either_and_a_missing_page_is_in_the_sites_layout() -> None:
    c = Client()
    r = c.get("/public/track/")
    assert "no-store" in r["Cache-Control"]
    missing = c.get("/no/such/page/")
    assert missing.status_code == 404
    assert "Page not found" in missing.content.decode() and 'href="/public/"' in missing.content.decode()


def test_the_server_error_page_is_the_sites_own() -> None:
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong" in html and "Traceback" not in html


def test_the_production_runner_refuses_to_start_without_its_keys(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OVERSIGHT_") and k != "DATABASE_URL"}
    env |= {"DJANGO_SETTINGS_MODULE": "oversight.settings", "OVERSIGHT_DATA_DIR": str(tmp_path)}
    r = subprocess.run(
        [sys.executable, "-m", "oversight.cli", "serve", "--no-worker"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 2 and "OVERSIGHT_SECRET_KEY is not set" in r.stderr
