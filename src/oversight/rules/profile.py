"""Rule profiles: the law as dated, cited data.

A profile is a TOML file. Every value that a rule engine reads is a *dated value*:
a table keyed by the date the value took effect (``YYYY-MM-DD``), each entry holding
the ``value`` and its ``cite``. A profile may name another in ``[profile] extends``;
its dated entries are laid over the base's, so an amendment or a contract adds
history rather than rewriting it.

``load_profile(name_or_path)`` returns a :class:`Profile`; ``profile.at(day)`` gives
the :class:`Rules` in force on that day (as a date ordinal or ``datetime.date``).
A broken profile raises :class:`ProfileError` whose message names the file, the
key and what is wrong.

Bargaining (SMC 3.29.400.B): "Any provision of this Chapter 3.29 that requires
collective bargaining shall not become effective until the City satisfies its
collective bargaining obligations". An entry of a clock's value (a deadline's or an
adjustment's days, an adjustment's event) may say so with ``bargaining``:
``"pending"`` (not in force: the value before it, if any, stays in force) or the
date it took effect once bargained (in force from that date). The clock uses the
value in force; ``oversight profile show`` names what is pending.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from oversight.rules.early_intervention import Threshold
from oversight.rules.events import EVENT_TYPES

_DATE_KEY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DEFAULT_PROFILE = "seattle"


class ProfileError(Exception):
    """A profile that cannot be used, with every problem named."""


# --------------------------------------------------------------------------
# The file's schema
# --------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


NonNegativeDays = Annotated[int, Field(ge=0, strict=True)]
NonNegativeCount = Annotated[int, Field(ge=0, strict=True)]
Cite = Annotated[str, Field(min_length=1, strict=True)]


PENDING = "pending"


class Entry[T](_Strict):
    value: T
    cite: Cite
    # SMC 3.29.400.B: "pending", or the date the value took effect once bargained
    bargaining: str | None = None

    @field_validator("bargaining")
    @classmethod
    def _bargaining(cls, v: str | None) -> str | None:
        if v is None or v == PENDING:
            return v
        if not _DATE_KEY.match(v):
            raise ValueError(
                f"{v!r} is neither {PENDING!r} nor the date (YYYY-MM-DD) the value took effect once bargained"
            )
        try:
            dt.date.fromisoformat(v)
        except ValueError:
            raise ValueError(f"{v!r} is not a real date") from None
        return v


def _check_date_keys(v: dict[str, Any]) -> dict[str, Any]:
    if not v:
        raise ValueError("needs at least one dated entry")
    for key in v:
        if not _DATE_KEY.match(key):
            raise ValueError(f"{key!r} is not a date (YYYY-MM-DD) a value took effect")
        try:
            dt.date.fromisoformat(key)
        except ValueError:
            raise ValueError(f"{key!r} is not a real date") from None
    return v


def _check_optional_date_keys(v: Any) -> Any:
    """A dated table's keys, for a field that may also be absent or plain (a label)."""
    return _check_date_keys(v) if isinstance(v, dict) else v


DatedDays = dict[str, Entry[NonNegativeDays]]
DatedNames = dict[str, Entry[list[str]]]
DatedName = dict[str, Entry[str]]
DatedFlag = dict[str, Entry[bool]]


class DeadlineSpec(_Strict):
    label: str
    days: DatedDays
    trigger: DatedNames
    completed_by: DatedNames
    repeat: Literal["once", "each_trigger"] = "once"
    condition: (
        Literal["chief_departs_from_recommendation", "investigation_missed", "does_not_extend_investigation"] | None
    ) = None
    # Which trigger starts a "once" deadline: the first, or the last (the final certification, 3.29.027.C)
    trigger_instance: Literal["first", "last"] = "first"
    # Completion is looked for on or after the start, or on or after the first trigger
    completed_from: Literal["start", "first_trigger"] = "start"
    # A completion with no trigger on or before it is bad input (an OIG answer with no submission)
    completion_needs_trigger: bool = False
    # Trigger and completion must agree on this event field (one review unit's start and end)
    match: Literal["unit"] | None = None

    _v = field_validator("days", "trigger", "completed_by")(_check_date_keys)


class AdjustmentSpec(_Strict):
    """How an event moves a deadline. Kinds:

    - ``event_days``: the event's own ``days`` are added;
    - ``fixed``: ``days`` are added for each event;
    - ``toll``: the clock stops for ``days`` from the event's date (tolled days count once);
    - ``pause``: the clock stops from the event until ``end_event`` or any ``resumed_by`` event;
    - ``later_of``: the period ends ``days`` after the later of the event's date and its
      other date (failure to refer, 3.29.026.C.2), instead of ``days`` after the start.
    """

    applies_to: str
    kind: Literal["event_days", "pause", "fixed", "toll", "later_of"]
    when: Literal["while_running", "always"]
    event: DatedName
    end_event: DatedName | None = None
    resumed_by: DatedNames | None = None
    days: DatedDays | None = None

    _v = field_validator("event", "end_event", "resumed_by", "days")(_check_date_keys)


class ReferralSpec(_Strict):
    """An event that fixes the date a complaint should have been referred to OPA: ``days`` after it."""

    label: str
    starts: Literal["should_have_been_referred"] = "should_have_been_referred"
    event: DatedName
    days: DatedDays

    _v = field_validator("event", "days")(_check_date_keys)


class ApplicabilitySpec(_Strict):
    """When the chapter's clocks apply at all.

    ``not_retroactive`` true: a case begun before a deadline's first dated value is not judged
    by it (status ``not_applicable``); false: the first value is applied to earlier cases.
    ``bargaining`` true: a value marked pending bargaining is not in force; false: it is.
    """

    not_retroactive: DatedFlag
    bargaining: DatedFlag

    _v = field_validator("*")(_check_date_keys)


class LimitationSpec(_Strict):
    measured_from: DatedNames
    years: DatedDays
    exceptions: DatedNames

    _v = field_validator("measured_from", "years", "exceptions")(_check_date_keys)


