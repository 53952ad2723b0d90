"""Search across every case a person may read, open and closed.

One query for the page (/search/) and the API (GET /api/cases): ``SearchForm`` parses what
was typed (the same fields and errors for both), ``search(user, criteria)`` returns the
cases, always inside ``access.cases_q(user)``, and ``result_rows`` shows a page of them as
the reader may read them.

What a typed query matches, any of:

- a case number in any case and spacing ("2026opa-12", "2026 OPA 0012", "opa 12 2026"), or
  its sequence number alone ("12", "0012"), normalised to the profile's
  ``case_number_format``;
- a complainant's, witness's or named employee's name (or a named employee's serial
  number), only in the cases where the user reads that part of the case;
- the case's words (its summary, notes and allegations' descriptions): PostgreSQL's own
  full-text search (``websearch_to_tsquery``, ranked), on SQLite every word as a plain
  case-insensitive match. Those who read every person's identity in a case search its
  words as written; everyone else searches them through the one redaction path
  (``actions.search_index``), so no name a reader may not read finds a case.

Filters: open or closed, the stage (the board's stage names, Routed, Closed), an allegation
category, the precinct, the dates the complaint was received between, the investigator.
Results: exact number and name matches first, then by rank on PostgreSQL, then newest first.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from string import Formatter
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Case as DbCase
from django.db.models import Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from oversight import access
from oversight.labels import label_for
from oversight.rules import access as A
from oversight.rules import classification as rc

from . import actions
from .clock import STAGES, classified_stage, profile_name, refresh_board, rules_for
from .models import PRECINCTS, Allegation, Case, Complainant, NamedEmployee, Witness

FTS_CONFIG = "english"  # the text search configuration of the GIN indexes (migration 0004)
PAGE_SIZE = 25
SNIPPET = 220  # characters of the summary a result shows

ALL, OPEN, CLOSED = "all", "open", "closed"
STATES = [(ALL, "Open and closed"), (OPEN, "Open"), (CLOSED, "Closed")]
ROUTED = "routed"  # the stage values beside the board's stage names
CLOSED_STAGE = "closed"


# --------------------------------------------------------------------------
# What may be chosen: labels, never codes
# --------------------------------------------------------------------------


def stage_choices() -> list[tuple[str, str]]:
    """The stages in the order a case goes through them; a stage's value is its board name."""
    names: list[str] = []
    for s in STAGES.values():
        if s not in names:
            names.append(s)
        if s == "Intake":
            names.extend(classified_stage(c) for c in rc.LABELS)
    return [("", "Any stage"), *((n, n) for n in names), (ROUTED, "Routed outside OPA"), (CLOSED_STAGE, "Closed")]


def category_choices(day: dt.date | None = None) -> list[tuple[str, str]]:
    day = day or timezone.localdate()
    codes = rules_for(day).taxonomies["allegation_categories"].value
    return [("", "Any category"), *((c, label_for("category", c, day)) for c in codes)]


def precinct_choices() -> list[tuple[str, str]]:
    return [("", "Any precinct"), *((k, label_for("precinct", k)) for k, _ in PRECINCTS if k)]


