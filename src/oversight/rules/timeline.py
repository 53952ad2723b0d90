"""The deadline clock: every clock of the profile computed from a case's events.

Implements ``shared/spec/timeline.md`` (version 2). Each deadline carries the
explanation of every day in it, each step citing its section. Where the ordinance
leaves a question open, the reading taken is written here and in the step's text:

- The investigation period runs from its start until the first proposed findings,
  and at most until its adjusted due date. An event falls "while the period runs"
  when it is on or after the start, on or before the due date as adjusted by then,
  and before the day of the findings. While a toll runs the period has not ended.
- Days added (interview postponements, additional investigations) add up. Tolled
  days (a criminal pause, a Director vacancy's 60 days) are a set of days, counted
  once: a day inside two tolls delays the due date by one day. A toll's step counts
  the days it adds that no earlier-starting toll had already tolled.
- A criminal pause that began before the complaint reached OPA counts from the day
  the period began ("not commenced ... due to a criminal investigation"). It ends at
  the first ``criminal_pause_ended``, or at the first administrative step, submission
  to OIG or proposed findings on a later day ("the 180-day clock shall resume
  whenever any administrative investigation steps are taken by OPA"). A pause with
  no end at ``today`` counts to ``today``: the due date then is the date it would
  fall on if it ended today, and the status is ``tolled``. Whether a later-dated
  event falls while the period runs is judged the same way (the pause ending today).
- An additional investigation while the period runs adds its 60 days; one after the
  period ended (late findings, or none by the due date) cannot reopen it or make a
  missed deadline met: it has a deadline of its own, 60 days to complete that work
  and provide it to OIG (completed by the next submission to OIG).
- A failure-to-refer investigation (3.29.026.C.2) ends the later of 180 days after
  the underlying deadline and 180 days after the determination it was missed; the
  first such determination in a case counts, and its other adjustments apply on top.
- Potential misconduct found in an SPD review (3.29.300.A) sets the date the
  complaint should have been referred: the profile says how many days after the
  finding "timely" allows (Seattle: none).
- Events are taken by date, and the events of one day in the order the input lists
  them (the spec: "ties keep file order"), whatever their types: of two incident reviews
  begun the same day, the one listed first is ``incident_review_1``; a pause's end closes
  a pause begun before it in that order (an end listed before a start of its day has no
  start before it); of two postponements the same day, the one listed first is the first
  step. A should-have-been-referred date set by a review's finding takes the finding's
  place in the listing. Whether an administrative step, submission or findings resumes a
  pause is judged by date (a later day), not by the listing.
- A deadline is completed by the first completing event on or after its start (the
  timeline statement: on or after the first findings; a review: of the same unit).
- A case begun before a deadline's rule took effect is not judged by it (3.29.400.F):
  ``not_applicable``, one explanation step, no flags when it predates the chapter. So
  is a deadline whose rule awaits collective bargaining (3.29.400.B). Such a case's
  deadlines are those its events trigger; the timeline statement (which needs a
  missed investigation) does not arise, and each additional investigation is listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, Final, TypedDict

from oversight.rules.events import Case, CaseError, Event, event_key, iso
from oversight.rules.profile import AdjustmentRule, DeadlineRule, Profile, ReferralRule, Rules

START_EVENTS: Final = ("complaint_received", "complaint_initiated", "should_have_been_referred")
NOT_APPLICABLE: Final = "not_applicable"


class Step(TypedDict):
    text: str
    days: int
    cite: str


class Deadline(TypedDict):
    id: str
    start: str
    due: str | None
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


_START_TEXT: Final = {
    "complaint_received": "the date the complaint was filed",
    "complaint_initiated": "the date OPA initiated the complaint",
    "should_have_been_referred": "the date the complaint should have been referred to OPA",
    "submitted_to_oig": "the date the investigation was submitted to OIG",
    "chief_decision": "the Chief's decision not to follow the OPA Director's recommendations",
    "proposed_findings_issued": "the OPA Director's final certification of the investigation (the last proposed "
    "findings, {d}), the investigation's time limit having been exceeded",
    "discipline_determination_received": "the date the named employee received the Chief's final disciplinary "
    "determination",
    "additional_investigation": "the additional investigation begun after the investigation period had ended, "
    "to complete that work and provide it for final review by OIG",
    "incident_review_started": "the start of the incident review",
}
_DATED: Final = frozenset(_START_TEXT) - set(START_EVENTS)
_NO_EVENTS: Final[list[Event]] = []  # what by_type.get gives for a type the case lacks (a list, never changed)
_YEARS_CACHE: Final[dict[int, int]] = {}  # ordinal * 1024 + years -> ordinal


def _first(by_type: dict[str, list[Event]], types: Sequence[str]) -> Event | None:
    """The earliest event of the given types; of two on one day, the one the input lists first."""
    best: Event | None = None
    for t in types:
        lst = by_type.get(t)
        if lst is not None:
            e = lst[0]
            if best is None or e.date < best.date or (e.date == best.date and e.index < best.index):
                best = e
    return best


def _of_types(by_type: dict[str, list[Event]], types: Sequence[str]) -> list[Event]:
    """Every event of the given types, in the case's order (``events.event_key``)."""
    if len(types) == 1:
        return list(by_type.get(types[0], _NO_EVENTS))
    out: list[Event] = []
    for t in types:
        out.extend(by_type.get(t, _NO_EVENTS))
    out.sort(key=event_key)
    return out


