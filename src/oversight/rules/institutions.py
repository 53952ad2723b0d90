"""The institutions themselves: seats, terms, limits and deadlines of the bodies Chapter 3.29 keeps.

Pure Python, no Django. The rules come from the profile's ``[institutions]`` table, dated and
cited (``body_rules(profile, day)``); the web app hands in plain records of who held which seat
(``Tenure``) and asks:

- ``check_appointment``: the breaches of an appointment the registry is asked to record (a term
  limit, the residency rule, a seat's appointing authority or its reservation, too many terms
  ending in one year, a City employee on the PSCSC, a sworn Director), each with its citation;
- ``deadlines``: what is due by when for a body today: the Council's action before a term ends,
  an interim designation after a vacancy, the fallback appointment, a vacancy to fill, a
  nomination deemed confirmed; each with its citation and whether it is due soon or overdue;
- ``removal_deadlines``: the removal-for-cause steps after a written notice;
- ``staffing_deadlines`` and ``check_position``: OPA's civilianization (3.29.028).

Readings where the text leaves a question open:

- A full term counts toward the limit; an interim term does not (3.29.020.C.4, 3.29.114.D), nor
  does the remainder of a term taken mid-term after a vacancy (3.29.020.C.2, 3.29.215.C.5:
  "may complete that term and then be reappointed for up to three ... subsequent terms").
- The first holder the registry records is read as the first appointed under the chapter: their
  first term may begin on confirmation and run from the next term day (3.29.020.C.2), and the
  Inspector General's may be the five years of 3.29.114.B.
- A term ends the day before the anniversary of its start: a CPC term from January 1, 2024 ends
  December 31, 2026.
- A holder whose term has ended continues on an interim basis until a successor is confirmed
  (3.29.020.C.4, 3.29.114.D, 3.29.215.C.6): the seat is not vacant, but the Council's action is late.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from oversight.rules.profile import Entry, Profile

FULL = "full"  # a full term of the body
MID_TERM = "mid_term"  # the rest of a term left by a vacancy
INTERIM = "interim"  # an interim holder, until a successor is appointed
KINDS = (FULL, MID_TERM, INTERIM)

# Ways a tenure ends
END_REASONS = ("term_expired", "resigned", "resigned_without_notice", "removed", "other")


@dataclass(frozen=True, slots=True)
class Cited:
    value: Any
    cite: str


@dataclass(frozen=True, slots=True)
class BodyRules:
    """One body's rules in force on a day; an absent rule is None."""

    id: str
    label: str
    seats: Cited  # {seat: authority}
    term_years: Cited
    warn_days: Cited
    max_terms: Cited | None = None
    first_term_years: Cited | None = None
    term_starts: Cited | None = None  # "MM-DD"
    reserved: Cited | None = None  # {seat: qualification}
    council_action_before_end_days: Cited | None = None
    interim_within_days: Cited | None = None
    fallback_after_days: Cited | None = None
    fallback_authority: Cited | None = None
    deemed_confirmed_days: Cited | None = None
    vacancy_filled_within_days: Cited | None = None
    max_terms_expiring_per_year: Cited | None = None
    residents_required: Cited | None = None
    nonresidents_per_authority: Cited | None = None
    residency_lapse_days: Cited | None = None
    successive_term_window_days: Cited | None = None
    removal_hearing_request_days: Cited | None = None
    removal_hearing_earliest_days: Cited | None = None
    removal_hearing_latest_days: Cited | None = None
    removal_vote_within_days: Cited | None = None
    must_be_civilian: Cited | None = None
    no_city_employees: Cited | None = None
    terms_apart_from_cycle: Cited | None = None  # {first_year, every}: years a term may not begin in
    terms_apart_from_body: Cited | None = None  # a body whose terms' first years this body's avoid
    removal_votes: Cited | None = None  # {voter: majority | two_thirds | three_quarters}

    @property
    def seat_numbers(self) -> list[str]:
        return sorted(self.seats.value, key=_seat_key)

    def authority(self, seat: str) -> str:
        return str(self.seats.value.get(seat, ""))

    def reserved_for(self, seat: str) -> str:
        return str(self.reserved.value.get(seat, "")) if self.reserved else ""


