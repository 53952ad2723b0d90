"""Findings, the Chief's decision, discipline, statements and appeals: their section of the
one case page. Findings are entered once, per allegation and named employee, here."""

from __future__ import annotations

from typing import Any

from oversight.cases.page import CasePage
from oversight.home import registry as reg
from oversight.rules import access as A


def findings_section(page: CasePage) -> reg.Section | None:
    from .views import _forms, _record

    case = page.case
    reads = page.reader.reads[A.DISCIPLINE]
    failed = page.failed
    bound = (failed.action, failed.form) if failed is not None and failed.form is not None else None
    if bound is not None and bound[0] not in _action_names():
        bound = None
    reader = page.reader
    full = _record(case) if reader.roles else None
    forms = _forms(page.request, case, full, bound, reader.may) if full is not None else []
    if not reads and not forms:
        return None
    record: dict[str, Any] = (full if full is not None else _record(case)) if reads else {"findings": []}
    if not reader.reads[A.EMPLOYEES]:
        for row in record["findings"]:
            row["employee"] = ""
    for m in record.get("management_actions", []):
        m.letter_shown = reader.redact(m.letter)
        m.response_shown = reader.redact(m.spd_response)
    for a in record.get("appeals", []):
        a.modification_shown = reader.redact(a.modification)
    rec, decision = record.get("recommendation"), record.get("decision")
    ctx = record | {
        "forms": forms,
        "reads": reads,
        "reads_employees": reader.reads[A.EMPLOYEES],
        "roles": {ne.pk: f"Named Employee #{i}" for i, ne in enumerate(case.named_employees.order_by("pk"), 1)},
        "meet_reason": reader.redact(rec.meet_complainant_reason) if rec else "",
        "dishonesty_reasons": reader.redact(decision.dishonesty_reasons) if decision else "",
        "error": failed.error if failed is not None and failed.action in _action_names() else None,
        "failed": failed.action if failed is not None else None,
    }
    if not ctx["findings"] and not forms and not record.get("decision"):
        return None
    return reg.Section(
        "findings",
        "Findings, the Chief's decision, discipline and appeals",
        "discipline/sections/findings.html",
        ctx,
        reg.FINDINGS,
    )


def _action_names() -> set[str]:
    from .views import ACTIONS

    return set(ACTIONS)


def register() -> None:
    reg.register_section(findings_section)
