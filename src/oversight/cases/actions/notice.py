"""The notice to named employees, their captain and bargaining unit (SMC 3.29.026.A)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction
from django.utils import timezone

from ..models import Case, CaseEvent
from .base import ActionError, User, append_event, audit, check_clock, ensure_open, lock_case, not_future, require


def send_notice(user: User, case: Case, on: dt.date | None = None) -> tuple[CaseEvent, str]:
    """Generate the notice to named employees, their captain and bargaining unit
    (SMC 3.29.026.A) and record it as sent. The document never names a complainant."""
    from ..notice import notice_document

    require(user, "send_notice", case)
    on = on or timezone.localdate()
    not_future("date", on)
    if not case.named_employees.exists():
        raise ActionError("named_employees", "the case names no employee to notify")
    document = notice_document(case, on)
    with transaction.atomic():
        case = lock_case(case)
        ensure_open(case)
        check_clock(case, [{"type": "notice_sent", "date": on.isoformat()}])
        ev = append_event(
            case,
            "notice_sent",
            on,
            user,
            {"document_sha256": hashlib.sha256(document.encode()).hexdigest(), "document": document},
        )
        audit(user, "send_notice", case)
    return ev, document
