"""Who may do what from recommended findings to the last appeal (pure Python, no Django).

A role is the name of a Django group. The OPA Director's and the administrator's
groups are the case app's (oversight.rules.roles); the Chief of Police, the City
Attorney, named employees and their union are this app's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from oversight.rules import roles as opa

CHIEF = "chief"  # the Chief of Police and the Chief's delegates
CITY_ATTORNEY = "city_attorney"
NAMED_EMPLOYEE = "named_employee"  # reads their own case's notices and determinations
UNION = "union"  # the named employee's bargaining unit, the same
DIRECTOR = opa.DIRECTOR
ADMINISTRATOR = opa.ADMINISTRATOR
SUPERVISOR = opa.SUPERVISOR

GROUPS: dict[str, str] = {
    CHIEF: "Chief of Police (or delegate)",
    CITY_ATTORNEY: "City Attorney's Office",
    NAMED_EMPLOYEE: "Named employee",
    UNION: "Union representative",
}
ROLES: dict[str, str] = {**opa.ROLES, **GROUPS}

# Roles that read a case's whole discipline record (never named employees or their union,
# who read only their own case, through an access grant).
READERS = frozenset({DIRECTOR, SUPERVISOR, ADMINISTRATOR, CHIEF, CITY_ATTORNEY})
OWN_CASE = frozenset({NAMED_EMPLOYEE, UNION})


@dataclass(frozen=True, slots=True)
class Permission:
    roles: frozenset[str]
    label: str
    cite: str = ""


def _p(label: str, *roles: str, cite: str = "") -> Permission:
    return Permission(frozenset(roles), label, cite)


PERMISSIONS: dict[str, Permission] = {
    "recommend_findings": _p("certify and recommend findings to the Chief", DIRECTOR, cite="SMC 3.29.020.A.7"),
    "management_action": _p("send or update a Management Action", DIRECTOR, cite="SMC 3.29.030.D"),
    "training_report": _p(
        "record the chain of command's report of a Training Referral", DIRECTOR, SUPERVISOR, cite="SMC 3.29.007"
    ),
    "timeline_statement": _p("issue the statement on an exceeded time limit", DIRECTOR, cite="SMC 3.29.027.C"),
    "chief_decision": _p("record the Chief's final findings and discipline", CHIEF, cite="SMC 3.29.310.A"),
    "chief_statement": _p("issue the Chief's statement of reasons", CHIEF, cite="SMC 3.29.027.B"),
    "leave_without_pay": _p("place an employee on leave without pay", CHIEF, cite="SMC 3.29.310.A.4"),
    "separation": _p(
        "record a separation for cause and the WSCJTC documentation", CHIEF, cite="SMC 3.29.310.A.13; SMC 3.29.320.F"
    ),
    "appeal": _p("record an appeal, its hearing and ruling", CITY_ATTORNEY, cite="SMC 3.29.305.J"),
    "settle": _p("approve a settlement of an appeal or grievance", CITY_ATTORNEY, cite="SMC 3.29.310.A.11"),
    "grant_access": _p("let a named employee or union representative read their case", DIRECTOR, ADMINISTRATOR),
    "appeals_report": _p(
        "produce the status report of appealed cases", CITY_ATTORNEY, DIRECTOR, ADMINISTRATOR, cite="SMC 3.29.305.J"
    ),
    "criminal_report": _p(
        "produce the status report of criminal referrals", DIRECTOR, ADMINISTRATOR, CITY_ATTORNEY, cite="SMC 3.29.030.F"
    ),
}


def may(roles: Iterable[str], action: str) -> bool:
    perm = PERMISSIONS[action]
    return any(r in perm.roles for r in roles)


def refusal(roles: Iterable[str], action: str) -> str:
    perm = PERMISSIONS[action]
    held = sorted(ROLES.get(r, r) for r in roles) or ["no role"]
    allowed = ", ".join(ROLES[r] for r in sorted(perm.roles))
    cite = f" [{perm.cite}]" if perm.cite else ""
    return f"Only {allowed} may {perm.label}{cite}; you hold: {', '.join(held)}."
