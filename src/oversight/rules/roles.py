"""Who may do what in the Office of Police Accountability's case tool.

Pure Python. A role is a Django group name in the web app; here it is a plain
string. ``PERMISSIONS`` maps each action to the roles that may take it, with the
reason a refusal gives. CPC staff read closed cases only (SMC 3.29.215.A.16).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

INTAKE = "intake"
INVESTIGATOR = "investigator"
SUPERVISOR = "investigation_supervisor"
DIRECTOR = "director"  # the OPA Director and the Deputy Director (the Director's designee)
ADMINISTRATOR = "administrator"
CPC_STAFF = "cpc_staff"

ROLES: dict[str, str] = {
    INTAKE: "Intake",
    INVESTIGATOR: "Investigator",
    SUPERVISOR: "Investigation supervisor",
    DIRECTOR: "OPA Director or Deputy Director",
    ADMINISTRATOR: "Administrator",
    CPC_STAFF: "CPC staff",
}

OPA_STAFF = frozenset({INTAKE, INVESTIGATOR, SUPERVISOR, DIRECTOR, ADMINISTRATOR})


@dataclass(frozen=True, slots=True)
class Permission:
    roles: frozenset[str]
    label: str
    cite: str = ""


def _p(label: str, *roles: str, cite: str = "") -> Permission:
    return Permission(frozenset(roles), label, cite)


PERMISSIONS: dict[str, Permission] = {
    "open_case": _p("take in a complaint", INTAKE, SUPERVISOR, DIRECTOR, cite="SMC 3.29.020.A.17"),
    "add_party": _p(
        "add a complainant, named employee, witness or allegation", INTAKE, INVESTIGATOR, SUPERVISOR, DIRECTOR
    ),
    "classify": _p("classify a complaint", SUPERVISOR, DIRECTOR, cite="SMC 3.29.020.A.3"),
    "route": _p("route a complaint to OIG or the Seattle Department of Human Resources", SUPERVISOR, DIRECTOR),
    "assign": _p("assign an investigator", SUPERVISOR, DIRECTOR),
    "refer_supervisor_action": _p("refer a Supervisor Action", SUPERVISOR, DIRECTOR),
    "record_supervisor_report": _p("record a supervisor's report on a Supervisor Action", INTAKE, SUPERVISOR, DIRECTOR),
    "send_notice": _p(
        "send the notice to named employees", INTAKE, INVESTIGATOR, SUPERVISOR, DIRECTOR, cite="SMC 3.29.026.A"
    ),
    "submit_plan": _p("submit an investigation plan", INVESTIGATOR, SUPERVISOR, DIRECTOR),
    "approve_plan": _p("approve an investigation plan", DIRECTOR, cite="SMC 3.29.025.E"),
    "record_exigent": _p(
        "record exigent circumstances for an interview not in person", DIRECTOR, cite="SMC 3.29.025.B"
    ),
    "investigate": _p("record an investigation step", INVESTIGATOR, SUPERVISOR, DIRECTOR),
    "toll": _p("record a postponement, pause or additional investigation", INVESTIGATOR, SUPERVISOR, DIRECTOR),
    "director_vacancy": _p(
        "record a vacancy of the OPA Director position", DIRECTOR, ADMINISTRATOR, cite="SMC 3.29.026.E"
    ),
    "issue_subpoena": _p("issue a subpoena", DIRECTOR, cite="SMC 3.29.025.D"),
    "update_subpoena": _p("record a subpoena's status", INVESTIGATOR, SUPERVISOR, DIRECTOR),
    "oig_step": _p("record a submission to or an answer from OIG", SUPERVISOR, DIRECTOR),
    "issue_findings": _p("certify the investigation and issue proposed findings", DIRECTOR, cite="SMC 3.29.026.B"),
    "record_outcome": _p("record the Chief's decision, statements and appeals", SUPERVISOR, DIRECTOR),
    "close_case": _p("close a case", SUPERVISOR, DIRECTOR),
    "import_cases": _p("import cases in bulk", ADMINISTRATOR),
}


def may(roles: Iterable[str], action: str) -> bool:
    """Whether a person holding ``roles`` may take ``action``."""
    perm = PERMISSIONS[action]
    return any(r in perm.roles for r in roles)


def refusal(roles: Iterable[str], action: str) -> str:
    """The sentence a refusal shows: what was asked, who may, and who asked."""
    perm = PERMISSIONS[action]
    held = sorted(ROLES.get(r, r) for r in roles) or ["no OPA role"]
    allowed = ", ".join(ROLES[r] for r in sorted(perm.roles))
    cite = f" [{perm.cite}]" if perm.cite else ""
    return f"Only {allowed} may {perm.label}{cite}; you hold: {', '.join(held)}."


def may_read(roles: Iterable[str], closed: bool) -> bool:
    """OPA staff read every case; CPC staff only closed ones (SMC 3.29.215.A.16)."""
    held = set(roles)
    if held & OPA_STAFF:
        return True
    return closed and CPC_STAFF in held