def _first_on_or_after(
    by_type: dict[str, list[Event]], types: Sequence[str], day: int, unit: str | None = None
) -> int | None:
    best: int | None = None
    for t in types:
        for e in by_type.get(t, _NO_EVENTS):
            if e.date >= day and (unit is None or e.text == unit):
                if best is None or e.date < best:
                    best = e.date
                break
    return best


def case_start(case: Case) -> int | None:
    """The day the case's rules are chosen by: the earliest start event."""
    e = _first(case.by_type, START_EVENTS)
    return e.date if e is not None else None


def _add_years(ordinal: int, years: int) -> int:
    key = ordinal * 1024 + years if 0 <= years < 1024 else -1
    found = _YEARS_CACHE.get(key)
    if found is not None:
        return found
    d = dt.date.fromordinal(ordinal)
    try:
        found = d.replace(year=d.year + years).toordinal()
    except ValueError:  # 29 February into a common year: the last day of February
        found = d.replace(year=d.year + years, day=28).toordinal()
    if len(_YEARS_CACHE) > 100_000:
        _YEARS_CACHE.clear()
    if key >= 0:
        _YEARS_CACHE[key] = found
    return found


def _d(ordinal: int) -> str:
    return iso(ordinal)


# --------------------------------------------------------------------------
# The investigation period: additions, tolls counted once, its own end
# --------------------------------------------------------------------------


class _Toll:
    """Days the clock stood still: [since, until) once closed, ``until`` None while a pause runs.
    ``describe(days, already_tolled)`` words its step."""

    __slots__ = ("since", "until", "seq", "cite", "describe")

    def __init__(self, since: int, until: int | None, seq: int, cite: str) -> None:
        self.since = since
        self.until = until
        self.seq = seq
        self.cite = cite
        self.describe: Callable[[int, int], str] = _no_text


def _no_text(n: int, overlap: int) -> str:  # pragma: no cover - every toll kept is described
    raise AssertionError("an undescribed toll")


def _union_measure(intervals: list[tuple[int, int]]) -> int:
    total = 0
    reach: int | None = None
    for a, b in sorted(intervals):
        if b <= a:
            continue
        if reach is None or a >= reach:
            total += b - a
            reach = b
        elif b > reach:
            total += b - reach
            reach = b
    return total


def _tolled(n: int, overlap: int) -> str:
    """The end of a toll's step: how many of its days count (a day already tolled counts once)."""
    if not overlap:
        return f"{n} days added"
    if overlap == n:
        return f"{n} days, all of them already tolled: 0 days added"
    return f"{n} days, {overlap} of them already tolled: {n - overlap} days added"


