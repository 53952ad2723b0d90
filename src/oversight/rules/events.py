"""A case as the clock reads it: its dated events, checked field by field.

The event vocabulary is the contract of ``shared/spec/timeline.md``. Dates travel
as proleptic ordinals (``date.toordinal()``) inside the engines: integer arithmetic
is what makes recomputing a hundred thousand cases a second possible.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Final, cast

import orjson

# type -> extra fields: name -> (kind, required). Kinds: "days" (a whole number of days),
# "text", "bool", "date" (another date, YYYY-MM-DD). At most one field of each kind.
EVENT_TYPES: Final[dict[str, dict[str, tuple[str, bool]]]] = {
    "complaint_received": {},
    "complaint_initiated": {},
    "should_have_been_referred": {},
    "notice_sent": {},
    "interview_postponed": {"days": ("days", True), "reason": ("text", False)},
    "criminal_pause_started": {},
    "criminal_pause_ended": {},
    # 3.29.026.F: "the 180-day clock shall resume whenever any administrative investigation steps are taken"
    "administrative_step": {"what": ("text", True)},
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
    # 3.29.026.C.2: this case investigates a failure to refer that made the underlying deadline missed
    "failure_to_refer_determined": {"underlying_due": ("date", True)},
    # 3.29.335.A: an SPD administrative investigation unit's incident review ("including the Force Review Board")
    "incident_review_started": {"unit": ("text", True)},
    "incident_review_completed": {"unit": ("text", True)},
    # 3.29.300.A: potential misconduct found in such a review, to be "forwarded in a timely manner to OPA"
    "review_found_potential_misconduct": {"unit": ("text", True)},
}


# Each event type's bit, for sets of types as numbers (Case.types)
_TYPE_BIT: Final[dict[str, int]] = {t: 1 << k for k, t in enumerate(EVENT_TYPES)}


def _decoded_keys(names: Iterable[str]) -> dict[str, str]:
    """Each key name as the very string object orjson's decoder gives a dict it decodes.

    orjson hands out one cached string per short key, not Python's interned literal: a lookup
    with the literal finds the entry by hash and then compares the characters, a lookup with the
    decoder's own object stops at identity. parse_case reads some twenty keys a case, so it looks
    them up with these. Only speed depends on it: a dict from elsewhere (the json module, a key
    the cache has let go) is found by comparison, as before."""
    names = list(dict.fromkeys(names))
    decoded = orjson.loads(orjson.dumps(dict.fromkeys(names, 0)))
    return {name: key for name, key in zip(names, cast(dict[str, int], decoded), strict=True)}


def type_bits(types: Iterable[str]) -> int:
    """The bits of event types (0 for a type the vocabulary does not have: no case has it)."""
    bits = 0
    for t in types:
        bits |= _TYPE_BIT.get(t, 0)
    return bits


class CaseError(ValueError):
    """Bad input, with the one line that names where and what."""


class Event:
    """A dated event of a case, as the clock reads it (the clock reads millions of them: a small
    class, its fields typed, which the compiled clock reads without unpacking a tuple).

    ``days`` holds the event's "days" field, or its "date"-kind field as an ordinal
    (failure_to_refer_determined.underlying_due); ``text`` its text field (reason, what, unit);
    ``index`` its position in the input."""

    __slots__ = ("date", "index", "type", "days", "text", "follows")

    def __init__(self, date: int, index: int, type: str, days: int, text: str | None, follows: bool | None) -> None:
        self.date = date
        self.index = index
        self.type = type
        self.days = days
        self.text = text
        self.follows = follows

    def __repr__(self) -> str:
        return f"Event({self.date}, {self.index}, {self.type!r}, {self.days}, {self.text!r}, {self.follows!r})"


# An allegation: (id, category, criminal, concealment, type_iii_force)
Allegation = tuple[str | None, str | None, bool, bool, bool]


class Case:
    """A checked case: its events in date order, events of one day in the order the input lists
    them (shared/spec/timeline.md: "ties keep file order"), and the same by type; ``types`` the
    types it has, a bit each (``type_bits``)."""

    __slots__ = ("case_id", "incident_date", "allegations", "events", "by_type", "types")

    def __init__(
        self,
        case_id: str | None,
        incident_date: int | None,
        allegations: tuple[Allegation, ...],
        events: list[Event],
        by_type: dict[str, list[Event]],
        types: int,
    ) -> None:
        self.case_id = case_id
        self.incident_date = incident_date
        self.allegations = allegations
        self.events = events
        self.by_type = by_type
        self.types = types


_ISO_LEN: Final = len("YYYY-MM-DD")
_DATE_CACHE: Final[dict[str, int]] = {}
# The ISO text of each day from 1900 to 2199, made when first asked for: a list, not a dict,
# so that a day's text is an index away (the clock writes a dozen dates a case).
_ISO_FIRST: Final = dt.date(1900, 1, 1).toordinal()
_ISO_DAYS: Final = dt.date(2200, 1, 1).toordinal() - _ISO_FIRST
_ISO_TEXT: Final[list[str | None]] = [None] * _ISO_DAYS


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
    """A day's ordinal as its ISO ``YYYY-MM-DD``."""
    i = ordinal - _ISO_FIRST
    if 0 <= i < _ISO_DAYS:
        s = _ISO_TEXT[i]
        if s is None:
            s = _ISO_TEXT[i] = dt.date.fromordinal(ordinal).isoformat()
        return s
    return dt.date.fromordinal(ordinal).isoformat()