class _Investigator(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


def investigators() -> QuerySet[Any]:
    return (
        get_user_model()
        .objects.filter(groups__name__in=[A.INVESTIGATOR, A.SUPERVISOR], is_active=True)
        .distinct()
        .order_by("username")
    )


_DATE_ERROR = "enter a date as YYYY-MM-DD, for example 2026-03-31."


@dataclass(frozen=True)
class Criteria:
    """What to look for; empty fields do not filter."""

    q: str = ""
    state: str = ALL
    stage: str = ""
    category: str = ""
    precinct: str = ""
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    investigator: int | None = None  # a user's pk


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Case number, name or words",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    state = forms.ChoiceField(label="Open or closed", choices=STATES, required=False)
    stage = forms.ChoiceField(label="Stage", choices=(), required=False)
    category = forms.ChoiceField(label="Allegation category", choices=(), required=False)
    precinct = forms.ChoiceField(label="Precinct", choices=(), required=False)
    received_from = forms.DateField(
        label="Received on or after",
        required=False,
        widget=forms.DateInput(attrs={"placeholder": "YYYY-MM-DD", "size": 10}, format="%Y-%m-%d"),
        error_messages={"invalid": _DATE_ERROR},
    )
    received_to = forms.DateField(
        label="Received on or before",
        required=False,
        widget=forms.DateInput(attrs={"placeholder": "YYYY-MM-DD", "size": 10}, format="%Y-%m-%d"),
        error_messages={"invalid": _DATE_ERROR},
    )
    investigator = _Investigator(
        label="Investigator",
        queryset=get_user_model().objects.none(),
        required=False,
        to_field_name="username",
        empty_label="Any investigator",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = stage_choices()
        self.fields["category"].choices = category_choices()
        self.fields["precinct"].choices = precinct_choices()
        self.fields["investigator"].queryset = investigators()
        self.fields["investigator"].error_messages["invalid_choice"] = "is not an investigator or supervisor."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and end < start:
            self.add_error("received_to", f"falls before “Received on or after” ({start.isoformat()}).")
        return data

    def criteria(self) -> Criteria:
        """What the valid form asks for (an unbound form asks for nothing)."""
        if not self.is_bound:
            return Criteria()
        d = self.cleaned_data
        inv = d.get("investigator")
        return Criteria(
            q=(d.get("q") or "").strip(),
            state=d.get("state") or ALL,
            stage=d.get("stage") or "",
            category=d.get("category") or "",
            precinct=d.get("precinct") or "",
            received_from=d.get("received_from"),
            received_to=d.get("received_to"),
            investigator=inv.pk if inv is not None else None,
        )

    def problems(self) -> list[str]:
        """Every error, each naming its field by the label the form shows."""
        out = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            for e in errors:
                out.append(f"{label}: {e}" if label else str(e))
        return out


# --------------------------------------------------------------------------
# The query
# --------------------------------------------------------------------------


def _number_format() -> str:
    from oversight.rules.profile import get_profile

    return str(get_profile(profile_name()).spec.profile.case_number_format)


def parse_number(q: str) -> tuple[int | None, int] | None:
    """(year or None, sequence number) when ``q`` reads as a case number in any case and
    spacing: the format's own letters ("OPA"), separators, a year and a number, in any order."""
    if not q or not re.fullmatch(r"[\sA-Za-z0-9#./_-]+", q):
        return None
    letters = {w.upper() for w in re.findall(r"[A-Za-z]+", re.sub(r"\{[^}]*\}", " ", _number_format()))}
    tokens = re.findall(r"[A-Za-z]+|\d+", q)
    if any(t.isalpha() and t.upper() not in letters for t in tokens):
        return None
    digits = [t for t in tokens if t.isdigit()]
    if len(digits) == 1 and len(digits[0]) <= 6 and int(digits[0]) > 0:
        return None, int(digits[0])
    if len(digits) == 2:
        years = [i for i, t in enumerate(digits) if len(t) == 4 and 1900 <= int(t) <= 2999]
        if years:
            y = years[0]
            year, seq = int(digits[y]), int(digits[1 - y])
            if seq > 0:
                return year, seq
    return None


def number_q(q: str) -> Q | None:
    """The cases whose number ``q`` spells, or None when it spells no number."""
    parsed = parse_number(q)
    if parsed is None:
        return None
    year, seq = parsed
    fmt = _number_format()
    if year is not None:
        return Q(number=fmt.format(year=year, seq=seq))
    # any year: the format as a pattern, the year any four digits
    pattern = []
    for literal, name, spec, _ in Formatter().parse(fmt):
        pattern.append(re.escape(literal))
        if name == "year":
            pattern.append(r"[0-9]{4}")
        elif name == "seq":
            pattern.append(re.escape(format(seq, spec or "")))
        elif name is not None:
            pattern.append(".*")
    return Q(number__regex="^" + "".join(pattern) + "$")


def _words(q: str) -> list[str]:
    return re.findall(r"\w+", q)


def _all_words(field: str, words: list[str]) -> Q:
    cond = Q()
    for w in words:
        cond &= Q(**{f"{field}__icontains": w})
    return cond


def names_q(user: Any, q: str) -> Q | None:
    """The cases where a person's name holds every word of ``q``, each part only where the
    user reads that part: complainants, witnesses, named employees (also by serial number)."""
    words = [w for w in _words(q) if len(w) >= 2] or _words(q)
    if not words:
        return None
    case = OuterRef("pk")
    complainants = Complainant.objects.filter(_all_words("name", words), case=case, anonymous=False)
    witnesses = Witness.objects.filter(_all_words("name", words), case=case)
    employee = _all_words("name", words)
    if re.fullmatch(r"[\w-]{2,16}", q.strip()):
        employee |= Q(serial__iexact=q.strip())
    employees = NamedEmployee.objects.filter(employee, case=case)
    return (
        (Q(Exists(complainants)) & access.cases_q(user, A.COMPLAINANT))
        | (Q(Exists(witnesses)) & access.cases_q(user, A.WITNESS))
        | (Q(Exists(employees)) & access.cases_q(user, A.EMPLOYEES))
    )


def sees_everyone_q(user: Any) -> Q:
    """The cases in which the user reads every person's identity: they search the words as written."""
    return access.cases_q(user, A.COMPLAINANT) & access.cases_q(user, A.WITNESS) & access.cases_q(user, A.EMPLOYEES)


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _text(qs: QuerySet[Case], user: Any, q: str) -> tuple[QuerySet[Case], Q | None, Any]:
    """The queryset ready to match the case's words, the match, and (on PostgreSQL) the rank."""
    full = sees_everyone_q(user)
    if _postgres():
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        query = SearchQuery(q, search_type="websearch", config=FTS_CONFIG)
        written = SearchVector("search_text", config=FTS_CONFIG)
        redacted = SearchVector("search_redacted", config=FTS_CONFIG)
        # Each match is its own subquery on the very expression of its GIN index (migration 0004),
        # so PostgreSQL answers it from the index whatever else the search ORs with it.
        written_ids = Case.objects.alias(_v=written).filter(_v=query).values("pk")
        redacted_ids = Case.objects.alias(_v=redacted).filter(_v=query).values("pk")
        match = (Q(pk__in=written_ids) & full) | Q(pk__in=redacted_ids)
        rank = DbCase(When(full, then=SearchRank(written, query)), default=SearchRank(redacted, query))
        return qs, match, rank
    words = _words(q)
    if not words:
        return qs, None, None
    match = (_all_words("search_text", words) & full) | _all_words("search_redacted", words)
    return qs, match, None


def search(user: Any, criteria: Criteria | None = None, today: dt.date | None = None) -> QuerySet[Case]:
    """The cases ``user`` reads that ``criteria`` asks for, best first (newest first when
    nothing was typed)."""
    c = criteria or Criteria()
    today = today or timezone.localdate()
    actions.refresh_search_index()
    refresh_board(today)  # the stage names of open cases
    qs = Case.objects.filter(access.cases_q(user))
    if c.state == OPEN:
        qs = qs.filter(closed_on__isnull=True)
    elif c.state == CLOSED:
        qs = qs.filter(closed_on__isnull=False)
    if c.stage == CLOSED_STAGE:
        qs = qs.filter(closed_on__isnull=False)
    elif c.stage == ROUTED:
        qs = qs.filter(closed_on__isnull=True).exclude(routed_to="")
    elif c.stage:
        qs = qs.filter(closed_on__isnull=True, routed_to="", board_stage=c.stage)
    if c.category:
        qs = qs.filter(Exists(Allegation.objects.filter(case=OuterRef("pk"), category=c.category)))
    if c.precinct:
        qs = qs.filter(precinct=c.precinct)
    if c.received_from:
        qs = qs.filter(received_on__gte=c.received_from)
    if c.received_to:
        qs = qs.filter(received_on__lte=c.received_to)
    if c.investigator is not None:
        qs = qs.filter(investigator_id=c.investigator)
    newest = (F("received_on").desc(nulls_last=True), "-number")
    if not c.q:
        return qs.order_by(*newest)
    number, names = number_q(c.q), names_q(user, c.q)
    qs, text, rank = _text(qs, user, c.q)
    hits = [h for h in (number, names, text) if h is not None]
    if not hits:
        return qs.none()
    match = hits[0]
    for h in hits[1:]:
        match |= h
    exact = [When(number, then=Value(2))] if number is not None else []
    if names is not None:
        exact.append(When(names, then=Value(1)))
    qs = qs.filter(match).alias(_exact=DbCase(*exact, default=Value(0), output_field=IntegerField()))
    if rank is not None:
        return qs.alias(_rank=rank).order_by("-_exact", "-_rank", *newest)
    return qs.order_by("-_exact", *newest)


# --------------------------------------------------------------------------
# A page of results, as the reader may read it
# --------------------------------------------------------------------------


@dataclass
class Row:
    number: str
    stage: str
    received_on: dt.date | None
    precinct: str
    categories: list[str] = field(default_factory=list)
    snippet: str = ""


def stage_label(case: Case) -> str:
    """Where the case stands, in the case page's words."""
    if case.closed_on is not None:
        return "Closed"
    if case.routed_to:
        dest = rc.ROUTES.get(case.routed_to)
        return f"Routed to {dest[0]}" if dest else "Routed outside OPA"
    return case.board_stage or "Intake"


def snippet(text: str, q: str = "", size: int = SNIPPET) -> str:
    """A short passage of ``text`` (already as the reader may read it), around the first word of
    ``q`` found in it, else its beginning."""
    text = " ".join(text.split())
    if len(text) <= size:
        return text
    start = 0
    low = text.lower()
    for w in _words(q):
        i = low.find(w.lower())
        if i >= 0:
            start = max(0, i - size // 3)
            break
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = min(len(text), start + size)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + size // 2 else end
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def result_rows(user: Any, cases: Any, q: str = "") -> list[Row]:
    """The rows of one page: the summary cut only after it has passed through the reader's
    redaction (a name cut in half would no longer be recognised)."""
    out = []
    for case in cases:
        reader = access.Reader(user, case)
        day = case.received_on
        cats = list(dict.fromkeys(a.category for a in case.allegations.all()))
        out.append(
            Row(
                number=case.number,
                stage=stage_label(case),
                received_on=case.received_on,
                precinct=label_for("precinct", case.precinct),
                categories=[label_for("category", cat, day) for cat in cats],
                snippet=snippet(reader.redact(case.summary), q),
            )
        )
    return out
