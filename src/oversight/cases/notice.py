"""The notice to named employees, their captain and bargaining unit (SMC 3.29.026.A).

Privacy is a rule here, not a template habit: every free text taken from the case
passes through the project's one redaction path (``oversight.rules.redaction``),
told who the complainants are, so their names, addresses, telephone numbers and
email addresses never reach the named employees.
"""

from __future__ import annotations

import datetime as dt

from oversight.labels import category_label
from oversight.rules.redaction import Person
from oversight.rules.redaction import redact as redact_text

from .models import Case


def people(case: Case) -> list[Person]:
    """The case's complainants as the redaction path knows them."""
    out = []
    complainants = list(case.complainants.all())
    for i, c in enumerate(complainants, 1):
        role = "the Complainant" if len(complainants) == 1 else f"Complainant #{i}"
        out.append(
            Person(
                role=role,
                names=(c.name,) if c.name else (),
                identifiers=tuple(v for v in (c.address, c.phone, c.email) if v),
            )
        )
    return out


def redact(text: str, case: Case) -> str:
    """``text`` with every complainant's identifying details replaced (oversight.rules.redaction)."""
    return redact_text(text, people(case)).text


def notice_document(case: Case, on: dt.date) -> str:
    employees = list(case.named_employees.all())
    allegations = list(case.allegations.select_related("named_employee"))
    lines = [
        "OFFICE OF POLICE ACCOUNTABILITY",
        "NOTICE OF COMPLAINT TO NAMED EMPLOYEES",
        "",
        f"Case number: {case.number}",
        f"Date of notice: {on.isoformat()}",
        f"Complaint received: {case.received_on.isoformat() if case.received_on else 'not recorded'}",
        f"Incident: {case.incident_date.isoformat() if case.incident_date else 'date not recorded'}"
        + (f" at {case.incident_time.strftime('%H:%M')}" if case.incident_time else "")
        + (f", {redact(case.incident_place, case)}" if case.incident_place else ""),
        "",
        "To the named employees, their captain and their bargaining unit:",
    ]
    for e in employees:
        parts = [p for p in (e.rank, e.name, f"#{e.serial}" if e.serial else "", e.unit) if p]
        lines.append(f"  - {' '.join(parts)}")
        if e.captain:
            lines.append(f"    Captain: {e.captain}")
        if e.bargaining_unit:
            lines.append(f"    Bargaining unit: {e.bargaining_unit}")
    lines += ["", "Allegations:"]
    for a in allegations:
        lines.append(f"  - {a.named_employee}: {category_label(a.category)}")
    if case.summary:
        lines += ["", "Summary of the complaint:", redact(case.summary, case)]
    lines += [
        "",
        "This notice is given under SMC 3.29.026.A. The complainant's identity and contact",
        "details are withheld from this notice.",
    ]
    return "\n".join(lines) + "\n"
