"""The roles of the one access model as a person reads them: labels grouped by office.

Never a raw code on a page: every role is shown by its label from ``rules.access.ROLES``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from oversight.rules import access as A


def by_office() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every role, grouped by office, in the order of ``ROLES``: [(office, [(code, label)])]."""
    out: dict[str, list[tuple[str, str]]] = {}
    for code, role in A.ROLES.items():
        out.setdefault(role.office, []).append((code, role.label))
    return list(out.items())


def labels(codes: Iterable[str]) -> list[str]:
    """The labels of ``codes``, in the order of ``ROLES`` (a code that is no role is left out)."""
    wanted = set(codes)
    return [role.label for code, role in A.ROLES.items() if code in wanted]


def assigned(person: AbstractBaseUser | Any) -> frozenset[str]:
    """The roles given to ``person`` (their groups that are roles; a superuser is an
    administrator), whether or not the account is active. ``oversight.access.roles_of``
    is what they hold now: nothing while deactivated."""
    names = {g.name for g in person.groups.all()}
    if getattr(person, "is_superuser", False):
        names.add(A.ADMINISTRATOR)
    return frozenset(n for n in names if n in A.ROLES)
