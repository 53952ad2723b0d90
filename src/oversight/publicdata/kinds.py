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

What a kind computes beyond the fields is written here in SQL (the importer folds in DuckDB):

- ``helpers``: a value per record computed from all of its rows: ``single`` for a record of
  one row (over the row's columns), ``grouped`` a query over ``{rows}`` giving ``key, value``;
- ``derived``: stored columns computed from the record's columns and its helpers;
- ``extra_sql``: a second table (force: one record per subject per incident).

In that SQL a row's standard value of field F is ``v_F``, its raw text ``r_F``, its order in
the file ``k``; an officer's ``v_`` is already the pseudonym. Pure Python: imports no Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class Helper:
    """A value per record from all of its rows (see the module's docstring)."""

    name: str
    type: str
    single: str
    grouped: str


@dataclass(frozen=True)
class Kind:
    name: str
    unit: str  # what one record counts: a stop, an incident, a shooting
    table: str
    key: str  # the standard field that identifies one unit
    fields: tuple[Field, ...]
    derived: tuple[tuple[str, str, str], ...]  # (column, type, SQL over the record's columns)
    group_columns: tuple[str, ...]  # columns a summary may group or filter by
    date_column: str = ""  # the date a summary's date range filters on
    helpers: tuple[Helper, ...] = ()
    extra_table: str = ""
    extra_columns: tuple[tuple[str, str], ...] = ()
    extra_sql: str = ""  # SELECT over {rows} and {records} giving extra_columns
    required: tuple[str, ...] = field(default=())
    # Counts kept per combination of the group columns in TABLE_rollup (as n_NAME), so that
    # summaries add up the combinations instead of reading every record: (name, SQL aggregate).
    rollup: tuple[tuple[str, str], ...] = ()
    rollup_columns: tuple[str, ...] = ()  # the group columns the rollup keeps (not the finest)
    row_key: bool = False  # a file without the key column is keyed by each row's line
    dependent: tuple[tuple[str, str], ...] = ()  # (column, flag): the column is kept only where the flag is yes
    sources: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (count, the fields it needs)

    @property
    def rollup_table(self) -> str:
        return f"{self.table}_rollup" if self.rollup else ""

    def get(self, name: str) -> Field | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None


# ---------------------------------------------------------------- stops

NO_WEAPON = "None"


_STOP_ROLLUP = (
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
    "type",
)

# The Stanford Open Policing Project's standard names for the fields this schema calls
# otherwise (the stored columns keep the older names; a mapping may use either).
OPP_ALIASES = {
    "frisk_performed": "frisk",
    "arrest_made": "arrest",
    "officer_id_hash": "officer",
    "subject_sex": "subject_gender",
}

STOPS = Kind(
    name="stops",
    unit="stop",
    table="stops",
    key="stop_id",
    fields=(
        Field("stop_id", "text", required=True, doc="the stop's identifier; the row's line when the file has none"),
        Field("subject_id", "private", "private", doc="never stored"),
        Field("go_number", "private", "private", doc="never stored"),
        Field("reported_date", "date", "min", doc="the date the stop was reported"),
        Field("reported_time", "time", "min", doc="the time the stop was reported, not when it happened"),
        # the Stanford Open Policing Project's standard schema (opp mapping); all optional
        Field("date", "date", "min", doc="the date of the stop (OPP date)"),
        Field("time", "time", "min", doc="the time of the stop (OPP time)"),
        Field("location", "text"),
        Field("lat", "float"),
        Field("lng", "float"),
        Field("subject_age", "int", doc="age in years"),
        Field("subject_age_group", "text"),
        Field("subject_race", "text", doc="as perceived by the officer"),
        Field("subject_gender", "text", doc="as perceived by the officer (OPP subject_sex)"),
        Field("type", "text", doc="vehicular or pedestrian (OPP type)"),
        Field("violation", "text"),
        Field("resolution", "text"),
        Field("outcome", "text", doc="OPP outcome: arrest, citation, warning, summons"),
        Field("weapon_type", "text", "list", column="weapon_types", doc=f"{NO_WEAPON!r} means none found"),
        Field("officer", "officer", "list", column="officers", doc="keyed-hash pseudonyms (OPP officer_id_hash)"),
        Field("officer_yob", "int"),
        Field("officer_gender", "text"),
        Field("officer_race", "text"),
        Field("officer_squad", "text"),
        Field("call_type_initial", "text"),
        Field("call_type_final", "text"),
        Field("call_type", "text"),
        Field("arrest", "flag", "any", doc="OPP arrest_made"),
        Field("citation_issued", "flag", "any"),
        Field("warning_issued", "flag", "any"),
        Field("frisk", "flag", "any", doc="OPP frisk_performed"),
        Field("search_conducted", "flag", "any"),
        Field("search_basis", "text", doc="OPP: plain view, consent, probable cause, k9, other"),
        Field("contraband_found", "flag", "any"),
        Field("contraband_drugs", "flag", "any"),
        Field("contraband_weapons", "flag", "any"),
        Field("reason_for_stop", "text"),
        Field("reason_for_frisk", "text"),
        Field("reason_for_search", "text"),
        Field("precinct", "text"),
        Field("sector", "text"),
        Field("beat", "text"),
    ),
    derived=(
        ("stop_date", "date", "coalesce(date, reported_date)"),
        ("year", "int", "year(coalesce(date, reported_date))"),
        ("month", "text", "strftime(coalesce(date, reported_date), '%Y-%m')"),
        # Unknown when no row says anything about a weapon; otherwise found unless all say None.
        (
            "weapon_found",
            "flag",
            f"CASE WHEN len(weapon_types) = 0 THEN NULL "
            f"ELSE len(list_filter(weapon_types, lambda t: t <> '{NO_WEAPON}')) > 0 END",
        ),
    ),
    group_columns=(
        *_STOP_ROLLUP,
        "month",
        "officer_squad",
        "search_conducted",
        "search_basis",
        "contraband_found",
        "citation_issued",
        "warning_issued",
        "outcome",
        "violation",
        "reason_for_stop",
    ),
    date_column="stop_date",
    required=(),
    row_key=True,
    # The OPP's dependent fields: no search basis, reason or contraband without a search.
    dependent=(
        ("search_basis", "search_conducted"),
        ("reason_for_search", "search_conducted"),
        ("contraband_found", "search_conducted"),
        ("contraband_drugs", "search_conducted"),
        ("contraband_weapons", "search_conducted"),
    ),
    rollup_columns=_STOP_ROLLUP,
    rollup=(
        ("stops", "count(*)"),
        ("frisks", "count(*) FILTER (WHERE frisk)"),
        ("arrests", "count(*) FILTER (WHERE arrest)"),
        ("arrest_known", "count(*) FILTER (WHERE arrest IS NOT NULL)"),
        ("weapon_found", "count(*) FILTER (WHERE frisk AND weapon_found)"),
        ("searches", "count(*) FILTER (WHERE search_conducted)"),
        ("search_hits", "count(*) FILTER (WHERE search_conducted AND contraband_found)"),
        ("citations", "count(*) FILTER (WHERE citation_issued)"),
        ("warnings", "count(*) FILTER (WHERE warning_issued)"),
    ),
    # The fields each count needs: a count whose fields the dataset's mapping does not feed is
    # "no data" (None), never 0.
    sources=(
        ("frisks", ("frisk",)),
        ("arrests", ("arrest",)),
        ("arrest_known", ("arrest",)),
        ("weapon_found", ("frisk", "weapon_type")),
        ("searches", ("search_conducted",)),
        ("search_hits", ("search_conducted", "contraband_found")),
        ("citations", ("citation_issued",)),
        ("warnings", ("warning_issued",)),
    ),
)


# ---------------------------------------------------------------- force


# A subject is told apart by the export's subject ID; a row whose subject is unknown stands
# for a subject of its own. Subjects are numbered in the order they first appear.
_FORCE_SUBJECTS = """
WITH s AS (
    SELECT v_incident_id AS incident_id,
           CASE WHEN v_subject IS NULL THEN 'row:' || k ELSE 'id:' || v_subject END AS sk,
           min(k) AS first_k,
           arg_min(v_subject_race, k) FILTER (WHERE v_subject_race IS NOT NULL) AS subject_race,
           arg_min_null(r_subject_race, k) AS subject_race_raw,
           arg_min(v_subject_gender, k) FILTER (WHERE v_subject_gender IS NOT NULL) AS subject_gender,
           arg_min_null(r_subject_gender, k) AS subject_gender_raw,
           count(DISTINCT v_officer) AS n_officers
    FROM {rows} GROUP BY 1, 2
)
SELECT s.incident_id,
       row_number() OVER (PARTITION BY s.incident_id ORDER BY s.first_k) AS subject_no,
       s.subject_race, s.subject_race_raw, s.subject_gender, s.subject_gender_raw,
       r.level, r.precinct, r.sector, r.beat, r.year, r.month, r.occurred_at, r.occurred_date, s.n_officers
FROM s JOIN {records} r ON r.incident_id = s.incident_id
"""

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
    derived=(
        ("year", "int", "year(occurred_at)"),
        ("month", "text", "strftime(occurred_at, '%Y-%m')"),
        ("occurred_date", "date", "CAST(occurred_at AS DATE)"),
        ("n_officers", "int", "len(officers)"),
        ("n_subjects", "int", "h_subjects"),
    ),
    helpers=(
        Helper(
            "h_subjects",
            "int",
            single="1",
            grouped="SELECT {key} AS key, count(DISTINCT v_subject) + count(*) FILTER (WHERE v_subject IS NULL) "
            "AS value FROM {rows} GROUP BY 1",
        ),
    ),
    group_columns=("year", "month", "precinct", "sector", "beat", "level", "subject_race", "subject_gender"),
    date_column="occurred_date",
    extra_table="force_subjects",
    extra_sql=_FORCE_SUBJECTS,
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
        ("month", "text"),
        ("occurred_at", "datetime"),
        ("occurred_date", "date"),
        ("n_officers", "int"),
    ),
    required=("incident_id", "level"),
)


