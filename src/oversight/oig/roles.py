"""OIG's roles as Django groups, and who in OIG may do what.

Kept apart from OPA's roles (``oversight.rules.roles``): OIG is independent of OPA
(SMC 3.29.105.A) and nobody in OPA holds an OIG role.
"""

from __future__ import annotations

from collections.abc import Iterable

OIG_AUDITOR = "oig_auditor"
INSPECTOR_GENERAL = "inspector_general"

ROLES: dict[str, str] = {
    OIG_AUDITOR: "OIG auditor",
    INSPECTOR_GENERAL: "Inspector General",
}
OIG_STAFF = frozenset(ROLES)

# action: (roles that may take it, what it is, citation)
PERMISSIONS: dict[str, tuple[frozenset[str], str, str]] = {
    "record_determination": (OIG_STAFF, "record OIG's determination on an investigation", "SMC 3.29.112.F"),
    "direct_review": (OIG_STAFF, "direct that an investigation be submitted for OIG review", "SMC 3.29.112.A.2"),
    "set_review_policy": (
        frozenset({INSPECTOR_GENERAL}),
        "change which investigations OIG reviews or switch pre-classification review",
        "SMC 3.29.112.A.3; SMC 3.29.111.B",
    ),
    "classification_input": (OIG_STAFF, "give OIG's input on a proposed classification", "SMC 3.29.111.B"),
    "run_audit": (OIG_STAFF, "draw and check a quarterly classification audit", "SMC 3.29.111"),
    "publish_audit": (frozenset({INSPECTOR_GENERAL}), "publish a classification audit report", "SMC 3.29.111.A"),
    "handle_hotline": (OIG_STAFF, "read and answer hotline reports", "SMC 3.29.110.A.17"),
    "record_withheld": (OIG_STAFF, "record a department's itemization of records withheld", "SMC 3.29.105.D"),
    "classify_conflict": (OIG_STAFF, "classify a complaint OPA cannot handle for a conflict", "SMC 3.29.110.A.11"),
}


def may(roles: Iterable[str], action: str) -> bool:
    allowed, _, _ = PERMISSIONS[action]
    return any(r in allowed for r in roles)


def refusal(roles: Iterable[str], action: str) -> str:
    allowed, label, cite = PERMISSIONS[action]
    held = sorted(ROLES.get(r, r) for r in roles) or ["no OIG role"]
    who = ", ".join(ROLES[r] for r in sorted(allowed))
    return f"Only {who} may {label} [{cite}]; you hold: {', '.join(held)}."
