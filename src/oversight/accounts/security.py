"""Sign-in security: the client's address, lockout (django-axes), rate limits, the second
factor, session limits, no caching of staff pages, and the record of sign-ins.

Every staff account signs in with a password and a second factor (a TOTP app, or one of the
recovery codes made at enrolment; django-otp). The demo's generated logins may skip the second
factor when ``OVERSIGHT_DEMO_PASSWORD_ONLY`` is on (the settings refuse it in production).
"""

from __future__ import annotations

import datetime as dt
import functools
import ipaddress
import math
import time
from collections.abc import Callable
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import RateCounter, SignInEvent

# --------------------------------------------------------------------------
# The client's address
# --------------------------------------------------------------------------


def _valid(address: str) -> str:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return ""


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind ``OVERSIGHT_TRUSTED_PROXIES`` proxies the address the first of
    them saw (counted from the right of X-Forwarded-For, which a client cannot forge past them).
    An empty string when there is no valid address (a request made in code)."""
    remote = _valid(request.META.get("REMOTE_ADDR") or "")
    hops = int(getattr(settings, "OVERSIGHT_TRUSTED_PROXIES", 0))
    if hops <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if len(forwarded) >= hops:
        return _valid(forwarded[-hops]) or remote
    return _valid(forwarded[0]) if forwarded else remote


def axes_client_ip(request: HttpRequest) -> str | None:
    return client_ip(request) or None


# --------------------------------------------------------------------------
# The record of sign-ins
# --------------------------------------------------------------------------


def record(request: HttpRequest | None, kind: str, username: str = "", user: Any = None) -> None:
    ip = client_ip(request) if request is not None else ""
    agent = request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else ""
    SignInEvent.objects.create(
        at=timezone.now(),
        kind=kind,
        username=(username or (user.get_username() if user is not None else ""))[:150],
        user=user if user is not None and getattr(user, "pk", None) else None,
        ip=ip[:64],
        user_agent=agent,
    )


# --------------------------------------------------------------------------
# Lockout
# --------------------------------------------------------------------------


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for sign-ins through the site. An ``authenticate`` call
    without a request (code, not a sign-in page) is not a sign-in attempt and passes on to the
    next backend."""

    def authenticate(self, request: Any, username: str | None = None, password: str | None = None, **kw: Any) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kw)


def _when(seconds: float) -> dict[str, Any]:
    minutes = max(1, math.ceil(seconds / 60))
    at = timezone.localtime(timezone.now() + dt.timedelta(seconds=seconds))
    return {
        "minutes": minutes,
        "retry_at": at,
        "wait": ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes},
    }


