"""The web app's door to the rules engine: a stored case's timeline, computed."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings

from oversight.rules.events import parse_case
from oversight.rules.profile import get_profile
from oversight.rules.timeline import Deadline, Timeline, compute

if TYPE_CHECKING:
    from oversight.cases.models import Case


def profile_name() -> str:
    return str(settings.OVERSIGHT_PROFILE)


def timeline(case: Case, today: dt.date | None = None) -> Timeline:
    return compute(parse_case(case.as_clock_input()), get_profile(profile_name()), today or dt.date.today())


def next_deadline(tl: Timeline) -> Deadline | None:
    """The earliest deadline still to be met (open, tolled or overdue)."""
    pending = [d for d in tl["deadlines"] if d["status"] in ("open", "overdue", "tolled")]
    return min(pending, key=lambda d: d["due"]) if pending else None
