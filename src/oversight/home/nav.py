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
    ("Workplan", "cpc:workplan", "propose_workplan_addition"),
    ("OIG workplan", "cpc:workplan", "share_workplan"),
    ("Early intervention", "history:alerts", "view_alerts"),
    ("Recommendations", "recommendations:index", "track_recommendations"),
    ("OPA Manual", "manual:index", "manual_update"),
    ("OPA Manual", "manual:index", "comment_on_manual"),
    ("Dashboard", "reports:dashboard", "dashboard"),
    ("Reports", "reports:index", "open_reports"),
    ("Contracts", "contracts:index", "open_contracts"),
    ("Publish", "public:staff_publish", "publish"),
    ("Library", "public:staff_library", "library"),
    ("Oversight bodies", "institutions:index", "open_registry"),
    ("OPA staffing", "institutions:staffing", frozenset({A.DIRECTOR, A.OIG_AUDITOR, A.INSPECTOR_GENERAL, A.CHIEF})),
    ("Scene responses", "institutions:scenes", "log_scene_response"),
    ("SPD reviews past 90 days", "institutions:reviews", "review_overdue_reviews"),
    ("Integrity referrals", "institutions:integrity", "integrity_referral"),
    (
        "Reports to OIG",
        "institutions:oig_reports",
        frozenset(A.PERMISSIONS["report_to_oig"].grants) | frozenset(A.PERMISSIONS["handle_city_reports"].grants),
    ),
    ("City Attorney's advice", "institutions:advice", frozenset({A.CITY_ATTORNEY, A.DIRECTOR, A.CHIEF})),
    ("Records withheld from OIG", "institutions:withheld", "file_withheld"),
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
