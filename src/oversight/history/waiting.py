"""Early-intervention alerts on the homes of SPD command (the Chief) and OIG."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.urls import reverse

from oversight import access
from oversight.home.registry import Waiting, register_waiting


def alerts_waiting(user: Any, today: dt.date) -> Iterator[Waiting]:
    if not (access.may(user, "handle_alert") or access.may(user, "audit_alerts")):
        return
    from .alerts import current, handled

    done = handled()
    url = reverse("history:alerts")
    for a in current():
        if a.key in done:
            continue
        yield Waiting(
            "Early-intervention alerts",
            f"{a.level.capitalize()}: {a.who}, {a.label.lower()}",
            url,
            a.because(),
            status="due" if a.level == "critical" else "new",
            more=url,
        )


def register() -> None:
    register_waiting(alerts_waiting)