@dataclass(frozen=True, slots=True)
class StaffingRules:
    chapter_effective: Cited  # a date
    positions: Cited
    civilian_always: Cited
    civilian_after_months: Cited  # {position: months}
    configuration_within_months: Cited
    rotation_years: Cited
    rotation_list_size: Cited
    rotation_lists: Cited
    training_kinds: Cited


def _seat_key(seat: str) -> tuple[bool, int, str]:
    return (not seat.isdigit(), int(seat) if seat.isdigit() else 0, seat)


def _pick(dated: dict[str, Entry[Any]], day: str) -> Entry[Any]:
    keys = sorted(dated)
    i = bisect.bisect_right(keys, day)
    return dated[keys[max(i - 1, 0)]]


def _cited(dated: dict[str, Entry[Any]] | None, day: str) -> Cited | None:
    if dated is None:
        return None
    e = _pick(dated, day)
    return Cited(e.value, e.cite)


class NoInstitutions(Exception):
    """The profile has no ``[institutions]`` table."""


def body_ids(profile: Profile) -> list[str]:
    inst = profile.spec.institutions
    return list(inst.bodies) if inst is not None else []


def labels(profile: Profile) -> dict[str, str]:
    inst = profile.spec.institutions
    return dict(inst.labels) if inst is not None else {}


def body_rules(profile: Profile, body: str, day: dt.date) -> BodyRules:
    inst = profile.spec.institutions
    if inst is None:
        raise NoInstitutions(f"profile {profile.name} has no [institutions] table")
    spec = inst.bodies.get(body)
    if spec is None:
        raise KeyError(f"no body {body!r} in profile {profile.name} (bodies: {', '.join(inst.bodies)})")
    d = day.isoformat()
    kw: dict[str, Any] = {}
    for name in type(spec).model_fields:
        if name == "label":
            continue
        kw[name] = _cited(getattr(spec, name), d)
    return BodyRules(id=body, label=spec.label, **kw)


def staffing_rules(profile: Profile, day: dt.date) -> StaffingRules:
    inst = profile.spec.institutions
    if inst is None:
        raise NoInstitutions(f"profile {profile.name} has no [institutions] table")
    d = day.isoformat()
    st = inst.staffing
    kw = {name: _cited(getattr(st, name), d) for name in type(st).model_fields}
    return StaffingRules(**kw)  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# Terms
# --------------------------------------------------------------------------


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # February 29
        return day.replace(year=day.year + years, day=28)


def add_months(day: dt.date, months: int) -> dt.date:
    m = day.month - 1 + months
    y, m = day.year + m // 12, m % 12 + 1
    return dt.date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


def term_end(rules: BodyRules, start: dt.date) -> dt.date:
    """The last day of a full term begun on ``start``."""
    return add_years(start, int(rules.term_years.value)) - dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Tenure:
    """One person's holding of one seat: an appointment, as the registry recorded it."""

    person: str
    seat: str
    kind: str  # FULL | MID_TERM | INTERIM
    start: dt.date
    term_end: dt.date | None  # None: an interim holder, until a successor
    ended_on: dt.date | None = None  # left the seat (resigned, removed, succeeded)
    end_reason: str = ""
    authority: str = ""
    resides_in_city: bool = True
    works_in_city: bool = False
    lived_outside_city_days: int = 0  # the longest period of the term lived outside the City
    city_employee: bool = False
    civilian: bool = True
    qualification: str = ""
    nominated_on: dt.date | None = None  # submitted to the Council
    confirmed_on: dt.date | None = None

    def current_on(self, day: dt.date) -> bool:
        """Holds the seat on ``day`` (a holder past their term's end holds it until succeeded)."""
        return self.start <= day and (self.ended_on is None or self.ended_on > day)


@dataclass(frozen=True, slots=True)
class Breach:
    """A rule an appointment breaks: what, and where the law says so."""

    field: str
    text: str
    cite: str

    def __str__(self) -> str:
        return f"{self.text} [{self.cite}]"


def full_terms(history: Iterable[Tenure], person: str) -> int:
    """The full terms ``person`` has held on the body (interim and mid-term ones do not count)."""
    key = person.strip().casefold()
    return sum(1 for t in history if t.person.strip().casefold() == key and t.kind == FULL)


def _label(codes: dict[str, str], code: str) -> str:
    return codes.get(code, code)


