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

from oversight.rules.events import Case, Event, iso
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
    _check_pairs,
    _first,
    _first_on_or_after,
    _flags,
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
        # Adjustments that only add days (no toll, no pause, no other anchor):
        # (event type, applies always, adds a number of days of its own or the event's, days, cite)
        self.additions: tuple[tuple[str, bool, bool, int, str], ...] = tuple(
            (a.event, a.when == "always", a.kind == "event_days", a.days, a.cite)
            for a in rule.adjustments
            if a.kind in ("event_days", "fixed")
        )
        # the event types of the others: with none of them in a case, its period only adds days
        self.involved = tuple(dict.fromkeys(a.event for a in rule.adjustments if a.kind not in ("event_days", "fixed")))
        self.investigation = dl_id == "investigation"
        self.days = rule.days
        self.cite = rule.cite
        self.note = rule.note
        # start type -> the first step's text before any date (timeline._first_step)
        self.texts: dict[str, str] = {}
        # start type -> the whole first step's text, for a start that names no date
        self.whole: dict[str, str] = {}

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
                return {"text": whole, "days": days, "cite": self.cite}
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
        else:  # the same words for every case
            self.whole[start_type] = text + self.note
        return {"text": text + self.note, "days": days, "cite": cite}


class _RulesPlan:
    """Everything about one ``Rules`` that does not depend on the case."""

    __slots__ = ("rules", "deadlines", "checked", "flags")

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.deadlines = tuple(_DeadlinePlan(dl_id, rule) for dl_id, rule in rules.deadlines.items())
        # the event types _check_pairs looks at first: without one of them it has nothing to refuse
        checked: set[str] = set()
        for _, _, completions, _ in rules.answer_pairs:
            checked.update(completions)
        for adj in rules.pauses:
            if adj.end_event is not None:
                checked.add(adj.end_event)
        self.checked = tuple(sorted(checked))
        self.flags = not rules.before_chapter


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
        """The case's deadlines and flags on ``today``: exactly ``timeline.compute(case, profile, today)``."""
        today_ord: int = today if type(today) is int else today.toordinal()  # type: ignore[union-attr]
        derived: dict[tuple[int, str], tuple[Event, ReferralRule]]
        if _REFERRAL_EVENT in case.by_type:
            by_type, derived = _with_referrals(case, self.profile)
        else:
            by_type, derived = case.by_type, {}
        first_start = _first(by_type, START_EVENTS)
        if first_start is not None:
            began = first_start.date
        else:
            began = case.events[0].date if case.events else today_ord
        plan = self._latest if began >= self._last_change else self._plan(self.profile.at(began))
        rules = plan.rules
        if _any_in(plan.checked, by_type):
            _check_pairs(rules, by_type)
        deadlines: list[Deadline] = []
        append = deadlines.append
        inv: Deadline | None = None
        extended: set[int] = set()

        for dp in plan.deadlines:
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
                completed = _first_on_or_after(by_type, dp.completed_by, since, trig.text if dp.by_unit else None)
                if dp.not_in_force is not None:
                    text, cite = dp.not_in_force
                    append(
                        {
                            "id": name,
                            "start": iso(start),
                            "due": None,
                            "status": NOT_APPLICABLE,
                            "completed_on": None if completed is None else iso(completed),
                            "days_remaining": None,
                            "explanation": [{"text": text, "days": 0, "cite": cite}],
                        }
                    )
                    continue
                first = dp.first_step(trig, derived.get((trig.index, trig.type)) if derived else None)
                tolled = False
                if dp.adjusts and _any_in(dp.adjusted_by, by_type):
                    if not _any_in(dp.involved, by_type):
                        due, steps = _additions(dp, start, completed, by_type, first, extended)
                    else:
                        due, tolled, steps, ext = _investigation_clock(
                            dp.rule, start, completed, by_type, today_ord, first
                        )
                        extended |= ext
                else:
                    due = start + dp.days
                    steps = [first]
                # timeline._status
                if completed is not None:
                    status = "met" if completed <= due else "missed"
                    remaining: int | None = None
                elif tolled:
                    status, remaining = "tolled", due - today_ord
                elif today_ord <= due:
                    status, remaining = "open", due - today_ord
                else:
                    status, remaining = "overdue", None
                d: Deadline = {
                    "id": name,
                    "start": iso(start),
                    "due": iso(due),
                    "status": status,
                    "completed_on": None if completed is None else iso(completed),
                    "days_remaining": remaining,
                    "explanation": steps,
                }
                if dp.investigation:
                    inv = d
                append(d)

        return {
            "case_id": case.case_id,
            "profile": rules.profile,
            "today": iso(today_ord),
            "deadlines": deadlines,
            "flags": _flags(case, rules, deadlines, inv) if plan.flags else [],
        }


def _any_in(types: tuple[str, ...], by_type: dict[str, list[Event]]) -> bool:
    """Whether the case has an event of one of ``types``."""
    for t in types:
        if t in by_type:
            return True
    return False


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
    items: list[tuple[int, int, int, Event, tuple[str, bool, bool, int, str]]] = []
    k = 0
    for add in dp.additions:
        found = by_type.get(add[0])
        if found is not None:
            for e in found:
                items.append((e.date, e.index, k, e, add))
                k += 1
    if len(items) > 1:
        items.sort()  # the case's order; k is unique: the sort never compares past it
    due = start + dp.days
    steps = [first]
    for item in items:
        day = item[0]
        e = item[3]
        add = item[4]
        if not add[1] and (day < start or (completed is not None and day >= completed) or day > due):
            continue
        extended.add(e.index)
        days = e.days if add[2] else add[3]
        if days:
            due += days
            steps.append({"text": _added_text(e, days), "days": days, "cite": add[4]})
    return due, steps
