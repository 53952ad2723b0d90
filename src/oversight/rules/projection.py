"""How long a computed timeline stays true without new events.

The clock reads ``today`` in three places only: a deadline's status (open until its due
date, overdue after it), the days remaining, and a criminal pause still running (its due
date is where it would fall if the pause ended today). The profile in force is the one
of the day the case began, not of ``today``. So a case's deadlines, statuses and flags
stay as computed until the day after the earliest open due date, unless a pause is
running (then they move every day) or an event is dated after ``today``.

The board stores each open case's projection with that last day and recomputes only the
cases whose day has passed; ``days_remaining`` it derives from the due date when shown.
"""

from __future__ import annotations

from oversight.rules.events import Case, parse_date
from oversight.rules.timeline import Timeline


def unchanged_through(case: Case, timeline: Timeline, today: int) -> int:
    """The last day (an ordinal, at least ``today``) on which ``compute`` gives the same
    deadlines, statuses and flags as it gave for ``today``, days remaining aside."""
    if not case.events:
        return today  # no event: the clock counts from today itself
    last = None
    for d in timeline["deadlines"]:
        status = d["status"]
        if status == "tolled":
            return today
        if status == "open" and d["due"] is not None:
            due = parse_date(d["due"], "due")
            if last is None or due < last:
                last = due
    paused = False
    for ev in case.events:
        day = ev.date
        if day > today:
            if paused:
                # a pause begun by an event dated after today's: while the clock applies that
                # later event it counts the open pause only up to today, so the answer moves
                # with every day until then (the web app dates no event after the day it is
                # recorded; an imported or replayed case may)
                return today
            last = day - 1 if last is None else min(last, day - 1)
            break  # events are in date order: the first later one is the earliest
        paused = paused or ev.type in PAUSE_STARTS
    if last is None:
        return _FOREVER
    return max(last, today)


# The events that open a pause of the investigation's clock (the profile's pause adjustments).
PAUSE_STARTS = frozenset({"criminal_pause_started"})

# Nothing left to fall due: a date past any case's horizon (9999-12-31 is ordinal 3,652,059).
_FOREVER = 3_652_059
