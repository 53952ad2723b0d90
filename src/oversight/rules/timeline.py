"""The deadline clock: every clock of the profile computed from a case's events.

Implements ``shared/spec/timeline.md``. Each deadline carries the explanation of
every day in it, each step citing its section. Where the ordinance leaves a
question open, the reading taken is written here and in the step's text:

- An interview postponement or a Director vacancy counts only when it falls
  while the period runs: on or after its start, on or before its (adjusted) due
  date, and not after the period ended with proposed findings. While a pause
  runs the period has not ended.
- A criminal pause that began before the complaint reached OPA counts from the
  day the period began ("not commenced ... due to a criminal investigation").
  A pause still running at proposed findings counts until the findings, the
  first administrative step. A pause with no end at ``today`` counts to
  ``today``: the due date then is the date it would fall on if it ended today.
- Each additional investigation adds its days whenever it falls (3.29.026.I
  sets no window).
- Events on one day are taken in an order that does not depend on how the input
  lists them: a running pause ends first, then extensions that always apply, then
  those that apply while the period runs, then pauses that begin.
- A deadline is completed by the first completing event on or after its start.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypedDict

from oversight.rules.events import _ISO_CACHE as _ISO
from oversight.rules.events import Case, CaseError, Event, iso
from oversight.rules.profile import AdjustmentRule, DeadlineRule, Profile, Rules

START_EVENTS = ("complaint_received", "complaint_initiated", "should_have_been_referred")


class Step(TypedDict):
    text: str
    days: int
    cite: str


class Deadline(TypedDict):
    id: str
    start: str
    due: str
    status: str
    completed_on: str | None
    days_remaining: int | None
    explanation: list[Step]


class Flag(TypedDict):
    id: str
    cite: str


class Timeline(TypedDict):
    case_id: str | None
    profile: str
    today: str
    deadlines: list[Deadline]
    flags: list[Flag]


_START_TEXT = {
    "complaint_received": "the date the complaint was filed",
    "complaint_initiated": "the date OPA initiated the complaint",
    "should_have_been_referred": "the date the complaint should have been referred to OPA",
    "submitted_to_oig": "the date the investigation was submitted to OIG",
    "chief_decision": "the Chief's decision not to follow the OPA Director's recommendations",
    "proposed_findings_issued": "the date proposed findings were issued after the investigation period had ended",
    "discipline_determination_received": "the date the named employee received the Chief's final disciplinary "
    "determination",
}
_DATED = frozenset(_START_TEXT) - set(START_EVENTS)
_TEXT_CACHE: dict[tuple[int, str, bool, int], str] = {}
_YEARS_CACHE: dict[tuple[int, int], int] = {}


def _first(by_type: dict[str, list[Event]], types: Sequence[str]) -> Event | None:
    """The earliest event of the given types; on a tie, the type named first."""
    best: Event | None = None
    for t in types:
        lst = by_type.get(t)
        if lst is not None:
            e = lst[0]
            if best is None or e[0] < best[0]:
                best = e
    return best


def _first_on_or_after(by_type: dict[str, list[Event]], types: Sequence[str], day: int) -> int | None:
    best: int | None = None
    for t in types:
        lst = by_type.get(t)
        if lst is not None:
            for e in lst:
                if e[0] >= day:
                    if best is None or e[0] < best:
                        best = e[0]
                    break
    return best


def case_start(case: Case) -> int | None:
    """The day the case's rules are chosen by: the earliest start event."""
    e = _first(case.by_type, START_EVENTS)
    return e[0] if e is not None else None


def _add_years(ordinal: int, years: int) -> int:
    found = _YEARS_CACHE.get((ordinal, years))
    if found is not None:
        return found
    d = dt.date.fromordinal(ordinal)
    try:
        found = d.replace(year=d.year + years).toordinal()
    except ValueError:  # 29 February into a common year: the last day of February
        found = d.replace(year=d.year + years, day=28).toordinal()
    if len(_YEARS_CACHE) > 100_000:
        _YEARS_CACHE.clear()
    _YEARS_CACHE[(ordinal, years)] = found
    return found


