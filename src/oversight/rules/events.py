"""A case as the clock reads it: its dated events, checked field by field.

The event vocabulary is the contract of ``shared/spec/timeline.md``. Dates travel
as proleptic ordinals (``date.toordinal()``) inside the engines: integer arithmetic
is what makes recomputing a hundred thousand cases a second possible.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

# type -> extra fields: name -> (kind, required)
EVENT_TYPES: dict[str, dict[str, tuple[str, bool]]] = {
    "complaint_received": {},
    "complaint_initiated": {},
    "should_have_been_referred": {},
    "notice_sent": {},
    "interview_postponed": {"days": ("days", True), "reason": ("text", False)},
    "criminal_pause_started": {},
    "criminal_pause_ended": {},
    "director_vacancy": {},
    "additional_investigation": {"reason": ("text", False)},
    "submitted_to_oig": {},
    "oig_certified": {},
    "oig_not_certified": {},
    "proposed_findings_issued": {},
    "chief_decision": {"follows_recommendation": ("bool", True)},
    "chief_statement_issued": {},
    "timeline_statement_issued": {},
    "discipline_determination_received": {},
    "appeal_notice_filed": {},
}


class CaseError(ValueError):
    """Bad input, with the one line that names where and what."""


@dataclass(frozen=True, slots=True)
class Event:
    index: int  # position in the input, for messages and stable ordering
    type: str
    date: int  # ordinal
    days: int = 0
    follows_recommendation: bool | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Allegation:
    id: str | None
    category: str | None
    criminal: bool
    concealment: bool


@dataclass(frozen=True, slots=True)
class Case:
    case_id: str | None
    incident_date: int | None
    allegations: tuple[Allegation, ...]
    events: tuple[Event, ...]  # ordered by date; ties keep input order


_ISO_LEN = len("YYYY-MM-DD")
_DATE_CACHE: dict[str, int] = {}
_ISO_CACHE: dict[int, str] = {}


def parse_date(value: object, where: str) -> int:
    """An ISO ``YYYY-MM-DD`` string as an ordinal, or CaseError naming ``where``."""
    if type(value) is str:
        cached = _DATE_CACHE.get(value)
        if cached is not None:
            return cached
        if len(value) == _ISO_LEN and value[4] == "-" and value[7] == "-" and value.replace("-", "").isdigit():
            try:
                ordinal = dt.date(int(value[:4]), int(value[5:7]), int(value[8:])).toordinal()
            except ValueError:
                raise CaseError(f"{where}: {value!r} is not a real date") from None
            if len(_DATE_CACHE) > 200_000:
                _DATE_CACHE.clear()
            _DATE_CACHE[value] = ordinal
            return ordinal
        raise CaseError(f"{where}: {value!r} is not a date in the form YYYY-MM-DD")
    if value is None:
        raise CaseError(f"{where}: missing (a date YYYY-MM-DD is required)")
    raise CaseError(f"{where}: {value!r} is not a date in the form YYYY-MM-DD")


def iso(ordinal: int) -> str:
    s = _ISO_CACHE.get(ordinal)
    if s is None:
        if len(_ISO_CACHE) > 200_000:
            _ISO_CACHE.clear()
        s = _ISO_CACHE[ordinal] = dt.date.fromordinal(ordinal).isoformat()
    return s


def _sort_key(e: Event) -> tuple[int, int]:
    return (e.date, e.index)


def parse_case(obj: object) -> Case:
    """Check a decoded JSON case and turn it into a :class:`Case`."""
    if not isinstance(obj, dict):
        raise CaseError("case: must be a JSON object")
    case_id = obj.get("case_id")
    if case_id is not None and not isinstance(case_id, str):
        raise CaseError("case_id: must be a string")
    incident = obj.get("incident_date")
    incident_date = parse_date(incident, "incident_date") if incident is not None else None

    raw_allegations = obj.get("allegations", [])
    if raw_allegations is None:
        raw_allegations = []
    if not isinstance(raw_allegations, list):
        raise CaseError("allegations: must be a list")
    allegations = []
    for i, a in enumerate(raw_allegations):
        if not isinstance(a, dict):
            raise CaseError(f"allegations[{i}]: must be an object")
        cat = a.get("category")
        if cat is not None and not isinstance(cat, str):
            raise CaseError(f"allegations[{i}].category: must be a string")
        aid = a.get("id")
        if aid is not None and not isinstance(aid, str):
            raise CaseError(f"allegations[{i}].id: must be a string")
        flags = []
        for name in ("criminal", "concealment"):
            v = a.get(name, False)
            if v is None:
                v = False
            if not isinstance(v, bool):
                raise CaseError(f"allegations[{i}].{name}: must be true or false")
            flags.append(v)
        allegations.append(Allegation(aid, cat, flags[0], flags[1]))

    raw_events = obj.get("events")
    if raw_events is None:
        raise CaseError("events: missing (a list of events is required)")
    if not isinstance(raw_events, list):
        raise CaseError("events: must be a list")
    events: list[Event] = []
    in_order = True
    last = -1
    for i, e in enumerate(raw_events):
        if not isinstance(e, dict):
            raise CaseError(f"events[{i}]: must be an object")
        etype = e.get("type")
        fields = EVENT_TYPES.get(etype) if isinstance(etype, str) else None
        if fields is None:
            if etype is None:
                raise CaseError(f"events[{i}].type: missing")
            raise CaseError(f"events[{i}].type: unknown event type {etype!r}")
        date = parse_date(e.get("date"), f"events[{i}].date")
        days = 0
        follows = None
        reason = None
        if fields:
            if "days" in fields:
                d = e.get("days")
                if d is None:
                    raise CaseError(f"events[{i}].days: missing (a whole number of days is required)")
                if type(d) is not int or d < 0:
                    raise CaseError(f"events[{i}].days: {d!r} is not a whole number of days (0 or more)")
                days = d
            if "follows_recommendation" in fields:
                f = e.get("follows_recommendation")
                if f is None:
                    raise CaseError(f"events[{i}].follows_recommendation: missing (true or false is required)")
                if not isinstance(f, bool):
                    raise CaseError(f"events[{i}].follows_recommendation: {f!r} is not true or false")
                follows = f
            if "reason" in fields:
                r = e.get("reason")
                if r is not None and not isinstance(r, str):
                    raise CaseError(f"events[{i}].reason: must be text")
                reason = r
        if date < last:
            in_order = False
        last = date
        events.append(Event(i, etype, date, days, follows, reason))  # type: ignore[arg-type]
    if not in_order:
        events.sort(key=_sort_key)
    return Case(case_id, incident_date, tuple(allegations), tuple(events))
