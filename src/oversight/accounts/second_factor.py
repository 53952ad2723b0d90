"""The second factor's pages: set it up on first sign-in (an authenticator app, then recovery
codes shown once), give it at every sign-in after, and the administrator's record of sign-ins.

Each of these asks nothing of the access model but that the person is signed in: they are the
person's own sign-in, and the middleware (oversight.accounts.security) keeps every other page
closed until the second factor is given.
"""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from oversight import access

from . import actions
from .models import SignInEvent
from .security import record

RECOVERY_CODES = 10
SESSION_NEW_CODES = "oversight_new_recovery_codes"


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return "/"
    return target


def _confirmed_totp(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def _throttled(device: Any) -> str:
    """After wrong codes django-otp makes each next try wait longer; say until when."""
    allowed, info = device.verify_is_allowed()
    if allowed:
        return ""
    until = (info or {}).get("locked_until")
    when = f" until {timezone.localtime(until).strftime('%H:%M:%S')}" if until else " a moment"
    return f"Too many wrong codes in a row: wait{when}, then enter the code your app shows then."


def _grouped(key: str) -> str:
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Give the second factor: the app's 6 digits, or one recovery code."""
    user = request.user
    if _confirmed_totp(user) is None and not StaticDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("/accounts/second-factor/setup/?" + urlencode({"next": _next(request)}))
    error = ""
    if request.method == "POST":
        token = "".join((request.POST.get("code") or "").split())
        device = match_token(user, token) if token else None
        if device is not None:
            otp_login(request, device)
            kind = SignInEvent.RECOVERY_CODE if isinstance(device, StaticDevice) else SignInEvent.SECOND_FACTOR
            record(request, kind, user=user)
            return redirect(_next(request))
        record(request, SignInEvent.SECOND_FACTOR_FAILED, user=user)
        totp_device = _confirmed_totp(user)
        error = (_throttled(totp_device) if totp_device is not None else "") or (
            "That code did not match. Enter the 6 digits your authenticator app shows now, "
            "or one of your recovery codes."
            if token
            else "Enter the code: the 6 digits your authenticator app shows, or a recovery code."
        )
    return render(
        request,
        "accounts/second_factor.html",
        {"next": _next(request), "error": error},
        status=400 if error else 200,
    )


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in: scan the code into an authenticator app (or type its key), enter the 6
    digits it shows; then the recovery codes, shown once."""
    user = request.user
    if _confirmed_totp(user) is not None:
        return redirect("/accounts/second-factor/?" + urlencode({"next": _next(request)}))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    error = ""
    if request.method == "POST":
        token = "".join((request.POST.get("code") or "").split())
        if not token.isdigit() or len(token) != device.digits:
            error = f"Enter the {device.digits} digits your authenticator app shows for Oversight."
        elif _throttled(device):
            error = _throttled(device)
        elif not device.verify_token(token):
            record(request, SignInEvent.SECOND_FACTOR_FAILED, user=user)
            error = "That code did not match. Check that the app's clock is right and enter the code it shows now."
        else:
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = _new_recovery_codes(user)
            otp_login(request, device)
            record(request, SignInEvent.ENROLLED, user=user)
            request.session[SESSION_NEW_CODES] = codes
            return redirect("/accounts/second-factor/recovery-codes/?" + urlencode({"next": _next(request)}))
    url = device.config_url
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    qr = segno.make(url, error="m").svg_inline(scale=5, dark="#17324d", title="Code to scan into an authenticator app")
    return render(
        request,
        "accounts/second_factor_setup.html",
        {"qr": qr, "key": _grouped(key), "digits": device.digits, "next": _next(request), "error": error},
        status=400 if error else 200,
    )


def _new_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes, once, right after they are made."""
    codes = request.session.pop(SESSION_NEW_CODES, None)
    if request.method == "POST" and request.user.is_verified():  # type: ignore[union-attr]
        with transaction.atomic():
            codes = _new_recovery_codes(request.user)
    left = StaticToken.objects.filter(device__user=request.user).count()
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "left": left, "next": _next(request)})


@login_required
def sign_ins(request: HttpRequest) -> HttpResponse:
    """The administrator's record of sign-ins: who, what, when, from where."""
    access.require(request.user, actions.MANAGE)
    who = (request.GET.get("who") or "").strip()
    kind = request.GET.get("kind") or ""
    qs = SignInEvent.objects.select_related("user")
    if who:
        qs = qs.filter(username__iexact=who)
    if kind in dict(SignInEvent.KINDS):
        qs = qs.filter(kind=kind)
    return render(
        request,
        "accounts/sign_ins.html",
        {"events": qs[:500], "who": who, "kind": kind, "kinds": SignInEvent.KINDS},
    )
