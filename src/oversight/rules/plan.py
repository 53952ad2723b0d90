"""The clock for a batch: the rules in force resolved once into a plan, then applied to case after case.

A batch's profile does not change from one case to the next, and most cases fall under
the same rules (``Profile.at``), so what ``timeline.compute`` works out again for every
case is worked out here once per rules in force: which event types start each deadline,
its condition, what completes it, the words of its first step, which events can adjust
it, which checks a case can need. ``Plan.compute`` then answers exactly what
``timeline.compute`` answers (tests/rules/test_plan.py holds it to that, byte for byte),
sharing its code for everything that depends on the case: the investigation period's
adjustments, the failure-to-refer anchor, the checks of paired events.

What it skips, it skips only when the case cannot need it: a deadline with none of its
starting events, the investigation period's machinery for a case with none of the
events that adjust it (and its tolls' machinery when they only add days), the pair
checks for a case with none of the answering events.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from oversight.rules.events import Case, Event, iso, type_bits
from oversight.rules.profile import DeadlineRule, Profile, ReferralRule, Rules
from oversight.rules.timeline import (
    _DATED,
    _START_TEXT,
    NOT_APPLICABLE,
    START_EVENTS,
    Deadline,
    Step,
    Timeline,
    _added_text,
    _check_answered,
    _check_pairs,
    _flag_rules,
    _flags_of,
    _investigation_clock,
    _of_types,
    _with_referrals,
)

# Conditions, as small numbers
_NONE: Final = 0
_CHIEF_DEPARTS: Final = 1
_INVESTIGATION_MISSED: Final = 2
_NOT_EXTENDING: Final = 3
_CONDITIONS: Final = {
    None: _NONE,
    "chief_departs_from_recommendation": _CHIEF_DEPARTS,
    "investigation_missed": _INVESTIGATION_MISSED,
    "does_not_extend_investigation": _NOT_EXTENDING,
}
_REFERRAL_EVENT: Final = "review_found_potential_misconduct"


class _Addition:
    """An adjustment that only adds days: its event type, whether it applies always (or only while
    the period runs), whether it adds the event's own days (or ``days``), and its cite."""

    __slots__ = ("event", "always", "own_days", "days", "cite")

    def __init__(self, event: str, always: bool, own_days: bool, days: int, cite: str) -> None:
        self.event = event
        self.always = always
        self.own_days = own_days
        self.days = days
        self.cite = cite


