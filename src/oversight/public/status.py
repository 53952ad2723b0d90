"""A case's status in plain language, for the person who filed it (SMC 3.29.020.A.13).

Read from the case's event log; no names, nothing about anyone but the case's stage,
its deadlines and its outcome.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from oversight.cases import clock
from oversight.cases.models import Case

# The stage a case is in: the latest of these events, in plain words.
STATUS_TEXT = {
    "received": _("We received your complaint. Intake staff are reviewing it."),
    "classified_investigation": _("OPA is investigating your complaint."),
    "classified_supervisor_action": _(
        "Your complaint was sent to the employee's supervisor to address (Supervisor Action)."
    ),
    "classified_mediation": _("Your complaint was offered mediation."),
    "classified_rapid_adjudication": _("Your complaint is being resolved through Rapid Adjudication."),
    "classified_contact_log": _("Your complaint was recorded; it did not allege a policy violation by an employee."),
    "routed": _("Your complaint was sent to another office that handles it."),
    "oig_review": _("The Office of Inspector General is reviewing the investigation."),
    "findings": _("OPA has issued its findings."),
    "decision": _("The Chief of Police has made a final decision."),
    "appealed": _("The decision has been appealed."),
    "closed": _("Your case is closed."),
}

_EVENT_STATUS = {
    "complaint_received": "received",
    "complaint_initiated": "received",
    "routed": "routed",
    "submitted_to_oig": "oig_review",
    "proposed_findings_issued": "findings",
    "chief_decision": "decision",
    "appeal_notice_filed": "appealed",
    "case_closed": "closed",
}

DEADLINE_TEXT = {
    "named_employee_notice": _("OPA notifies the employees named in the complaint"),
    "investigation": _("OPA completes the investigation and issues its findings"),
}
DEADLINE_STATUS = {
    "open": _("on schedule"),
    "tolled": _("paused, as the law allows"),
    "overdue": _("late"),
    "met": _("done on time"),
    "missed": _("done late"),
    "not_applicable": _("does not apply to this complaint"),
}


@dataclass(frozen=True)
class DeadlineLine:
    label: str
    due: dt.date
    status: str
    completed_on: dt.date | None


@dataclass(frozen=True)
class CaseStatus:
    key: str
    number: str
    received_on: dt.date | None
    closed_on: dt.date | None
    deadlines: list[DeadlineLine]

    @property
    def text(self) -> str:
        return str(STATUS_TEXT[self.key])


def status_key(case: Case) -> str:
    key = "received"
    for ev in case.events.order_by("seq").only("type", "data"):
        if ev.type == "classified":
            c = (ev.data or {}).get("classification") or case.classification
            k = f"classified_{c}"
            key = k if k in STATUS_TEXT else key
        elif ev.type in _EVENT_STATUS:
            key = _EVENT_STATUS[ev.type]
    return key


def case_status(case: Case, today: dt.date) -> CaseStatus:
    tl = clock.timeline(case, today)
    lines = [
        DeadlineLine(
            label=str(DEADLINE_TEXT[d["id"]]),
            due=dt.date.fromisoformat(d["due"]),
            status=str(DEADLINE_STATUS.get(d["status"], "")),
            completed_on=dt.date.fromisoformat(d["completed_on"]) if d["completed_on"] else None,
        )
        for d in tl["deadlines"]
        if d["id"] in DEADLINE_TEXT
    ]
    return CaseStatus(status_key(case), case.number, case.received_on, case.closed_on, lines)
