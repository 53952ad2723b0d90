"""Each person's home at ``/`` (what waits for them today, most urgent first) and the refusal page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from oversight import access
from oversight.rules import access as A

from .nav import links_for
from .registry import waiting_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    roles = access.roles_of(request.user)
    items = waiting_for(request.user, today) if roles else []
    kinds: dict[str, int] = {}
    for it in items:
        kinds[it.kind] = kinds.get(it.kind, 0) + 1
    return render(
        request,
        "home/home.html",
        {
            "items": items,
            "kinds": kinds,
            "today": today,
            "roles": sorted(A.role_label(r) for r in roles),
            "offices": sorted({A.ROLES[r].office for r in roles}),
            "links": [x for x in links_for(request.user) if x[0] != "Home"],
        },
    )


def refused(request: HttpRequest, exception: Any = None) -> HttpResponse:
    """A refusal in the site's layout: what was tried, why not (with the citation), where to go."""
    refusal = getattr(exception, "refusal", None)
    if refusal is None:
        text = str(exception) if exception is not None and str(exception) else "You may not open this page."
        refusal = A.Refusal("to open this page", text)
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    return render(
        request,
        "home/refused.html",
        {
            "refusal": refusal,
            "path": request.path,
            "signed_in": signed_in,
            "roles": sorted(A.role_label(r) for r in access.roles_of(user)) if signed_in else [],
            "links": [x for x in links_for(user)] if signed_in else [],
        },
        status=403,
    )