def _terms_apart(rules: BodyRules, year: int, other_terms: tuple[str, Collection[int]]) -> list[Breach]:
    """A full term beginning in a year another's term begins: the Director's apart from the
    Mayor's (3.29.020.C.2), the Inspector General's apart from the Director's (3.29.114.B). The
    first holder's first term begins on confirmation and is not held to it."""
    out: list[Breach] = []
    cycle = rules.terms_apart_from_cycle
    if cycle is not None:
        first, every = int(cycle.value["first_year"]), int(cycle.value["every"])
        if year >= first and (year - first) % every == 0:
            out.append(
                Breach(
                    "start",
                    f"a term of {rules.label} may not begin in {year}: terms begin in years apart from those "
                    f"that begin every {every} years from {first}",
                    cycle.cite,
                )
            )
    other = rules.terms_apart_from_body
    label, years = other_terms
    if other is not None and year in years:
        out.append(
            Breach(
                "start",
                f"a term of {rules.label} may not begin in {year}, the year a term of the {label or other.value} began",
                other.cite,
            )
        )
    return out


SHARES: Final = {"majority": "a majority", "two_thirds": "two thirds", "three_quarters": "three quarters"}


def share_met(share: str, votes_for: int, members: int) -> bool:
    """A majority is more than half of the members; two thirds and three quarters at least that
    share of them (of the body's members, not of those present)."""
    if share == "majority":
        return 2 * votes_for > members
    if share == "two_thirds":
        return 3 * votes_for >= 2 * members
    if share == "three_quarters":
        return 4 * votes_for >= 3 * members
    raise ValueError(f"{share!r} is not a share of votes")


def removal_voters(rules: BodyRules, authority: str) -> dict[str, str]:
    """The votes a removal from a seat appointed by ``authority`` needs: voter -> share. The
    Council votes on every removal; another voter (CPC, 3.29.215.C.7) only on the seats it
    appoints."""
    if rules.removal_votes is None:
        return {}
    return {v: sh for v, sh in dict(rules.removal_votes.value).items() if v == "council" or v == authority}


def check_removal_vote(
    rules: BodyRules, authority: str, votes: dict[str, tuple[int, int]], codes: dict[str, str] | None = None
) -> list[Breach]:
    """Every reason an approved removal does not stand: a vote the section needs is missing, or
    falls short of its share. ``votes``: voter -> (members voting for, members)."""
    codes = codes or {}
    out: list[Breach] = []
    if rules.removal_votes is None:
        return out
    cite = rules.removal_votes.cite
    for voter, share in removal_voters(rules, authority).items():
        who = _label(codes, voter)
        if voter not in votes:
            out.append(Breach(f"{voter}_for", f"removal needs the vote of {who}, {SHARES[share]} of its members", cite))
            continue
        votes_for, members = votes[voter]
        if members < 1 or not 0 <= votes_for <= members:
            out.append(Breach(f"{voter}_for", f"{votes_for} of {members} members is not a vote", cite))
        elif not share_met(share, votes_for, members):
            out.append(
                Breach(
                    f"{voter}_for",
                    f"{votes_for} of {who}'s {members} members is not {SHARES[share]}: the removal is not approved",
                    cite,
                )
            )
    return out


