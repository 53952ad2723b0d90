"""Classification of a complaint, routing, and the limit on when it may be made.

Pure Python: reads the profile's ``Rules`` (taxonomies, constraints, limitation)
and says what may be done and why, each answer with its citation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from oversight.rules.profile import Rules

LABELS: dict[str, str] = {
    "investigation": "Investigation",
    "supervisor_action": "Supervisor Action",
    "mediation": "Mediation",
    "rapid_adjudication": "Rapid Adjudication",
    "contact_log": "Contact Log",
}

# Where a complaint goes when OPA may not handle it.
ROUTES: dict[str, tuple[str, str, str]] = {
    # id: (destination, when, cite)
    "oig": (
        "Office of Inspector General",
        "a complaint involving OPA staff that OPA cannot handle because of a potential conflict of interest",
        "SMC 3.29.025.G",
    ),
    "sdhr": (
        "Seattle Department of Human Resources",
        "an Equal Employment Opportunity complaint (discrimination, harassment, retaliation) "
        "against an employee of OPA, OIG or the Office of the CPC",
        "SMC 3.29.300.G",
    ),
}


class ClassificationRefused(ValueError):
    """A classification the law forbids; the message says why and cites the section."""

    def __init__(self, message: str, cite: str) -> None:
        super().__init__(message)
        self.cite = cite


@dataclass(frozen=True, slots=True)
class AllegationView:
    label: str  # e.g. "Officer A. Example: use of force"
    category: str


def label(classification: str, rules: Rules | None = None) -> str:
    """A classification as a person reads it: the profile's label when the rules are at hand."""
    if rules is not None:
        found = rules.taxonomy_labels.get("classifications", {}).get(classification)
        if found:
            return found
    return LABELS.get(classification, classification.replace("_", " ").capitalize())


def category_label(category: str, rules: Rules | None = None) -> str:
    """An allegation category as a person reads it: the profile's label when the rules are at hand."""
    if rules is not None:
        found = rules.taxonomy_labels.get("allegation_categories", {}).get(category)
        if found:
            return found
    return category.replace("_", " ").capitalize()


def check(rules: Rules, classification: str, allegations: Sequence[AllegationView]) -> None:
    """Raise :class:`ClassificationRefused` unless ``classification`` is allowed."""
    known: list[str] = rules.taxonomies["classifications"].value
    if classification not in known:
        raise ClassificationRefused(
            f"{classification!r} is not a classification; choose one of: {', '.join(label(c, rules) for c in known)}.",
            rules.taxonomies["classifications"].cite,
        )
    needing = rules.taxonomies["classifications_needing_allegation"]
    if classification in needing.value and not allegations:
        others = [label(c, rules) for c in known if c not in needing.value]
        instead = f", or classify it as {' or '.join(others)}" if others else ""
        raise ClassificationRefused(
            f"Cannot classify as {label(classification, rules)}: the case has no allegation against a named employee "
            f"[{needing.cite}]. Add the named employee and the allegation first{instead}.",
            needing.cite,
        )
    for c in rules.constraints:
        if c.classification != classification:
            continue
        barred = [a for a in allegations if a.category in c.categories]
        if barred:
            which = "; ".join(f"{a.label} ({category_label(a.category, rules)})" for a in barred)
            raise ClassificationRefused(
                f"Cannot classify as {label(classification, rules)}: allegations of unnecessary or excessive force, "
                f"biased policing and violations of law shall not be classified as {label(classification, rules)} "
                f"[{c.cite}]. Barred allegation{'s' if len(barred) > 1 else ''}: {which}.",
                c.cite,
            )


def allowed(rules: Rules, allegations: Sequence[AllegationView]) -> list[str]:
    """The classifications open to a case with these allegations."""
    out = []
    for c in rules.taxonomies["classifications"].value:
        try:
            check(rules, c, allegations)
        except ClassificationRefused:
            continue
        out.append(c)
    return out


@dataclass(frozen=True, slots=True)
class LimitCheck:
    """The three-year limit as intake shows it."""

    expires_on: dt.date | None  # the last day a complaint about the incident may be made
    within: bool  # the complaint reached OPA on or before expires_on
    excepted: bool  # an allegation of criminal conduct or concealment lifts the limit
    years: int
    cite: str

    @property
    def barred(self) -> bool:
        return not self.within and not self.excepted

    def text(self) -> str:
        if self.expires_on is None:
            return f"No incident date recorded: the {self.years}-year limit cannot be checked [{self.cite}]."
        head = f"The {self.years}-year limit runs to {self.expires_on.isoformat()} [{self.cite}]"
        if self.within:
            return f"{head}: the complaint is within it."
        if self.excepted:
            return (
                f"{head}: the complaint came later, but an allegation of criminal conduct or concealment "
                "lifts the limit."
            )
        return f"{head}: the complaint came later and no exception applies; discipline is barred."


def _add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def limitation(
    rules: Rules, incident: dt.date | None, received: dt.date, flags: Iterable[tuple[bool, bool]]
) -> LimitCheck:
    """Check the limit: ``flags`` gives (criminal, concealment) for each allegation."""
    lim = rules.limitation
    excepted = any(
        (crim and "criminal" in lim.exceptions) or (conc and "concealment" in lim.exceptions) for crim, conc in flags
    )
    if incident is None:
        return LimitCheck(None, True, excepted, lim.years, lim.cite)
    expires = _add_years(incident, lim.years)
    return LimitCheck(expires, received <= expires, excepted, lim.years, lim.cite)
