"""What waits for OIG on its people's home page: investigations awaiting review (each window's
due date from the clock), the quarter's classification audit when it is due or unfinished,
and hotline reports not yet answered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.urls import reverse

from oversight import access
from oversight.cases.clock import rules_for
from oversight.home.registry import Waiting

from .models import AuditItem, ClassificationAudit, HotlineReport
from .review import queue


def reviews(user: Any, today: dt.date) -> Iterator[Waiting]:
    if not access.may(user, "record_determination"):
        return
    for row in queue(today):
        s = row.submission
        why = "; ".join(r.text for r in row.required.reasons) or "Submitted by OPA for review"
        yield Waiting(
            "Reviews due",
            f"{row.case.number}: submission {s.round}",
            reverse("cases:detail", args=[row.case.number]) + "#oig",
            f"{why}. OIG answers within the review window, or the Director may certify the case without it "
            "[SMC 3.29.112.G].",
            due=s.due,
            status="overdue" if row.status == "overdue" else "open",
            explanation=list(s.window["explanation"]) if s.window else [],
            case=row.case.number,
        )


def _prior_quarter(today: dt.date) -> tuple[int, int]:
    q = (today.month - 1) // 3
    return (today.year, q) if q else (today.year - 1, 4)


def _end_of_audit_month(today: dt.date, year: int, quarter: int, months: list[int]) -> dt.date | None:
    """The last day of the first scheduled audit month after the quarter ends (the profile's
    schedule: the prior quarter is audited in the months it names); None without a schedule."""
    first = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    for i in range(12):
        month = (first.month - 1 + i) % 12 + 1
        y = first.year + (first.month - 1 + i) // 12
        if month in months:
            nxt = dt.date(y + (month == 12), 1 if month == 12 else month + 1, 1)
            return nxt - dt.timedelta(days=1)
    return None


def audits(user: Any, today: dt.date) -> Iterator[Waiting]:
    """The audit of the prior quarter, due in the months the profile's schedule names (SMC 3.29.111)."""
    if not access.may(user, "run_audit"):
        return
    year, quarter = _prior_quarter(today)
    schedule = rules_for(today).schedules.get("classification_audit")
    cite = schedule.cite if schedule else "SMC 3.29.111"
    audit = ClassificationAudit.objects.filter(year=year, quarter=quarter).first()
    due = _end_of_audit_month(today, year, quarter, schedule.value if schedule else [])
    if audit is None:
        yield Waiting(
            "Audits due",
            f"Classification audit, {year} Q{quarter}",
            reverse("oig:audits"),
            f"The random audit of the prior quarter's classifications has not been drawn [{cite}].",
            due=due,
            status="overdue" if due and today > due else "open",
        )
        return
    unchecked = AuditItem.objects.filter(audit=audit, checked_at__isnull=True).count()
    if unchecked or audit.published_on is None:
        what = f"{unchecked} sampled case{'s' if unchecked != 1 else ''} to check" if unchecked else "ready to publish"
        if not unchecked and not access.may(user, "publish_audit"):
            return
        yield Waiting(
            "Audits due",
            f"Classification audit, {audit}",
            reverse("oig:audit", args=[audit.pk]),
            f"{what[:1].upper()}{what[1:]} [{cite}].",
            due=due,
            status="overdue" if due and today > due else "open",
        )


def hotline(user: Any, today: dt.date) -> Iterator[Waiting]:
    if not access.may(user, "handle_hotline"):
        return
    for r in HotlineReport.objects.filter(status="received").order_by("received_at")[:50]:
        yield Waiting(
            "Hotline reports",
            f"Hotline report received {r.received_at:%Y-%m-%d}",
            reverse("oig:hotline_report", args=[r.pk]),
            f"{r.get_topic_display()}; not yet answered [SMC 3.29.110.A.17].",
            status="new",
        )


def register() -> None:
    from oversight.home.registry import register_waiting

    for fn in (reviews, audits, hotline):
        register_waiting(fn)
