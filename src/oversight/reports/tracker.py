"""The reports' recommendation sections, read from the recommendations tracker
(``oversight.recommendations``): each recommendation's status derived from its dated events by
``rules.recommendations`` as of the period's end, and whether the written answer came within
the profile's period (SMC 3.29.305.A-B). OPA's quarterly report (3.29.030.E), OIG's
(3.29.115.B), and the annual reports' sections on new and earlier recommendations
(3.29.030.H; 3.29.115.C; 3.29.220.A.2-3) all read these tables, so they say the same.

Recommendations are not people: their counts are shown whole (no small-cell suppression). A
text that came from a case passes the one redaction path before it is put in a report."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from oversight.recommendations import actions as ra
from oversight.recommendations.models import Recommendation
from oversight.rules import recommendations as rr

from .document import Section, Table, value_table

# Where a recommendation's written answer stands, as of a day.
TIMELINESS = [
    ("on_time", "Answered in writing within the period"),
    ("late", "Answered in writing after the period"),
    ("waiting", "Not answered yet, not yet due"),
    ("overdue", "Not answered, overdue"),
    ("no_period", "Not answered; the chapter sets no period for this addressee"),
    ("withdrawn", "Withdrawn before an answer"),
]
CLOSED = frozenset({rr.IMPLEMENTED, rr.NOT_ACCEPTED, rr.WITHDRAWN})
EXCERPT = 300


@dataclass(frozen=True)
class Tracked:
    rec: Recommendation
    status: rr.Status


def tracked(
    issuers: Collection[str],
    upto: dt.date,
    *,
    sources: Collection[str] | None = None,
    exclude_sources: Collection[str] = (),
) -> list[Tracked]:
    """Every recommendation of ``issuers`` issued by ``upto``, with its status on ``upto``."""
    qs = Recommendation.objects.filter(issuer__in=list(issuers), issued_on__lte=upto).prefetch_related("events")
    if sources is not None:
        qs = qs.filter(source__in=list(sources))
    if exclude_sources:
        qs = qs.exclude(source__in=list(exclude_sources))
    return [Tracked(r, ra.status_of(r, upto)) for r in qs.select_related("case").order_by("issued_on", "number")]


def timeliness(st: rr.Status) -> str:
    if st.answered_on is not None:
        return "late" if st.answered_late else "on_time"
    if st.status == rr.WITHDRAWN:
        return "withdrawn"
    if st.answer_due is None:
        return "no_period"
    return "overdue" if st.status == rr.OVERDUE else "waiting"


def status_table(id: str, title: str, items: list[Tracked]) -> Table:
    n = Counter(t.status.status for t in items)
    rows: list[tuple[str, str, list[int | float | str | None]]] = [
        (code, label, [n[code]]) for code, label in rr.STATUS_LABELS.items() if n[code]
    ]
    rows.append(("all", "All", [len(items)]))
    t = value_table(id, title, "Status", ["Recommendations"], rows, chart="bar" if items else "")
    t.rows[-1].total = True  # shown as the total, not drawn as a bar
    return t


def timeliness_table(id: str, title: str, items: list[Tracked]) -> Table:
    n = Counter(timeliness(t.status) for t in items)
    return value_table(
        id,
        title,
        "The written answer",
        ["Recommendations"],
        [(code, label, [n[code]]) for code, label in TIMELINESS],
        chart="bar" if items else "",
    )


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def _latest(t: Tracked, upto: dt.date) -> str:
    """The answer (the plan or the reasons) and the latest report on it, as of ``upto``."""
    events = [e for e in t.rec.events.all() if e.date <= upto]
    answer = next((e for e in events if e.type in rr.ANSWERS), None)
    last = events[-1] if events else None
    parts = []
    for e in (answer, last if last is not answer else None):
        if e is not None:
            what = rr.EVENT_LABELS[e.type].lower()
            parts.append(f"{e.date.isoformat()}, {what}: {_excerpt(ra.public_text(t.rec, e.text))}")
    return " · ".join(parts) or "—"


def list_table(id: str, title: str, items: list[Tracked], upto: dt.date) -> Table:
    labels = dict(TIMELINESS)
    return value_table(
        id,
        title,
        "Recommendation",
        ["Addressed to", "Issued", "Answer due", "Answered", "Timeliness", "Status", "Answer and latest report"],
        [
            (
                t.rec.number,
                f"{t.rec.number}: {ra.public_text(t.rec, t.rec.title)}",
                [
                    t.rec.get_addressee_display(),
                    t.rec.issued_on.isoformat(),
                    t.status.answer_due.isoformat() if t.status.answer_due else None,
                    t.status.answered_on.isoformat() if t.status.answered_on else None,
                    labels[timeliness(t.status)],
                    t.status.label,
                    _latest(t, upto),
                ],
            )
            for t in items
        ],
    )


def add_tracker(
    section: Section,
    prefix: str,
    issuers: Collection[str],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    *,
    who: str,
    sources: Collection[str] | None = None,
    exclude_sources: Collection[str] = (),
    earlier: bool = True,
    new: bool = True,
) -> tuple[list[Tracked], list[Tracked]]:
    """Adds to ``section`` the tracker's tables for ``issuers``: the recommendations issued in the
    period (by status, by the timeliness of the answer, one by one) and, with ``earlier``, those
    issued before it and not yet closed at its start (implemented, not accepted or withdrawn),
    where they stand at its end. Returns (issued in the period, earlier)."""
    upto = min(end, today)
    every = tracked(issuers, upto, sources=sources, exclude_sources=exclude_sources)
    in_period = [t for t in every if t.rec.issued_on >= start]
    before = start - dt.timedelta(days=1)
    still_open = [t for t in every if t.rec.issued_on < start and ra.status_of(t.rec, before).status not in CLOSED]
    days, cite = ra.answer_period(upto, "spd")
    section.text.append(
        f"Read from the recommendation tracker as of {upto.isoformat()}: each status follows from the "
        f"recommendation's dated events; SPD, or OPA for the Inspector General's and CPC's recommendations, "
        f"answers in writing within {days} days [{cite}]. Every recommendation, with each answer and report, "
        "is on the public tracker."
    )
    if new:
        section.tables.append(status_table(f"{prefix}_status", f"{who} issued in the period, by status", in_period))
        section.tables.append(
            timeliness_table(f"{prefix}_timeliness", f"{who} issued in the period: the written answer", in_period)
        )
        section.tables.append(list_table(f"{prefix}_issued", f"{who} issued in the period", in_period, upto))
    if earlier:
        them = f"Earlier {who if who[1:2].isupper() else who[:1].lower() + who[1:]} not closed at the period's start"
        section.tables.append(status_table(f"{prefix}_earlier_status", them, still_open))
        section.tables.append(list_table(f"{prefix}_earlier", f"{them}: where they stand", still_open, upto))
    return in_period, still_open
