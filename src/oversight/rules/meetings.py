"""Meetings the chapter requires at a rhythm (SMC 3.29.225.A, C): which period a day falls in,
by a schedule's months, and whether a meeting was held (or set) in it. Pure Python."""

from __future__ import annotations

import calendar
import datetime as dt


def period_of(months: list[int], day: dt.date) -> tuple[dt.date, dt.date]:
    """The period of ``day`` under a schedule whose listed months each close a period: from
    the day after the previous listed month to the last day of the next listed month."""
    listed = sorted(set(months))
    if not listed:
        raise ValueError("a schedule lists at least one month")
    closing = next((m for m in listed if m >= day.month), None)
    end_year = day.year if closing is not None else day.year + 1
    closing = closing if closing is not None else listed[0]
    end = dt.date(end_year, closing, calendar.monthrange(end_year, closing)[1])
    i = listed.index(closing)
    previous = listed[i - 1] if i > 0 else listed[-1]
    start_year = end_year if previous < closing else end_year - 1
    if previous == closing:  # one month listed: a yearly period
        start_year = end_year - 1
    start = dt.date(start_year, previous, calendar.monthrange(start_year, previous)[1]) + dt.timedelta(days=1)
    return start, end


def met(months: list[int], day: dt.date, meetings: list[dt.date]) -> bool:
    start, end = period_of(months, day)
    return any(start <= m <= end for m in meetings)