class TaxonomySpec(_Strict):
    label: str
    values: DatedNames
    # What a person reads for each value: "use_of_force" is read "Use of force". Every value
    # of every date must have one (a code is never shown to a person).
    labels: dict[str, str] = Field(default_factory=dict)

    _v = field_validator("values")(_check_date_keys)


class ConstraintSpec(_Strict):
    label: str
    classification: str
    categories: DatedNames

    _v = field_validator("categories")(_check_date_keys)


class FlagsSpec(_Strict):
    limitation_barred: DatedFlag
    oig_review_lapsed: DatedFlag
    discipline_barred_timeline: DatedFlag
    oig_review_required: DatedFlag

    _v = field_validator("*")(_check_date_keys)


class DeadlinesSpec(_Strict):
    named_employee_notice: DeadlineSpec
    investigation: DeadlineSpec
    oig_review: DeadlineSpec
    chief_statement: DeadlineSpec
    timeline_statement: DeadlineSpec
    additional_investigation: DeadlineSpec
    appeal_notice: DeadlineSpec
    incident_review: DeadlineSpec


class TaxonomiesSpec(_Strict):
    allegation_categories: TaxonomySpec
    oig_mandatory_review: TaxonomySpec
    oig_always_review: TaxonomySpec
    classifications: TaxonomySpec
    findings: TaxonomySpec
    not_sustained_findings: TaxonomySpec
    case_findings: TaxonomySpec
    classifications_needing_allegation: TaxonomySpec


class PeriodSpec(_Strict):
    label: str
    unit: Literal["days", "months", "years"]
    length: DatedDays

    _v = field_validator("length")(_check_date_keys)


Month = Annotated[int, Field(ge=1, le=12, strict=True)]


class ScheduleSpec(_Strict):
    label: str
    months: dict[str, Entry[list[Month]]]

    _v = field_validator("months")(_check_date_keys)


Fraction = Annotated[float, Field(gt=0, lt=1)]


class SamplingSpec(_Strict):
    label: str
    method: Literal["cochran_fpc"]
    confidence: dict[str, Entry[Fraction]]
    margin_of_error: dict[str, Entry[Fraction]]
    expected_proportion: dict[str, Entry[Fraction]]

    _v = field_validator("confidence", "margin_of_error", "expected_proportion")(_check_date_keys)


class PublicationSpec(_Strict):
    """What may be published: the smallest group whose numbers are shown (SMC 3.29.320.B)."""

    min_cell: dict[str, Entry[NonNegativeCount]]
    # the largest share of a public dataset's records a re-import may remove without --replace
    reimport_max_removed: dict[str, Entry[Fraction]] = {}

    _v = field_validator("min_cell", "reimport_max_removed")(_check_date_keys)


DatedMap = dict[str, Entry[dict[str, str]]]


VoteShare = Literal["majority", "two_thirds", "three_quarters"]


class BodySpec(_Strict):
    """One body of the chapter whose members are appointed (SMC 3.29.020.C, 3.29.114, 3.29.206,
    3.29.215.C, 3.29.310.A.7.b): its seats and who appoints to each, its terms and their limits,
    and the deadlines around a term's end and a vacancy. An absent rule is one the law does not
    set for that body."""

    label: str
    seats: DatedMap  # seat number -> the appointing authority (a code of institutions.labels)
    term_years: DatedDays
    warn_days: DatedDays  # how long ahead the registry warns of a deadline
    max_terms: DatedDays | None = None
    first_term_years: DatedDays | None = None  # the first holder's first term, when the section sets it apart
    term_starts: DatedName | None = None  # "MM-DD" every full term begins; absent: on appointment
    reserved: DatedMap | None = None  # seat number -> the qualification the seat is reserved for
    council_action_before_end_days: DatedDays | None = None
    interim_within_days: DatedDays | None = None
    fallback_after_days: DatedDays | None = None
    fallback_authority: DatedName | None = None
    deemed_confirmed_days: DatedDays | None = None
    vacancy_filled_within_days: DatedDays | None = None
    max_terms_expiring_per_year: DatedDays | None = None
    residents_required: DatedDays | None = None
    nonresidents_per_authority: DatedDays | None = None
    residency_lapse_days: DatedDays | None = None
    successive_term_window_days: DatedDays | None = None
    removal_hearing_request_days: DatedDays | None = None
    removal_hearing_earliest_days: DatedDays | None = None
    removal_hearing_latest_days: DatedDays | None = None
    removal_vote_within_days: DatedDays | None = None
    must_be_civilian: DatedFlag | None = None
    no_city_employees: DatedFlag | None = None
    # terms begin in years apart from another term's: a fixed cycle (the Mayor's, 3.29.020.C.2:
    # {first_year, every}) or another body's recorded terms (the Director's, 3.29.114.B)
    terms_apart_from_cycle: dict[str, Entry[dict[str, NonNegativeDays]]] | None = None
    terms_apart_from_body: DatedName | None = None
    # who must approve a removal for cause and by what share of its members (3.29.020.C.5.d,
    # 3.29.114.E.4, 3.29.215.C.7): voter -> majority | two_thirds | three_quarters; a voter other
    # than the Council votes only on the seats it appoints
    removal_votes: dict[str, Entry[dict[str, VoteShare]]] | None = None

    _v = field_validator("*")(_check_optional_date_keys)


class StaffingSpec(_Strict):
    """OPA's staffing (SMC 3.29.028) and the sworn rotations into OPA (SMC 3.29.315.H)."""

    chapter_effective: DatedName  # the day the chapter took effect: the staffing deadlines count from it
    positions: DatedNames  # OPA's kinds of position (codes of institutions.labels)
    civilian_always: DatedNames  # positions that are civilian from the start
    civilian_after_months: dict[str, Entry[dict[str, NonNegativeDays]]]  # position -> months after effect
    configuration_within_months: DatedDays  # intake and investigators: civilian or a mix, by then
    rotation_years: DatedDays
    rotation_list_size: DatedDays
    rotation_lists: DatedDays
    training_kinds: DatedNames

    _v = field_validator("*")(_check_date_keys)


class InstitutionsSpec(_Strict):
    labels: dict[str, str]  # what a person reads for every code of this table
    bodies: dict[str, BodySpec]
    staffing: StaffingSpec