class _Clock:
    """One deadline's running period while its adjustments are applied."""

    __slots__ = ("start", "due", "completed", "pauses", "steps", "tolled")

    def __init__(self, start: int, due: int, completed: int | None, steps: list[Step]) -> None:
        self.start = start
        self.due = due
        self.completed = completed
        self.pauses: dict[str, tuple[int, bool, Event]] = {}  # adj id -> (from, counts, start event)
        self.steps = steps
        self.tolled = False

    def due_on(self, day: int) -> int:
        due = self.due
        for since, counts, _ in self.pauses.values():
            if counts and day > since:
                due += day - since
        return due

    def running(self, day: int) -> bool:
        if day < self.start:
            return False
        if self.completed is not None and day > self.completed:
            return False
        return day <= self.due_on(day)

    def add(self, days: int, text: str, cite: str) -> None:
        if days:
            self.due += days
            self.steps.append({"text": text, "days": days, "cite": cite})


def _reason(e: Event) -> str:
    return f" ({e[4]})" if e[4] else ""


def _single(clock: _Clock, adj: AdjustmentRule, e: Event) -> None:
    if adj.when == "while_running" and not clock.running(e[0]):
        return
    days = e[3] if adj.kind == "event_days" else adj.days
    if e[2] == "interview_postponed":
        text = f"interview postponed on {iso(e[0])}{_reason(e)}: {days} days added"
    elif e[2] == "director_vacancy":
        text = f"OPA Director position vacant on {iso(e[0])}: the period tolls {days} days"
    elif e[2] == "additional_investigation":
        text = f"additional investigation on {iso(e[0])}{_reason(e)}: {days} days added"
    else:
        text = f"{e[2].replace('_', ' ')} on {iso(e[0])}: {days} days added"
    clock.add(days, text, adj.cite)


def _pause_start(clock: _Clock, adj: AdjustmentRule, e: Event) -> None:
    if adj.id in clock.pauses:
        return  # already paused: the later start changes nothing
    since = max(e[0], clock.start)
    clock.pauses[adj.id] = (since, clock.running(since), e)


def _pause_end(clock: _Clock, adj: AdjustmentRule, e: Event) -> None:
    since, counts, started = clock.pauses.pop(adj.id)
    if not counts:
        return
    stop = e[0] if clock.completed is None else min(e[0], clock.completed)
    if stop > since:
        clock.add(
            stop - since,
            f"paused for a criminal investigation from {iso(started[0])} to {iso(e[0])}"
            + (f" (counted from {iso(since)}, when the period began)" if since != started[0] else "")
            + f": {stop - since} days added",
            adj.cite,
        )


# The order of a day's events, by kind.
_ENDS, _ALWAYS, _WHILE_RUNNING, _STARTS = range(4)


def _item_key(t: tuple[int, int, str, int, str, AdjustmentRule, str, Event]) -> tuple[int, int, str, int, str]:
    return t[:5]


def _apply_adjustments(clock: _Clock, rule: DeadlineRule, by_type: dict[str, list[Event]], today: int) -> None:
    # (date, order-within-date class, input index, adjustment, role)
    # Within a day, the order depends on what the events are, never on how the
    # input listed them: identical events are interchangeable.
    items: list[tuple[int, int, str, int, str, AdjustmentRule, str, Event]] = []
    for adj in rule.adjustments:
        for e in by_type.get(adj.event, ()):
            role = "start" if adj.kind == "pause" else "single"
            klass = _STARTS if role == "start" else (_ALWAYS if adj.when == "always" else _WHILE_RUNNING)
            items.append((e[0], klass, e[2], e[3], e[4] or "", adj, role, e))
        if adj.kind == "pause" and adj.end_event:
            for e in by_type.get(adj.end_event, ()):
                items.append((e[0], _ENDS, e[2], 0, e[4] or "", adj, "end", e))
    if not items:
        return
    items.sort(key=_item_key)
    leftover_ends: list[tuple[AdjustmentRule, Event]] = []
    i = 0
    n = len(items)
    while i < n:
        day = items[i][0]
        leftover_ends.clear()
        while i < n and items[i][0] == day:
            adj, role, e = items[i][5:]
            if role == "end":
                if adj.id in clock.pauses:
                    _pause_end(clock, adj, e)
                else:
                    leftover_ends.append((adj, e))
            elif role == "single":
                _single(clock, adj, e)
            else:
                _pause_start(clock, adj, e)
            i += 1
        for adj, e in leftover_ends:  # a pause that began and ended the same day
            if adj.id not in clock.pauses:
                raise CaseError(f"events[{e[1]}].type: {e[2]} on {iso(e[0])} has no {adj.event} before it")
            _pause_end(clock, adj, e)
    for adj_id, (since, counts, started) in list(clock.pauses.items()):
        adj = next(a for a in rule.adjustments if a.id == adj_id)
        del clock.pauses[adj_id]
        if not counts:
            continue
        if clock.completed is not None:
            if clock.completed > since:
                clock.add(
                    clock.completed - since,
                    f"paused for a criminal investigation from {iso(started[0])} until proposed findings "
                    f"on {iso(clock.completed)}, the first administrative step after it: "
                    f"{clock.completed - since} days added",
                    adj.cite,
                )
        elif today >= since:
            clock.tolled = True
            if today > since:
                clock.add(
                    today - since,
                    f"paused for a criminal investigation since {iso(started[0])} and still paused on "
                    f"{iso(today)}: {today - since} days counted so far; the due date moves a day for each "
                    "further day of the pause",
                    adj.cite,
                )