def check_appointment(
    rules: BodyRules,
    proposed: Tenure,
    history: Sequence[Tenure],
    codes: dict[str, str] | None = None,
    appointed_on: dt.date | None = None,
    other_terms: tuple[str, Collection[int]] = ("", ()),
) -> list[Breach]:
    """Every rule ``proposed`` would break, given the body's ``history`` (every tenure recorded,
    past and present) and the day the appointment is made (``appointed_on``). An empty list: the
    appointment may be recorded. ``other_terms``: the label of the body named by
    ``terms_apart_from_body`` and the years its full terms began (the caller reads its history)."""
    codes = codes or {}
    out: list[Breach] = []
    window = rules.successive_term_window_days
    if window is not None and appointed_on is not None and proposed.kind == FULL:
        key = proposed.person.strip().casefold()
        prior = [
            t for t in history if t.person.strip().casefold() == key and t.term_end is not None and t.ended_on is None
        ]
        if prior:
            end = max(t.term_end for t in prior if t.term_end is not None)
            if abs((appointed_on - end).days) <= int(window.value) and proposed.start != end + dt.timedelta(days=1):
                out.append(
                    Breach(
                        "start",
                        f"reappointed within {window.value} days of the term's end ({end}), the new term begins "
                        f"on {end + dt.timedelta(days=1)}",
                        window.cite,
                    )
                )
    seats = rules.seats
    if proposed.seat not in seats.value:
        out.append(
            Breach(
                "seat",
                f"{rules.label} has no seat {proposed.seat} (seats: {', '.join(rules.seat_numbers)})",
                seats.cite,
            )
        )
        return out
    who = rules.authority(proposed.seat)
    if proposed.authority and proposed.authority != who:
        out.append(
            Breach(
                "authority",
                f"seat {proposed.seat} is appointed by {_label(codes, who)}, not {_label(codes, proposed.authority)}",
                seats.cite,
            )
        )
    reserved = rules.reserved_for(proposed.seat)
    if reserved and rules.reserved is not None and proposed.qualification != reserved:
        out.append(
            Breach(
                "qualification", f"seat {proposed.seat} is reserved for {_label(codes, reserved)}", rules.reserved.cite
            )
        )
    if proposed.kind not in KINDS:
        out.append(Breach("kind", f"{proposed.kind!r} is not a kind of appointment", seats.cite))
        return out
    # the term
    # the first holder the registry records: the first term began on confirmation (3.29.020.C.2,
    # 3.29.114.B) and runs its years from the next term day (the first IG's five years)
    first_holder = rules.first_term_years is not None and not [t for t in history if t.kind != INTERIM]
    if proposed.kind == FULL:
        if (
            rules.term_starts is not None
            and proposed.start.strftime("%m-%d") != rules.term_starts.value
            and not first_holder
        ):
            mm, dd = (int(x) for x in str(rules.term_starts.value).split("-"))
            out.append(
                Breach(
                    "start",
                    f"a term of {rules.label} begins on {dt.date(2000, mm, dd):%B} {dd}, not {proposed.start:%B %-d}",
                    rules.term_starts.cite,
                )
            )
        expected = term_end(rules, proposed.start)
        allowed = {expected}
        if first_holder:
            years = {int(rules.term_years.value)}
            if rules.first_term_years is not None:  # always, for a first holder
                years.add(int(rules.first_term_years.value))
            starts = {proposed.start}
            if rules.term_starts is not None:
                mm, dd = (int(x) for x in str(rules.term_starts.value).split("-"))
                day = dt.date(proposed.start.year, mm, dd)
                starts.add(day if day >= proposed.start else add_years(day, 1))
            allowed = {add_years(s, n) - dt.timedelta(days=1) for s in starts for n in years}
        if not first_holder:
            out.extend(_terms_apart(rules, proposed.start.year, other_terms))
        if proposed.term_end is not None and proposed.term_end not in allowed:
            out.append(
                Breach(
                    "term_end",
                    f"a term of {rules.term_years.value} years begun {proposed.start} ends {expected}",
                    rules.term_years.cite,
                )
            )
    if proposed.kind in (FULL, MID_TERM) and proposed.term_end is not None and proposed.term_end < proposed.start:
        out.append(Breach("term_end", "the term ends before it begins", rules.term_years.cite))
    if rules.max_terms is not None and proposed.kind == FULL:
        held = full_terms(history, proposed.person)
        if held + 1 > int(rules.max_terms.value):
            out.append(
                Breach(
                    "person",
                    f"{proposed.person} has served {held} full term{'s' if held != 1 else ''}; {rules.label} may serve "
                    f"at most {rules.max_terms.value}",
                    rules.max_terms.cite,
                )
            )
    # the seat must be free when the new tenure begins (an interim holder, or one held over past
    # their term's end, gives way to the successor)
    for t in history:
        if t.seat != proposed.seat or not t.current_on(proposed.start) or t.kind == INTERIM:
            continue
        if t.person.strip().casefold() == proposed.person.strip().casefold():
            continue  # reappointed before the term ends: the new term takes over the rest
        if t.term_end is not None and t.term_end >= proposed.start and proposed.kind != INTERIM:
            out.append(
                Breach(
                    "seat",
                    f"seat {proposed.seat} is held by {t.person} until {t.term_end}: record the end of that "
                    "tenure first (a resignation or removal), or appoint from the day after the term ends",
                    seats.cite,
                )
            )
    current = [t for t in history if t.current_on(proposed.start) and t.seat != proposed.seat and t.kind != INTERIM]
    # terms ending in one year
    cap = rules.max_terms_expiring_per_year
    if cap is not None and proposed.term_end is not None and proposed.kind != INTERIM:
        same = [t for t in current if t.term_end is not None and t.term_end.year == proposed.term_end.year]
        if len(same) + 1 > int(cap.value):
            out.append(
                Breach(
                    "term_end",
                    f"{len(same)} terms of {rules.label} already end in {proposed.term_end.year}; no more than "
                    f"{cap.value} may end in one year",
                    cap.cite,
                )
            )
    # residency
    if rules.residents_required is not None:
        cite = rules.residents_required.cite
        if not proposed.resides_in_city and not proposed.works_in_city:
            out.append(Breach("resides_in_city", "a Commissioner must live or work in Seattle", cite))
        elif not proposed.resides_in_city:
            room = len(seats.value) - int(rules.residents_required.value)
            others = [t for t in current if not t.resides_in_city]
            if len(others) + 1 > room:
                out.append(
                    Breach(
                        "resides_in_city",
                        f"{rules.residents_required.value} of the {len(seats.value)} must live in the City; "
                        f"{len(others)} seated already only work there",
                        cite,
                    )
                )
            per = rules.nonresidents_per_authority
            if per is not None:
                mine = [t for t in others if rules.authority(t.seat) == who]
                if len(mine) + 1 > int(per.value):
                    out.append(
                        Breach(
                            "resides_in_city",
                            f"{_label(codes, who)} may appoint {per.value} who works in but does not live in the "
                            f"City, and has: {', '.join(f'{t.person} (seat {t.seat})' for t in mine)}",
                            per.cite,
                        )
                    )
        lapse = rules.residency_lapse_days
        if lapse is not None and not proposed.resides_in_city:
            key = proposed.person.strip().casefold()
            previous = [t for t in history if t.person.strip().casefold() == key and t.seat == proposed.seat]
            last = max(previous, key=lambda t: t.start, default=None)
            if last is not None and last.resides_in_city and last.lived_outside_city_days >= int(lapse.value):
                out.append(
                    Breach(
                        "resides_in_city",
                        f"{proposed.person} lived in the City when appointed but outside it for "
                        f"{last.lived_outside_city_days} days of the term: not eligible for reappointment without "
                        "proof of current residency in the City",
                        lapse.cite,
                    )
                )
    if rules.no_city_employees is not None and rules.no_city_employees.value and proposed.city_employee:
        out.append(
            Breach(
                "city_employee", f"no member of the {rules.label} may be a City employee", rules.no_city_employees.cite
            )
        )
    if rules.must_be_civilian is not None and rules.must_be_civilian.value and not proposed.civilian:
        out.append(Breach("civilian", f"the {rules.label} shall be a civilian", rules.must_be_civilian.cite))
    return out


