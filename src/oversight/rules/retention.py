"""How long an OPA case file is kept (SMC 3.29.320.E), as a pure rule.

"All SPD personnel and OPA case files shall be retained as long as the employee is employed
by the City, plus either six years or as long as any action related to that employee is
ongoing, whichever is longer. [...] Records of written reprimands or other disciplinary
actions shall not be removed from employee personnel files."

``earliest_disposal`` reads a case file's facts (when each named employee left the City's
employment, the actions related to them and whether each has ended, the legal holds in
place) and the profile's period (``periods.retention_after_employment``, in years) and
answers the earliest day the file may be disposed of, or none while it must be kept, with
an explanation step and a citation for each reason.

Readings where the text leaves a question open:

- An employee whose leaving is not recorded is taken to be still employed: the file is kept.
- A case file with several named employees is kept until the latest of their dates.
- A case file naming no employee (an unidentified officer) is kept for the same period
  counted from the day the case closed; an open case is itself an ongoing action.
- A legal hold keeps the file whatever the dates say.
- Discipline records are never disposed of (the section's last sentence): a disposal
  leaves them, and the named employees they name, in place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

CITE = "SMC 3.29.320.E"
NEVER_DISPOSED = (
    "Records of written reprimands or other disciplinary actions are never removed [SMC 3.29.320.E, last "
    "sentence]: findings, the Chief's decision, discipline, appeals and settlements stay, with the named "
    "employees they name."
)


@dataclass(frozen=True, slots=True)
class Employee:
    ref: str  # how the steps name them: "Named Employee #1"
    left_on: dt.date | None  # the day they left the City's employment; None: employed (or not recorded)


@dataclass(frozen=True, slots=True)
class Action:
    label: str  # "the appeal to the Public Safety Civil Service Commission", "case 2024OPA-0012"
    ended_on: dt.date | None  # None: ongoing


@dataclass(frozen=True, slots=True)
class Facts:
    closed_on: dt.date | None
    employees: tuple[Employee, ...] = ()
    actions: tuple[Action, ...] = ()
    holds: tuple[str, ...] = ()  # the reasons of the legal holds in place


@dataclass(frozen=True, slots=True)
class Step:
    text: str
    cite: str = CITE


@dataclass(frozen=True, slots=True)
class Retention:
    earliest: dt.date | None  # None: the file must be kept (no date yet)
    steps: tuple[Step, ...] = field(default=())

    def disposable_on(self, day: dt.date) -> bool:
        return self.earliest is not None and self.earliest <= day


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` plus whole years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def earliest_disposal(facts: Facts, years: int, cite: str = CITE) -> Retention:
    """The earliest day the case file may be disposed of (``years``: the profile's period after
    employment ends), with the reasons; ``None`` while it must be kept."""
    if years < 0:
        raise ValueError(f"retention period: {years} years is negative")
    keep: list[Step] = []
    for reason in facts.holds:
        keep.append(Step(f"A legal hold is in place: {reason}. Nothing of the file is disposed of while it is.", ""))
    if facts.closed_on is None:
        keep.append(Step("The case is open: an action related to the employee is ongoing.", cite))
    for a in facts.actions:
        if a.ended_on is None:
            keep.append(Step(f"{a.label[:1].upper()}{a.label[1:]} is ongoing.", cite))
    for e in facts.employees:
        if e.left_on is None:
            keep.append(Step(f"{e.ref} is employed by the City (no date of leaving is recorded).", cite))
    if keep:
        return Retention(None, (*keep, Step("The file is kept.", cite)))

    steps: list[Step] = []
    assert facts.closed_on is not None
    if facts.employees:
        left = max(e.left_on for e in facts.employees if e.left_on is not None)
        who = next(e.ref for e in facts.employees if e.left_on == left)
        base = add_years(left, years)
        steps.append(
            Step(
                f"{who} left the City's employment on {left.isoformat()}; plus {years} years: {base.isoformat()}.", cite
            )
        )
    else:
        base = add_years(facts.closed_on, years)
        steps.append(
            Step(
                f"No employee is named: {years} years from the case's closing on {facts.closed_on.isoformat()}: "
                f"{base.isoformat()}.",
                cite,
            )
        )
    earliest = base
    ended = [a for a in facts.actions if a.ended_on is not None]
    if ended:
        last = max(ended, key=lambda a: a.ended_on or dt.date.min)
        assert last.ended_on is not None
        if last.ended_on > earliest:
            earliest = last.ended_on
            steps.append(
                Step(f"{last.label[:1].upper()}{last.label[1:]} ended later, on {last.ended_on.isoformat()}.", cite)
            )
    if facts.closed_on > earliest:
        earliest = facts.closed_on
        steps.append(Step(f"The case closed later, on {facts.closed_on.isoformat()}.", cite))
    steps.append(Step(f"Earliest disposal: {earliest.isoformat()} (whichever is longer).", cite))
    steps.append(Step(NEVER_DISPOSED, cite))
    return Retention(earliest, tuple(steps))
