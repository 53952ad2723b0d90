"""The one access model: who may take which action, and who may read which part of a case.

Pure Python, no Django. Every office's roles are here (OPA, OIG, CPC, SPD's Chief and
command, the City Attorney, the administrator, and the named employees and their union
who read their own case), and so is every action any page, download or API operation
offers. The web app asks this module through ``oversight.access`` and nowhere else.

Two tables:

- ``READS``: for each part of a case (its facts, the complainant's identity, witnesses,
  named employees, evidence files, the complainant's later additions, discipline) and each
  role, the scope of cases in which that role reads it, with the section of the law
  that speaks, or the least-privilege reading where the law is silent.
- ``PERMISSIONS``: for each action, the roles that may take it and in which scope of
  cases, with a label a refusal reads out and a citation.

A scope is a condition on a case as it stands for one reader (``CaseFacts``): any case,
an open one, a closed one, one still at intake, one assigned to the reader, one that has
reached the Chief, one the Chief decided, one with a criminal allegation, or one the
reader was granted as its named employee or union representative.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# --------------------------------------------------------------------------
# Offices and roles (each role is a Django group of the same name in the web app)
# --------------------------------------------------------------------------

OPA = "Office of Police Accountability"
OIG = "Office of Inspector General"
CPC = "Community Police Commission"
SPD = "Seattle Police Department"
LAW = "City Attorney's Office"
SYSTEM = "Oversight"
CLERK = "Office of the City Clerk"
CITY = "City departments"
PARTIES = "Parties to a case"

INTAKE = "intake"
INVESTIGATOR = "investigator"
SUPERVISOR = "investigation_supervisor"
DIRECTOR = "director"  # the OPA Director and the Deputy Director (the Director's designee)
OIG_AUDITOR = "oig_auditor"
INSPECTOR_GENERAL = "inspector_general"
CPC_STAFF = "cpc_staff"
CHIEF = "chief"  # the Chief of Police and SPD command acting for the Chief
SPD_LIAISON = "spd_liaison"  # SPD's staff who answer the oversight bodies' recommendations (3.29.305.A)
CITY_ATTORNEY = "city_attorney"
ADMINISTRATOR = "administrator"
CITY_CLERK = "city_clerk"  # records the appointments of the Mayor, the Council and CPC (3.29.020.C, 3.29.215.C)
RECORDS_OFFICER = "records_officer"  # a City department's records officer (3.29.105.D, 3.29.300.E)
NAMED_EMPLOYEE = "named_employee"  # reads their own case, through a grant
UNION = "union"  # the named employee's bargaining unit, the same


@dataclass(frozen=True, slots=True)
class Role:
    label: str
    office: str


ROLES: dict[str, Role] = {
    INTAKE: Role("Intake", OPA),
    INVESTIGATOR: Role("Investigator", OPA),
    SUPERVISOR: Role("Investigation supervisor", OPA),
    DIRECTOR: Role("OPA Director or Deputy Director", OPA),
    OIG_AUDITOR: Role("OIG auditor", OIG),
    INSPECTOR_GENERAL: Role("Inspector General", OIG),
    CPC_STAFF: Role("CPC staff or commissioner", CPC),
    CHIEF: Role("Chief of Police or SPD command", SPD),
    SPD_LIAISON: Role("SPD liaison for recommendations", SPD),
    CITY_ATTORNEY: Role("City Attorney's Office", LAW),
    ADMINISTRATOR: Role("Administrator", SYSTEM),
    CITY_CLERK: Role("City Clerk (appointments to the oversight bodies)", CLERK),
    RECORDS_OFFICER: Role("Department records officer", CITY),
    NAMED_EMPLOYEE: Role("Named employee", PARTIES),
    UNION: Role("Union representative", PARTIES),
}

OPA_STAFF = frozenset({INTAKE, INVESTIGATOR, SUPERVISOR, DIRECTOR})
OIG_STAFF = frozenset({OIG_AUDITOR, INSPECTOR_GENERAL})
OWN_CASE_ROLES = frozenset({NAMED_EMPLOYEE, UNION})
STAFF = frozenset(ROLES) - OWN_CASE_ROLES


def role_label(role: str) -> str:
    r = ROLES.get(role)
    return r.label if r else role


# --------------------------------------------------------------------------
# Scopes: which cases a grant covers
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """A case as the access model sees it, for one reader. ``None`` stands for no case
    (a list page, a form that opens a new case)."""

    closed: bool = False
    at_intake: bool = False  # received, not yet classified, routed or closed
    assigned: bool = False  # the reader is the case's investigator or its supervisor
    findings: bool = False  # the Director's proposed findings were issued: the Chief's stage
    decided: bool = False  # the Chief's final decision is recorded: appeals may follow
    criminal: bool = False  # an allegation of criminal conduct
    noticed: bool = False  # the notice went to the named employees, their captain and union (3.29.026.A)
    own: bool = False  # the reader was granted the case as its named employee or union


ANY = "any"
OPEN = "open"
CLOSED = "closed"
AT_INTAKE = "at_intake"
ASSIGNED = "assigned"
FINDINGS = "findings"
DECIDED = "decided"
CRIMINAL = "criminal"
NOTICED = "noticed"
OWN = "own"

# scope: (holds for these facts, the words a refusal uses: "only on cases <words>")
SCOPES: dict[str, str] = {
    ANY: "any case",
    OPEN: "open cases",
    CLOSED: "closed cases",
    AT_INTAKE: "cases still at intake (not yet classified)",
    ASSIGNED: "cases assigned to them",
    FINDINGS: "cases whose proposed findings have reached the Chief",
    DECIDED: "cases the Chief has decided",
    CRIMINAL: "cases with an allegation of criminal conduct",
    NOTICED: "cases whose notice went to SPD (the named employees, their captain and union)",
    OWN: "their own case, as its named employee or union representative",
}


def scope_holds(scope: str, facts: CaseFacts | None) -> bool:
    """Whether a case with ``facts`` is inside ``scope``; with no case, only ANY holds."""
    if scope == ANY:
        return True
    if facts is None:
        return False
    return {
        OPEN: not facts.closed,
        CLOSED: facts.closed,
        AT_INTAKE: facts.at_intake,
        ASSIGNED: facts.assigned,
        FINDINGS: facts.findings,
        DECIDED: facts.decided,
        CRIMINAL: facts.criminal,
        NOTICED: facts.noticed,
        OWN: facts.own,
    }[scope]


@dataclass(frozen=True, slots=True)
class Grant:
    """Any of ``scopes``; the citation says where the law speaks (empty: least privilege)."""

    scopes: tuple[str, ...]
    cite: str = ""

    def holds(self, facts: CaseFacts | None) -> bool:
        return any(scope_holds(s, facts) for s in self.scopes)

    def words(self) -> str:
        return " or ".join(SCOPES[s] for s in self.scopes)


def _g(*scopes: str, cite: str = "") -> Grant:
    return Grant(scopes or (ANY,), cite)


# --------------------------------------------------------------------------
# What may be read
# --------------------------------------------------------------------------

CASE = "case"  # the case's facts, allegations, classification, deadlines and history
COMPLAINANT = "complainant"  # complainants' names, addresses, phones, emails, demographics
WITNESS = "witness"  # witnesses' names and contact details
EMPLOYEES = "named_employees"  # named employees' names and serial numbers
EVIDENCE = "evidence"  # evidence files, interview recordings and transcripts, the plan's text
ADDITIONS = "additions"  # what the complainant sent with the web form or added later
DISCIPLINE = "discipline"  # findings, the Chief's decision, discipline, appeals, settlements
HOTLINE = "hotline"  # OIG hotline reports and their reporters (not part of a case)
EMPLOYEE_HISTORY = "employee_history"  # a named employee's record across cases and datasets (not part of a case)

PARTS: dict[str, str] = {
    CASE: "the case's facts and allegations",
    COMPLAINANT: "complainants' identity",
    WITNESS: "witnesses' identity",
    EMPLOYEES: "named employees' names",
    EVIDENCE: "the evidence files",
    ADDITIONS: "what the complainant sent",
    DISCIPLINE: "findings, discipline and appeals",
    HOTLINE: "hotline reports and their reporters",
    EMPLOYEE_HISTORY: "a named employee's history of complaints, findings, discipline, force and stops",
}

_OIG_FULL = "SMC 3.29.105.D"  # "timely, full, and direct access" to OPA's files
_CPC_CLOSED = "SMC 3.29.215.A.16"  # CPC reviews closed investigations for systemic improvement

READS: dict[str, dict[str, Grant]] = {
    CASE: {
        INTAKE: _g(OPEN),
        INVESTIGATOR: _g(ANY),
        SUPERVISOR: _g(ANY),
        DIRECTOR: _g(ANY, cite="SMC 3.29.010.A"),
        OIG_AUDITOR: _g(ANY, cite=_OIG_FULL),
        INSPECTOR_GENERAL: _g(ANY, cite=_OIG_FULL),
        CPC_STAFF: _g(CLOSED, cite=_CPC_CLOSED),
        CHIEF: _g(FINDINGS, NOTICED, CRIMINAL, cite="SMC 3.29.310.A; SMC 3.29.026.A"),
        CITY_ATTORNEY: _g(DECIDED, cite="SMC 3.29.305.J"),
        NAMED_EMPLOYEE: _g(OWN, cite="SMC 3.29.026.A"),
        UNION: _g(OWN, cite="SMC 3.29.026.A"),
    },
    COMPLAINANT: {
        INTAKE: _g(AT_INTAKE),
        INVESTIGATOR: _g(ASSIGNED),
        SUPERVISOR: _g(AT_INTAKE, ASSIGNED),
        DIRECTOR: _g(ANY, cite="SMC 3.29.040"),
        OIG_AUDITOR: _g(ANY, cite=_OIG_FULL),
        INSPECTOR_GENERAL: _g(ANY, cite=_OIG_FULL),
    },
    WITNESS: {
        INTAKE: _g(AT_INTAKE),
        INVESTIGATOR: _g(ASSIGNED),
        SUPERVISOR: _g(AT_INTAKE, ASSIGNED),
        DIRECTOR: _g(ANY, cite="SMC 3.29.040"),
        OIG_AUDITOR: _g(ANY, cite=_OIG_FULL),
        INSPECTOR_GENERAL: _g(ANY, cite=_OIG_FULL),
        CITY_ATTORNEY: _g(DECIDED, cite="SMC 3.29.305.J"),
    },
    EMPLOYEES: {
        INTAKE: _g(OPEN),
        INVESTIGATOR: _g(ANY),
        SUPERVISOR: _g(ANY),
        DIRECTOR: _g(ANY),
        OIG_AUDITOR: _g(ANY, cite=_OIG_FULL),
        INSPECTOR_GENERAL: _g(ANY, cite=_OIG_FULL),
        CHIEF: _g(FINDINGS, NOTICED, CRIMINAL, cite="SMC 3.29.310.A; SMC 3.29.026.A"),
        CITY_ATTORNEY: _g(DECIDED, cite="SMC 3.29.305.J"),
        NAMED_EMPLOYEE: _g(OWN, cite="SMC 3.29.026.A"),
        UNION: _g(OWN, cite="SMC 3.29.026.A"),
    },
    EVIDENCE: {
        INTAKE: _g(AT_INTAKE),
        INVESTIGATOR: _g(ASSIGNED),
        SUPERVISOR: _g(AT_INTAKE, ASSIGNED),
        DIRECTOR: _g(ANY),
        OIG_AUDITOR: _g(ANY, cite=_OIG_FULL),
        INSPECTOR_GENERAL: _g(ANY, cite=_OIG_FULL),
        CHIEF: _g(FINDINGS, cite="SMC 3.29.310.A"),
        CITY_ATTORNEY: _g(DECIDED, cite="SMC 3.29.305.J"),
    },
    ADDITIONS: {
        INTAKE: _g(OPEN),
        INVESTIGATOR: _g(ASSIGNED),
        SUPERVISOR: _g(AT_INTAKE, ASSIGNED),
        DIRECTOR: _g(ANY),
        OIG_AUDITOR: _g(ANY, cite=_OIG_FULL),
        INSPECTOR_GENERAL: _g(ANY, cite=_OIG_FULL),
    },
    DISCIPLINE: {
        INVESTIGATOR: _g(ASSIGNED),
        SUPERVISOR: _g(ANY),
        DIRECTOR: _g(ANY),
        OIG_AUDITOR: _g(ANY, cite=_OIG_FULL),
        INSPECTOR_GENERAL: _g(ANY, cite=_OIG_FULL),
        CPC_STAFF: _g(CLOSED, cite=_CPC_CLOSED),
        CHIEF: _g(FINDINGS, cite="SMC 3.29.310.A"),
        CITY_ATTORNEY: _g(DECIDED, cite="SMC 3.29.305.J"),
        NAMED_EMPLOYEE: _g(OWN, cite="SMC 3.29.026.A"),
        UNION: _g(OWN, cite="SMC 3.29.026.A"),
    },
    HOTLINE: {
        OIG_AUDITOR: _g(ANY, cite="SMC 3.29.110.A.17"),
        INSPECTOR_GENERAL: _g(ANY, cite="SMC 3.29.110.A.17"),
    },
    # the OPA history that specialty-unit assignment decisions read (3.29.315.F), early
    # intervention (3.29.305.E) and OIG's review of it (3.29.110.A.3.e)
    EMPLOYEE_HISTORY: {
        CHIEF: _g(ANY, cite="SMC 3.29.315.F; SMC 3.29.305.E"),
        DIRECTOR: _g(ANY, cite="SMC 3.29.305.E"),
        OIG_AUDITOR: _g(ANY, cite="SMC 3.29.110.A.3.e"),
        INSPECTOR_GENERAL: _g(ANY, cite="SMC 3.29.110.A.3.e"),
    },
}

# Why a part is withheld from a role that reads the case but not that part: the words a
# page shows in the part's place.
WITHHELD: dict[str, str] = {
    COMPLAINANT: "Complainants' identity is read only by the OPA staff working the case and by OIG.",
    WITNESS: "Witnesses' identity is read only by the OPA staff working the case and by OIG.",
    EMPLOYEES: "Named employees are shown by their role in the case, not by name.",
    EVIDENCE: "Evidence files are opened only by the OPA staff working the case, OIG, and the Chief "
    "and the City Attorney at their stage.",
    ADDITIONS: "What the complainant sent is read only by the OPA staff working the case and by OIG.",
    DISCIPLINE: "Findings and discipline are read by OPA's supervisors and Director, OIG, the Chief, "
    "the City Attorney, CPC once the case is closed, and the case's own named employees.",
}


def reads(roles: Iterable[str], part: str, facts: CaseFacts | None) -> bool:
    """Whether a person holding ``roles`` reads ``part`` of a case with ``facts``."""
    table = READS[part]
    return any(r in table and table[r].holds(facts) for r in roles)


def readers(part: str) -> dict[str, Grant]:
    return dict(READS[part])


# --------------------------------------------------------------------------
# What may be done
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Permission:
    grants: Mapping[str, Grant]  # role -> the cases in which it may take the action
    label: str  # what the action is, as a refusal reads it: "classify a complaint"
    cite: str = ""

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(self.grants)


def _p(label: str, grants: Mapping[str, tuple[str, ...] | str], cite: str = "") -> Permission:
    out = {role: Grant((s,) if isinstance(s, str) else s) for role, s in grants.items()}
    return Permission(out, label, cite)


def _all(*roles: str, scope: str = ANY) -> dict[str, str]:
    return dict.fromkeys(roles, scope)


_WORKING = (AT_INTAKE, ASSIGNED)  # a supervisor works the cases at intake and those they supervise

PERMISSIONS: dict[str, Permission] = {
    # --- OPA: intake and classification
    "open_case": _p("take in a complaint", _all(INTAKE, SUPERVISOR, DIRECTOR), "SMC 3.29.020.A.17"),
    "edit_parties": _p(
        "add or correct a complainant, named employee, witness or allegation",
        {INTAKE: AT_INTAKE, INVESTIGATOR: ASSIGNED, SUPERVISOR: _WORKING, DIRECTOR: ANY},
    ),
    "read_additions": _p(
        "mark what the complainant sent as read",
        {INTAKE: OPEN, INVESTIGATOR: ASSIGNED, SUPERVISOR: _WORKING, DIRECTOR: ANY},
    ),
    "add_note": _p(
        "add a note to the case file",
        {INTAKE: OPEN, INVESTIGATOR: ASSIGNED, SUPERVISOR: ANY, DIRECTOR: ANY},
    ),
    "classify": _p("classify a complaint", _all(SUPERVISOR, DIRECTOR), "SMC 3.29.020.A.3"),
    "route": _p(
        "route a complaint to OIG or the Seattle Department of Human Resources",
        _all(SUPERVISOR, DIRECTOR),
        "SMC 3.29.025.G; SMC 3.29.300.G",
    ),
    "assign": _p("assign an investigator", _all(SUPERVISOR, DIRECTOR)),
    "refer_supervisor_action": _p("refer a Supervisor Action", _all(SUPERVISOR, DIRECTOR), "SMC 3.29.007"),
    "record_supervisor_report": _p(
        "record a supervisor's report on a Supervisor Action", _all(INTAKE, SUPERVISOR, DIRECTOR), "SMC 3.29.007"
    ),
    "send_notice": _p(
        "send the notice to named employees",
        {INTAKE: OPEN, INVESTIGATOR: ASSIGNED, SUPERVISOR: ANY, DIRECTOR: ANY},
        "SMC 3.29.026.A",
    ),
    # --- OPA: the investigation
    "submit_plan": _p(
        "submit an investigation plan", {INVESTIGATOR: ASSIGNED, SUPERVISOR: ANY, DIRECTOR: ANY}, "SMC 3.29.025.E"
    ),
    "approve_plan": _p("approve or return an investigation plan", _all(DIRECTOR), "SMC 3.29.025.E"),
    "record_exigent": _p(
        "record exigent circumstances for an interview not in person", _all(DIRECTOR), "SMC 3.29.025.B"
    ),
    "investigate": _p(
        "record an interview or evidence", {INVESTIGATOR: ASSIGNED, SUPERVISOR: ANY, DIRECTOR: ANY}, "SMC 3.29.025"
    ),
    "toll": _p(
        "record a postponement, pause or additional investigation",
        {INVESTIGATOR: ASSIGNED, SUPERVISOR: ANY, DIRECTOR: ANY},
        "SMC 3.29.026",
    ),
    "director_vacancy": _p("record a vacancy of the OPA Director position", _all(DIRECTOR), "SMC 3.29.026.E"),
    "issue_subpoena": _p("issue a subpoena", _all(DIRECTOR), "SMC 3.29.025.D"),
    "update_subpoena": _p(
        "record a subpoena's status", {INVESTIGATOR: ASSIGNED, SUPERVISOR: ANY, DIRECTOR: ANY}, "SMC 3.29.025.D"
    ),
    "submit_to_oig": _p(
        "submit an investigation to OIG for review and certification", _all(SUPERVISOR, DIRECTOR), "SMC 3.29.112.A.1"
    ),
    "close_case": _p("close a case", _all(SUPERVISOR, DIRECTOR)),
    "import_cases": _p("import cases in bulk", _all(ADMINISTRATOR)),
    # --- early intervention (3.29.030.I.10, 3.29.305.E, 3.29.110.A.3.e)
    "view_alerts": _p(
        "see early-intervention alerts", _all(CHIEF, DIRECTOR, OIG_AUDITOR, INSPECTOR_GENERAL), "SMC 3.29.305.E"
    ),
    "handle_alert": _p("record how an early-intervention alert was handled", _all(CHIEF), "SMC 3.29.305.E"),
    "audit_alerts": _p(
        "audit how early-intervention alerts were handled", _all(OIG_AUDITOR, INSPECTOR_GENERAL), "SMC 3.29.110.A.3.e"
    ),
    "report_efficacy": _p(
        "report on the efficacy of performance mentoring and early intervention",
        _all(CHIEF, INSPECTOR_GENERAL),
        "SMC 3.29.305.E",
    ),
    # --- OPA: findings and what follows them
    "recommend_findings": _p(
        "certify the investigation and recommend findings to the Chief", _all(DIRECTOR), "SMC 3.29.020.A.7"
    ),
    "management_action": _p("send or update a Management Action", _all(DIRECTOR), "SMC 3.29.030.D"),
    "training_report": _p(
        "record the chain of command's report of a Training Referral", _all(DIRECTOR, SUPERVISOR), "SMC 3.29.007"
    ),
    "timeline_statement": _p("issue the statement on an exceeded time limit", _all(DIRECTOR), "SMC 3.29.027.C"),
    "grant_access": _p("let a named employee or union representative read their case", _all(DIRECTOR)),
    "publish": _p("publish for OPA", _all(DIRECTOR, SUPERVISOR), "SMC 3.29.030.C"),
    "library": _p("add to the public library", _all(DIRECTOR, ADMINISTRATOR), "SMC 3.29.330.B"),
    # --- OIG
    "record_determination": _p(
        "record OIG's determination on an investigation", _all(OIG_AUDITOR, INSPECTOR_GENERAL), "SMC 3.29.112.F"
    ),
    "direct_review": _p(
        "direct that an investigation be submitted for OIG review",
        _all(OIG_AUDITOR, INSPECTOR_GENERAL, scope=OPEN),
        "SMC 3.29.112.A.2",
    ),
    "set_review_policy": _p(
        "change which investigations OIG reviews or switch pre-classification review",
        _all(INSPECTOR_GENERAL),
        "SMC 3.29.112.A.3; SMC 3.29.111.B",
    ),
    "classification_input": _p(
        "give OIG's input on a proposed classification", _all(OIG_AUDITOR, INSPECTOR_GENERAL), "SMC 3.29.111.B"
    ),
    "run_audit": _p(
        "draw and check a quarterly classification audit", _all(OIG_AUDITOR, INSPECTOR_GENERAL), "SMC 3.29.111"
    ),
    "publish_audit": _p("publish a classification audit report", _all(INSPECTOR_GENERAL), "SMC 3.29.111.A"),
    "handle_hotline": _p("read and answer hotline reports", _all(OIG_AUDITOR, INSPECTOR_GENERAL), "SMC 3.29.110.A.17"),
    "record_withheld": _p(
        "record a department's itemization of records withheld", _all(OIG_AUDITOR, INSPECTOR_GENERAL), "SMC 3.29.105.D"
    ),
    "review_reads": _p(
        "review who read what (people's identity, evidence, discipline, hotline reports), the chain's "
        "checkpoints and the case files disposed of",
        _all(OIG_AUDITOR, INSPECTOR_GENERAL),
        "SMC 3.29.100.D; SMC 3.29.110.A.2",
    ),
    "classify_conflict": _p(
        "classify a complaint OPA cannot handle for a conflict",
        _all(OIG_AUDITOR, INSPECTOR_GENERAL),
        "SMC 3.29.110.A.11",
    ),
    # --- Retention of case files (SMC 3.29.320.E)
    "legal_hold": _p("place or release a legal hold on a case file", _all(DIRECTOR, CITY_ATTORNEY), "SMC 3.29.320.E"),
    "dispose_case_file": _p(
        "dispose of a case file whose retention has ended (never its discipline records)",
        _all(DIRECTOR),
        "SMC 3.29.320.E",
    ),
    # --- SPD: the Chief
    "chief_decision": _p("record the Chief's final findings and discipline", {CHIEF: FINDINGS}, "SMC 3.29.310.A"),
    "chief_statement": _p("issue the Chief's statement of reasons", {CHIEF: FINDINGS}, "SMC 3.29.027.B"),
    "request_investigation": _p(
        "ask for additional investigation after the due process hearing", {CHIEF: FINDINGS}, "SMC 3.29.112.E"
    ),
    "leave_without_pay": _p("place an employee on leave without pay", {CHIEF: (NOTICED, CRIMINAL)}, "SMC 3.29.310.A.4"),
    "separation": _p(
        "record a separation for cause and the WSCJTC documentation",
        {CHIEF: (FINDINGS, NOTICED)},
        "SMC 3.29.310.A.13; SMC 3.29.320.F",
    ),
    # --- The City Attorney
    "appeal": _p("record an appeal, its hearing and ruling", {CITY_ATTORNEY: DECIDED}, "SMC 3.29.305.J"),
    "settle": _p("approve a settlement of an appeal or grievance", {CITY_ATTORNEY: DECIDED}, "SMC 3.29.310.A.11"),
    "appeals_report": _p(
        "open the status report of appealed cases (the City Attorney's, to the Director and OIG)",
        _all(CITY_ATTORNEY, DIRECTOR, INSPECTOR_GENERAL, OIG_AUDITOR),
        "SMC 3.29.305.J",
    ),
    "criminal_report": _p(
        "open the status report of criminal referrals", _all(DIRECTOR, CITY_ATTORNEY), "SMC 3.29.030.F"
    ),
    # --- CPC
    "cpc_review": _p(
        "review closed investigations and reports for systemic improvements", {CPC_STAFF: CLOSED}, _CPC_CLOSED
    ),
    "cpc_workspace": _p(
        "keep CPC's meetings, agendas and minutes, and the community's input", _all(CPC_STAFF), "SMC 3.29.225"
    ),
    # --- Recommendations and their answers (3.29.305; 3.29.030.D-E; 3.29.115.B; 3.29.215.A)
    "track_recommendations": _p(
        "open the recommendations tracker with its sources",
        _all(DIRECTOR, SUPERVISOR, INSPECTOR_GENERAL, OIG_AUDITOR, CPC_STAFF, CHIEF, SPD_LIAISON),
        "SMC 3.29.305.A",
    ),
    # each body issues its own: the Director for OPA, OIG's staff for the Inspector General, CPC
    "issue_recommendation": _p(
        "issue a recommendation", _all(DIRECTOR, INSPECTOR_GENERAL, OIG_AUDITOR, CPC_STAFF), "SMC 3.29.305.A"
    ),
    # SPD answers what is addressed to SPD, OPA what is addressed to OPA (3.29.305.A-B); the
    # issuing body records the answers of the others, whose status it tracks
    "answer_recommendation": _p(
        "record a written answer or a progress report on a recommendation",
        _all(SPD_LIAISON, DIRECTOR, INSPECTOR_GENERAL, OIG_AUDITOR, CPC_STAFF),
        "SMC 3.29.305.A; SMC 3.29.305.B",
    ),
    "withdraw_recommendation": _p(
        "withdraw a recommendation its body issued", _all(DIRECTOR, INSPECTOR_GENERAL, CPC_STAFF), "SMC 3.29.305.A"
    ),
    "record_city_notice": _p(
        "record the Council's review schedule or the Mayor's written notices",
        _all(DIRECTOR, INSPECTOR_GENERAL, CPC_STAFF),
        "SMC 3.29.305.F-H",
    ),
    # --- OIG's annual workplan, reviewed with CPC (3.29.110.A.20; 3.29.215.A.15)
    "share_workplan": _p(
        "share OIG's draft workplan with CPC, answer CPC's proposed additions and set the workplan",
        _all(INSPECTOR_GENERAL),
        "SMC 3.29.110.A.20",
    ),
    "propose_workplan_addition": _p(
        "propose areas for OIG's workplan", _all(CPC_STAFF), "SMC 3.29.215.A.15; SMC 3.29.110.A.20"
    ),
    # --- The OPA Manual: its annual update with OIG's and CPC's comments, published online
    "manual_update": _p(
        "open a round of comment on the OPA Manual's update, answer the comments and publish the version",
        _all(DIRECTOR),
        "SMC 3.29.020.A.4; SMC 3.29.010.D",
    ),
    "comment_on_manual": _p(
        "comment on the OPA Manual's proposed update",
        _all(INSPECTOR_GENERAL, CPC_STAFF),
        "SMC 3.29.110.A.10; SMC 3.29.215.A.2",
    ),
    # --- The reports of Chapter 3.29 and the offices' dashboards (oversight.reports)
    "open_reports": _p(
        "open the reports of OPA, OIG and CPC before they are posted",
        _all(DIRECTOR, OIG_AUDITOR, INSPECTOR_GENERAL, CPC_STAFF),
        "SMC 3.29.030.H-I; SMC 3.29.115; SMC 3.29.220.A",
    ),
    "post_report": _p(
        "post a report to the public library and record its distribution (each office its own reports)",
        _all(DIRECTOR, INSPECTOR_GENERAL, CPC_STAFF),
        "SMC 3.29.030.H; SMC 3.29.115.G; SMC 3.29.220.A",
    ),
    "report_draft": _p(
        "deliver OIG's preliminary draft report for comment and record the comments received",
        _all(INSPECTOR_GENERAL),
        "SMC 3.29.115.E",
    ),
    "dashboard": _p(
        "open the office's dashboard of its work",
        _all(DIRECTOR, OIG_AUDITOR, INSPECTOR_GENERAL, CPC_STAFF),
    ),
    # --- The institutions themselves (oversight.institutions)
    "record_appointment": _p(
        "record an appointment, a confirmation or the end of a term to an oversight body",
        _all(CITY_CLERK, ADMINISTRATOR),
        "SMC 3.29.020.C; SMC 3.29.114; SMC 3.29.206.B; SMC 3.29.215.C; SMC 3.29.310.A.7.b",
    ),
    "open_registry": _p(
        "open the registry of the oversight bodies' seats, terms and deadlines",
        _all(CITY_CLERK, ADMINISTRATOR, DIRECTOR, INSPECTOR_GENERAL, OIG_AUDITOR, CPC_STAFF),
    ),
    "record_staffing": _p(
        "record OPA's staff, their training and the selection of sworn staff rotating into OPA",
        _all(DIRECTOR),
        "SMC 3.29.028; SMC 3.29.315.H",
    ),
    "rotation_list": _p("give the OPA Director a list of sergeants for a sworn vacancy", _all(CHIEF), "SMC 3.29.315.H"),
    "evaluate_civilianization": _p(
        "record OIG's evaluation of the civilianization of OPA's intake and investigators",
        _all(OIG_AUDITOR, INSPECTOR_GENERAL),
        "SMC 3.29.028.F",
    ),
    "log_scene_response": _p(
        "log a response to an incident scene, the meetings attended and the concerns raised",
        _all(DIRECTOR, SUPERVISOR, OIG_AUDITOR, INSPECTOR_GENERAL),
        "SMC 3.29.020.A.12; SMC 3.29.025.C; SMC 3.29.110.A.4",
    ),
    "review_overdue_reviews": _p(
        "list SPD's incident reviews past their limit",
        _all(CHIEF, DIRECTOR, OIG_AUDITOR, INSPECTOR_GENERAL),
        "SMC 3.29.335.A",
    ),
    "integrity_referral": _p(
        "take in a referral from the criminal justice system about an officer's integrity or honesty",
        _all(INTAKE, SUPERVISOR, DIRECTOR),
        "SMC 3.29.300.D",
    ),
    "report_to_oig": _p(
        "report a new problem or deficiency to the Inspector General",
        _all(DIRECTOR, SUPERVISOR, CHIEF, SPD_LIAISON, CITY_ATTORNEY, CPC_STAFF, RECORDS_OFFICER, CITY_CLERK),
        "SMC 3.29.300.E",
    ),
    "handle_city_reports": _p(
        "read and answer the City entities' reports of problems", _all(OIG_AUDITOR, INSPECTOR_GENERAL), "SMC 3.29.300.E"
    ),
    "city_attorney_advice": _p(
        "advise the OPA Director and the Chief of issues from litigation, grievances or appeals",
        _all(CITY_ATTORNEY),
        "SMC 3.29.300.F",
    ),
    "acknowledge_advice": _p(
        "record what was done with the City Attorney's advice", _all(DIRECTOR, CHIEF), "SMC 3.29.300.F"
    ),
    "file_withheld": _p(
        "file the department's itemization of records withheld from OIG", _all(RECORDS_OFFICER), "SMC 3.29.105.D"
    ),
    # --- Bargaining agreements against the chapter (oversight.contracts)
    "open_contracts": _p(
        "open the registry of bargaining agreements and replay the cases under one",
        _all(DIRECTOR, OIG_AUDITOR, INSPECTOR_GENERAL, CPC_STAFF, CITY_ATTORNEY),
        "SMC 3.29.330; SMC 3.29.400.A",
    ),
    "record_agreement": _p(
        "record a bargaining agreement, its status or its vote in the registry",
        _all(DIRECTOR, INSPECTOR_GENERAL, CPC_STAFF, CITY_ATTORNEY),
        "SMC 3.29.330.B",
    ),
    "consult_bargaining": _p(
        "record or read the consultations on the City's bargaining agenda (confidential until public)",
        _all(DIRECTOR, INSPECTOR_GENERAL, CPC_STAFF),
        "SMC 3.29.330.A",
    ),
    # --- The system
    "manage_users": _p("create users, give and take roles, deactivate accounts", _all(ADMINISTRATOR)),
    # whoever reads some cases' facts searches them (the search is limited to those cases)
    "search": _p("search cases", dict.fromkeys((r for r in READS[CASE] if r in STAFF), ANY)),
}


def may(roles: Iterable[str], action: str, facts: CaseFacts | None = None) -> bool:
    """Whether a person holding ``roles`` may take ``action`` (on a case with ``facts``,
    or, with no case, anywhere their grant lets them)."""
    perm = PERMISSIONS[action]
    for r in roles:
        g = perm.grants.get(r)
        if g is not None and (facts is None or g.holds(facts)):
            return True
    return False


def holds_role_for(roles: Iterable[str], action: str) -> bool:
    """Whether any of ``roles`` may take ``action`` on some case (whatever its state)."""
    return any(r in PERMISSIONS[action].grants for r in roles)


def _held(roles: Iterable[str]) -> str:
    names = sorted(role_label(r) for r in roles)
    return ", ".join(names) if names else "no role"


@dataclass(frozen=True, slots=True)
class Refusal:
    """What a refusal page says: what was tried, why not (with the citation), where to go."""

    what: str
    why: str
    cite: str = ""
    where: tuple[str, ...] = field(default=())

    def text(self) -> str:
        cite = f" [{self.cite}]" if self.cite else ""
        return f"{self.why}{cite}"


def refusal(roles: Iterable[str], action: str, facts: CaseFacts | None = None) -> Refusal:
    """Why ``roles`` may not take ``action`` here: who may, and where."""
    held = frozenset(roles)
    perm = PERMISSIONS[action]
    mine = [(r, perm.grants[r]) for r in sorted(held) if r in perm.grants]
    if mine:  # the role may, but not on this case
        r, g = mine[0]
        why = f"{role_label(r)} may {perm.label} only on {g.words()}, and this case is not one of them."
    else:
        who = ", ".join(role_label(r) for r in sorted(perm.grants))
        why = f"Only {who} may {perm.label}; you hold: {_held(held)}."
    return Refusal(f"to {perm.label}", why, perm.cite, _where(perm))


def _where(perm: Permission) -> tuple[str, ...]:
    offices = sorted({ROLES[r].office for r in perm.grants if r in ROLES})
    return tuple(f"Ask the {o}." for o in offices if o not in (SYSTEM, PARTIES))


def read_refusal(roles: Iterable[str], part: str, facts: CaseFacts | None = None) -> Refusal:
    held = frozenset(roles)
    table = READS[part]
    mine = [(r, table[r]) for r in sorted(held) if r in table]
    if mine:
        r, g = mine[0]
        why = f"{role_label(r)} reads {PARTS[part]} only on {g.words()}, and this case is not one of them."
        cite = g.cite
    else:
        who = ", ".join(role_label(r) for r in sorted(table))
        why = f"Only {who} read {PARTS[part]}; you hold: {_held(held)}."
        cite = ""
    return Refusal(f"to read {PARTS[part]}", why, cite)