# --------------------------------------------------------------------------
# What is due by when
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Due:
    """One deadline of a body: what, by when, why, and how it stands today."""

    seat: str
    what: str
    due: dt.date
    cite: str
    status: str  # "overdue" | "due" (within the warning) | "open"
    why: str = ""


def _status(due: dt.date, today: dt.date, warn: int) -> str:
    if today > due:
        return "overdue"
    return "due" if (due - today).days <= warn else "open"


@dataclass(frozen=True, slots=True)
class SeatState:
    seat: str
    holder: Tenure | None  # who holds it today (None: vacant)
    vacant_since: dt.date | None  # the first day of the vacancy
    held_over: bool = False  # the holder's term ended; they continue until a successor
    interim: bool = False


def seat_states(rules: BodyRules, history: Sequence[Tenure], today: dt.date) -> list[SeatState]:
    out = []
    for seat in rules.seat_numbers:
        mine = sorted((t for t in history if t.seat == seat), key=lambda t: (t.start, t.kind != INTERIM))
        now = [t for t in mine if t.current_on(today)]
        holder = next((t for t in reversed(now) if t.kind != INTERIM), None) or (now[-1] if now else None)
        if holder is not None:
            out.append(
                SeatState(
                    seat,
                    holder,
                    None,
                    held_over=holder.term_end is not None and holder.term_end < today,
                    interim=holder.kind == INTERIM,
                )
            )
            continue
        ended = [t.ended_on for t in mine if t.ended_on is not None and t.ended_on <= today]
        out.append(SeatState(seat, None, max(ended) if ended else None))
    return out


