"""The case's people as the one redaction path knows them (oversight.rules.redaction).

Named employees become "Named Employee #1", "#2" ... in the order they were named;
complainants and witnesses become their roles. Every name, serial or badge number,
address, phone, email and contact the office holds for them is handed to ``redact``.
Each person is tagged with the part of the case (``rules.access``) their identity
belongs to, so that a reader who does not read that part sees the role instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from oversight.rules import access as A
from oversight.rules.redaction import Person, Redacted, redact

if TYPE_CHECKING:
    from .models import Case


def _clean(*values: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in values if v and v.strip())


def tagged_people(case: Case) -> list[tuple[str, Person]]:
    """(part, person) for everyone the case knows."""
    people: list[tuple[str, Person]] = []
    # sorted here rather than in SQL, so that a prefetched case reads no more rows
    employees = sorted(case.named_employees.all(), key=lambda x: x.pk)
    for i, ne in enumerate(employees, 1):
        people.append((A.EMPLOYEES, Person(f"Named Employee #{i}", _clean(ne.name), _clean(ne.serial))))
    for ne in employees:
        if ne.supervisor_name:
            people.append((A.EMPLOYEES, Person("an SPD supervisor", _clean(ne.supervisor_name))))
        if ne.captain:
            people.append((A.EMPLOYEES, Person("an SPD captain", _clean(ne.captain))))
    complainants = sorted(case.complainants.all(), key=lambda x: x.pk)
    for i, c in enumerate(complainants, 1):
        role = "the Complainant" if len(complainants) == 1 else f"Complainant #{i}"
        people.append((A.COMPLAINANT, Person(role, _clean(c.name), _clean(c.address, c.phone, c.email))))
    for i, w in enumerate(sorted(case.witnesses.all(), key=lambda x: x.pk), 1):
        role = f"Witness #{i}" if w.kind == "civilian" else f"Witness Employee #{i}"
        people.append((A.WITNESS, Person(role, _clean(w.name), _clean(w.contact))))
    web = getattr(case, "web_complaint", None)  # None when the case did not come from the web form
    if web is not None:
        people.append((A.COMPLAINANT, Person("the Complainant", (), _clean(web.email))))
        if web.officer_description:
            role = "Named Employee #1" if employees else "an SPD employee"
            people.append((A.EMPLOYEES, Person(role, (), _clean(web.officer_description))))
    for iv in case.interviews.all():
        known = {n.lower() for _, p in people for n in p.names}
        if iv.interviewee.strip().lower() not in known:
            people.append((A.WITNESS, Person("an interviewee", _clean(iv.interviewee))))
    return people


def case_people(case: Case) -> list[Person]:
    return [p for _, p in tagged_people(case)]


def hidden_people(case: Case, reader: Any) -> list[Person]:
    """The people whose identity ``reader`` (an ``oversight.access.Reader``) does not read."""
    return [p for part, p in tagged_people(case) if not reader.reads[part]]


def redact_for_case(text: str, case: Case | None) -> Redacted:
    """The one way a text about a case leaves the office."""
    return redact(text, case_people(case) if case is not None else [])
