"""What every write to a case shares: the errors, the permission check, the hash-chained
log, the audit entry, the lock, and the small checks of input."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from oversight import access
from oversight.access import Refused
from oversight.rules.events import parse_case
from oversight.rules.profile import Rules, get_profile
from oversight.rules.timeline import compute

from ..clock import profile_name, refresh_board
from ..models import AuditEntry, Case, CaseEvent, ChainHead

User = AbstractBaseUser | AnonymousUser | None

__all__ = ["ActionError", "Refused", "User"]


class ActionError(ValueError):
    """Bad input for an action: names the field and what is wrong with it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


# --------------------------------------------------------------------------
# Roles (the one access model), the chain, the audit
# --------------------------------------------------------------------------


def user_roles(user: User) -> frozenset[str]:
    """The roles a user holds (``oversight.access.roles_of``)."""
    return access.roles_of(user)


def require(user: User, action: str, case: Case | None = None) -> None:
    """Refuse unless the access model lets ``user`` take ``action`` (on ``case``)."""
    access.require(user, action, case)


def can_read(user: User, case: Case, part: str = access.A.CASE) -> bool:
    return access.reads(user, case, part)


def rules_on(day: dt.date) -> Rules:
    return get_profile(profile_name()).at(day)


def user_or_none(user: User) -> Any:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def username(user: Any) -> str | None:
    return user.get_username() if user is not None else None


def append_event(case: Case, type: str, date: dt.date, user: User, data: Mapping[str, Any] | None = None) -> CaseEvent:
    """Append one event to the case and to the chain. Call inside a transaction."""
    head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
    seq = (CaseEvent.objects.filter(case=case).aggregate(m=Max("seq"))["m"] or 0) + 1
    who = user_or_none(user)
    ev = CaseEvent(
        case=case,
        seq=seq,
        type=type,
        date=date,
        data=dict(data or {}),
        recorded_at=timezone.now(),
        recorded_by=who,
        prev_hash=head.last_hash,
    )
    ev.hash = ev.content_hash(case.number, username(who))
    ev.save()
    head.last_hash = ev.hash
    head.count += 1
    head.save(update_fields=["last_hash", "count"])
    # The board and the search recompute this case: whatever was recorded with this event (a
    # summary, a note, a person, an allegation, an interview) may change the case's words. The
    # board's projection is recomputed as the write commits, so no reader waits on the clock.
    Case.objects.filter(pk=case.pk).update(board_day=None, search_stale=True, timeline_statement_owed=None)
    transaction.on_commit(lambda pk=case.pk: refresh_board(timezone.localdate(), [pk]))
    return ev


def audit(user: User, action: str, case: Case | None, **detail: Any) -> None:
    AuditEntry.objects.create(at=timezone.now(), user=user_or_none(user), action=action, case=case, detail=detail)


def lock_case(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def check_clock(case: Case, extra: Iterable[dict[str, Any]] = ()) -> None:
    """The case with ``extra`` events must still be a case the clock can read."""
    clock_input = case.as_clock_input(list(case.events.order_by("seq")))
    clock_input["events"].extend(extra)
    compute(parse_case(clock_input), get_profile(profile_name()), timezone.localdate())


def not_future(field: str, day: dt.date) -> None:
    if day > timezone.localdate():
        raise ActionError(field, f"{day.isoformat()} is in the future")


def required_text(field: str, value: str | None) -> str:
    v = (value or "").strip()
    if not v:
        raise ActionError(field, "is required")
    return v


def ensure_open(case: Case) -> None:
    if case.closed_on is not None:
        raise ActionError("case", f"{case.number} was closed on {case.closed_on.isoformat()}")
    if case.routed_to:
        raise ActionError("case", f"{case.number} was routed to {case.routed_to.upper()} and is not OPA's to handle")


def pick(d: Mapping[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    return {k: d[k] for k in fields if k in d and d[k] is not None}