def locked_out(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """django-axes' lockout page: 429, saying for how long and from when to try again."""
    cool_off = settings.AXES_COOLOFF_TIME
    seconds = cool_off.total_seconds() if isinstance(cool_off, dt.timedelta) else 15 * 60
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    record(request, SignInEvent.LOCKED_OUT, username=username)
    ctx = {"failures": settings.AXES_FAILURE_LIMIT, **_when(seconds)}
    response = render(request, "registration/locked_out.html", ctx, status=429)
    response["Retry-After"] = str(int(seconds))
    return response


# --------------------------------------------------------------------------
# Rate limits
# --------------------------------------------------------------------------


def hit(name: str, key: str) -> float | None:
    """Count one request against the limit ``name`` for ``key``. Returns None while within the
    limit, else the seconds until the window ends."""
    limit, window = settings.OVERSIGHT_RATE_LIMITS[name]
    now = time.time()
    start = int(now // window * window)
    bucket = f"{name}:{key}"
    with transaction.atomic():
        updated = RateCounter.objects.filter(bucket=bucket, window_start=start).update(count=F("count") + 1)
        if not updated:
            RateCounter.objects.filter(bucket=bucket, window_start__lt=start).delete()
            _, created = RateCounter.objects.get_or_create(bucket=bucket, window_start=start, defaults={"count": 1})
            if not created:
                RateCounter.objects.filter(bucket=bucket, window_start=start).update(count=F("count") + 1)
        count = RateCounter.objects.get(bucket=bucket, window_start=start).count
    if count > limit:
        return start + window - now
    return None


def rate_limited(
    name: str, base: str = "base.html"
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Limit the POSTs to a view, by the client's address; past the limit a 429 page says when
    to try again (what was typed is not kept: nothing was looked at)."""

    def wrap(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                wait = hit(name, client_ip(request) or "unknown")
                if wait is not None:
                    response = render(request, "limited.html", {**_when(wait), "base": base}, status=429)
                    response["Retry-After"] = str(math.ceil(wait))
                    return response
            return view(request, *args, **kwargs)

        return limited

    return wrap


# --------------------------------------------------------------------------
# The second factor
# --------------------------------------------------------------------------

SECOND_FACTOR_PREFIX = "/accounts/"
EXEMPT_PREFIXES = ("/accounts/", "/static/")


def demo_login(user: Any) -> bool:
    """One of the demo's generated logins, when the demo lets them sign in with the password alone."""
    if not getattr(settings, "OVERSIGHT_DEMO_PASSWORD_ONLY", False):
        return False
    from oversight.cases.seed import DEMO_USERS

    return user.get_username() in {u for u, _, _ in DEMO_USERS}


def needs_second_factor(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(settings, "OVERSIGHT_SECOND_FACTOR", True):
        return False
    verified = getattr(user, "is_verified", None)
    if verified is not None and verified():
        return False
    return not demo_login(user)


def signin_state(request: HttpRequest) -> dict[str, bool]:
    """For the layout: a person between password and second factor sees no navigation yet."""
    return {"second_factor_pending": needs_second_factor(request)}


class SecondFactorMiddleware:
    """A signed-in account that has not given its second factor this session reaches only the
    sign-in pages: the rest sends it to give (or, the first time, to set up) its second factor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if needs_second_factor(request) and not request.path.startswith(EXEMPT_PREFIXES):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Sign in with your second factor first."}, status=401)
            return HttpResponseRedirect("/accounts/second-factor/?" + urlencode({"next": request.get_full_path()}))
        return self.get_response(request)


# --------------------------------------------------------------------------
# Session limits
# --------------------------------------------------------------------------

SIGNED_IN_AT = "oversight_signed_in_at"
LAST_SEEN = "oversight_last_seen"


class SessionLimitsMiddleware:
    """Signs out a session idle for ``OVERSIGHT_SESSION_IDLE_SECONDS`` or older than
    ``SESSION_COOKIE_AGE`` since sign-in; the sign-in page says why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            signed_in = float(session.get(SIGNED_IN_AT) or now)
            last = float(session.get(LAST_SEEN) or now)
            why = None
            if now - last > settings.OVERSIGHT_SESSION_IDLE_SECONDS:
                minutes = settings.OVERSIGHT_SESSION_IDLE_SECONDS // 60
                why = _("You were signed out after %(n)d minutes without activity.") % {"n": minutes}
            elif now - signed_in > settings.SESSION_COOKIE_AGE:
                hours = settings.SESSION_COOKIE_AGE // 3600
                why = _("You were signed out %(n)d hours after signing in. Sign in again.") % {"n": hours}
            if why:
                record(request, SignInEvent.EXPIRED, user=user)
                logout(request)
                messages.info(request, why)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": why}, status=401)
                return HttpResponseRedirect(settings.LOGIN_URL + "?" + urlencode({"next": request.get_full_path()}))
            if SIGNED_IN_AT not in session:
                session[SIGNED_IN_AT] = signed_in
            if now - last > 60 or LAST_SEEN not in session:  # one session write a minute at most
                session[LAST_SEEN] = now
        return self.get_response(request)


def on_signed_in(sender: Any, request: HttpRequest | None, user: Any, **kw: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN] = now
    record(request, SignInEvent.SIGNED_IN, user=user)


def on_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kw: Any) -> None:
    if request is None:
        return
    record(request, SignInEvent.FAILED, username=str(credentials.get("username") or ""))


def on_signed_out(sender: Any, request: HttpRequest | None, user: Any, **kw: Any) -> None:
    if user is not None:
        record(request, SignInEvent.SIGNED_OUT, user=user)


# --------------------------------------------------------------------------
# No caching of what shows people
# --------------------------------------------------------------------------


class NoStoreMiddleware:
    """Nothing a signed-in person sees is kept by a browser or proxy cache (staff pages show
    complainants, witnesses and officers); a public page that says nothing of its caching is
    not kept either (a complainant's status page, a form with its token)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or not response.has_header("Cache-Control"):
            if response.has_header("Cache-Control"):
                del response["Cache-Control"]
            patch_cache_control(response, no_store=True, private=True)
        return response
