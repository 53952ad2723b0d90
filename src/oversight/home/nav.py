"""The staff navigation: each link shown only to those who may use it (the access model)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from oversight import access
from oversight.rules import access as A

# label, URL name, who sees it: an action of the access model, or a set of roles
LINKS: list[tuple[str, str, str | frozenset[str]]] = [
    ("Home", "home", A.STAFF | A.OWN_CASE_ROLES),
    ("Deadline board", "cases:board", A.OPA_STAFF),
    ("New complaint", "cases:intake", "open_case"),
    ("Search", "cases:search", "search"),
    ("OIG review queue", "oig:queue", A.OIG_STAFF),
    ("Hotline reports", "oig:hotline_inbox", "handle_hotline"),
    ("Findings and appeals", "discipline:index", frozenset({A.CHIEF, A.CITY_ATTORNEY, A.DIRECTOR, A.SUPERVISOR})),
    ("CPC review", "cpc:home", "cpc_review"),
    ("Meetings", "cpc:meetings", "cpc_workspace"),
    ("Community input", "cpc:input", "cpc_workspace"),
    ("Early intervention", "history:alerts", "view_alerts"),
    ("Recommendations", "recommendations:index", "track_recommendations"),
    ("Dashboard", "reports:dashboard", "dashboard"),
    ("Reports", "reports:index", "open_reports"),
    ("Publish", "public:staff_publish", "publish"),
    ("Library", "public:staff_library", "library"),
    ("Users and roles", "accounts:users", "manage_users"),
]


def links_for(user: Any) -> list[tuple[str, str]]:
    roles = access.roles_of(user)
    out = []
    for label, name, who in LINKS:
        allowed = A.holds_role_for(roles, who) if isinstance(who, str) else bool(roles & who)
        if allowed:
            try:
                out.append((label, reverse(name)))
            except Exception:  # an app not installed in this configuration
                continue
    return out


def nav(request: Any) -> dict[str, Any]:
    """Context processor: the links the signed-in person may use, and their roles' names."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_links": links_for(user),
        "nav_roles": sorted(A.role_label(r) for r in access.roles_of(user)),
    }