def _deadline(
    rule: DeadlineRule,
    dl_id: str,
    start: int,
    start_type: str,
    by_type: dict[str, list[Event]],
    today: int,
    rules: Rules,
) -> Deadline:
    days = rule.days
    key = (days, start_type, rules.predates_profile, rules.in_force_from)
    text = _TEXT_CACHE.get(key)
    if text is None:
        text = f"{days} days from {_START_TEXT.get(start_type, start_type)}"
        if rules.predates_profile:
            text += f" (this case began before the profile's first rules, of {iso(rules.in_force_from)}, applied here)"
        _TEXT_CACHE[key] = text
    if start_type in _DATED:
        text = f"{text} ({iso(start)})"
    steps: list[Step] = [{"text": text, "days": days, "cite": rule.cite}]
    completed = _first_on_or_after(by_type, rule.completed_by, start)
    due = start + days
    tolled = False
    if rule.adjustments and not rule.adjustment_events.isdisjoint(by_type):
        clock = _Clock(start, due, completed, steps)
        _apply_adjustments(clock, rule, by_type, today)
        due = clock.due
        tolled = clock.tolled
    remaining: int | None = None
    if completed is not None:
        status = "met" if completed <= due else "missed"
    elif tolled:
        status = "tolled"
        remaining = due - today
    elif today <= due:
        status = "open"
        remaining = due - today
    else:
        status = "overdue"
    return {
        "id": dl_id,
        "start": _ISO.get(start) or iso(start),
        "due": _ISO.get(due) or iso(due),
        "status": status,
        "completed_on": None if completed is None else (_ISO.get(completed) or iso(completed)),
        "days_remaining": remaining,
        "explanation": steps,
    }


def _check_pairs(rules: Rules, by_type: dict[str, list[Event]]) -> None:
    """End events need a start: a pause end its start, an OIG answer a submission."""
    for triggers, completions in rules.answer_pairs:
        first: Event | None = None
        for t in completions:
            lst = by_type.get(t)
            if lst is None:
                continue
            if first is None:
                first = _first(by_type, triggers)
            e = lst[0]
            if first is None or e[0] < first[0]:
                raise CaseError(
                    f"events[{e[1]}].type: {e[2]} on {iso(e[0])} has no {' or '.join(triggers)} on or before it"
                )
    for adj in rules.pauses:
        if adj.end_event in by_type:
            _check_pause_pairs(adj, by_type)


def _check_pause_pairs(adj: AdjustmentRule, by_type: dict[str, list[Event]]) -> None:
    """Each end closes a running pause; on one day a running pause ends before a new one starts."""
    assert adj.end_event is not None
    days: dict[int, tuple[list[Event], list[Event]]] = {}
    for e in by_type.get(adj.event, ()):
        days.setdefault(e[0], ([], []))[0].append(e)
    for e in by_type.get(adj.end_event, ()):
        days.setdefault(e[0], ([], []))[1].append(e)
    paused = False
    for day in sorted(days):
        starts, ends = days[day]
        ends = list(ends)
        if paused and ends:
            ends.pop(0)
            paused = False
        if starts:
            paused = True
        if paused and ends:
            ends.pop(0)
            paused = False
        if ends:
            e = ends[0]
            raise CaseError(f"events[{e[1]}].type: {e[2]} on {iso(e[0])} has no {adj.event} before it")


