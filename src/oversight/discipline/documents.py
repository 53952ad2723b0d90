"""The documents the law requires, written from the records with every person named by role.

Statements under SMC 3.29.027 and the notice to the complainant and the public after an
appeal name no named employee and divulge nothing personal about anyone involved
(SMC 3.29.027.D): employees appear as "Named Employee #1", and the finished text goes
through the one redaction path (``oversight.rules.redaction``) as a last check.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from oversight import labels
from oversight.labels import category_label
from oversight.rules.redaction import Person, Redacted, redact

from .models import FORUM_LABELS, OUTCOME_LABELS

if TYPE_CHECKING:
    from oversight.cases.models import Allegation, Case

    from .models import Appeal, ChiefDecision

CHIEF_STATEMENT_RECIPIENTS = (
    "the Mayor",
    "the City Councilmembers",
    "the City Attorney",
    "the OPA Director",
    "the Inspector General",
    "the OPA case file",
    "the complainant",
    "the public",
)  # SMC 3.29.027.B
TIMELINE_STATEMENT_RECIPIENTS = (
    "the Mayor",
    "the City Councilmembers",
    "the City Attorney",
    "the Inspector General",
    "the OPA case file",
    "the complainant",
    "the public",
)  # SMC 3.29.027.C


def people(case: Case) -> list[Person]:
    """Everyone the case names, with the role the public reads instead."""
    out = []
    for i, e in enumerate(case.named_employees.order_by("pk"), 1):
        out.append(Person(f"Named Employee #{i}", (e.name,), tuple(x for x in (e.serial,) if x)))
    for c in case.complainants.all():
        if c.name:
            out.append(Person("the Complainant", (c.name,), tuple(x for x in (c.address, c.phone, c.email) if x)))
    for i, w in enumerate(case.witnesses.order_by("pk"), 1):
        out.append(Person(f"Witness #{i}", (w.name,), tuple(x for x in (w.contact,) if x)))
    return out


def redact_for_case(case: Case, text: str) -> Redacted:
    """The one redaction path, with the case's people; the case's own number is not an identifier."""
    full = redact(text, people(case))
    kept = tuple(r for r in full.redactions if r.found not in case.number)
    if len(kept) == len(full.redactions):
        return full
    out, pos = [], 0
    for r in kept:
        out.append(text[pos : r.start])
        out.append(r.replaced_by)
        pos = r.end
    out.append(text[pos:])
    return Redacted("".join(out), kept)


def employee_role(case: Case, named_employee_id: int) -> str:
    ids = list(case.named_employees.order_by("pk").values_list("pk", flat=True))
    return f"Named Employee #{ids.index(named_employee_id) + 1}"


def allegation_label(a: Allegation) -> str:
    n = list(a.case.allegations.order_by("pk").values_list("pk", flat=True)).index(a.pk) + 1
    return f"#{n} ({category_label(a.category)})"


def _final_check(case: Case, text: str) -> str:
    checked = redact_for_case(case, text)
    return checked.text


def _findings_lines(case: Case, stage: str) -> list[str]:
    from .actions import current_findings

    state = current_findings(case)
    lines = []
    for a in case.allegations.order_by("pk"):
        st = state.get(a.pk, {})
        rec = st.get("recommended")
        chief = st.get(stage)
        lines.append(
            f"  {employee_role(case, a.named_employee_id)}, allegation {allegation_label(a)}: "
            f"recommended {rec.label if rec else 'none'}; final {chief.label if chief else 'none'}"
        )
    return lines


def chief_statement(case: Case, decision: ChiefDecision, reasons: str, on: dt.date) -> str:
    text = "\n".join(
        [
            "STATEMENT OF THE CHIEF OF POLICE: MATERIAL REASONS FOR NOT FOLLOWING THE OPA DIRECTOR'S "
            "RECOMMENDED FINDINGS",
            "(Seattle Municipal Code 3.29.027.B and D)",
            "",
            f"OPA case: {case.number}",
            f"Date of the Chief's decision: {decision.decided_on.isoformat()}",
            f"Date of this statement: {on.isoformat()}",
            f"To: {', '.join(CHIEF_STATEMENT_RECIPIENTS)}.",
            "",
            "The Chief of Police did not follow the OPA Director's written recommendations on findings:",
            *_findings_lines(case, "chief"),
            "",
            "Material reasons:",
            reasons,
            "",
            "This statement does not identify any named employee or divulge personal information about anyone "
            "involved in the complaint. It does not affect any discipline decision: the Chief of Police remains the "
            "final SPD decision-maker in disciplinary actions (SMC 3.29.027.D).",
        ]
    )
    return _final_check(case, text)


def timeline_statement(case: Case, nature: str, reasons: str, on: dt.date) -> str:
    text = "\n".join(
        [
            "STATEMENT OF THE OPA DIRECTOR: INVESTIGATION TIME LIMIT EXCEEDED",
            "(Seattle Municipal Code 3.29.027.C and D)",
            "",
            f"OPA case: {case.number}",
            f"Date of this statement: {on.isoformat()}",
            f"To: {', '.join(TIMELINE_STATEMENT_RECIPIENTS)}.",
            "",
            "No discipline can result from this complaint because the investigation time limit of SMC 3.29.026 was "
            "exceeded.",
            "",
            "Nature of the allegations:",
            nature,
            "",
            "Why the time limit was exceeded:",
            reasons,
            "",
            "This statement does not identify any named employee or divulge personal information about anyone "
            "involved in the complaint (SMC 3.29.027.D).",
        ]
    )
    return _final_check(case, text)


def complainant_notice(appeal: Appeal, on: dt.date, changes: list[tuple[str, str, str]]) -> str:
    case = appeal.case
    who = employee_role(case, appeal.named_employee_id)
    lines = [
        "NOTICE TO THE COMPLAINANT AND THE PUBLIC: OUTCOME OF A DISCIPLINARY APPEAL",
        "(Seattle Municipal Code 3.29.030.G and 3.29.027.B)",
        "",
        f"OPA case: {case.number}",
        f"Date of this notice: {on.isoformat()}",
        "",
        f"An appeal brought {'by' if appeal.appellant == 'employee' else 'on behalf of'} {who} before the "
        f"{FORUM_LABELS[appeal.forum]} ended on {on.isoformat()}: {OUTCOME_LABELS[appeal.outcome]}.",
        "It changed the final findings or discipline determination as follows:",
        *(f"  {what} of {who}: {before} → {after}" for what, before, after in changes),
        "",
        "Appeal hearings are open to complainants and the public (SMC 3.29.310.A.7.b).",
    ]
    return _final_check(case, "\n".join(lines))


def finding_label(value: str) -> str:
    """A finding as the profile's taxonomy labels it (one source: ``oversight.labels``)."""
    return labels.finding_label(value)