class _DeadlinePlan:
    """One deadline of the rules in force, resolved for case after case."""

    __slots__ = (
        "id",
        "rule",
        "trigger",
        "one_type",
        "condition",
        "once",
        "last",
        "from_first",
        "by_unit",
        "completed_by",
        "not_in_force",
        "adjusts",
        "adjusted_by",
        "additions",
        "involved",
        "investigation",
        "days",
        "cite",
        "note",
        "texts",
        "whole",
        "trigger_bits",
        "adjusted_bits",
        "involved_bits",
    )

    def __init__(self, dl_id: str, rule: DeadlineRule) -> None:
        self.id = dl_id
        self.rule = rule
        self.trigger = rule.trigger
        self.one_type: str | None = rule.trigger[0] if len(rule.trigger) == 1 else None
        if rule.condition not in _CONDITIONS:
            raise ValueError(f"deadline {dl_id}: unknown condition {rule.condition!r}")
        self.condition: int = _CONDITIONS[rule.condition]
        self.once = rule.repeat == "once"
        self.last = rule.trigger_instance == "last"
        self.from_first = rule.completed_from == "first_trigger"
        self.by_unit = rule.match == "unit"
        self.completed_by = rule.completed_by
        self.not_in_force = rule.not_in_force
        self.adjusts = bool(rule.adjustments)
        # the event types whose presence can change the period (timeline._run_period reads
        # the others, a pause's end and what resumes it, only once a pause began)
        self.adjusted_by = tuple(dict.fromkeys(a.event for a in rule.adjustments))
        # Adjustments that only add days (no toll, no pause, no other anchor)
        self.additions: tuple[_Addition, ...] = tuple(
            _Addition(a.event, a.when == "always", a.kind == "event_days", a.days, a.cite)
            for a in rule.adjustments
            if a.kind in ("event_days", "fixed")
        )
        # the event types of the others: with none of them in a case, its period only adds days
        self.involved = tuple(dict.fromkeys(a.event for a in rule.adjustments if a.kind not in ("event_days", "fixed")))
        self.investigation = dl_id == "investigation"
        # the same sets of event types as bits (events.type_bits), to test a case's Case.types against
        self.trigger_bits = type_bits(self.trigger)
        self.adjusted_bits = type_bits(self.adjusted_by)
        self.involved_bits = type_bits(self.involved)
        self.days = rule.days
        self.cite = rule.cite
        self.note = rule.note
        # start type -> the first step's text before any date (timeline._first_step)
        self.texts: dict[str, str] = {}
        # start type -> the whole first step, for a start that names no date: the same dict for
        # every case (Plan.compute's timelines share it; it is read, never changed)
        self.whole: dict[str, Step] = {}

    def first_step(self, trig: Event, referral: tuple[Event, ReferralRule] | None) -> Step:
        """timeline._first_step, its words for the start type looked up once."""
        start_type = trig.type
        days = self.days
        if start_type == "incident_review_started":
            return {
                "text": f"{days} days from the start of the incident review by {trig.text} ({iso(trig.date)})"
                + self.note,
                "days": days,
                "cite": self.cite,
            }
        if referral is None:
            whole = self.whole.get(start_type)
            if whole is not None:
                return whole
        text = self.texts.get(start_type)
        if text is None:
            text = f"{days} days from {_START_TEXT.get(start_type, start_type.replace('_', ' '))}"
            self.texts[start_type] = text
        cite = self.cite
        if referral is not None:
            src, rr = referral
            text += (
                f" ({iso(trig.date)}): potential misconduct found in the review by {src.text} on {iso(src.date)}, "
                f"to be forwarded to OPA in a timely manner" + (f" ({rr.days} days allowed)" if rr.days else "")
            )
            cite = f"{cite}; {rr.cite}"
        elif "{d}" in text:
            text = text.replace("{d}", iso(trig.date))
        elif start_type in _DATED:
            text = f"{text} ({iso(trig.date)})"
        else:  # the same step for every case
            step: Step = {"text": text + self.note, "days": days, "cite": cite}
            self.whole[start_type] = step
            return step
        return {"text": text + self.note, "days": days, "cite": cite}


class _RulesPlan:
    """Everything about one ``Rules`` that does not depend on the case."""

    __slots__ = (
        "rules",
        "deadlines",
        "checked",
        "answers",
        "other_checked",
        "checked_bits",
        "other_bits",
        "flags",
        "flag_rules",
    )

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.deadlines = tuple(_DeadlinePlan(dl_id, rule) for dl_id, rule in rules.deadlines.items())
        # the event types _check_pairs looks at first: without one of them it has nothing to refuse
        checked: set[str] = set()
        other: set[str] = set()
        for _, _, completions, match in rules.answer_pairs:
            checked.update(completions)
            if match is not None:
                other.update(completions)
        for adj in rules.pauses:
            if adj.end_event is not None:
                checked.add(adj.end_event)
                other.add(adj.end_event)
        self.checked = tuple(sorted(checked))
        # the answers matched by nothing but their date, (start types, answer types) in _check_pairs's
        # order, and the event types that need the rest of _check_pairs (matched answers, pauses' ends)
        self.answers: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = tuple(
            (triggers, completions) for _, triggers, completions, match in rules.answer_pairs if match is None
        )
        self.other_checked = tuple(sorted(other))
        self.checked_bits = type_bits(self.checked)
        self.other_bits = type_bits(self.other_checked)
        self.flags = not rules.before_chapter
        self.flag_rules = _flag_rules(rules)  # timeline's, each flag one dict the timelines share


# The keys of a deadline, in the order they are written, for copies (Plan.compute fills in each value)
_DEADLINE: Final[Deadline] = {
    "id": "",
    "start": "",
    "due": None,
    "status": "",
    "completed_on": None,
    "days_remaining": None,
    "explanation": [],
}


