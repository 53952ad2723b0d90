"""Sign-in security: lockout after repeated failures, rate limits on the public form, the
tracking codes and the hotline, the second factor (set up on first sign-in, then asked every
time; recovery codes work once), the demo's password-only logins, session limits, and the
record of sign-ins."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from oversight.accounts import security
from oversight.accounts.models import SignInEvent
from oversight.rules import access as R

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture
def director(db: Any) -> User:
    user = User.objects.create_user("rmoreno", "rmoreno@opa.example.org", "a long enough password")
    user.groups.add(Group.objects.get(name=R.DIRECTOR))
    return user


def _sign_in(client: Client, username: str, password: str) -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR="203.0.113.7")


# --------------------------------------------------------------------------
# Lockout
# --------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(director: User) -> None:
    c = Client()
    for _ in range(4):
        r = _sign_in(c, "rmoreno", "wrong")
        assert r.status_code == 200 and "did not match" in r.content.decode()
    locked = _sign_in(c, "rmoreno", "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Sign-in locked" in page and "15 minutes" in page and "Try again after" in page
    assert int(locked["Retry-After"]) == 15 * 60
    # the right password from another address does not get in while the account is locked
    right = Client().post(
        LOGIN, {"username": "rmoreno", "password": "a long enough password"}, REMOTE_ADDR="198.51.100.2"
    )
    assert right.status_code == 429 and "_auth_user_id" not in Client().session
    kinds = list(SignInEvent.objects.filter(username="rmoreno").values_list("kind", flat=True))
    assert kinds.count(SignInEvent.FAILED) >= 5 and SignInEvent.LOCKED_OUT in kinds
    assert SignInEvent.objects.filter(kind=SignInEvent.FAILED, ip="203.0.113.7").exists()


def test_a_right_password_before_the_limit_signs_in_and_is_recorded(director: User) -> None:
    c = Client()
    for _ in range(3):
        _sign_in(c, "rmoreno", "wrong")
    r = _sign_in(c, "rmoreno", "a long enough password")
    assert r.status_code == 302
    assert SignInEvent.objects.filter(user=director, kind=SignInEvent.SIGNED_IN).count() == 1


# --------------------------------------------------------------------------
# Rate limits
# --------------------------------------------------------------------------


def test_tracking_code_guesses_are_rate_limited_with_a_page_saying_when(settings: Any) -> None:
    settings.OVERSIGHT_RATE_LIMITS = {**settings.OVERSIGHT_RATE_LIMITS, "tracking": (3, 60)}
    c = Client()
    for _ in range(3):
        assert c.post("/public/track/", {"code": "AAAA-BBBB-CCCC"}).status_code == 400  # not found, said so
    r = c.post("/public/track/", {"code": "AAAA-BBBB-CCCC"})
    assert r.status_code == 429
    assert "Too many tries" in r.content.decode() and "try again in 1 minute" in r.content.decode()
    assert 0 < int(r["Retry-After"]) <= 60
    # another address is not limited by this one's tries
    assert Client(REMOTE_ADDR="198.51.100.9").post("/public/track/", {"code": "AAAA-BBBB-CCCC"}).status_code == 400


def test_the_complaint_form_and_the_hotline_are_rate_limited(settings: Any) -> None:
    settings.OVERSIGHT_RATE_LIMITS = {
        **settings.OVERSIGHT_RATE_LIMITS,
        "complaint": (2, 3600),
        "hotline": (1, 3600),
        "hotline_code": (2, 60),
    }
    c = Client()
    for _ in range(2):
        assert c.post("/public/complaint/", {"what_happened": ""}).status_code == 400
    limited = c.post("/public/complaint/", {"what_happened": "An officer pushed me.", "anonymous": "on"})
    assert limited.status_code == 429 and "Too many tries" in limited.content.decode()
    assert c.get("/public/complaint/").status_code == 200  # reading the form is never limited

    assert c.post("/oig/hotline/", {"text": "", "topic": "general"}).status_code == 400
    assert c.post("/oig/hotline/", {"text": "A report.", "topic": "general"}).status_code == 429
    for _ in range(2):
        assert c.post("/oig/hotline/status/", {"code": "NOPE"}).status_code == 400
    assert c.post("/oig/hotline/status/", {"code": "NOPE"}).status_code == 429


def test_behind_a_proxy_the_limit_is_per_client_not_per_proxy(settings: Any, rf: Any) -> None:
    settings.OVERSIGHT_TRUSTED_PROXIES = 1
    req = rf.get("/", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.50", REMOTE_ADDR="127.0.0.1")
    assert security.client_ip(req) == "203.0.113.50"  # the address the proxy saw; the first is the client's claim
    settings.OVERSIGHT_TRUSTED_PROXIES = 0
    assert security.client_ip(req) == "127.0.0.1"


# --------------------------------------------------------------------------
# The second factor
# --------------------------------------------------------------------------


def _code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def test_a_staff_page_needs_the_second_factor_set_up_then_given(settings: Any, director: User) -> None:
    settings.OVERSIGHT_SECOND_FACTOR = True
    c = Client()
    assert _sign_in(c, "rmoreno", "a long enough password").status_code == 302
    r = c.get("/board/")
    assert r.status_code == 302 and r["Location"] == "/accounts/second-factor/?next=%2Fboard%2F"
    assert c.get("/api/cases").status_code == 401
    setup = c.get("/accounts/second-factor/setup/?next=/board/")
    page = setup.content.decode()
    assert setup.status_code == 200 and "<svg" in page and "Or type this key into the app" in page
    wrong = c.post("/accounts/second-factor/setup/", {"code": "000000", "next": "/board/"})
    assert wrong.status_code == 400 and "did not match" in wrong.content.decode()
    assert c.get("/board/").status_code == 302  # still not through
    throttled = c.post("/accounts/second-factor/setup/", {"code": _code(director), "next": "/board/"})
    assert throttled.status_code == 400 and "Too many wrong codes in a row: wait until" in throttled.content.decode()
    TOTPDevice.objects.filter(user=director).update(throttling_failure_timestamp=None)  # the wait is over
    done = c.post("/accounts/second-factor/setup/", {"code": _code(director), "next": "/board/"})
    assert done.status_code == 302 and done["Location"].startswith("/accounts/second-factor/recovery-codes/")
    codes_page = c.get(done["Location"]).content.decode()
    codes = re.findall(r"<code>([a-z0-9]+)</code>", codes_page)
    assert len(codes) == 10 and "shown only now" in codes_page
    assert "<code>" not in c.get(done["Location"]).content.decode()  # shown once
    assert c.get("/board/").status_code == 200

    # the next sign-in asks for the code; a recovery code works once
    again = Client()
    _sign_in(again, "rmoreno", "a long enough password")
    assert again.get("/board/").status_code == 302
    verify = again.post("/accounts/second-factor/", {"code": codes[0], "next": "/board/"})
    assert verify.status_code == 302 and verify["Location"] == "/board/"
    assert again.get("/board/").status_code == 200
    third = Client()
    _sign_in(third, "rmoreno", "a long enough password")
    assert third.post("/accounts/second-factor/", {"code": codes[0]}).status_code == 400  # used
    for model in (TOTPDevice, StaticDevice):  # the wait after a wrong code is over
        model.objects.filter(user=director).update(throttling_failure_timestamp=None)
    assert (
        third.post("/accounts/second-factor/", {"code": codes[1], "next": "https://evil.example/"})["Location"] == "/"
    )
    kinds = set(SignInEvent.objects.filter(user=director).values_list("kind", flat=True))
    assert {SignInEvent.ENROLLED, SignInEvent.RECOVERY_CODE, SignInEvent.SECOND_FACTOR_FAILED} <= kinds


def test_the_demos_logins_may_skip_the_second_factor_only_with_the_demo_setting(
    settings: Any, make_user: Any, director: User
) -> None:
    settings.OVERSIGHT_SECOND_FACTOR = True
    demo = make_user("director", R.DIRECTOR)  # one of the demo's generated logins
    for user, setting, through in [(demo, True, True), (demo, False, False), (director, True, False)]:
        settings.OVERSIGHT_DEMO_PASSWORD_ONLY = setting
        c = Client()
        c.force_login(user)
        assert (c.get("/board/").status_code == 200) is through, (user.username, setting)


# --------------------------------------------------------------------------
# Session limits and the record
# --------------------------------------------------------------------------


def test_a_session_idle_for_30_minutes_is_signed_out_and_told_why(director: User) -> None:
    c = Client()
    c.force_login(director)
    assert c.get("/board/").status_code == 200
    session = c.session
    session[security.LAST_SEEN] = time.time() - 31 * 60
    session.save()
    r = c.get("/board/")
    assert r.status_code == 302 and r["Location"].startswith(LOGIN)
    assert "30 minutes without activity" in c.get(r["Location"]).content.decode()
    assert c.get("/board/").status_code == 302  # signed out for good
    assert SignInEvent.objects.filter(user=director, kind=SignInEvent.EXPIRED).exists()


def test_a_session_ends_12_hours_after_sign_in_however_active(director: User) -> None:
    c = Client()
    c.force_login(director)
    session = c.session
    session[security.SIGNED_IN_AT] = time.time() - 12 * 3600 - 60
    session[security.LAST_SEEN] = time.time() - 10
    session.save()
    r = c.get("/board/")
    assert r.status_code == 302 and "12 hours after signing in" in c.get(r["Location"]).content.decode()


def test_the_administrator_reviews_sign_ins_and_no_one_else(make_user: Any, director: User) -> None:
    _sign_in(Client(), "rmoreno", "wrong")
    admin = make_user("admin1", R.ADMINISTRATOR)
    c = Client()
    c.force_login(admin)
    page = c.get("/people/sign-ins/?who=rmoreno").content.decode()
    assert "Wrong username or password" in page and "203.0.113.7" in page and "failed<" not in page
    other = Client()
    other.force_login(director)
    assert other.get("/people/sign-ins/").status_code == 403


def test_the_administrator_resets_a_lost_second_factor(settings: Any, make_user: Any, director: User) -> None:
    settings.OVERSIGHT_SECOND_FACTOR = True
    TOTPDevice.objects.create(user=director, name="Authenticator app", confirmed=True)
    admin = make_user("admin1", R.ADMINISTRATOR)
    c = Client()
    c.force_login(admin)
    settings.OVERSIGHT_SECOND_FACTOR = False  # the administrator's own second factor is not under test here
    assert "Reset the second factor" in c.get(f"/people/{director.pk}/").content.decode()
    r = c.post(f"/people/{director.pk}/second-factor/reset/", follow=True)
    assert "set up a new one at their next sign-in" in r.content.decode()
    assert not TOTPDevice.objects.filter(user=director).exists()
    again = c.post(f"/people/{director.pk}/second-factor/reset/")
    assert again.status_code == 400 and "has no second factor set up" in again.content.decode()
    from oversight.cases.models import AuditEntry

    assert AuditEntry.objects.filter(action="second_factor_reset").count() == 1
    settings.OVERSIGHT_SECOND_FACTOR = True
    other = Client()
    other.force_login(director)
    assert other.get("/board/")["Location"].startswith("/accounts/second-factor/")