# ---------------------------------------------------------------- shootings


# The export has no officer ID: an officer is told apart by rank, gender, race and years; the
# rounds an officer fired are read from the officer's first row. The total is unknown when any
# officer's rounds are.
_OFFICER = "{'rank': r_officer_rank, 'gender': r_officer_gender, 'race': r_officer_race, 'years': v_officer_years}"
_SUBJECT = "{'subject': v_subject, 'race': r_subject_race, 'gender': r_subject_gender}"
_ROUNDS = f"""
SELECT key, CASE WHEN bool_or(rounds IS NULL) THEN NULL ELSE sum(rounds) END AS value
FROM (SELECT {{key}} AS key, {_OFFICER} AS officer, arg_min_null(v_rounds, k) AS rounds FROM {{rows}} GROUP BY 1, 2)
GROUP BY 1
"""

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
        ("shooting_id", "text", "key_pseudonym"),  # the GO number, keyed-hashed
        ("year", "int", "year(occurred_at)"),
        ("occurred_date", "date", "CAST(occurred_at AS DATE)"),
        ("n_officers", "int", "h_officers"),
        ("n_subjects", "int", "h_subjects"),
        ("rounds_total", "int", "h_rounds"),
    ),
    helpers=(
        Helper(
            "h_officers",
            "int",
            "1",
            f"SELECT {{key}} AS key, count(DISTINCT {_OFFICER}) AS value FROM {{rows}} GROUP BY 1",
        ),
        Helper(
            "h_subjects",
            "int",
            "1",
            f"SELECT {{key}} AS key, count(DISTINCT {_SUBJECT}) AS value FROM {{rows}} GROUP BY 1",
        ),
        Helper("h_rounds", "int", "v_rounds", _ROUNDS),
    ),
    group_columns=("year", "city", "fatal", "subject_weapon", "on_duty"),
    date_column="occurred_date",
    required=("incident_number", "occurred_at"),
)