_KEY: Final = _decoded_keys(
    ["case_id", "incident_date", "allegations", "events", "type", "date"]
    + ["id", "category", "criminal", "concealment", "type_iii_force"]
    + [name for fields in EVENT_TYPES.values() for name in fields]
)
_K_CASE_ID: Final = _KEY["case_id"]
_K_INCIDENT: Final = _KEY["incident_date"]
_K_ALLEGATIONS: Final = _KEY["allegations"]
_K_EVENTS: Final = _KEY["events"]
_K_TYPE: Final = _KEY["type"]
_K_DATE: Final = _KEY["date"]
_K_ID: Final = _KEY["id"]
_K_CATEGORY: Final = _KEY["category"]
_K_CRIMINAL: Final = _KEY["criminal"]
_K_CONCEALMENT: Final = _KEY["concealment"]
_K_FORCE3: Final = _KEY["type_iii_force"]


def parse_case(obj: object) -> Case:
    """Check a decoded JSON case and turn it into a :class:`Case` (or raise CaseError)."""
    if type(obj) is not dict:
        raise CaseError("case: must be a JSON object")
    case_id = obj.get(_K_CASE_ID)
    if case_id is not None and type(case_id) is not str:
        raise CaseError("case_id: must be a string")
    incident = obj.get(_K_INCIDENT)
    incident_date = parse_date(incident, "incident_date") if incident is not None else None

    raw_allegations = obj.get(_K_ALLEGATIONS)
    allegations: list[Allegation] = []
    if raw_allegations is not None:
        if type(raw_allegations) is not list:
            raise CaseError("allegations: must be a list")
        for i, a in enumerate(raw_allegations):
            if type(a) is not dict:
                raise CaseError(f"allegations[{i}]: must be an object")
            cat = a.get(_K_CATEGORY)
            if cat is not None and type(cat) is not str:
                raise CaseError(f"allegations[{i}].category: must be a string")
            aid = a.get(_K_ID)
            if aid is not None and type(aid) is not str:
                raise CaseError(f"allegations[{i}].id: must be a string")
            criminal = a.get(_K_CRIMINAL) or False
            concealment = a.get(_K_CONCEALMENT) or False
            force3 = a.get(_K_FORCE3) or False
            if criminal is not True and criminal is not False:
                raise CaseError(f"allegations[{i}].criminal: must be true or false")
            if concealment is not True and concealment is not False:
                raise CaseError(f"allegations[{i}].concealment: must be true or false")
            if force3 is not True and force3 is not False:
                raise CaseError(f"allegations[{i}].type_iii_force: must be true or false")
            allegations.append((aid, cat, criminal, concealment, force3))

    raw_events = obj.get(_K_EVENTS)
    if raw_events is None:
        raise CaseError("events: missing (a list of events is required)")
    if type(raw_events) is not list:
        raise CaseError("events: must be a list")
    events: list[Event] = []
    by_type: dict[str, list[Event]] = {}
    cache = _DATE_CACHE
    kinds = _KIND_OF
    types = 0
    in_order = True
    last = -1
    i = 0
    for e in raw_events:
        if type(e) is not dict:
            raise CaseError(f"events[{i}]: must be an object")
        etype = e.get(_K_TYPE)
        kind = kinds.get(etype) if type(etype) is str else None
        if kind is None:
            if etype is None:
                raise CaseError(f"events[{i}].type: missing")
            raise CaseError(f"events[{i}].type: unknown event type {etype!r}")
        t = kind.type  # the vocabulary's own string: by_type and the rules' literals then match by identity
        spec = kind.fields
        raw_date = e.get(_K_DATE)
        date = cache.get(raw_date) if type(raw_date) is str else None
        if date is None:
            date = parse_date(raw_date, f"events[{i}].date")
        if date < last:
            in_order = False
        last = date
        ev = _with_fields(i, t, date, e, spec) if spec else Event(date, i, t, 0, None, None)
        events.append(ev)
        lst = by_type.get(t)
        if lst is None:
            by_type[t] = [ev]
            types |= kind.bit
        else:
            lst.append(ev)
        i += 1
    if not in_order:
        _sort_events(events)
        by_type = {}
        for ev in events:
            lst = by_type.get(ev.type)
            if lst is None:
                by_type[ev.type] = [ev]
            else:
                lst.append(ev)
    return Case(case_id, incident_date, tuple(allegations), events, by_type, types)