def deadlines(
    rules: BodyRules, history: Sequence[Tenure], today: dt.date, codes: dict[str, str] | None = None
) -> list[Due]:
    """What the body's seats need, and by when, today: most urgent first."""
    codes = codes or {}
    warn = int(rules.warn_days.value)
    out: list[Due] = []
    appointer = {s: _label(codes, rules.authority(s)) for s in rules.seats.value}

    def seat_name(seat: str) -> str:
        return f"seat {seat}" if len(rules.seats.value) > 1 else rules.label

    for t in history:  # nominations awaiting the Council, for a tenure begun or still to begin
        if t.nominated_on is None or t.confirmed_on is not None or t.ended_on is not None:
            continue
        if rules.deemed_confirmed_days is None:
            continue
        due = t.nominated_on + dt.timedelta(days=int(rules.deemed_confirmed_days.value))
        out.append(
            Due(
                t.seat,
                f"Council action on the nomination of {t.person} ({seat_name(t.seat)}, from {t.start})",
                due,
                rules.deemed_confirmed_days.cite,
                "overdue" if today > due else "due",
                "without Council action by then the appointee is deemed confirmed",
            )
        )
    for st in seat_states(rules, history, today):
        h = st.holder
        name = seat_name(st.seat)
        if h is not None and h.term_end is not None and rules.council_action_before_end_days is not None:
            # the successor's (or the reappointment's) Council action, ahead of the term's end
            successor = [
                t for t in history if t.seat == st.seat and t.start > h.term_end - dt.timedelta(days=1) and t is not h
            ]
            if not successor:
                due = h.term_end - dt.timedelta(days=int(rules.council_action_before_end_days.value))
                why = f"{h.person}'s term ends {h.term_end}"
                if st.held_over:
                    why += f"; {h.person} continues on an interim basis until a successor is confirmed"
                out.append(
                    Due(
                        st.seat,
                        f"Council action on the appointment or reappointment to {name} (by {appointer[st.seat]})",
                        due,
                        rules.council_action_before_end_days.cite,
                        _status(due, today, warn),
                        why,
                    )
                )
        if h is not None and h.term_end is not None and rules.fallback_after_days is not None and st.held_over:
            due = h.term_end + dt.timedelta(days=int(rules.fallback_after_days.value))
            who = (
                _label(codes, str(rules.fallback_authority.value)) if rules.fallback_authority else "another authority"
            )
            out.append(
                Due(
                    st.seat,
                    f"An appointment or a new search for {name} by {appointer[st.seat]}",
                    due,
                    rules.fallback_after_days.cite,
                    _status(due, today, warn),
                    f"the term expired {h.term_end}; after this day {who} appoints",
                )
            )
        if h is None and st.vacant_since is not None:
            v = st.vacant_since
            if rules.interim_within_days is not None:
                due = v + dt.timedelta(days=int(rules.interim_within_days.value))
                out.append(
                    Due(
                        st.seat,
                        f"Designate an interim {rules.label}",
                        due,
                        rules.interim_within_days.cite,
                        "overdue" if today > due else "due",
                        f"vacant since {v}",
                    )
                )
            if rules.fallback_after_days is not None:
                due = v + dt.timedelta(days=int(rules.fallback_after_days.value))
                who = (
                    _label(codes, str(rules.fallback_authority.value))
                    if rules.fallback_authority
                    else "another authority"
                )
                out.append(
                    Due(
                        st.seat,
                        f"An appointment or a new search for {name} by {appointer[st.seat]}",
                        due,
                        rules.fallback_after_days.cite,
                        _status(due, today, warn),
                        f"vacant since {v}; after this day {who} appoints",
                    )
                )
            if rules.vacancy_filled_within_days is not None:
                due = v + dt.timedelta(days=int(rules.vacancy_filled_within_days.value))
                out.append(
                    Due(
                        st.seat,
                        f"Fill {name} (appointed by {appointer[st.seat]})",
                        due,
                        rules.vacancy_filled_within_days.cite,
                        _status(due, today, warn),
                        f"vacant since {v}",
                    )
                )
        if h is None and st.vacant_since is None:
            out.append(
                Due(
                    st.seat,
                    f"Fill {name} (appointed by {appointer[st.seat]})",
                    today,
                    rules.seats.cite,
                    "due",
                    "never filled",
                )
            )
    out.sort(key=lambda d: ({"overdue": 0, "due": 1, "open": 2}[d.status], d.due, _seat_key(d.seat)))
    return out