class _Period:
    """One deadline's running period while its adjustments are applied."""

    def __init__(self, start: int, due: int, completed: int | None, today: int) -> None:
        self.start = start
        self.today = today
        self.base_due = due
        self.added = 0
        self.completed = completed
        self.tolls: list[_Toll] = []
        self.open: tuple[int, bool, Event] | None = None  # a running pause: (since, counts, start event)
        self.open_toll: _Toll | None = None
        self.steps: list[tuple[int, int, Step]] = []  # (day, seq, step) of the days added
        self.seq = 0
        self.tolled = False
        self.extended: set[int] = set()  # input indexes of the events that adjusted the period

    def due_on(self, day: int) -> int:
        """The due date as adjusted by ``day``: a running pause counted up to it, and no further
        than ``today`` (a pause with no end is taken as ending today)."""
        upto = min(day, self.today)
        spans = [(t.since, t.until if t.until is not None else max(upto, t.since)) for t in self.tolls]
        return self.base_due + self.added + _union_measure(spans)

    def running(self, day: int) -> bool:
        if day < self.start:
            return False
        if self.completed is not None and day >= self.completed:
            return False
        return day <= self.due_on(day)

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def add(self, day: int, days: int, text: str, cite: str, e: Event) -> None:
        self.extended.add(e.index)
        if days:
            self.added += days
            self.steps.append((day, self.next_seq(), {"text": text, "days": days, "cite": cite}))

    def toll(self, since: int, until: int | None, cite: str) -> _Toll:
        t = _Toll(since, until, self.next_seq(), cite)
        self.tolls.append(t)
        return t


def _reason(e: Event) -> str:
    return f" ({e.text})" if e.text else ""


def _single(p: _Period, adj: AdjustmentRule, e: Event) -> None:
    day = e.date
    if adj.when == "while_running" and not p.running(day):
        return
    if adj.kind == "toll":
        p.extended.add(e.index)
        what = (
            f"OPA Director position vacant on {iso(day)}: the period tolls"
            if e.type == "director_vacancy"
            else f"{e.type.replace('_', ' ')} on {iso(day)}: the period tolls"
        )
        p.toll(day, day + adj.days, adj.cite).describe = lambda n, overlap: f"{what} {_tolled(n, overlap)}"
        return
    days = e.days if adj.kind == "event_days" else adj.days
    p.add(day, days, _added_text(e, days), adj.cite, e)


def _added_text(e: Event, days: int) -> str:
    """The step of an event that adds ``days`` to the period."""
    if e.type == "interview_postponed":
        return f"interview postponed on {iso(e.date)}{_reason(e)}: {days} days added"
    if e.type == "additional_investigation":
        return f"additional investigation on {iso(e.date)}{_reason(e)}, while the period ran: {days} days added"
    return f"{e.type.replace('_', ' ')} on {iso(e.date)}: {days} days added"


def _pause_start(p: _Period, adj: AdjustmentRule, e: Event) -> None:
    if p.open is not None:
        return  # already paused: the later start changes nothing
    since = max(e.date, p.start)
    counts = p.running(since)
    p.open = (since, counts, e)
    p.open_toll = p.toll(since, None, adj.cite) if counts else None


_RESUMED: Final = {
    "administrative_step": "OPA took an administrative investigation step",
    "submitted_to_oig": "the investigation was submitted to OIG",
    "proposed_findings_issued": "proposed findings were issued",
}


def _pause_end(p: _Period, e: Event, resumed: bool) -> None:
    assert p.open is not None
    since, _, started = p.open
    toll = p.open_toll
    p.open = None
    p.open_toll = None
    if toll is None:
        return
    stop = e.date if p.completed is None else min(e.date, p.completed)
    if stop <= since:
        p.tolls.remove(toll)
        return
    toll.until = stop
    if resumed:
        how = _RESUMED.get(e.type, e.type.replace("_", " "))
        until = f" until {iso(e.date)}, when {how}{_reason(e)}, which resumed the clock"
    else:
        until = f" to {iso(e.date)}"
    counted = f" (counted from {iso(since)}, when the period began)" if since != started.date else ""
    head = f"paused for a criminal investigation from {iso(started.date)}{until}{counted}"
    toll.describe = lambda n, overlap: f"{head}: {_tolled(n, overlap)}"