def _sort_events(events: list[Event]) -> None:
    """Put events in the clock's order (``event_key``): an insertion sort for a case's few events,
    most of them in order already (stable: events of one day keep the input's order)."""
    n = len(events)
    if n > 64:
        events.sort(key=event_key)
        return
    for k in range(1, n):
        ev = events[k]
        day = ev.date
        j = k - 1
        while j >= 0 and events[j].date > day:
            events[j + 1] = events[j]
            j -= 1
        events[j + 1] = ev


def event_key(e: Event) -> tuple[int, int]:
    """The order the clock takes events in: by date, events of one day in the order the input
    lists them (their input position)."""
    return (e.date, e.index)


# Kinds of extra field, as small numbers, and each type's fields in EVENT_TYPES's order:
# type -> ((name, kind, required), ...), an empty tuple for a type with none.
_DAYS: Final = 0
_BOOL: Final = 1
_DATE: Final = 2
_TEXT: Final = 3
_KINDS: Final = {"days": _DAYS, "bool": _BOOL, "date": _DATE, "text": _TEXT}
_FIELDS: Final[dict[str, tuple[tuple[str, int, bool], ...]]] = {
    etype: tuple((_KEY[name], _KINDS[kind], required) for name, (kind, required) in fields.items())
    for etype, fields in EVENT_TYPES.items()
}


class _EventKind:
    """An event type as parse_case reads it: its name (the vocabulary's string), bit and fields."""

    __slots__ = ("type", "bit", "fields")

    def __init__(self, type: str, bit: int, fields: tuple[tuple[str, int, bool], ...]) -> None:
        self.type = type
        self.bit = bit
        self.fields = fields


_KIND_OF: Final[dict[str, _EventKind]] = {t: _EventKind(t, _TYPE_BIT[t], _FIELDS[t]) for t in EVENT_TYPES}


def _with_fields(i: int, etype: str, date: int, e: dict[str, Any], fields: tuple[tuple[str, int, bool], ...]) -> Event:
    days = 0
    follows = None
    text = None
    for name, kind, required in fields:
        v = e.get(name)
        if kind == _DAYS:
            if v is None:
                raise CaseError(f"events[{i}].{name}: missing (a whole number of days is required)")
            if type(v) is not int or v < 0:
                raise CaseError(f"events[{i}].{name}: {v!r} is not a whole number of days (0 or more)")
            days = v
        elif kind == _BOOL:
            if v is None:
                raise CaseError(f"events[{i}].{name}: missing (true or false is required)")
            if not isinstance(v, bool):
                raise CaseError(f"events[{i}].{name}: {v!r} is not true or false")
            follows = v
        elif kind == _DATE:
            days = parse_date(v, f"events[{i}].{name}")
        elif v is None:
            if required:
                raise CaseError(f"events[{i}].{name}: missing (text is required)")
        elif not isinstance(v, str):
            raise CaseError(f"events[{i}].{name}: must be text")
        elif required and not v.strip():
            raise CaseError(f"events[{i}].{name}: must not be empty")
        else:
            text = v
    return Event(date, i, etype, days, text, follows)
