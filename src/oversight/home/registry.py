"""What each office contributes to a person's home and to the one case page.

An app registers, in its ``AppConfig.ready``:

- ``waiting(user, today) -> Iterable[Waiting]``: what waits for this person today (an app
  returns nothing for a person it has nothing for; it asks ``oversight.access`` who that is);
- ``section(ctx) -> Section | None``: its part of a case's page, given the reader, the case,
  and, after a refused or invalid form, what failed.

The home page sorts every item most urgent first; the case page shows the sections in
the order of a case's journey (``order``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

# The order of a case's journey on its page.
SUMMARY = 10
PEOPLE = 20
SENT = 25
CLASSIFICATION = 30
NOTICE = 40
PLAN = 50
INVESTIGATION = 60
OIG = 70
FINDINGS = 80
PUBLICATION = 90
NOTES = 95
CLOCK = 100
HISTORY = 110

URGENCY = {"overdue": 0, "due": 1, "open": 1, "new": 2, "tolled": 3, "info": 4}


@dataclass
class Waiting:
    """One thing waiting for a person: what, why, by when, and where to do it."""

    kind: str  # the heading it is listed under: "Plans to approve"
    title: str  # "2026OPA-0042: plan version 2"
    url: str
    why: str  # "Submitted by Sam Okafor on 2026-11-20; no investigation step before approval"
    due: dt.date | None = None
    status: str = "open"  # overdue | open | new | tolled | info
    explanation: list[dict[str, Any]] = field(default_factory=list)  # the clock's steps for ``due``
    case: str = ""
    more: str = ""  # where the whole list of this kind is (the board filtered, a queue ...)

    def sort_key(self) -> tuple[int, dt.date, str]:
        return (URGENCY.get(self.status, 4), self.due or dt.date.max, self.title)

    @property
    def days_left(self) -> int | None:
        from django.utils import timezone

        return (self.due - timezone.localdate()).days if self.due else None


@dataclass
class Failed:
    """A form that was refused or invalid: which action, the message, the bound form or what was posted."""

    action: str
    error: str
    form: Any = None
    post: Any = None


@dataclass
class Section:
    id: str  # the anchor: /cases/N/#<id>
    heading: str
    template: str
    context: dict[str, Any]
    order: int


WaitingProvider = Callable[[Any, dt.date], Iterable[Waiting]]
SectionProvider = Callable[[Any], "Section | Iterable[Section] | None"]

_WAITING: list[WaitingProvider] = []
_SECTIONS: list[SectionProvider] = []


def register_waiting(fn: WaitingProvider) -> WaitingProvider:
    if fn not in _WAITING:
        _WAITING.append(fn)
    return fn


def register_section(fn: SectionProvider) -> SectionProvider:
    if fn not in _SECTIONS:
        _SECTIONS.append(fn)
    return fn


# A home page lists at most this many items of one kind; the rest are one link away.
PER_KIND = 8


def waiting_for(user: Any, today: dt.date, per_kind: int = PER_KIND) -> list[Waiting]:
    """Everything waiting for ``user``, most urgent first. A case listed twice for the same date
    (or twice under one kind) is listed once, under the first kind that named it (providers
    register the most specific first); each kind shows its ``per_kind`` most urgent items and a
    link to the rest."""
    items: list[Waiting] = []
    seen: set[tuple[str, dt.date | str]] = set()
    for fn in _WAITING:
        for it in fn(user, today):
            key = (it.case, it.due or it.kind)
            if it.case and key in seen:
                continue
            seen.add(key)
            items.append(it)
    items.sort(key=Waiting.sort_key)
    shown: list[Waiting] = []
    counts: dict[str, int] = {}
    extra: dict[str, list[Waiting]] = {}
    for it in items:
        counts[it.kind] = counts.get(it.kind, 0) + 1
        if counts[it.kind] <= per_kind:
            shown.append(it)
        else:
            extra.setdefault(it.kind, []).append(it)
    for kind, rest in extra.items():
        url = next((r.more for r in rest if r.more), "") or next(
            (s.more for s in shown if s.kind == kind and s.more), ""
        )
        shown.append(
            Waiting(
                kind,
                f"{len(rest)} more: {kind[:1].lower() + kind[1:]}",
                url or rest[0].url,
                "Only the most urgent are listed here." + ("" if url else f" The next one: {rest[0].title}."),
                status="info",
            )
        )
    return shown


def sections_for(ctx: Any) -> list[Section]:
    out: list[Section] = []
    for fn in _SECTIONS:
        got = fn(ctx)
        if got is None:
            continue
        if isinstance(got, Section):
            out.append(got)
        else:
            out.extend(got)
    return sorted(out, key=lambda s: s.order)