@dataclass(frozen=True, slots=True)
class RemovalStep:
    what: str
    earliest: dt.date | None
    latest: dt.date
    cite: str


def removal_deadlines(
    rules: BodyRules, notice_on: dt.date, hearing_requested_on: dt.date | None = None, hearing_on: dt.date | None = None
) -> list[RemovalStep]:
    """The removal-for-cause steps after the written notice (3.29.020.C.5, 3.29.114.E)."""
    req = rules.removal_hearing_request_days
    if req is None:
        return []
    steps = [RemovalStep("Request a hearing", None, notice_on + dt.timedelta(days=int(req.value)), req.cite)]
    vote = rules.removal_vote_within_days
    if hearing_requested_on is not None and rules.removal_hearing_earliest_days and rules.removal_hearing_latest_days:
        steps.append(
            RemovalStep(
                "The Council's hearing",
                hearing_requested_on + dt.timedelta(days=int(rules.removal_hearing_earliest_days.value)),
                hearing_requested_on + dt.timedelta(days=int(rules.removal_hearing_latest_days.value)),
                rules.removal_hearing_latest_days.cite,
            )
        )
    if vote is not None:
        base = hearing_on if hearing_on is not None else (None if hearing_requested_on else notice_on)
        if base is not None:
            steps.append(RemovalStep("The Council's vote", None, base + dt.timedelta(days=int(vote.value)), vote.cite))
    return steps


def successive_term_start(rules: BodyRules, prior_end: dt.date, reappointed_on: dt.date) -> dt.date:
    """When a reappointed CPC Executive Director's new term begins (3.29.206.B.3): the day after
    the prior term expired when reappointed within the window of it, else the reappointment day."""
    window = rules.successive_term_window_days
    if window is None or abs((reappointed_on - prior_end).days) <= int(window.value):
        return prior_end + dt.timedelta(days=1)
    return reappointed_on


# --------------------------------------------------------------------------
# OPA's staffing (3.29.028)
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StaffingDue:
    position: str
    what: str
    due: dt.date
    cite: str


def staffing_deadlines(rules: StaffingRules) -> list[StaffingDue]:
    start = dt.date.fromisoformat(str(rules.chapter_effective.value))
    out = [
        StaffingDue(pos, "entirely civilian", add_months(start, int(months)), rules.civilian_after_months.cite)
        for pos, months in sorted(rules.civilian_after_months.value.items())
    ]
    out.append(
        StaffingDue(
            "intake",
            "intake and investigators entirely civilian or a mix of civilian and sworn",
            add_months(start, int(rules.configuration_within_months.value)),
            rules.configuration_within_months.cite,
        )
    )
    return out


def check_position(rules: StaffingRules, position: str, civilian: bool, on: dt.date) -> Breach | None:
    """A sworn person in a position that must be civilian on ``on``."""
    if position not in rules.positions.value:
        return Breach("position", f"{position!r} is not a position of OPA", rules.positions.cite)
    if civilian:
        return None
    if position in rules.civilian_always.value:
        return Breach("civilian", "this position shall be held by a civilian", rules.civilian_always.cite)
    months = rules.civilian_after_months.value.get(position)
    if months is not None:
        start = dt.date.fromisoformat(str(rules.chapter_effective.value))
        due = add_months(start, int(months))
        if on >= due:
            return Breach(
                "civilian",
                f"this position is civilian from {due} ({months} months after the chapter took effect)",
                rules.civilian_after_months.cite,
            )
    return None


@dataclass(frozen=True, slots=True)
class RotationState:
    """A sworn vacancy's path to being filled (3.29.315.H)."""

    volunteers: int
    lists: list[int] = field(default_factory=list)  # the size of each of the Chief's lists given


def rotation_problem(rules: StaffingRules, state: RotationState, adding_list_of: int | None) -> Breach | None:
    """Whether the Chief may give (another) list of ``adding_list_of`` names now."""
    if adding_list_of is None:
        return None
    size, count = int(rules.rotation_list_size.value), int(rules.rotation_lists.value)
    if adding_list_of != size:
        return Breach(
            "names", f"the Chief's list names {size} acting sergeants or sergeants", rules.rotation_list_size.cite
        )
    if len(state.lists) >= count:
        return Breach("names", f"the Chief gives at most {count} lists for one vacancy", rules.rotation_lists.cite)
    return None
