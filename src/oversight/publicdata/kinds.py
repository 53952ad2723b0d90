"""The standard schema of each kind of public data: stops, force, shootings.

A mapping file (mappings/*.toml) says which column of a city's export feeds which standard
field here. A field's ``merge`` says how the rows that describe one stop, incident or
shooting are folded into one record:

- ``first``: one value; the first known one is kept, a different known value later is a
  conflict (counted in the import report);
- ``min`` / ``max``: the smallest / largest known value;
- ``any``: a yes/no that is yes if any row says yes, no if all known rows say no;
- ``list``: the distinct known values, in the order first seen (weapon types, officers);
- ``private``: read and checked but never stored (subject IDs, GO numbers, birth dates).

Pure Python: imports no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

TYPES = ("text", "longtext", "int", "float", "date", "time", "datetime", "flag", "officer", "private")
MERGES = ("first", "min", "max", "any", "list", "private")


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    merge: str = "first"
    required: bool = False
    column: str = ""  # stored column name; defaults to name
    doc: str = ""

    @property
    def col(self) -> str:
        return self.column or self.name

    @property
    def stored(self) -> bool:
        return self.merge != "private" and self.type != "private"


Record = dict[str, Any]
Row = dict[str, Any]


@dataclass(frozen=True)
class Kind:
    name: str
    unit: str  # what one record counts: a stop, an incident, a shooting
    table: str
    key: str  # the standard field that identifies one unit
    fields: tuple[Field, ...]
    derived: tuple[tuple[str, str], ...]  # (column, type) computed by finish
    finish: Callable[[Record, list[Row]], None]
    group_columns: tuple[str, ...]  # columns a summary may group or filter by
    extra: Callable[[Record, list[Row]], list[Record]] | None = None
    extra_table: str = ""
    extra_columns: tuple[tuple[str, str], ...] = ()
    required: tuple[str, ...] = field(default=())

    def get(self, name: str) -> Field | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None


def _year(d: dt.date | dt.datetime | None) -> int | None:
    return d.year if d is not None else None


# ---------------------------------------------------------------- stops

NO_WEAPON = "None"


def _finish_stop(rec: Record, rows: list[Row]) -> None:
    rec["year"] = _year(rec.get("reported_date"))
    types = rec.get("weapon_types") or []
    # Unknown when no row says anything about a weapon; otherwise found unless all say None.
    rec["weapon_found"] = None if not types else any(t != NO_WEAPON for t in types)


STOPS = Kind(
    name="stops",
    unit="stop",
    table="stops",
    key="stop_id",
    fields=(
        Field("stop_id", "text", required=True, doc="the stop's identifier in the export"),
        Field("subject_id", "private", "private", doc="never stored"),
        Field("go_number", "private", "private", doc="never stored"),
        Field("reported_date", "date", "min", doc="the date the stop was reported"),
        Field("reported_time", "time", "min", doc="the time the stop was reported, not when it happened"),
        Field("subject_age_group", "text"),
        Field("subject_race", "text", doc="as perceived by the officer"),
        Field("subject_gender", "text", doc="as perceived by the officer"),
        Field("resolution", "text"),
        Field("weapon_type", "text", "list", column="weapon_types", doc=f"{NO_WEAPON!r} means none found"),
        Field("officer", "officer", "list", column="officers", doc="keyed-hash pseudonyms"),
        Field("officer_yob", "int"),
        Field("officer_gender", "text"),
        Field("officer_race", "text"),
        Field("officer_squad", "text"),
        Field("call_type_initial", "text"),
        Field("call_type_final", "text"),
        Field("call_type", "text"),
        Field("arrest", "flag", "any"),
        Field("frisk", "flag", "any"),
        Field("precinct", "text"),
        Field("sector", "text"),
        Field("beat", "text"),
    ),
    derived=(("year", "int"), ("weapon_found", "flag")),
    finish=_finish_stop,
    group_columns=(
        "year",
        "precinct",
        "sector",
        "beat",
        "subject_race",
        "subject_gender",
        "subject_age_group",
        "resolution",
        "officer_gender",
        "officer_race",
        "call_type",
        "frisk",
        "arrest",
        "weapon_found",
    ),
    required=("stop_id", "frisk", "arrest", "weapon_type"),
)


# ---------------------------------------------------------------- force


def _subjects(rows: list[Row]) -> dict[Any, list[Row]]:
    """Rows by subject; a row whose subject is unknown stands for a subject of its own."""
    by: dict[Any, list[Row]] = {}
    for i, r in enumerate(rows):
        k = r.get("subject")
        by.setdefault(("row", i) if k is None else ("id", k), []).append(r)
    return by


def _first(rows: list[Row], name: str) -> Any:
    for r in rows:
        v = r.get(name)
        if v is not None:
            return v
    return None


def _finish_force(rec: Record, rows: list[Row]) -> None:
    when = rec.get("occurred_at")
    rec["year"] = _year(when)
    rec["occurred_date"] = when.date() if when is not None else None
    rec["n_officers"] = len(rec.get("officers") or [])
    rec["n_subjects"] = len(_subjects(rows))


def _force_subjects(rec: Record, rows: list[Row]) -> list[Record]:
    out = []
    for n, srows in enumerate(_subjects(rows).values(), 1):
        officers = {r.get("officer") for r in srows} - {None}
        out.append(
            {
                "incident_id": rec["incident_id"],
                "subject_no": n,
                "subject_race": _first(srows, "subject_race"),
                "subject_race_raw": _first(srows, "subject_race_raw"),
                "subject_gender": _first(srows, "subject_gender"),
                "subject_gender_raw": _first(srows, "subject_gender_raw"),
                "level": rec.get("level"),
                "precinct": rec.get("precinct"),
                "sector": rec.get("sector"),
                "beat": rec.get("beat"),
                "year": rec.get("year"),
                "occurred_at": rec.get("occurred_at"),
                "n_officers": len(officers),
            }
        )
    return out


FORCE = Kind(
    name="force",
    unit="incident",
    table="force",
    key="incident_id",
    fields=(
        Field("row_id", "private", "private", doc="the export's row identifier; checked, never stored"),
        Field("incident_id", "text", required=True),
        Field("occurred_at", "datetime", "min"),
        Field("level", "text", "max", doc="Level 1, Level 2, Level 3, Level 3 - OIS"),
        Field("precinct", "text"),
        Field("sector", "text"),
        Field("beat", "text"),
        Field("officer", "officer", "list", column="officers"),
        Field("subject", "private", "private", doc="tells subjects apart; never stored"),
        Field("subject_race", "text", "list", column="subject_races"),
        Field("subject_gender", "text", "list", column="subject_genders"),
    ),
    derived=(("year", "int"), ("occurred_date", "date"), ("n_officers", "int"), ("n_subjects", "int")),
    finish=_finish_force,
    group_columns=("year", "precinct", "sector", "beat", "level", "subject_race", "subject_gender"),
    extra=_force_subjects,
    extra_table="force_subjects",
    extra_columns=(
        ("incident_id", "text"),
        ("subject_no", "int"),
        ("subject_race", "text"),
        ("subject_race_raw", "text"),
        ("subject_gender", "text"),
        ("subject_gender_raw", "text"),
        ("level", "text"),
        ("precinct", "text"),
        ("sector", "text"),
        ("beat", "text"),
        ("year", "int"),
        ("occurred_at", "datetime"),
        ("n_officers", "int"),
    ),
    required=("incident_id", "level"),
)


# ---------------------------------------------------------------- shootings


def _finish_shooting(rec: Record, rows: list[Row]) -> None:
    when = rec.get("occurred_at")
    rec["year"] = _year(when)
    rec["occurred_date"] = when.date() if when is not None else None
    # The export has no officer ID: an officer is told apart by rank, gender, race and years.
    officers: dict[tuple[Any, ...], Any] = {}
    for r in rows:
        desc = (
            r.get("officer_rank_raw"),
            r.get("officer_gender_raw"),
            r.get("officer_race_raw"),
            r.get("officer_years"),
        )
        officers.setdefault(desc, r.get("rounds"))
    rec["n_officers"] = len(officers)
    rounds = list(officers.values())
    rec["rounds_total"] = None if (not rounds or any(x is None for x in rounds)) else sum(rounds)
    subjects = {(r.get("subject"), r.get("subject_race_raw"), r.get("subject_gender_raw")) for r in rows}
    rec["n_subjects"] = len(subjects)


SHOOTINGS = Kind(
    name="shootings",
    unit="shooting",
    table="shootings",
    key="incident_number",
    fields=(
        Field("incident_number", "private", "private", required=True, doc="a GO number: never stored"),
        Field("frb_number", "text"),
        Field("occurred_at", "datetime", "min"),
        Field("address", "text", doc="blurred by the city"),
        Field("longitude", "float"),
        Field("latitude", "float"),
        Field("city", "text"),
        Field("state", "text"),
        Field("officer_rank", "text", "list", column="officer_ranks"),
        Field("officer_gender", "text", "list", column="officer_genders"),
        Field("officer_race", "text", "list", column="officer_races"),
        Field("officer_years", "int", "list", column="officer_years_of_service"),
        Field("officer_injured", "flag", "any"),
        Field("rounds", "int", "list", column="rounds_by_officer"),
        Field("subject_gender", "text", "list", column="subject_genders"),
        Field("subject_race", "text", "list", column="subject_races"),
        Field("subject", "private", "private", doc="the subject's birth date: tells subjects apart; never stored"),
        Field("subject_age", "int", "list", column="subject_ages"),
        Field("subject_weapon", "flag", "any"),
        Field("weapon_type", "text", "list", column="weapon_types"),
        Field("fatal", "flag", "any"),
        Field("on_duty", "flag", "any"),
        Field("disposition", "text", "list", column="dispositions"),
        Field("officer_disciplined", "flag", "any"),
        Field("summary", "longtext"),
    ),
    derived=(
        ("shooting_id", "text"),
        ("year", "int"),
        ("occurred_date", "date"),
        ("n_officers", "int"),
        ("n_subjects", "int"),
        ("rounds_total", "int"),
    ),
    finish=_finish_shooting,
    group_columns=("year", "city", "fatal", "subject_weapon", "on_duty"),
    required=("incident_number", "occurred_at"),
)

KINDS: dict[str, Kind] = {k.name: k for k in (STOPS, FORCE, SHOOTINGS)}
