"""What waits on people's homes from the reports: the last full year's annual report of their
office, until it is posted; OPA's and OIG's quarterly report on their recommendations, in the
profile's schedule; and the dashboard, one link away."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.urls import reverse

from oversight import access
from oversight.home.registry import Waiting, register_waiting

from .kinds import KINDS
from .models import PostedReport

ANNUAL = ("opa-annual", "oig-annual", "cpc-annual")


def annual_reports(user: Any, today: dt.date) -> Iterator[Waiting]:
    if not access.may(user, "open_reports"):
        return
    roles = access.roles_of(user)
    start, end = dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    for kind in ANNUAL:
        k = KINDS[kind]
        if not roles & k.office:
            continue
        posted = PostedReport.objects.filter(kind=kind, period_start=start, period_end=end).first()
        url = reverse("reports:report", args=[kind]) + f"?from={start.isoformat()}&to={end.isoformat()}"
        yield Waiting(
            "Reports",
            f"{k.title} for {start.year}",
            reverse("reports:posted", args=[posted.pk]) if posted else url,
            f"Posted {posted.posted_on.isoformat()}."
            if posted
            else f"Made from the records; not posted yet [{k.cite}].",
            status="info" if posted else "open",
            more=reverse("reports:index"),
        )
    if access.may(user, "dashboard"):
        yield Waiting(
            "Reports",
            "The office's dashboard",
            reverse("reports:dashboard"),
            "Intake, open cases, deadlines, classifications, findings, OIG's determinations and appeals at a glance.",
            status="info",
        )


QUARTERLY = ("opa-quarterly", "oig-quarterly")


def last_quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last calendar quarter ended before ``today``."""
    end_month = ((today.month - 1) // 3) * 3
    end = dt.date(today.year - 1, 12, 31) if end_month == 0 else _month_end(today.year, end_month)
    return dt.date(end.year, end.month - 2, 1), end


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def quarterly_due(end: dt.date, months: list[int]) -> dt.date:
    """A quarter's report is due by the end of the first month of the schedule after the quarter."""
    after = [(end.year, m) for m in sorted(months) if m > end.month] + [(end.year + 1, m) for m in sorted(months)]
    return _month_end(*after[0])


def quarterly_reports(user: Any, today: dt.date) -> Iterator[Waiting]:
    """OPA's and OIG's quarterly reports on their recommendations (SMC 3.29.030.E; 3.29.115.B),
    in the months of the profile's schedule, until the last quarter's is posted."""
    if not access.may(user, "post_report"):
        return
    from oversight.cases.clock import rules_for

    roles = access.roles_of(user)
    schedule = rules_for(today).schedules["recommendations_status_reports"]
    start, end = last_quarter(today)
    due = quarterly_due(end, list(schedule.value))
    for kind in QUARTERLY:
        k = KINDS[kind]
        if not roles & k.office or PostedReport.objects.filter(kind=kind, period_start=start, period_end=end).exists():
            continue
        yield Waiting(
            "Reports",
            f"{k.title}, {start.isoformat()} to {end.isoformat()}",
            reverse("reports:report", args=[kind]) + f"?from={start.isoformat()}&to={end.isoformat()}",
            f"The quarter's report on the implementation of, or response to, the office's recommendations, "
            f"read from the tracker; not posted yet [{k.cite}; {schedule.cite}].",
            due=due,
            status="overdue" if today > due else "open",
            more=reverse("reports:index"),
        )


def register() -> None:
    register_waiting(annual_reports)
    register_waiting(quarterly_reports)
