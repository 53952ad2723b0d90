"""Classification, routing outside OPA, assignment, and Supervisor Action referrals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from oversight.rules import access as A
from oversight.rules import classification as rules_classification

from ..integrity import seal
from ..models import Case, CaseEvent, NamedEmployee, SupervisorActionReferral
from .base import (
    ActionError,
    User,
    append_event,
    audit,
    ensure_open,
    lock_case,
    not_future,
    require,
    required_text,
    rules_on,
    user_roles,
)


def allegation_views(case: Case) -> list[rules_classification.AllegationView]:
    return [
        rules_classification.AllegationView(f"{a.named_employee}", a.category)
        for a in case.allegations.select_related("named_employee")
    ]


def classify(user: User, case: Case, classification: str, rationale: str, on: dt.date | None = None) -> CaseEvent:
    """Classify with a written rationale; the profile's constraints are enforced
    (e.g. no Supervisor Action for force, bias or violations of law, SMC 3.29.025.A)."""
    require(user, "classify", case)
    on = on or timezone.localdate()
    not_future("date", on)
    rationale = required_text("rationale", rationale)
    rules = rules_on(case.received_on or on)
    try:
        rules_classification.check(rules, classification, allegation_views(case))
    except rules_classification.ClassificationRefused as e:
        # The refused attempt is itself a fact worth keeping.
        audit(user, "classify_refused", case, classification=classification, reason=str(e), cite=e.cite)
        raise
    from oversight.oig.review import classification_gate

    gate = classification_gate(case, classification)
    if not gate.allowed:  # OIG's pre-classification review is on (SMC 3.29.111.B)
        raise ActionError("classification", f"{gate.reason} ({gate.cite})")
    with transaction.atomic():
        case = lock_case(case)
        ensure_open(case)
        ev = append_event(
            case,
            "classified",
            on,
            user,
            {
                "classification": classification,
                "rationale": rationale,
                "label": rules_classification.label(classification),
            },
        )
        Case.objects.filter(pk=case.pk).update(classification=classification)
        seal(case)
        audit(user, "classify", case, classification=classification)
    return ev


def route(user: User, case: Case, to: str, reason: str, on: dt.date | None = None) -> CaseEvent:
    """Send a complaint OPA may not handle to OIG (conflict of interest, SMC 3.29.025.G)
    or to the Seattle Department of Human Resources (EEO, SMC 3.29.300.G)."""
    require(user, "route", case)
    if to not in rules_classification.ROUTES:
        raise ActionError("to", f"{to!r} is not one of: {', '.join(rules_classification.ROUTES)}")
    reason = required_text("reason", reason)
    on = on or timezone.localdate()
    dest, when, cite = rules_classification.ROUTES[to]
    with transaction.atomic():
        case = lock_case(case)
        ensure_open(case)
        ev = append_event(case, "routed", on, user, {"to": dest, "reason": reason, "cite": cite, "because": when})
        Case.objects.filter(pk=case.pk).update(routed_to=to)
        seal(case)
        audit(user, "route", case, to=to)
    return ev


def assign(user: User, case: Case, investigator: Any, supervisor: Any = None) -> CaseEvent:
    require(user, "assign", case)
    if A.INVESTIGATOR not in user_roles(investigator) and A.SUPERVISOR not in user_roles(investigator):
        raise ActionError("investigator", f"{investigator} is not an OPA investigator")
    if supervisor is not None and A.SUPERVISOR not in user_roles(supervisor):
        raise ActionError("supervisor", f"{supervisor} is not an investigation supervisor")
    with transaction.atomic():
        case = lock_case(case)
        ensure_open(case)
        ev = append_event(
            case,
            "assigned",
            timezone.localdate(),
            user,
            {
                "investigator": investigator.get_username(),
                "supervisor": supervisor.get_username() if supervisor else None,
            },
        )
        Case.objects.filter(pk=case.pk).update(investigator=investigator, supervisor=supervisor)
        seal(case)
        audit(user, "assign", case, investigator=investigator.pk)
    return ev


def refer_supervisor_action(
    user: User,
    case: Case,
    named_employee: NamedEmployee,
    report_due: dt.date,
    supervisor_name: str = "",
    on: dt.date | None = None,
) -> SupervisorActionReferral:
    require(user, "refer_supervisor_action", case)
    on = on or timezone.localdate()
    if case.classification != "supervisor_action":
        raise ActionError("case", "only a case classified as Supervisor Action is referred to a supervisor")
    if named_employee.case_id != case.pk:
        raise ActionError("named_employee", "is not named in this case")
    supervisor_name = supervisor_name.strip() or named_employee.supervisor_name
    if not supervisor_name:
        raise ActionError("supervisor_name", "is required (the named employee's supervisor)")
    if report_due <= on:
        raise ActionError("report_due", "must fall after the referral")
    with transaction.atomic():
        case = lock_case(case)
        ensure_open(case)
        ref = SupervisorActionReferral.objects.create(
            case=case,
            named_employee=named_employee,
            supervisor_name=supervisor_name,
            referred_on=on,
            report_due=report_due,
        )
        append_event(
            case,
            "supervisor_action_referred",
            on,
            user,
            {
                "named_employee": str(named_employee),
                "supervisor": supervisor_name,
                "report_due": report_due.isoformat(),
            },
        )
        audit(user, "refer_supervisor_action", case, referral=ref.pk)
    return ref


def record_supervisor_report(
    user: User, referral: SupervisorActionReferral, report: str, on: dt.date | None = None
) -> SupervisorActionReferral:
    require(user, "record_supervisor_report", referral.case)
    report = required_text("report", report)
    on = on or timezone.localdate()
    not_future("date", on)
    with transaction.atomic():
        lock_case(referral.case)
        ref = SupervisorActionReferral.objects.select_for_update().get(pk=referral.pk)
        if ref.reported_on is not None:
            raise ActionError("referral", f"the supervisor's report was already recorded on {ref.reported_on}")
        ref.reported_on = on
        ref.report = report
        ref.save(update_fields=["reported_on", "report"])
        append_event(
            ref.case, "supervisor_action_reported", on, user, {"supervisor": ref.supervisor_name, "report": report}
        )
        audit(user, "record_supervisor_report", ref.case, referral=ref.pk)
    return ref