class Plan:
    """A profile's rules, resolved once for a batch; ``compute`` answers as ``timeline.compute`` does."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self._plans: dict[int, _RulesPlan] = {}  # id(Rules) -> its plan (the plan keeps the Rules alive)
        self._last_change = profile.last_change
        self._latest = self._plan(profile.at(self._last_change))  # the rules of most cases

    def _plan(self, rules: Rules) -> _RulesPlan:
        plan = self._plans.get(id(rules))
        if plan is None or plan.rules is not rules:
            plan = _RulesPlan(rules)
            self._plans[id(rules)] = plan
        return plan

    def compute(self, case: Case, today: int | dt.date) -> Timeline:
        """The case's deadlines and flags on ``today``: exactly ``timeline.compute(case, profile, today)``.

        A step or flag the same for every case is one dict, shared by the timelines this returns:
        read them, never change them."""
        today_ord: int = today if type(today) is int else today.toordinal()  # type: ignore[union-attr]
        derived: dict[tuple[int, str], tuple[Event, ReferralRule]]
        if _REFERRAL_EVENT in case.by_type:
            by_type, derived = _with_referrals(case, self.profile)
            has = type_bits(by_type)
        else:
            by_type, derived = case.by_type, {}
            has = case.types
        first_start = _first_of(by_type, START_EVENTS)
        if first_start is not None:
            began = first_start.date
        else:
            began = case.events[0].date if case.events else today_ord
        plan = self._latest if began >= self._last_change else self._plan(self.profile.at(began))
        rules = plan.rules
        if has & plan.checked_bits:
            if has & plan.other_bits:
                _check_pairs(rules, by_type)
            else:
                _check_answers(plan.answers, by_type)
        deadlines: list[Deadline] = []
        inv: Deadline | None = None
        extended: set[int] = set()
        lapsed = False

        for dp in plan.deadlines:
            if not has & dp.trigger_bits:
                continue
            one = dp.one_type
            if one is not None:
                found = by_type.get(one)
                if found is None:
                    continue
                triggers = found
            else:
                # _of_types, without its merge when only one of the types is in the case
                got: list[Event] | None = None
                many = False
                for t in dp.trigger:
                    found = by_type.get(t)
                    if found is not None:
                        if got is None:
                            got = found
                        else:
                            many = True
                            break
                if got is None:
                    continue
                triggers = _of_types(by_type, dp.trigger) if many else got
            cond = dp.condition
            if cond:
                if cond == _CHIEF_DEPARTS:
                    triggers = [e for e in triggers if e.follows is False]
                elif cond == _INVESTIGATION_MISSED:
                    if inv is None or inv["status"] != "missed":
                        continue
                else:
                    triggers = [e for e in triggers if e.index not in extended]
            if not triggers:
                continue
            if dp.once:
                chosen = [triggers[-1] if dp.last else triggers[0]]
            else:
                chosen = triggers
            first_day = triggers[0].date
            n = 0
            for trig in chosen:
                n += 1
                name = dp.id if dp.once else f"{dp.id}_{n}"
                start = trig.date
                since = first_day if dp.from_first else start
                completed = _completed_on(by_type, dp.completed_by, since, trig.text if dp.by_unit else None)
                if dp.not_in_force is not None:
                    text, cite = dp.not_in_force
                    deadlines.append(
                        {
                            "id": name,
                            "start": iso(start),
                            "due": None,
                            "status": NOT_APPLICABLE,
                            "completed_on": None if completed < 0 else iso(completed),
                            "days_remaining": None,
                            "explanation": [{"text": text, "days": 0, "cite": cite}],
                        }
                    )
                    continue
                first = dp.first_step(trig, derived.get((trig.index, trig.type)) if derived else None)
                tolled = False
                if dp.adjusts and has & dp.adjusted_bits:
                    done = None if completed < 0 else completed
                    if not has & dp.involved_bits:
                        due, steps = _additions(dp, start, done, by_type, first, extended)
                    else:
                        due, tolled, steps, ext = _investigation_clock(dp.rule, start, done, by_type, today_ord, first)
                        extended |= ext
                else:
                    due = start + dp.days
                    steps = [first]
                # timeline._status
                remaining: int | None = None
                if completed >= 0:
                    status = "met" if completed <= due else "missed"
                elif tolled:
                    status, remaining = "tolled", due - today_ord
                elif today_ord <= due:
                    status, remaining = "open", due - today_ord
                else:
                    status = "overdue"
                if not lapsed and (status == "missed" or status == "overdue") and name.startswith("oig_review_"):
                    lapsed = True
                d = _DEADLINE.copy()  # a copy of a dict of the same keys is cheaper to make than a new one
                d["id"] = name
                d["start"] = iso(start)
                d["due"] = iso(due)
                d["status"] = status
                if completed >= 0:
                    d["completed_on"] = iso(completed)
                d["days_remaining"] = remaining
                d["explanation"] = steps
                if dp.investigation:
                    inv = d
                deadlines.append(d)

        return {
            "case_id": case.case_id,
            "profile": rules.profile,
            "today": iso(today_ord),
            "deadlines": deadlines,
            "flags": _flags_of(case, plan.flag_rules, inv, lapsed) if plan.flags else [],
        }


def _first_of(by_type: dict[str, list[Event]], types: tuple[str, ...]) -> Event | None:
    """timeline._first: the earliest event of the given types; of two on one day, the one the input lists first."""
    best: Event | None = None
    for t in types:
        lst = by_type.get(t)
        if lst is not None:
            e = lst[0]
            if best is None or e.date < best.date or (e.date == best.date and e.index < best.index):
                best = e
    return best


def _completed_on(by_type: dict[str, list[Event]], types: tuple[str, ...], day: int, unit: str | None) -> int:
    """timeline._first_on_or_after, -1 for none: the day of the first event of the given types on or
    after ``day`` (of the unit, if one is given)."""
    best = -1
    for t in types:
        lst = by_type.get(t)
        if lst is not None:
            for e in lst:
                if e.date >= day and (unit is None or e.text == unit):
                    if best < 0 or e.date < best:
                        best = e.date
                    break
    return best


def _check_answers(
    answers: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...], by_type: dict[str, list[Event]]
) -> None:
    """timeline._check_pairs for a case with none of the answers it matches by more than date, nor
    a pause's end: each answer needs a start on or before it."""
    for triggers, completions in answers:
        _check_answered(triggers, completions, by_type)


