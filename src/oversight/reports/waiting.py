"""What waits on people's homes from the reports: the last full year's annual report of their
office, until it is posted, and the dashboard, one link away."""

from __future__ import annotations

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


def register() -> None:
    register_waiting(annual_reports)