KINDS: dict[str, Kind] = {k.name: k for k in (STOPS, FORCE, SHOOTINGS)}


# ---------------------------------------------------------------- labels

# What a person reads for every column and measure of the public data: the pages show these,
# never the column names (which the CSV, JSON and Parquet downloads keep). Every field, derived
# and extra column of a kind, and every count and rate of its summary, has one here.
LABELS: dict[str, str] = {
    # the kinds themselves, and the dataset an import came from
    "stops": "Stops",
    "force": "Use of force",
    "shootings": "Shootings",
    "dataset": "Dataset",
    # stops
    "stop_id": "Stop",
    "subject_id": "Person stopped (never stored)",
    "go_number": "GO number (never stored)",
    "reported_date": "Date reported",
    "reported_time": "Time reported",
    "subject_age_group": "Age group of the person",
    "subject_race": "Perceived race of the person",
    "subject_gender": "Perceived gender of the person",
    "resolution": "How the stop ended",
    "weapon_type": "Weapon type",
    "weapon_types": "Weapon types",
    "officer": "Officer (pseudonym)",
    "officers": "Officers",
    "officer_yob": "Officer's year of birth",
    "officer_gender": "Officer's gender",
    "officer_race": "Officer's race",
    "officer_squad": "Officer's squad",
    "call_type_initial": "Initial call type",
    "call_type_final": "Final call type",
    "call_type": "Call type",
    "arrest": "Arrest",
    "frisk": "Frisk",
    "precinct": "Precinct",
    "sector": "Sector",
    "beat": "Beat",
    "year": "Year",
    "month": "Month",
    "weapon_found": "Weapon found",
    "date": "Date of the stop",
    "time": "Time of the stop",
    "stop_date": "Date",
    "location": "Location",
    "lat": "Latitude",
    "lng": "Longitude",
    "type": "Kind of stop (vehicle or pedestrian)",
    "violation": "Violation",
    "outcome": "Outcome",
    "citation_issued": "Citation issued",
    "warning_issued": "Warning issued",
    "search_conducted": "Search conducted",
    "search_basis": "Basis of the search",
    "contraband_found": "Contraband found",
    "contraband_drugs": "Drugs found",
    "contraband_weapons": "Weapons found",
    "reason_for_stop": "Reason for the stop",
    "reason_for_frisk": "Reason for the frisk",
    "reason_for_search": "Reason for the search",
    # force
    "row_id": "Row of the export (never stored)",
    "incident_id": "Incident",
    "occurred_at": "Date and time",
    "occurred_date": "Date",
    "level": "Level of force",
    "subject": "Person (never stored)",
    "subject_races": "Perceived race of the people",
    "subject_genders": "Perceived gender of the people",
    "subject_no": "Person in the incident",
    "subject_race_raw": "Race as exported",
    "subject_gender_raw": "Gender as exported",
    "n_officers": "Officers involved",
    "n_subjects": "People involved",
    # shootings
    "incident_number": "GO number (never stored)",
    "shooting_id": "Shooting",
    "frb_number": "Force Review Board number",
    "address": "Address (blurred)",
    "longitude": "Longitude",
    "latitude": "Latitude",
    "city": "City",
    "state": "State",
    "officer_rank": "Officer's rank",
    "officer_ranks": "Officers' ranks",
    "officer_genders": "Officers' genders",
    "officer_races": "Officers' races",
    "officer_years": "Officer's years of service",
    "officer_years_of_service": "Officers' years of service",
    "officer_injured": "Officer injured",
    "rounds": "Rounds fired",
    "rounds_by_officer": "Rounds fired by each officer",
    "rounds_total": "Rounds fired",
    "subject_age": "Age of the person",
    "subject_ages": "Ages of the people",
    "subject_weapon": "Person armed",
    "fatal": "Fatal",
    "on_duty": "Officer on duty",
    "disposition": "Finding",
    "dispositions": "Findings",
    "officer_disciplined": "Officer disciplined",
    "summary": "Summary",
    # the summaries' counts and rates (oversight.publicdata.summary.MEASURES)
    "frisks": "Frisks",
    "arrests": "Arrests",
    "arrest_known": "Stops whose arrest is known",
    "frisk_rate": "Frisk rate",
    "arrest_rate": "Arrest rate",
    "weapon_found_rate": "Weapon found per frisk",
    "searches": "Searches",
    "search_hits": "Searches finding contraband",
    "citations": "Citations",
    "warnings": "Warnings",
    "search_rate": "Search rate",
    "search_hit_rate": "Contraband found per search",
    "citation_rate": "Citation rate",
    "warning_rate": "Warning rate",
    "uses": "Uses of force",
    "incidents": "Incidents",
    "level_1": "Level 1",
    "level_2": "Level 2",
    "level_3": "Level 3",
    "ois": "Officer-involved shootings",
    "level_2_3": "Level 2 or 3",
    "level_2_3_rate": "Share at Level 2 or 3",
    "fatal_shootings": "Fatal shootings",
    "subject_armed": "Person armed",
    "subjects": "People shot at",
    "fatal_rate": "Share fatal",
    "subject_weapon_rate": "Share with the person armed",
}


def label(name: str) -> str:
    """What a person reads for a column or measure of the public data."""
    return LABELS.get(name) or name.replace("_", " ").capitalize()


def display_value(v: object) -> str:
    """A group's value as a person reads it: yes or no for a flag, "unknown" for a missing one."""
    if v is None:
        return "unknown"
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(v)
