"""The reports' measures, as plain functions over the rows ``records`` reads."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence

from .records import FindingRow

NOT_GIVEN = "not_given"


def tally(values: Iterable[str], blank: str = NOT_GIVEN) -> Counter[str]:
    return Counter(v or blank for v in values)


def complaints_with(findings: Sequence[FindingRow], which: set[str]) -> int:
    """Complaints (cases) with at least one allegation whose final finding is one of ``which``."""
    return len({f.case for f in findings if f.finding in which})


def repeat_sustained(findings: Sequence[FindingRow], start: dt.date, end: dt.date, within_days: int) -> int:
    """Named employees (by serial number, else by their record) with two or more sustained
    complaints whose findings fell within ``within_days`` of each other, the later of them in the period."""
    by_emp: dict[str, dict[int, dt.date]] = {}
    for f in findings:
        if f.finding != "sustained":
            continue
        who = f.serial or f"record-{f.employee}"
        cases = by_emp.setdefault(who, {})
        cases[f.case] = min(cases.get(f.case, f.decided_on), f.decided_on)
    n = 0
    for cases in by_emp.values():
        days = sorted(cases.values())
        if any((days[i] - days[i - 1]).days <= within_days and start <= days[i] <= end for i in range(1, len(days))):
            n += 1
    return n


def median(values: Sequence[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def seniority_band(years: int | None) -> str:
    if years is None:
        return NOT_GIVEN
    if years < 3:
        return "0-2"
    if years < 6:
        return "3-5"
    if years < 11:
        return "6-10"
    if years < 21:
        return "11-20"
    return "21+"


SENIORITY = [
    ("0-2", "0-2 years"),
    ("3-5", "3-5 years"),
    ("6-10", "6-10 years"),
    ("11-20", "11-20 years"),
    ("21+", "21 years or more"),
]


def months(start: dt.date, end: dt.date) -> list[tuple[str, str]]:
    out = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append((f"{y}-{m:02d}", dt.date(y, m, 1).strftime("%b %Y")))
        m += 1
        if m > 12:
            y, m = y + 1, 1
    return out


def shift_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def deadline_outcomes(
    deadlines: Iterable[dict[str, object]], prefix: str, start: dt.date, end: dt.date
) -> Counter[str]:
    """Of the deadlines ``prefix`` (or ``prefix_N``) that were completed in the period or fell
    due in it: how many were met, missed, or are still overdue at its end."""
    out: Counter[str] = Counter()
    s, e = start.isoformat(), end.isoformat()
    for d in deadlines:
        did = str(d["id"])
        if did != prefix and not did.startswith(prefix + "_"):
            continue
        status = str(d["status"])
        done = d.get("completed_on")
        due = d.get("due")
        if status in ("met", "missed") and done is not None and s <= str(done) <= e:
            out[status] += 1
        elif status == "overdue" and due is not None and s <= str(due) <= e:
            out["overdue"] += 1
    return out