def compute(case: Case, profile: Profile, today: int | dt.date) -> Timeline:
    """The case's deadlines and flags on ``today`` under ``profile``."""
    today_ord = today if type(today) is int else today.toordinal()  # type: ignore[union-attr]
    by_type = case.by_type
    first_start = _first(by_type, START_EVENTS)
    if first_start is not None:
        rules = profile.at(first_start[0])
    else:
        rules = profile.at(case.events[0][0] if case.events else today_ord)
    _check_pairs(rules, by_type)
    dls = rules.deadlines
    deadlines: list[Deadline] = []
    append = deadlines.append

    investigation: Deadline | None = None
    inv_start = 0
    rule = dls["named_employee_notice"]
    trig = _first(by_type, rule.trigger)
    if trig is not None:
        append(_deadline(rule, "named_employee_notice", trig[0], trig[2], by_type, today_ord, rules))
    rule = dls["investigation"]
    trig = _first(by_type, rule.trigger)
    if trig is not None:
        inv_start = trig[0]
        investigation = _deadline(rule, "investigation", inv_start, trig[2], by_type, today_ord, rules)
        append(investigation)

    # OIG review: one window per submission
    rule = dls["oig_review"]
    n = 0
    for t in rule.trigger:
        for e in by_type.get(t, ()):
            n += 1
            append(_deadline(rule, f"oig_review_{n}", e[0], t, by_type, today_ord, rules))

    rule = dls["chief_statement"]
    for t in rule.trigger:
        for e in by_type.get(t, ()):
            if e[5] is False:
                append(_deadline(rule, "chief_statement", e[0], t, by_type, today_ord, rules))
                break
        else:
            continue
        break

    if investigation is not None and investigation["status"] == "missed":
        rule = dls["timeline_statement"]
        completed = _first_on_or_after(by_type, dls["investigation"].completed_by, inv_start)
        assert completed is not None
        append(_deadline(rule, "timeline_statement", completed, "proposed_findings_issued", by_type, today_ord, rules))

    rule = dls["appeal_notice"]
    trig = _first(by_type, rule.trigger)
    if trig is not None:
        append(_deadline(rule, "appeal_notice", trig[0], trig[2], by_type, today_ord, rules))

    return {
        "case_id": case.case_id,
        "profile": rules.profile,
        "today": iso(today_ord),
        "deadlines": deadlines,
        "flags": _flags(case, rules, deadlines, investigation),
    }


def _flags(case: Case, rules: Rules, deadlines: list[Deadline], investigation: Deadline | None) -> list[Flag]:
    flags: list[Flag] = []
    enabled = rules.flags
    f = enabled.get("limitation_barred")
    if f is not None and case.incident_date is not None:
        lim = rules.limitation
        made = _first(case.by_type, lim.measured_from)
        if made is not None and made[0] > _add_years(case.incident_date, lim.years):
            lift_criminal = "criminal" in lim.exceptions
            lift_concealment = "concealment" in lim.exceptions
            if not any((a[2] and lift_criminal) or (a[3] and lift_concealment) for a in case.allegations):
                flags.append({"id": "limitation_barred", "cite": f.cite})
    f = enabled.get("oig_review_lapsed")
    if f is not None:
        for d in deadlines:
            if (d["status"] == "missed" or d["status"] == "overdue") and d["id"].startswith("oig_review_"):
                flags.append({"id": "oig_review_lapsed", "cite": f.cite})
                break
    f = enabled.get("discipline_barred_timeline")
    if f is not None and investigation is not None and investigation["status"] == "missed":
        flags.append({"id": "discipline_barred_timeline", "cite": f.cite})
    f = enabled.get("oig_review_required")
    if f is not None and case.allegations:
        review = rules.oig_review_categories
        for a in case.allegations:
            if a[1] in review:
                flags.append({"id": "oig_review_required", "cite": f.cite})
                break
    return flags


def timeline_from_json(obj: Any, profile: Profile, today: int | dt.date) -> Timeline:
    """Parse a decoded JSON case and compute its timeline (raises CaseError)."""
    from oversight.rules.events import parse_case

    return compute(parse_case(obj), profile, today)