def _run_period(p: _Period, rule: DeadlineRule, by_type: dict[str, list[Event]], today: int) -> None:
    # (day, input position, k, ...): the case's order (events of one day as the input lists them);
    # k, unique and rising, orders the roles of one event (an event can end a pause and adjust)
    # and the sort never compares past it
    items: list[tuple[int, int, int, AdjustmentRule, str, Event]] = []
    for adj in rule.adjustments:
        if adj.kind == "later_of":
            continue
        role = "start" if adj.kind == "pause" else "single"
        for e in by_type.get(adj.event, _NO_EVENTS):
            items.append((e.date, e.index, len(items), adj, role, e))
        if adj.kind == "pause":
            if adj.end_event:
                for e in by_type.get(adj.end_event, _NO_EVENTS):
                    items.append((e.date, e.index, len(items), adj, "end", e))
            for t in adj.resumed_by:
                for e in by_type.get(t, _NO_EVENTS):
                    items.append((e.date, e.index, len(items), adj, "resume", e))
    items.sort()
    for _, _, _, adj, role, e in items:
        if role == "end":
            # with no pause open, an end after the clock already resumed (an administrative step
            # came first) changes nothing; ends with no start were refused by _check_pause_pairs
            if p.open is not None:
                _pause_end(p, e, resumed=False)
        elif role == "resume":
            if p.open is not None and e.date > p.open[2].date:
                _pause_end(p, e, resumed=True)
        elif role == "single":
            _single(p, adj, e)
        else:
            _pause_start(p, adj, e)
    if p.open is not None:
        since, _, started = p.open
        toll = p.open_toll
        p.open = None
        p.open_toll = None
        if toll is None:
            return
        if p.completed is not None or today < since:
            # findings resume the clock, and they are among the resuming events: a pause still
            # open at findings began on their day or later, and does not count; nor does one
            # that begins after today
            p.tolls.remove(toll)
            return
        p.tolled = True
        toll.until = today
        head = f"paused for a criminal investigation since {iso(started.date)} and still paused on {iso(today)}"
        toll.describe = lambda n, overlap: (
            f"{head}: {n - overlap} days counted so far; the due date moves a day for each further day of the pause"
            + (f" ({overlap} days were already tolled)" if overlap else "")
        )


def _period_steps(p: _Period) -> tuple[int, list[Step]]:
    """Tolls counted once, a later-starting toll giving up the days already tolled; the
    additions and tolls in the order they began. Returns (tolled days, steps)."""
    out: list[tuple[int, int, Step]] = list(p.steps)
    seen: list[tuple[int, int]] = []
    total = 0
    for t in sorted(p.tolls, key=lambda t: (t.since, t.seq)):
        assert t.until is not None
        n = t.until - t.since
        before = total
        seen.append((t.since, t.until))
        total = _union_measure(seen)
        new = total - before
        out.append((t.since, t.seq, {"text": t.describe(n, n - new), "days": new, "cite": t.cite}))
    out.sort()  # by (day, seq): seq is unique, the steps are never compared
    return total, [s for _, _, s in out]


def _investigation_clock(
    rule: DeadlineRule, start: int, completed: int | None, by_type: dict[str, list[Event]], today: int, first: Step
) -> tuple[int, bool, list[Step], set[int]]:
    """(due, tolled, steps, input indexes of the events that extended the period)."""
    base_steps = [first]
    due = start + rule.days
    for adj in rule.adjustments:
        if adj.kind == "later_of":
            lst = by_type.get(adj.event)
            if lst:
                due, base_steps = _later_of(adj, lst[0], start, first)
    p = _Period(start, due, completed, today)
    _run_period(p, rule, by_type, today)
    tolled, steps = _period_steps(p)
    return due + p.added + tolled, p.tolled, base_steps + steps, p.extended


