"""Early intervention: which named employees a rule of the profile flags, at which level, and
exactly which records raised each alert.

The chapter's own measure is "two or more sustained complaints within one year" (SMC
3.29.030.I.10); SPD and OIG track the efficacy of any early intervention system (3.29.305.E)
and OIG reviews it (3.29.110.A.3.e). An office adds its own thresholds as profile values
(``[early_intervention.*]``: a measure, a window, and the counts at which a warning and a
critical alert are raised), as commercial early-intervention systems do.

A record is one countable thing about one person on one day (a complaint with a sustained
finding, a complaint, a use of force, a stop with a frisk). For each person and rule the
alert is the window of ``window_days`` (the later record no more than that many days after
the earlier) holding the most records, the latest such window when several tie; its level is
``critical`` at or above the critical count, else ``warning`` at or above the warning count.
Pure Python, no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

LEVELS = ("warning", "critical")
MEASURES = {
    "sustained_complaints": "Complaints with a sustained finding",
    "complaints": "Complaints naming the employee",
    "force": "Uses of force",
    "force_level_2_3": "Uses of force of level 2 or 3",
    "frisks": "Stops with a frisk",
}


@dataclass(frozen=True, slots=True)
class Threshold:
    id: str
    label: str
    measure: str
    window_days: int
    warning: int
    critical: int | None
    cite: str


@dataclass(frozen=True, slots=True)
class Record:
    measure: str
    who: str  # the person: a pseudonym
    on: dt.date
    ref: str  # which record: a case number, an incident, a stop
    source: str = ""  # the dataset it came from


@dataclass(frozen=True, slots=True)
class Alert:
    rule: str
    label: str
    who: str
    level: str
    count: int
    first: dt.date
    last: dt.date
    records: tuple[Record, ...]
    window_days: int
    cite: str

    @property
    def key(self) -> str:
        """Stable while the same records raise it: the handling of an alert is kept under it."""
        return f"{self.rule}:{self.who}:{self.first.isoformat()}:{self.last.isoformat()}:{self.count}"

    def because(self) -> str:
        refs = ", ".join(f"{r.ref} ({r.on.isoformat()})" for r in self.records)
        return (
            f"{self.count} {MEASURES.get(self.records[0].measure, 'records').lower()} within {self.window_days} "
            f"days: {refs} [{self.cite}]"
        )


def _best_window(records: Sequence[Record], window_days: int) -> tuple[int, int]:
    """(start, end) indexes, end exclusive, of the fullest window (the latest of equals)."""
    best = (0, 1)
    j = 0
    for i in range(len(records)):
        while (records[i].on - records[j].on).days > window_days:
            j += 1
        if i + 1 - j >= best[1] - best[0]:
            best = (j, i + 1)
    return best


def alerts(records: Iterable[Record], thresholds: Iterable[Threshold], as_of: dt.date | None = None) -> list[Alert]:
    """Every alert the thresholds raise on the records, most severe and fullest first. With
    ``as_of``, the alerts standing on that day: records up to it, and only windows whose latest
    record is within the rule's window before it (an alert of long ago is history, not an alert)."""
    by: dict[tuple[str, str], list[Record]] = {}
    for r in records:
        if as_of is not None and r.on > as_of:
            continue
        by.setdefault((r.measure, r.who), []).append(r)
    for lst in by.values():
        lst.sort(key=lambda r: (r.on, r.ref))
    out: list[Alert] = []
    for t in thresholds:
        for (measure, who), lst in by.items():
            if measure != t.measure or len(lst) < t.warning:
                continue
            if as_of is not None:
                lst = [r for r in lst if (as_of - r.on).days <= 2 * t.window_days]
                if len(lst) < t.warning:
                    continue
            a, b = _best_window(lst, t.window_days)
            n = b - a
            if n < t.warning or (as_of is not None and (as_of - lst[b - 1].on).days > t.window_days):
                continue
            level = "critical" if t.critical is not None and n >= t.critical else "warning"
            window = tuple(lst[a:b])
            out.append(Alert(t.id, t.label, who, level, n, window[0].on, window[-1].on, window, t.window_days, t.cite))
    out.sort(key=lambda x: (x.level != "critical", -x.count, x.rule, x.who))
    return out


def counts_by_level(found: Iterable[Alert]) -> dict[str, dict[str, int]]:
    """Per rule, the number of named employees at each level (the annual report's table)."""
    out: dict[str, dict[str, int]] = {}
    for a in found:
        out.setdefault(a.rule, {lvl: 0 for lvl in LEVELS})[a.level] += 1
    return out