def _additions(
    dp: _DeadlinePlan,
    start: int,
    completed: int | None,
    by_type: dict[str, list[Event]],
    first: Step,
    extended: set[int],
) -> tuple[int, list[Step]]:
    """timeline._investigation_clock for a case whose only adjusting events add days: no pause,
    no toll, no other anchor. The events in _run_period's order; each counts if it applies
    always or falls while the period runs (on or after the start, before the findings, on or
    before the due date as adjusted so far). Returns (due, steps); adds to ``extended`` the
    input indexes of the events that adjusted the period."""
    due = start + dp.days
    steps = [first]
    only: list[Event] | None = None
    only_add: _Addition | None = None
    items: list[tuple[int, int, int, Event, _Addition]] | None = None
    for add in dp.additions:
        found = by_type.get(add.event)
        if found is None:
            continue
        if only is None and items is None:
            only, only_add = found, add  # one type's events: already in the case's order
            continue
        if items is None:
            items = []
            assert only is not None and only_add is not None
            for e in only:
                items.append((e.date, e.index, len(items), e, only_add))
        for e in found:
            items.append((e.date, e.index, len(items), e, add))
    if items is not None:
        items.sort()  # the case's order; the third item is unique: the sort never compares past it
        for item in items:
            due = _add(item[3], item[4], start, completed, due, steps, extended)
    elif only is not None and only_add is not None:
        for e in only:
            due = _add(e, only_add, start, completed, due, steps, extended)
    return due, steps


def _add(
    e: Event, add: _Addition, start: int, completed: int | None, due: int, steps: list[Step], extended: set[int]
) -> int:
    day = e.date
    if not add.always and (day < start or (completed is not None and day >= completed) or day > due):
        return due
    extended.add(e.index)
    days = e.days if add.own_days else add.days
    if days:
        steps.append({"text": _added_text(e, days), "days": days, "cite": add.cite})
        return due + days
    return due