def _later_of(adj: AdjustmentRule, e: Event, start: int, first: Step) -> tuple[int, list[Step]]:
    determined, underlying = e.date, e.days
    if underlying > determined:
        anchor = underlying
        which = (
            f"the end of the underlying complaint's period ({iso(underlying)}), later than the determination "
            f"on {iso(determined)} that it was missed because of a failure to timely refer"
        )
    else:
        anchor = determined
        which = (
            f"the determination on {iso(determined)} that the underlying complaint's deadline "
            f"({iso(underlying)}) was missed because of a failure to timely refer, the later of the two"
        )
    steps: list[Step] = []
    if anchor != start:
        steps.append(
            {
                "text": f"the period of a failure-to-refer investigation is measured from {which}, not from "
                f"{first['text'].split(' from ', 1)[-1]} ({iso(start)})",
                "days": anchor - start,
                "cite": adj.cite,
            }
        )
    steps.append({"text": f"{adj.days} days following {which}", "days": adj.days, "cite": adj.cite})
    return anchor + adj.days, steps


# --------------------------------------------------------------------------
# Deadlines
# --------------------------------------------------------------------------


def _first_step(rule: DeadlineRule, trig: Event, referral: tuple[Event, ReferralRule] | None) -> Step:
    start_type = trig.type
    text = f"{rule.days} days from {_START_TEXT.get(start_type, start_type.replace('_', ' '))}"
    cite = rule.cite
    if start_type == "incident_review_started":
        text = f"{rule.days} days from the start of the incident review by {trig.text} ({iso(trig.date)})"
    elif referral is not None:
        src, rr = referral
        text += (
            f" ({iso(trig.date)}): potential misconduct found in the review by {src.text} on {iso(src.date)}, to be "
            f"forwarded to OPA in a timely manner" + (f" ({rr.days} days allowed)" if rr.days else "")
        )
        cite = f"{cite}; {rr.cite}"
    elif "{d}" in text:
        text = text.replace("{d}", iso(trig.date))
    elif start_type in _DATED:
        text = f"{text} ({iso(trig.date)})"
    return {"text": text + rule.note, "days": rule.days, "cite": cite}


def _status(completed: int | None, due: int, tolled: bool, today: int) -> tuple[str, int | None]:
    if completed is not None:
        return ("met" if completed <= due else "missed"), None
    if tolled:
        return "tolled", due - today
    if today <= due:
        return "open", due - today
    return "overdue", None


def status_on(due: int, today: int) -> tuple[str, int | None]:
    """The status and days remaining on ``today`` of a deadline not completed, tolled or paused
    (a kept deadline whose events have not changed: cases.clock.statement_on)."""
    return _status(None, due, False, today)


def _not_applicable(dl_id: str, start: int, completed: int | None, text: str, cite: str) -> Deadline:
    return {
        "id": dl_id,
        "start": _d(start),
        "due": None,
        "status": NOT_APPLICABLE,
        "completed_on": None if completed is None else _d(completed),
        "days_remaining": None,
        "explanation": [{"text": text, "days": 0, "cite": cite}],
    }


def _check_answered(triggers: tuple[str, ...], completions: tuple[str, ...], by_type: dict[str, list[Event]]) -> None:
    """An answer matched by date alone needs a start on or before it (also the plan's check)."""
    first: Event | None = None
    for t in completions:
        lst = by_type.get(t)
        if lst is None:
            continue
        if first is None:
            first = _first(by_type, triggers)
        e = lst[0]
        if first is None or e.date < first.date:
            raise CaseError(
                f"events[{e.index}].type: {e.type} on {iso(e.date)} has no {' or '.join(triggers)} on or before it"
            )


def _check_pairs(rules: Rules, by_type: dict[str, list[Event]]) -> None:
    """End events need a start: a pause end its start, an OIG answer a submission, a review's end its start."""
    for _, triggers, completions, match in rules.answer_pairs:
        if match is None:
            _check_answered(triggers, completions, by_type)
            continue
        for t in completions:
            for e in by_type.get(t, _NO_EVENTS):
                starts = [s for s in _of_types(by_type, triggers) if s.date <= e.date]
                if not starts:
                    raise CaseError(
                        f"events[{e.index}].type: {e.type} on {iso(e.date)} has no {' or '.join(triggers)} "
                        "on or before it"
                    )
                if not any(s.text == e.text for s in starts):
                    raise CaseError(
                        f"events[{e.index}].{match}: {e.type} on {iso(e.date)} has no {' or '.join(triggers)} "
                        f"of {e.text!r} on or before it"
                    )
    for adj in rules.pauses:
        if adj.end_event in by_type:
            _check_pause_pairs(adj, by_type)