# --------------------------------------------------------------------------
# Bargaining agreements (SMC 3.29.330, 3.29.400.A): what a contract says beyond the chapter
# --------------------------------------------------------------------------

StandardOfProof = Literal["preponderance_of_evidence", "clear_and_convincing", "beyond_reasonable_doubt"]
AppealForum = Literal["pscsc", "hearing_examiner", "arbitration", "disciplinary_review_board"]


def _check_optional_dates(v: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if v is None else _check_date_keys(v)


class ProvisionsSpec(_Strict):
    """Provisions of a bargaining agreement the chapter's clock does not model, each dated and
    cited. What each is and how it is judged against the chapter: ``rules/contracts.py``."""

    stigmatizing_termination_standard: dict[str, Entry[StandardOfProof]] | None = None
    discipline_appeal_forum: dict[str, Entry[AppealForum]] | None = None
    opa_subpoena_limited: DatedFlag | None = None
    oig_subpoena_limited: DatedFlag | None = None
    sworn_investigators_min: dict[str, Entry[NonNegativeCount]] | None = None
    records_purged_after_years: dict[str, Entry[Annotated[int, Field(ge=1, strict=True)]]] | None = None
    interview_notice_hours: dict[str, Entry[NonNegativeCount]] | None = None
    representative_consult_hours: dict[str, Entry[NonNegativeCount]] | None = None
    evidence_before_interview: DatedFlag | None = None
    city_pays_officer_legal_costs: DatedFlag | None = None
    body_worn_cameras: DatedFlag | None = None
    civilian_investigators_expanded: DatedFlag | None = None
    wages_retroactive_to_year: dict[str, Entry[Annotated[int, Field(ge=1900, le=2200, strict=True)]]] | None = None

    _v = field_validator("*")(_check_optional_dates)


ContractStatus = Literal["proposed", "tentative", "ratified", "rejected", "expired", "template"]


class ContractSource(_Strict):
    title: str = Field(min_length=1)
    published: str | None = None  # YYYY-MM-DD
    where: str = Field(min_length=1)  # a file of the public library, or an address


class ReportedStatement(_Strict):
    by: str = Field(min_length=1)
    said: str = Field(min_length=1)
    cite: str = Field(min_length=1)


class ContractHeader(_Strict):
    """Who agreed to what and when; each value of the overlay cites one of ``sources``."""

    guild: str = Field(min_length=1)
    title: str = Field(min_length=1)
    status: ContractStatus
    effective: str  # the date its values are laid over the chapter's (YYYY-MM-DD)
    term_from: str | None = None
    term_to: str | None = None
    # a ratification vote, as reported (a rejected agreement's)
    votes_for: NonNegativeCount | None = None
    votes_against: NonNegativeCount | None = None
    sources: dict[str, ContractSource] = Field(default_factory=dict)
    # What no public source states: a provision's key, or a path of the chapter's values
    # ("deadlines.investigation.days"; "adjustments.investigation" for its tolls) -> why it is
    # left out. Never guessed.
    unknown: dict[str, str] = Field(default_factory=dict)
    # What others said of the agreement as a whole, as reported (not a value of it)
    reported: list[ReportedStatement] = Field(default_factory=list)

    @field_validator("effective", "term_from", "term_to")
    @classmethod
    def _date(cls, v: str | None) -> str | None:
        if v is None:
            return v
        if not _DATE_KEY.match(v):
            raise ValueError(f"{v!r} is not a date (YYYY-MM-DD)")
        try:
            dt.date.fromisoformat(v)
        except ValueError:
            raise ValueError(f"{v!r} is not a real date") from None
        return v


PositiveCount = Annotated[int, Field(ge=1, strict=True)]


class EarlyInterventionSpec(_Strict):
    """A threshold of early intervention (SMC 3.29.030.I.10, 3.29.305.E, 3.29.110.A.3.e): how many
    records of a measure within a window raise a warning, and how many a critical alert."""

    label: str
    measure: Literal["sustained_complaints", "complaints", "force", "force_level_2_3", "frisks"]
    window_days: dict[str, Entry[PositiveCount]]
    warning: dict[str, Entry[PositiveCount]]
    critical: dict[str, Entry[PositiveCount | None]] = Field(default_factory=dict)

    _v = field_validator("window_days", "warning", "critical")(_check_date_keys)


class ProfileHeader(_Strict):
    name: str
    title: str
    jurisdiction: str
    case_number_format: str = "{year}-{seq:04d}"
    extends: str | None = None


class ProfileSpec(_Strict):
    profile: ProfileHeader
    applicability: ApplicabilitySpec
    deadlines: DeadlinesSpec
    adjustments: dict[str, AdjustmentSpec] = Field(default_factory=dict)
    referrals: dict[str, ReferralSpec] = Field(default_factory=dict)
    limitation: LimitationSpec
    flags: FlagsSpec
    taxonomies: TaxonomiesSpec
    constraints: dict[str, ConstraintSpec] = Field(default_factory=dict)
    periods: dict[str, PeriodSpec] = Field(default_factory=dict)
    schedules: dict[str, ScheduleSpec] = Field(default_factory=dict)
    sampling: dict[str, SamplingSpec] = Field(default_factory=dict)
    publication: PublicationSpec
    institutions: InstitutionsSpec | None = None
    provisions: ProvisionsSpec = Field(default_factory=ProvisionsSpec)
    contract: ContractHeader | None = None
    early_intervention: dict[str, EarlyInterventionSpec] = Field(default_factory=dict)


# --------------------------------------------------------------------------
# Resolved rules: what is in force on one day, in plain fast objects
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cited:
    value: Any
    cite: str


@dataclass(frozen=True, slots=True)
class AdjustmentRule:
    id: str
    kind: str  # "event_days" | "pause" | "fixed" | "toll" | "later_of"
    when: str  # "while_running" | "always"
    event: str
    end_event: str | None
    resumed_by: tuple[str, ...]  # a pause also ends at the first of these after it (3.29.026.F)
    days: int
    cite: str


@dataclass(frozen=True, slots=True)
class DeadlineRule:
    id: str
    label: str
    days: int
    cite: str
    trigger: tuple[str, ...]
    completed_by: tuple[str, ...]
    repeat: str
    condition: str | None
    trigger_instance: str  # "first" | "last"
    completed_from: str  # "start" | "first_trigger"
    completion_needs_trigger: bool
    match: str | None
    adjustments: tuple[AdjustmentRule, ...]
    adjustment_events: frozenset[str]  # every event type its adjustments read
    # Not in force for a case begun on the day (not retroactive, or pending bargaining):
    # the one explanation step (text, cite) of its not_applicable status; None when in force.
    not_in_force: tuple[str, str] | None
    note: str  # said after the first step's text ("" or why an older or earlier value applies)


@dataclass(frozen=True, slots=True)
class ReferralRule:
    id: str
    label: str
    event: str
    days: int
    cite: str
    starts: str


@dataclass(frozen=True, slots=True)
class PendingValue:
    """A value enacted on or before the day but not in force on it, for want of bargaining."""

    key: str
    enacted: str  # the entry's own date
    value: Any
    cite: str
    bargaining: str  # "pending", or the later date it took effect once bargained


@dataclass(frozen=True, slots=True)
class LimitationRule:
    years: int
    cite: str
    measured_from: tuple[str, ...]
    exceptions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ConstraintRule:
    id: str
    label: str
    classification: str
    categories: frozenset[str]
    cite: str


@dataclass(frozen=True, slots=True)
class SamplingRule:
    id: str
    method: str
    confidence: float
    margin_of_error: float
    expected_proportion: float
    cite: str


@dataclass(frozen=True, slots=True)
class PublicationRule:
    min_cell: int  # a group of fewer units than this has its numbers withheld
    cite: str
    reimport_max_removed: float = 0.05  # a re-import removing more of a dataset stops without --replace
    reimport_cite: str = ""


@dataclass(frozen=True, slots=True)
class Rules:
    """The profile's values in force on one day."""

    profile: str
    in_force_from: int  # ordinal of the latest change on or before the day
    predates_profile: bool  # the day falls before the profile's first value
    before_chapter: bool  # not retroactive and before every deadline's first value: nothing applies
    not_retroactive: Cited
    bargaining: Cited
    deadlines: dict[str, DeadlineRule]
    referrals: tuple[ReferralRule, ...]
    limitation: LimitationRule
    flags: dict[str, Cited]  # enabled flags only
    taxonomies: dict[str, Cited]
    taxonomy_labels: dict[str, dict[str, str]]  # taxonomy -> value -> what a person reads
    constraints: tuple[ConstraintRule, ...]
    periods: dict[str, Cited]  # id -> (length, cite); the unit is in the spec
    schedules: dict[str, Cited]  # id -> (months of the year, cite)
    sampling: dict[str, SamplingRule]
    publication: PublicationRule
    early_intervention: dict[str, Threshold]
    pending: tuple[PendingValue, ...]  # values enacted by the day but awaiting bargaining on it
    # derived once, for the clock's hot path
    oig_review_categories: frozenset[str]
    # (deadline id, triggers, answers, field they must agree on) of deadlines whose answers need a trigger
    answer_pairs: tuple[tuple[str, tuple[str, ...], tuple[str, ...], str | None], ...]
    pauses: tuple[AdjustmentRule, ...]


def _publication(p: PublicationSpec, day: str) -> PublicationRule:
    m = _pick(p.min_cell, day)
    if not p.reimport_max_removed:
        return PublicationRule(min_cell=m.value, cite=m.cite)
    r = _pick(p.reimport_max_removed, day)
    return PublicationRule(min_cell=m.value, cite=m.cite, reimport_max_removed=r.value, reimport_cite=r.cite)


def _pick(dated: dict[str, Entry[Any]], day: str) -> Entry[Any]:
    """The entry of the latest date on or before ``day`` (the first, for an earlier day)."""
    keys = sorted(dated)
    i = bisect.bisect_right(keys, day)
    return dated[keys[max(i - 1, 0)]]


def _effective(key: str, entry: Entry[Any], honour_bargaining: bool) -> str | None:
    """The date an entry is in force from: its own, or the date bargained; None while pending."""
    b = entry.bargaining
    if b is None or not honour_bargaining:
        return key
    if b == PENDING:
        return None
    return max(key, b)


def _in_force(
    dated: dict[str, Entry[Any]], day: str, honour_bargaining: bool
) -> tuple[str, Entry[Any]] | tuple[str, None]:
    """(key, entry) of the value in force on ``day``: of those enacted by then and in force
    (bargained where needed), the one that took effect last. Else (why, None): "before"
    when nothing was enacted by ``day``, "pending" when what was awaits bargaining."""
    best: tuple[str, str] | None = None
    why = "before"
    for key, entry in dated.items():
        if key > day:
            continue
        why = "pending"
        eff = _effective(key, entry, honour_bargaining)
        if eff is None or eff > day:
            continue
        if best is None or (eff, key) > best:
            best = (eff, key)
    if best is None:
        return why, None
    return best[1], dated[best[1]]


def _awaiting(
    path: str, dated: dict[str, Entry[Any]], day: str, honour_bargaining: bool, after: str | None
) -> list[PendingValue]:
    """Entries enacted by ``day`` (later than ``after``) that are not in force on it for want of bargaining."""
    out = []
    for key in sorted(dated):
        entry = dated[key]
        if key > day or entry.bargaining is None or (after is not None and key <= after):
            continue
        eff = _effective(key, entry, honour_bargaining)
        if eff is None or eff > day:
            out.append(PendingValue(f'{path}."{key}"', key, entry.value, entry.cite, str(entry.bargaining)))
    return out


class Profile:
    """A loaded, validated profile, answering what was in force when."""

    def __init__(self, spec: ProfileSpec, sources: tuple[str, ...]) -> None:
        self.spec = spec
        self.name = spec.profile.name
        self.sources = sources
        dates: set[str] = set()
        for entry_table in _dated_tables(spec.model_dump()):
            dates.update(entry_table)
            for entry in entry_table.values():
                b = entry.get("bargaining") if isinstance(entry, dict) else None
                if b is not None and b != PENDING:
                    dates.add(b)  # a bargained value changes the rules on the day it took effect
        self._change_dates = sorted(dates)
        self._change_ordinals = [dt.date.fromisoformat(d).toordinal() for d in self._change_dates]
        self._segments: dict[int, Rules] = {}
        self._latest: Rules | None = None

    @property
    def last_change(self) -> int:
        """The ordinal of the latest day the rules change: ``at`` answers the same from it on."""
        return self._change_ordinals[-1]

    @property
    def first_date(self) -> dt.date:
        return dt.date.fromisoformat(self._change_dates[0])

    def at(self, day: int | dt.date) -> Rules:
        """The rules in force on ``day`` (a ``date`` or its ordinal)."""
        ordinal = day if type(day) is int else day.toordinal()  # type: ignore[union-attr]
        if ordinal >= self._change_ordinals[-1] and self._latest is not None:
            return self._latest
        i = bisect.bisect_right(self._change_ordinals, ordinal) - 1
        predates = i < 0
        seg = max(i, 0)
        rules = self._segments.get(seg * 2 + predates)
        if rules is None:
            rules = self._resolve(self._change_dates[seg], predates)
            self._segments[seg * 2 + predates] = rules
            if seg == len(self._change_ordinals) - 1 and not predates:
                self._latest = rules
        return rules

    def _resolve(self, day: str, predates: bool) -> Rules:
        s = self.spec
        # A day before the profile's first value: nothing is in force; the first values give
        # the structure (which events trigger what) and, for a retroactive profile, the numbers.
        asof = "0000-01-01" if predates else day
        nr_entry = _pick(s.applicability.not_retroactive, day)
        barg_entry = _pick(s.applicability.bargaining, day)
        not_retroactive = Cited(bool(nr_entry.value), nr_entry.cite)
        bargaining = Cited(bool(barg_entry.value), barg_entry.cite)
        honour = bargaining.value
        pending: list[PendingValue] = []

        def in_force(path: str, dated: dict[str, Entry[Any]]) -> Entry[Any] | None:
            """The value in force, or None. Before its first value a table has none, except for
            a case earlier than the whole profile under a retroactive profile (the first applies)."""
            key, entry = _in_force(dated, asof, honour)
            pending.extend(_awaiting(path, dated, asof, honour, key if entry is not None else None))
            if entry is None and key == "before" and predates and not not_retroactive.value:
                return dated[min(dated)]
            return entry

        adjustments: dict[str, list[AdjustmentRule]] = {}
        for adj_id, adj in s.adjustments.items():
            ev = in_force(f"adjustments.{adj_id}.event", adj.event)
            days = in_force(f"adjustments.{adj_id}.days", adj.days) if adj.days else None
            if ev is None or (adj.days and days is None):
                continue  # not (yet) in force for this day
            end = _pick(adj.end_event, day).value if adj.end_event else None
            resumed = tuple(_pick(adj.resumed_by, day).value) if adj.resumed_by else ()
            adjustments.setdefault(adj.applies_to, []).append(
                AdjustmentRule(
                    id=adj_id,
                    kind=adj.kind,
                    when=adj.when,
                    event=ev.value,
                    end_event=end,
                    resumed_by=resumed,
                    days=days.value if days else 0,
                    cite=days.cite if days else ev.cite,
                )
            )
        deadlines: dict[str, DeadlineRule] = {}
        first_days: list[str] = []
        for dl_id in DeadlinesSpec.model_fields:
            d: DeadlineSpec = getattr(s.deadlines, dl_id)
            first_key = min(d.days)
            first_days.append(first_key)
            days_entry = in_force(f"deadlines.{dl_id}.days", d.days)
            not_in_force: tuple[str, str] | None = None
            note = ""
            if predates and not not_retroactive.value:
                note = f" (this case began before the profile's first rules, of {first_key}, applied here)"
            if days_entry is None:
                key, _ = _in_force(d.days, asof, honour)
                if key == "before":
                    days_entry = d.days[first_key]
                    if not_retroactive.value:
                        not_in_force = (
                            f"{d.label}: this case began before the rule took effect on {first_key}, and "
                            "the chapter is not retroactive: it applies only to proceedings initiated on or "
                            "after its effective date",
                            not_retroactive.cite,
                        )
                    else:
                        note = f" (this case began before the profile's first rules, of {first_key}, applied here)"
                else:
                    days_entry = _pick(d.days, day)
                    not_in_force = (
                        f"{d.label}: the rule ({days_entry.value} days, {days_entry.cite}) requires collective "
                        "bargaining and was not in force when this case began; it does not become effective until "
                        "the City satisfies its bargaining obligations",
                        bargaining.cite,
                    )
            else:
                later = [pv for pv in pending if pv.key.startswith(f"deadlines.{dl_id}.days.")]
                if later:
                    pv = later[-1]
                    note = (
                        f" (the change to {pv.value} days enacted {pv.enacted} awaits collective bargaining, "
                        f"{bargaining.cite}, and is not in force for this case)"
                    )
            adjs = tuple(adjustments.get(dl_id, ()))
            deadlines[dl_id] = DeadlineRule(
                id=dl_id,
                label=d.label,
                days=days_entry.value,
                cite=days_entry.cite,
                trigger=tuple(_pick(d.trigger, day).value),
                completed_by=tuple(_pick(d.completed_by, day).value),
                repeat=d.repeat,
                condition=d.condition,
                trigger_instance=d.trigger_instance,
                completed_from=d.completed_from,
                completion_needs_trigger=d.completion_needs_trigger,
                match=d.match,
                adjustments=adjs,
                adjustment_events=frozenset(
                    t for a in adjs for t in (a.event, a.end_event, *a.resumed_by) if t is not None
                ),
                not_in_force=not_in_force,
                note=note,
            )
        referrals = []
        for r_id, r in s.referrals.items():
            ev = in_force(f"referrals.{r_id}.event", r.event)
            days = in_force(f"referrals.{r_id}.days", r.days)
            if ev is None or days is None:
                continue
            referrals.append(ReferralRule(r_id, r.label, ev.value, days.value, days.cite, r.starts))
        lim = s.limitation
        years = _pick(lim.years, day)
        flags = {}
        for flag_id in FlagsSpec.model_fields:
            table = getattr(s.flags, flag_id)
            e = in_force(f"flags.{flag_id}", table)
            if e is not None and e.value:
                flags[flag_id] = Cited(True, e.cite)
        taxonomies = {}
        for tax_id in TaxonomiesSpec.model_fields:
            e = _pick(getattr(s.taxonomies, tax_id).values, day)
            taxonomies[tax_id] = Cited(list(e.value), e.cite)
        constraints = []
        for c_id, c in s.constraints.items():
            e = _pick(c.categories, day)
            constraints.append(ConstraintRule(c_id, c.label, c.classification, frozenset(e.value), e.cite))
        pauses = tuple(a for adjs in adjustments.values() for a in adjs if a.kind == "pause")
        answer_pairs = tuple(
            (d.id, d.trigger, d.completed_by, d.match) for d in deadlines.values() if d.completion_needs_trigger
        )
        periods = {}
        for p_id, p in s.periods.items():
            e = _pick(p.length, day)
            periods[p_id] = Cited(e.value, e.cite)
        schedules = {}
        for s_id, sch in s.schedules.items():
            e = _pick(sch.months, day)
            schedules[s_id] = Cited(list(e.value), e.cite)
        sampling = {}
        for sa_id, sa in s.sampling.items():
            conf = _pick(sa.confidence, day)
            sampling[sa_id] = SamplingRule(
                id=sa_id,
                method=sa.method,
                confidence=conf.value,
                margin_of_error=_pick(sa.margin_of_error, day).value,
                expected_proportion=_pick(sa.expected_proportion, day).value,
                cite=conf.cite,
            )
        early = {}
        for ei_id, ei in s.early_intervention.items():
            if not any(k <= day for k in ei.window_days) or not any(k <= day for k in ei.warning):
                continue
            win, warn = _pick(ei.window_days, day), _pick(ei.warning, day)
            crit = _pick(ei.critical, day) if any(k <= day for k in ei.critical) else None
            early[ei_id] = Threshold(
                ei_id,
                ei.label,
                ei.measure,
                win.value,
                warn.value,
                None if crit is None else crit.value,
                win.cite,
            )
        return Rules(
            early_intervention=early,
            sampling=sampling,
            publication=_publication(s.publication, day),
            periods=periods,
            schedules=schedules,
            oig_review_categories=frozenset(taxonomies["oig_mandatory_review"].value)
            | frozenset(taxonomies["oig_always_review"].value),
            answer_pairs=answer_pairs,
            pauses=pauses,
            profile=self.name,
            in_force_from=dt.date.fromisoformat(day).toordinal(),
            predates_profile=predates,
            before_chapter=bool(not_retroactive.value) and asof < min(first_days),
            not_retroactive=not_retroactive,
            bargaining=bargaining,
            deadlines=deadlines,
            referrals=tuple(referrals),
            limitation=LimitationRule(
                years=years.value,
                cite=years.cite,
                measured_from=tuple(_pick(lim.measured_from, day).value),
                exceptions=tuple(_pick(lim.exceptions, day).value),
            ),
            flags=flags,
            taxonomies=taxonomies,
            taxonomy_labels={t: dict(getattr(s.taxonomies, t).labels) for t in TaxonomiesSpec.model_fields},
            constraints=tuple(constraints),
            pending=tuple(pending),
        )


def _dated_tables(node: Any) -> list[dict[str, Any]]:
    """Every dated table in a dumped profile (a dict whose keys are all dates)."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node and all(isinstance(k, str) and _DATE_KEY.match(k) for k in node):
            found.append(node)
        else:
            for v in node.values():
                found.extend(_dated_tables(v))
    return found


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------


def _read(name_or_path: str | Path) -> tuple[str, dict[str, Any]]:
    text_source: str
    p = Path(name_or_path)
    if p.suffix == ".toml" or p.exists():
        if not p.exists():
            raise ProfileError(f"{p}: no such profile file")
        text_source = str(p)
        raw = p.read_bytes().decode("utf-8")
    else:
        name = str(name_or_path)
        if not re.fullmatch(r"[a-z0-9_-]+", name):
            raise ProfileError(f"{name!r}: not a profile name or a .toml file")
        res = resources.files("oversight.rules").joinpath("profiles", f"{name}.toml")
        if not res.is_file():
            known = ", ".join(available_profiles())
            raise ProfileError(f"{name}: no such profile (shipped profiles: {known})")
        text_source = f"profiles/{name}.toml"
        raw = res.read_text(encoding="utf-8")
    try:
        return text_source, tomllib.loads(raw)
    except tomllib.TOMLDecodeError as e:
        raise ProfileError(f"{text_source}: not valid TOML: {e}") from None


def available_profiles() -> list[str]:
    folder = resources.files("oversight.rules").joinpath("profiles")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def _overlay(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in top.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _overlay(out[k], v)
        else:
            out[k] = v
    return out


def _has_path(raw: dict[str, Any], loc: tuple[int | str, ...]) -> bool:
    node: Any = raw
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return False
    return True


def _blame(layers: list[tuple[str, dict[str, Any]]], loc: tuple[int | str, ...]) -> str:
    """The file that wrote the key at ``loc`` (the topmost that has it)."""
    # Walk up the path until some layer has it: a missing key is blamed on the
    # topmost layer holding its parent table.
    for depth in range(len(loc), -1, -1):
        for source, raw in reversed(layers):
            if _has_path(raw, loc[:depth]):
                return str(source)
    return layers[-1][0]


def _loc_text(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for p in loc:
        if isinstance(p, int):
            parts.append(f"[{p}]")
        elif parts and "value" != p and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", p) is None:
            parts.append(f'."{p}"')
        else:
            parts.append(("." if parts else "") + p)
    return "".join(parts) or "(top level)"


_PYDANTIC_PLAIN = {
    "extra_forbidden": "unknown key",
    "missing": "required key is missing",
}


def _explain(err: Any) -> str:
    kind = err.get("type", "")
    if kind in _PYDANTIC_PLAIN:
        return _PYDANTIC_PLAIN[kind]
    msg = str(err.get("msg", "invalid"))
    if kind == "greater_than_equal":
        return f"must not be negative (got {err.get('input')!r})"
    if kind.startswith("value_error"):
        msg = msg.removeprefix("Value error, ")
    elif "input" in err:
        msg = f"{msg} (got {err.get('input')!r})"
    return msg


def load_profile(name_or_path: str | Path = DEFAULT_PROFILE) -> Profile:
    """Load a shipped profile by name, or a profile file by path, with its bases."""
    layers: list[tuple[str, dict[str, Any]]] = []
    current: str | Path | None = name_or_path
    seen: set[str] = set()
    while current is not None:
        source, raw = _read(current)
        if source in seen:
            raise ProfileError(f"{source}: profile.extends makes a loop")
        seen.add(source)
        layers.insert(0, (source, raw))
        header = raw.get("profile")
        current = header.get("extends") if isinstance(header, dict) else None
        if current is not None and not isinstance(current, str):
            raise ProfileError(f"{source}: profile.extends: must be a profile name or path")
        if isinstance(current, str) and current.endswith(".toml") and not Path(current).is_absolute():
            base_dir = Path(source).parent if Path(source).exists() else Path(".")
            current = base_dir / current

    merged: dict[str, Any] = {}
    for _, raw in layers:
        merged = _overlay(merged, raw)
    # The top file names the profile; `extends` is not carried into the result.
    try:
        spec = ProfileSpec.model_validate(merged)
    except ValidationError as e:
        lines = []
        for err in e.errors():
            loc = tuple(err["loc"])
            # pydantic puts a generic type's parameter in the path; drop it
            loc = tuple(p for p in loc if not (isinstance(p, str) and "[" in p))
            lines.append(f"{_blame(layers, loc)}: {_loc_text(loc)}: {_explain(err)}")
        raise ProfileError("\n".join(lines)) from None
    problems = _cross_check(spec)
    if problems:
        raise ProfileError("\n".join(f"{_blame(layers, loc)}: {_loc_text(loc)}: {msg}" for loc, msg in problems))
    return Profile(spec, tuple(s for s, _ in layers))


def _cross_check(spec: ProfileSpec) -> list[tuple[tuple[int | str, ...], str]]:
    """What the schema alone cannot see: names that must refer to something."""
    problems: list[tuple[tuple[int | str, ...], str]] = []
    for dl_id in DeadlinesSpec.model_fields:
        d: DeadlineSpec = getattr(spec.deadlines, dl_id)
        for field in ("trigger", "completed_by"):
            for date_key, entry in getattr(d, field).items():
                for i, name in enumerate(entry.value):
                    if name not in EVENT_TYPES:
                        problems.append(
                            (("deadlines", dl_id, field, date_key, "value", i), f"unknown event type {name!r}")
                        )
    for adj_id, adj in spec.adjustments.items():
        if adj.applies_to not in DeadlinesSpec.model_fields:
            problems.append((("adjustments", adj_id, "applies_to"), f"unknown deadline {adj.applies_to!r}"))
        for field in ("event", "end_event"):
            table = getattr(adj, field)
            for date_key, entry in (table or {}).items():
                if entry.value not in EVENT_TYPES:
                    problems.append(
                        (("adjustments", adj_id, field, date_key, "value"), f"unknown event type {entry.value!r}")
                    )
        for date_key, entry in (adj.resumed_by or {}).items():
            for i, name in enumerate(entry.value):
                if name not in EVENT_TYPES:
                    problems.append(
                        (("adjustments", adj_id, "resumed_by", date_key, "value", i), f"unknown event type {name!r}")
                    )
        if adj.kind == "pause" and adj.end_event is None:
            problems.append((("adjustments", adj_id, "end_event"), "a pause needs an end_event"))
        if adj.kind != "pause":
            for field in ("end_event", "resumed_by"):
                if getattr(adj, field) is not None:
                    problems.append((("adjustments", adj_id, field), f"only a pause has {field}"))
        if adj.kind in ("fixed", "toll", "later_of") and adj.days is None:
            problems.append((("adjustments", adj_id, "days"), f"a {adj.kind} adjustment needs days"))
        if adj.kind == "later_of":
            for date_key, entry in adj.event.items():
                fields = EVENT_TYPES.get(entry.value, {})
                if not any(kind == "date" for kind, _ in fields.values()):
                    problems.append(
                        (
                            ("adjustments", adj_id, "event", date_key, "value"),
                            f"{entry.value!r} has no second date for later_of to compare",
                        )
                    )
    for r_id, r in spec.referrals.items():
        for date_key, entry in r.event.items():
            if entry.value not in EVENT_TYPES:
                problems.append(
                    (("referrals", r_id, "event", date_key, "value"), f"unknown event type {entry.value!r}")
                )
    for dl_id in DeadlinesSpec.model_fields:
        d = getattr(spec.deadlines, dl_id)
        if d.match is not None:
            for field in ("trigger", "completed_by"):
                for date_key, entry in getattr(d, field).items():
                    for i, name in enumerate(entry.value):
                        if d.match not in EVENT_TYPES.get(name, {d.match: None}):
                            problems.append(
                                (
                                    ("deadlines", dl_id, field, date_key, "value", i),
                                    f"{name!r} has no field {d.match!r} to match on",
                                )
                            )
    problems.extend(_check_bargaining(spec))
    problems.extend(_check_institutions(spec))
    if spec.contract is not None:
        for key in spec.contract.unknown:
            if key not in ProvisionsSpec.model_fields and "." not in key:
                problems.append(
                    (("contract", "unknown", key), "not a provision of the schema (see rules/contracts.py)")
                )
    labelled: dict[str, str] = {}
    for tax_id in TaxonomiesSpec.model_fields:
        tax: TaxonomySpec = getattr(spec.taxonomies, tax_id)
        for date_key, entry in tax.values.items():
            for i, name in enumerate(entry.value):
                text = tax.labels.get(name) or labelled.get(name)
                if not text:
                    problems.append(
                        (
                            ("taxonomies", tax_id, "values", date_key, "value", i),
                            f"{name!r} has no label (add it to taxonomies.{tax_id}.labels)",
                        )
                    )
        labelled.update(tax.labels)
    categories: set[str] = set()
    for entry in spec.taxonomies.allegation_categories.values.values():
        categories.update(entry.value)
    for tax_id in ("oig_mandatory_review", "oig_always_review"):
        for date_key, entry in getattr(spec.taxonomies, tax_id).values.items():
            for i, name in enumerate(entry.value):
                if name not in categories:
                    problems.append(
                        (
                            ("taxonomies", tax_id, "values", date_key, "value", i),
                            f"unknown allegation category {name!r}",
                        )
                    )
    classifications: set[str] = set()
    for entry in spec.taxonomies.classifications.values.values():
        classifications.update(entry.value)
    for date_key, entry in spec.taxonomies.classifications_needing_allegation.values.items():
        for i, name in enumerate(entry.value):
            if name not in classifications:
                problems.append(
                    (
                        ("taxonomies", "classifications_needing_allegation", "values", date_key, "value", i),
                        f"unknown classification {name!r}",
                    )
                )
    for c_id, c in spec.constraints.items():
        if c.classification not in classifications:
            problems.append((("constraints", c_id, "classification"), f"unknown classification {c.classification!r}"))
        for date_key, entry in c.categories.items():
            for i, name in enumerate(entry.value):
                if name not in categories:
                    problems.append(
                        (
                            ("constraints", c_id, "categories", date_key, "value", i),
                            f"unknown allegation category {name!r}",
                        )
                    )
    return problems


def _check_institutions(spec: ProfileSpec) -> list[tuple[tuple[int | str, ...], str]]:
    """Every code of the institutions table has a label; reserved seats are seats."""
    inst = spec.institutions
    if inst is None:
        return []
    problems: list[tuple[tuple[int | str, ...], str]] = []

    def label(code: str, loc: tuple[int | str, ...]) -> None:
        if code not in inst.labels:
            problems.append((loc, f"{code!r} has no label (add it to institutions.labels)"))

    for b_id, body in inst.bodies.items():
        for key, entry in body.seats.items():
            for seat, who in entry.value.items():
                label(who, ("institutions", "bodies", b_id, "seats", key, "value", seat))
        for key, entry in (body.reserved or {}).items():
            seats = set(_pick(body.seats, key).value)
            for seat, qual in entry.value.items():
                label(qual, ("institutions", "bodies", b_id, "reserved", key, "value", seat))
                if seat not in seats:
                    problems.append(
                        (("institutions", "bodies", b_id, "reserved", key, "value", seat), f"no seat {seat!r}")
                    )
        for key, name in (body.fallback_authority or {}).items():
            label(name.value, ("institutions", "bodies", b_id, "fallback_authority", key, "value"))
        for key, cycle in (body.terms_apart_from_cycle or {}).items():
            if set(cycle.value) != {"first_year", "every"} or cycle.value["every"] < 1:
                problems.append(
                    (
                        ("institutions", "bodies", b_id, "terms_apart_from_cycle", key, "value"),
                        "must be { first_year = YYYY, every = N } with N at least 1",
                    )
                )
        for key, votes in (body.removal_votes or {}).items():
            for voter in votes.value:
                label(voter, ("institutions", "bodies", b_id, "removal_votes", key, "value", voter))
        for key, other in (body.terms_apart_from_body or {}).items():
            if other.value not in inst.bodies or other.value == b_id:
                problems.append(
                    (
                        ("institutions", "bodies", b_id, "terms_apart_from_body", key, "value"),
                        f"{other.value!r} is not another body of the table",
                    )
                )
        for key, start in (body.term_starts or {}).items():
            try:
                dt.date.fromisoformat(f"2000-{start.value}")
            except ValueError:
                problems.append(
                    (("institutions", "bodies", b_id, "term_starts", key, "value"), f"{start.value!r} is not MM-DD")
                )
    st = inst.staffing
    for table in ("positions", "civilian_always", "training_kinds"):
        for key, entry in getattr(st, table).items():
            for i, code in enumerate(entry.value):
                label(code, ("institutions", "staffing", table, key, "value", i))
    for key, months in st.civilian_after_months.items():
        for code in months.value:
            label(code, ("institutions", "staffing", "civilian_after_months", key, "value", code))
    return problems


# The values that may await bargaining: the clocks' numbers and the events that move them.
_BARGAINABLE = (("deadlines", "*", "days"), ("adjustments", "*", "days"), ("adjustments", "*", "event"))


def _check_bargaining(spec: ProfileSpec) -> list[tuple[tuple[int | str, ...], str]]:
    problems: list[tuple[tuple[int | str, ...], str]] = []

    def walk(node: Any, loc: tuple[str, ...]) -> None:
        if not isinstance(node, dict):
            return
        if node and all(isinstance(k, str) and _DATE_KEY.match(k) for k in node):
            for key, entry in node.items():
                b = entry.get("bargaining") if isinstance(entry, dict) else None
                if b is None:
                    continue
                allowed = len(loc) == 3 and any(
                    loc[0] == a and loc[2] == c and (b_ == "*" or loc[1] == b_) for a, b_, c in _BARGAINABLE
                )
                where = (*loc, key, "bargaining")
                if not allowed:
                    problems.append(
                        (
                            where,
                            "only a deadline's or an adjustment's days, or an adjustment's event, can await bargaining",
                        )
                    )
                elif b != PENDING and b < key:
                    problems.append((where, f"{b} is before the value was enacted ({key})"))
            return
        for k, v in node.items():
            walk(v, (*loc, str(k)))

    walk(spec.model_dump(), ())
    return problems


_CACHE: dict[str, Profile] = {}


def get_profile(name: str = DEFAULT_PROFILE) -> Profile:
    """A shipped or file profile, loaded once per process."""
    prof = _CACHE.get(name)
    if prof is None:
        prof = _CACHE[name] = load_profile(name)
    return prof
