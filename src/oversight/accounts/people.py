"""What the administrator's pages read: the list of people, and one person's history.

Reads only; every write is in ``actions``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from oversight.cases.models import AuditEntry
from oversight.rules import access as A

from .roles import assigned, labels

ACTIVE = "active"
INACTIVE = "inactive"
STATUSES = {"": "Active and deactivated", ACTIVE: "Active only", INACTIVE: "Deactivated only"}


def people(role: str = "", status: str = "") -> QuerySet[Any]:
    """Everyone, or those given ``role`` (a superuser counts as an administrator), active
    or deactivated or both; by name, with their groups fetched."""
    User = get_user_model()
    qs = User._default_manager.all()
    if role:
        q = Q(groups__name=role)
        if role == A.ADMINISTRATOR:
            q |= Q(is_superuser=True)
        qs = qs.filter(pk__in=User._default_manager.filter(q).values("pk"))
    if status == ACTIVE:
        qs = qs.filter(is_active=True)
    elif status == INACTIVE:
        qs = qs.filter(is_active=False)
    return qs.prefetch_related("groups").order_by("first_name", "last_name", "username")


@dataclass
class Person:
    """One person as the list and their page show them."""

    user: Any
    roles: list[str]  # labels of the roles given (held only while active)

    @property
    def name(self) -> str:
        return str(self.user.get_full_name() or self.user.get_username())


def rows(qs: QuerySet[Any]) -> list[Person]:
    return [Person(u, labels(assigned(u))) for u in qs]


# --------------------------------------------------------------------------
# A person's audit history: the entries about their account
# --------------------------------------------------------------------------

WHAT = {
    "user_created": "Account created",
    "roles_changed": "Roles changed",
    "user_details_changed": "Name or email corrected",
    "user_deactivated": "Deactivated",
    "user_reactivated": "Reactivated",
    "password_link_sent": "Set-password link sent",
    "password_set": "Password set through the link",
}
ACTIONS = tuple(WHAT)
_FIELDS = {"full_name": "Name", "email": "Email"}


@dataclass
class Entry:
    at: dt.datetime
    by: str
    what: str
    details: list[str] = field(default_factory=list)


def _roles_text(codes: list[str] | None) -> str:
    return ", ".join(labels(codes or [])) or "none"


def _details(action: str, d: dict[str, Any]) -> list[str]:
    if action == "user_created":
        return [
            f"Name: {d.get('full_name', '')}",
            f"Email: {d.get('email', '')}",
            f"Roles: {_roles_text(d.get('roles'))}",
        ]
    if action == "roles_changed":
        out = []
        if d.get("given"):
            out.append(f"Given: {_roles_text(d['given'])}")
        if d.get("taken"):
            out.append(f"Taken: {_roles_text(d['taken'])}")
        return out
    if action == "user_details_changed":
        return [f"{_FIELDS.get(k, k)}: {old or '(none)'} → {new}" for k, (old, new) in d.get("changed", {}).items()]
    if action == "user_deactivated":
        out = [f"Roles kept for a reactivation: {_roles_text(d.get('roles_kept'))}"]
        if d.get("reason"):
            out.insert(0, f"Reason: {d['reason']}")
        return out
    if action == "user_reactivated":
        return [f"Holds again: {_roles_text(d.get('roles'))}"]
    if action == "password_link_sent":
        return [f"To: {d.get('email', '')}"]
    return []


def history(person: Any) -> list[Entry]:
    """The audit entries about ``person``'s account, newest first."""
    qs = (
        AuditEntry.objects.filter(case__isnull=True, action__in=ACTIONS, detail__user_id=person.pk)
        .select_related("user")
        .order_by("-at", "-pk")
    )
    out = []
    for e in qs:
        by = (e.user.get_full_name() or e.user.get_username()) if e.user else "the system"
        out.append(Entry(e.at, by, WHAT.get(e.action, e.action), _details(e.action, e.detail)))
    return out