def _check_pause_pairs(adj: AdjustmentRule, by_type: dict[str, list[Event]]) -> None:
    """Each end closes a running pause: one begun before it, in the case's order (an end listed
    before a start of the same day does not close it)."""
    assert adj.end_event is not None
    marks = sorted(
        [(e.date, e.index, True, e) for e in by_type.get(adj.event, _NO_EVENTS)]
        + [(e.date, e.index, False, e) for e in by_type.get(adj.end_event, _NO_EVENTS)]
    )
    paused = False
    for _, _, starts, e in marks:
        if starts:
            paused = True
        elif paused:
            paused = False
        else:
            raise CaseError(f"events[{e.index}].type: {e.type} on {iso(e.date)} has no {adj.event} before it")


def _with_referrals(
    case: Case, profile: Profile
) -> tuple[dict[str, list[Event]], dict[tuple[int, str], tuple[Event, ReferralRule]]]:
    """The case's events by type, with the should-have-been-referred dates its reviews' findings set."""
    by_type = case.by_type
    derived: dict[tuple[int, str], tuple[Event, ReferralRule]] = {}
    found = [e for e in case.events if e.type == "review_found_potential_misconduct"]
    if not found:
        return by_type, derived
    by_type = dict(by_type)
    for e in found:
        for rr in profile.at(e.date).referrals:
            if rr.event != e.type:
                continue
            v = Event(e.date + rr.days, e.index, rr.starts, 0, e.text, None)
            derived[(v.index, v.type)] = (e, rr)
            by_type[rr.starts] = sorted([*by_type.get(rr.starts, _NO_EVENTS), v], key=event_key)
    return by_type, derived


def compute(case: Case, profile: Profile, today: int | dt.date) -> Timeline:
    """The case's deadlines and flags on ``today`` under ``profile``."""
    today_ord = today if type(today) is int else today.toordinal()  # type: ignore[union-attr]
    by_type, derived = _with_referrals(case, profile)
    first_start = _first(by_type, START_EVENTS)
    if first_start is not None:
        began = first_start.date
    else:
        began = case.events[0].date if case.events else today_ord
    rules = profile.at(began)
    _check_pairs(rules, by_type)
    deadlines: list[Deadline] = []
    append = deadlines.append
    inv: Deadline | None = None
    extended: set[int] = set()

    for dl_id, rule in rules.deadlines.items():
        triggers = _of_types(by_type, rule.trigger)
        cond = rule.condition
        if cond == "chief_departs_from_recommendation":
            triggers = [e for e in triggers if e.follows is False]
        elif cond == "investigation_missed":
            if inv is None or inv["status"] != "missed":
                continue
        elif cond == "does_not_extend_investigation":
            triggers = [e for e in triggers if e.index not in extended]
        if not triggers:
            continue
        if rule.repeat == "once":
            chosen = [triggers[-1] if rule.trigger_instance == "last" else triggers[0]]
        else:
            chosen = triggers
        for n, trig in enumerate(chosen, 1):
            name = dl_id if rule.repeat == "once" else f"{dl_id}_{n}"
            start = trig.date
            since = triggers[0].date if rule.completed_from == "first_trigger" else start
            unit = trig.text if rule.match == "unit" else None
            completed = _first_on_or_after(by_type, rule.completed_by, since, unit)
            if rule.not_in_force is not None:
                append(_not_applicable(name, start, completed, *rule.not_in_force))
                continue
            first = _first_step(rule, trig, derived.get((trig.index, trig.type)))
            due = start + rule.days
            tolled = False
            steps = [first]
            if rule.adjustments:
                due, tolled, steps, ext = _investigation_clock(rule, start, completed, by_type, today_ord, first)
                extended |= ext
            status, remaining = _status(completed, due, tolled, today_ord)
            d: Deadline = {
                "id": name,
                "start": _d(start),
                "due": _d(due),
                "status": status,
                "completed_on": None if completed is None else _d(completed),
                "days_remaining": remaining,
                "explanation": steps,
            }
            if dl_id == "investigation":
                inv = d
            append(d)

    return {
        "case_id": case.case_id,
        "profile": rules.profile,
        "today": iso(today_ord),
        "deadlines": deadlines,
        "flags": [] if rules.before_chapter else _flags(case, rules, deadlines, inv),
    }


class _FlagRules:
    """The flags' rules of one ``Rules``, read once: each enabled flag as the one dict every
    timeline of those rules shares (read, never changed), None when the flag is not enabled."""

    __slots__ = (
        "limitation",
        "years",
        "measured_from",
        "lift_criminal",
        "lift_concealment",
        "lapsed",
        "barred",
        "review",
        "categories",
        "force3",
    )

    def __init__(self, rules: Rules) -> None:
        f = rules.flags
        lim = rules.limitation

        def flag(flag_id: str) -> Flag | None:
            return {"id": flag_id, "cite": f[flag_id].cite} if flag_id in f else None

        self.limitation = flag("limitation_barred")
        self.years = lim.years
        self.measured_from: tuple[str, ...] = tuple(lim.measured_from)
        self.lift_criminal = "criminal" in lim.exceptions
        self.lift_concealment = "concealment" in lim.exceptions
        self.lapsed = flag("oig_review_lapsed")
        self.barred = flag("discipline_barred_timeline")
        self.review = flag("oig_review_required")
        self.categories = rules.oig_review_categories
        # Type III force is a level of force (3.29.007), carried by an allegation; its review
        # is the profile's: the category "type_iii_force" stands for it in the review lists.
        self.force3 = "type_iii_force" in rules.oig_review_categories


_FLAG_RULES: Final[dict[int, tuple[Rules, _FlagRules]]] = {}  # id(Rules) -> (the Rules, kept alive; its flags' rules)


def _flag_rules(rules: Rules) -> _FlagRules:
    found = _FLAG_RULES.get(id(rules))
    if found is not None and found[0] is rules:
        return found[1]
    fr = _FlagRules(rules)
    if len(_FLAG_RULES) > 1000:
        _FLAG_RULES.clear()
    _FLAG_RULES[id(rules)] = (rules, fr)
    return fr


def _flags(case: Case, rules: Rules, deadlines: list[Deadline], investigation: Deadline | None) -> list[Flag]:
    lapsed = False
    for d in deadlines:
        status = d["status"]
        if (status == "missed" or status == "overdue") and d["id"].startswith("oig_review_"):
            lapsed = True
            break
    return _flags_of(case, _flag_rules(rules), investigation, lapsed)


def _flags_of(case: Case, fr: _FlagRules, investigation: Deadline | None, lapsed: bool) -> list[Flag]:
    """The case's flags under ``fr``, ``lapsed`` when an OIG review window was missed or is
    overdue (the plan finds it while it computes the deadlines)."""
    flags: list[Flag] = []
    if fr.limitation is not None and case.incident_date is not None:
        made = _first(case.by_type, fr.measured_from)
        if made is not None and made.date > _add_years(case.incident_date, fr.years):
            lift_criminal = fr.lift_criminal
            lift_concealment = fr.lift_concealment
            if not any((a[2] and lift_criminal) or (a[3] and lift_concealment) for a in case.allegations):
                flags.append(fr.limitation)
    if fr.lapsed is not None and lapsed:
        flags.append(fr.lapsed)
    if fr.barred is not None and investigation is not None and investigation["status"] == "missed":
        flags.append(fr.barred)
    if fr.review is not None and case.allegations:
        review = fr.categories
        force3 = fr.force3
        for a in case.allegations:
            if a[1] in review or (a[4] and force3):
                flags.append(fr.review)
                break
    return flags


def timeline_from_json(obj: Any, profile: Profile, today: int | dt.date) -> Timeline:
    """Parse a decoded JSON case and compute its timeline (raises CaseError)."""
    from oversight.rules.events import parse_case

    return compute(parse_case(obj), profile, today)
