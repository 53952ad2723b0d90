"""The one door for writes from recommended findings to the last appeal.

Every function checks the person's role (``oversight.discipline.roles``), writes its
record, appends the event to the case's hash-chained log (the clock's own events
where the deadline clock reads them: proposed_findings_issued, chief_decision,
chief_statement_issued, timeline_statement_issued, discipline_determination_received,
appeal_notice_filed) and the audit entry, all in one transaction. Bad input raises
``ActionError`` naming the field before anything is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from oversight import access
from oversight.cases import actions as case_actions
from oversight.cases.actions import ActionError, Refused
from oversight.cases.clock import profile_name
from oversight.cases.models import Case, CaseEvent, NamedEmployee
from oversight.rules import access as R
from oversight.rules.events import CaseError, parse_case
from oversight.rules.profile import Rules, get_profile
from oversight.rules.timeline import compute

from . import documents
from .models import (
    DISCIPLINE_LABELS,
    FORUM_LABELS,
    FORUMS_FOR,
    OUTCOME_LABELS,
    SEPARATIONS,
    Appeal,
    CaseAccess,
    ChiefDecision,
    ComplainantNotice,
    Discipline,
    Finding,
    LeaveWithoutPay,
    ManagementAction,
    Recommendation,
    Separation,
    Settlement,
    Statement,
    TrainingReport,
)

__all__ = ["ActionError", "Refused", "NamesSomeone"]

User = Any


class NamesSomeone(ActionError):
    """A statement the law requires to name no one names someone; ``suggestion`` is the cleaned text."""

    def __init__(self, field: str, message: str, suggestion: str) -> None:
        super().__init__(field, message)
        self.suggestion = suggestion


# --------------------------------------------------------------------------
# Roles and reading
# --------------------------------------------------------------------------


def user_roles(user: User) -> frozenset[str]:
    return access.roles_of(user)


def require(user: User, action: str, case: Case | None = None) -> None:
    access.require(user, action, case)


def access_of(user: User, case: Case) -> list[CaseAccess]:
    """The named employees of this case whose record ``user`` may read as employee or union."""
    roles = user_roles(user)
    if not roles & R.OWN_CASE_ROLES:
        return []
    return list(CaseAccess.objects.filter(user=user, case=case, role__in=roles & R.OWN_CASE_ROLES))


# --------------------------------------------------------------------------
# The log
# --------------------------------------------------------------------------


def _rules(case: Case, day: dt.date) -> Rules:
    return get_profile(profile_name()).at(case.received_on or day)


def _log(case: Case, type: str, on: dt.date, user: User, data: Mapping[str, Any] | None = None) -> CaseEvent:
    """Append to the case's hash-chained log (oversight.cases keeps the chain). Inside a transaction."""
    return case_actions.append_event(case, type, on, user, data)


def _clock(case: Case, type: str, on: dt.date, user: User, data: Mapping[str, Any] | None = None) -> CaseEvent:
    """Append an event the deadline clock reads, after checking the clock can still read the case."""
    extra = {"type": type, "date": on.isoformat(), **(data or {})}
    try:
        case_actions.check_clock(case, [extra])
    except CaseError as e:
        raise ActionError(type, str(e).split(": ", 1)[-1]) from None
    return case_actions.append_event(case, type, on, user, data)


def _audit(user: User, action: str, case: Case | None, **detail: Any) -> None:
    case_actions.audit(user, f"discipline.{action}", case, **detail)


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _day(field: str, value: Any, required: bool = True) -> dt.date | None:
    if value is None or value == "":
        if required:
            raise ActionError(field, "is required (a date YYYY-MM-DD)")
        return None
    if not isinstance(value, dt.date):
        raise ActionError(field, f"{value!r} is not a date")
    if value > timezone.localdate():
        raise ActionError(field, f"{value.isoformat()} is in the future")
    return value


def _text(field: str, value: str | None) -> str:
    v = (value or "").strip()
    if not v:
        raise ActionError(field, "is required")
    return v


def _has_event(case: Case, type: str) -> CaseEvent | None:
    return case.events.filter(type=type).order_by("seq").first()


# --------------------------------------------------------------------------
# Reading the current state
# --------------------------------------------------------------------------


def current_findings(case: Case) -> dict[int, dict[str, Finding]]:
    """allegation pk -> {"recommended": ..., "chief": ..., "appeal": ...}, the latest of each stage."""
    out: dict[int, dict[str, Finding]] = {}
    for f in Finding.objects.filter(case=case).order_by("pk"):
        out.setdefault(f.allegation_id, {})[f.stage] = f
    return out


def final_finding(stages: Mapping[str, Finding]) -> Finding | None:
    return stages.get("appeal") or stages.get("chief") or stages.get("recommended")


def current_discipline(case: Case) -> dict[int, Discipline]:
    """named employee pk -> the discipline record in force (the latest, superseding the others)."""
    out: dict[int, Discipline] = {}
    for d in Discipline.objects.filter(case=case).order_by("pk"):
        out[d.named_employee_id] = d
    return out


def decision_of(case: Case) -> ChiefDecision | None:
    return ChiefDecision.objects.filter(case=case).order_by("-pk").first()


def recommendation_of(case: Case) -> Recommendation | None:
    """The Director's latest recommendation (from what a list prefetched, if it did)."""
    return max(case.recommendations.all(), key=lambda r: r.pk, default=None)


def _check_findings(case: Case, rules: Rules, findings: Mapping[int, str], field: str) -> dict[int, str]:
    allowed = rules.taxonomies["findings"].value
    cite = rules.taxonomies["findings"].cite
    allegations = {a.pk: a for a in case.allegations.all()}
    if not allegations:
        raise ActionError(field, "the case has no allegation to make a finding on")
    clean: dict[int, str] = {}
    for pk, value in findings.items():
        if pk not in allegations:
            raise ActionError(field, f"allegation {pk} is not an allegation of {case.number}")
        if value not in allowed:
            raise ActionError(f"{field}[{pk}]", f"{value!r} is not a finding [{cite}]: one of {', '.join(allowed)}")
        clean[pk] = value
    missing = [str(pk) for pk in allegations if pk not in clean]
    if missing:
        raise ActionError(
            field,
            f"every allegation against every named employee needs a finding; "
            f"missing for allegation(s) {', '.join(missing)}",
        )
    return clean


# --------------------------------------------------------------------------
# The Director's recommendations
# --------------------------------------------------------------------------


def recommending_again(case: Case) -> bool:
    """The Chief asked for additional investigation after the due process hearing, after the
    Director's last recommendation and before a decision: once OIG re-certifies the case
    (SMC 3.29.112.E), the Director recommends again."""
    events = list(case.events.all())  # one read (or what a list prefetched)
    last = max((e for e in events if e.type == "findings_recommended"), key=lambda e: e.seq, default=None)
    if last is None or any(e.type == "chief_decision" for e in events):
        return False
    return any(
        e.type == "additional_investigation" and e.seq > last.seq and (e.data or {}).get("by") == "the Chief of Police"
        for e in events
    )


def request_additional_investigation(user: User, case: Case, *, on: dt.date, reason: str) -> CaseEvent:
    """After the due process hearing the Chief asks for more investigation before deciding: the
    case returns to OPA, which re-submits it to OIG for re-certification (SMC 3.29.112.E). On the
    clock it is an additional investigation after the period ended: its own 60 days (3.29.026.I)."""
    require(user, "request_investigation", case)
    on = _day("on", on)  # type: ignore[assignment]
    reason = _text("reason", reason)
    with transaction.atomic():
        case = _lock(case)
        if recommendation_of(case) is None:
            raise ActionError("case", "the Chief asks for more after the Director's recommended findings")
        if decision_of(case) is not None:
            raise ActionError("case", "the Chief's final decision is already recorded")
        if recommending_again(case):
            raise ActionError("case", "the additional investigation already asked for has not come back yet")
        try:  # the clock reads the reason; who asked and why the law says so stay in the log beside it
            case_actions.check_clock(
                case, [{"type": "additional_investigation", "date": on.isoformat(), "reason": reason}]
            )
        except CaseError as e:
            raise ActionError("additional_investigation", str(e).split(": ", 1)[-1]) from None
        ev = _log(
            case,
            "additional_investigation",
            on,
            user,
            {"reason": reason, "by": "the Chief of Police", "cite": "SMC 3.29.112.E"},
        )
        _audit(user, "request_additional_investigation", case)
    return ev


def recommend_findings(
    user: User,
    case: Case,
    *,
    on: dt.date,
    findings: Mapping[int, str],
    analysis: str = "",
    meet_complainant: bool = False,
    meet_complainant_reason: str = "",
) -> Recommendation:
    """The Director certifies the investigation and recommends a finding on each allegation
    against each named employee (SMC 3.29.020.A.7); the clock's proposed_findings_issued
    is appended if it is not yet in the log."""
    require(user, "recommend_findings", case)
    on = _day("on", on)  # type: ignore[assignment]
    rules = _rules(case, on)
    clean = _check_findings(case, rules, findings, "findings")
    if meet_complainant:
        if "sustained" not in clean.values():
            raise ActionError(
                "meet_complainant",
                "the Director may recommend the Chief meet the complainant only "
                "where a Sustained finding is recommended [SMC 3.29.025.F]",
            )
        meet_complainant_reason = _text("meet_complainant_reason", meet_complainant_reason)
    allegations = {a.pk: a for a in case.allegations.all()}
    again = recommending_again(case)
    if _has_event(case, "proposed_findings_issued") is None or again:
        # proposed findings wait for OIG's certification or its lapsed window (SMC 3.29.112.C, D, G),
        # and again after the Chief's additional investigation, for re-certification (E)
        case_actions.check_oig_allows_findings(case, on)
    with transaction.atomic():
        case = _lock(case)
        if recommendation_of(case) is not None and not recommending_again(case):
            raise ActionError("case", f"findings were already recommended for {case.number}")
        now = timezone.now()
        rec = Recommendation.objects.create(
            case=case,
            issued_on=on,
            analysis=analysis.strip(),
            meet_complainant=meet_complainant,
            meet_complainant_reason=meet_complainant_reason if meet_complainant else "",
            recorded_by=user,
            recorded_at=now,
        )
        for pk, value in clean.items():
            Finding.objects.create(
                case=case,
                allegation_id=pk,
                named_employee_id=allegations[pk].named_employee_id,
                stage="recommended",
                finding=value,
                decided_on=on,
                recommendation=rec,
                recorded_by=user,
                recorded_at=now,
            )
        if _has_event(case, "proposed_findings_issued") is None or again:
            _clock(case, "proposed_findings_issued", on, user)
        _log(
            case,
            "findings_recommended",
            on,
            user,
            {"findings": {str(k): v for k, v in clean.items()}, "meet_complainant": meet_complainant},
        )
        _audit(user, "recommend_findings", case, recommendation=rec.pk)
    return rec


def issue_management_action(user: User, case: Case, *, letter: str, on: dt.date) -> ManagementAction:
    """A Management Action letter to SPD: posted and copied to OIG and CPC the day it is issued (SMC 3.29.030.D)."""
    require(user, "management_action", case)
    letter = _text("letter", letter)
    on = _day("on", on)  # type: ignore[assignment]
    with transaction.atomic():
        case = _lock(case)
        if recommendation_of(case) is None:
            raise ActionError(
                "case",
                "a Management Action is a finding made at the conclusion of the investigation: "
                "recommend findings first [SMC 3.29.007]",
            )
        ma = ManagementAction.objects.create(
            case=case,
            letter=letter,
            issued_on=on,
            posted_on=on,
            copied_to_oig_on=on,
            copied_to_cpc_on=on,
            recorded_by=user,
        )
        _log(
            case,
            "management_action_issued",
            on,
            user,
            {"management_action": ma.pk, "copied_to": ["OIG", "CPC"], "posted": True},
        )
        _audit(user, "issue_management_action", case, management_action=ma.pk)
        from oversight.recommendations.actions import track_management_action

        track_management_action(user, ma)
    return ma


def record_spd_response(
    user: User, ma: ManagementAction, *, response: str, on: dt.date, status: str
) -> ManagementAction:
    """SPD's written answer and the status of the recommended change, posted and copied to OIG and CPC."""
    require(user, "management_action", ma.case)
    response = _text("response", response)
    on = _day("on", on)  # type: ignore[assignment]
    from .models import MA_STATUSES

    if status not in dict(MA_STATUSES) or status == "awaiting_response":
        raise ActionError("status", f"{status!r} is not a status of a recommended change")
    if on < ma.issued_on:
        raise ActionError("on", "falls before the Management Action was issued")
    with transaction.atomic():
        case = _lock(ma.case)
        ma = ManagementAction.objects.select_for_update().get(pk=ma.pk)
        ma.spd_response, ma.spd_response_on, ma.status = response, on, status
        ma.save(update_fields=["spd_response", "spd_response_on", "status"])
        _log(
            case,
            "management_action_response",
            on,
            user,
            {"management_action": ma.pk, "status": status, "posted": True, "copied_to": ["OIG", "CPC"]},
        )
        _audit(user, "record_spd_response", case, management_action=ma.pk, status=status)
        from oversight.recommendations.actions import track_management_action_response

        track_management_action_response(user, ma)
    return ma


def record_training_report(
    user: User, finding: Finding, *, reported_by_name: str, training_given: str, on: dt.date
) -> TrainingReport:
    """The chain of command's report of the training given on a Training Referral."""
    require(user, "training_report", finding.case)
    reported_by_name = _text("reported_by_name", reported_by_name)
    training_given = _text("training_given", training_given)
    on = _day("on", on)  # type: ignore[assignment]
    if finding.finding != "training_referral":
        raise ActionError("finding", f"is {finding.label}, not a Training Referral")
    with transaction.atomic():
        case = _lock(finding.case)
        tr = TrainingReport.objects.create(
            finding=finding,
            reported_on=on,
            reported_by_name=reported_by_name,
            training_given=training_given,
            recorded_by=user,
            recorded_at=timezone.now(),
        )
        _log(case, "training_reported", on, user, {"finding": finding.pk})
        _audit(user, "record_training_report", case, training_report=tr.pk)
    return tr


# --------------------------------------------------------------------------
# The Chief's decision
# --------------------------------------------------------------------------


def _check_discipline(
    field: str,
    entries: Mapping[int, tuple[str, int | None]],
    employees: Mapping[int, NamedEmployee],
    sustained: set[int],
) -> dict[int, tuple[str, int | None]]:
    clean: dict[int, tuple[str, int | None]] = {}
    for pk, (kind, days) in entries.items():
        where = f"{field}[{pk}]"
        if pk not in employees:
            raise ActionError(field, f"employee {pk} is not named in this case")
        if kind not in DISCIPLINE_LABELS:
            raise ActionError(where, f"{kind!r} is not a kind of discipline: one of {', '.join(DISCIPLINE_LABELS)}")
        if kind == "suspension":
            if not isinstance(days, int) or days < 1:
                raise ActionError(where, "an unpaid suspension needs its number of days (1 or more)")
        elif days:
            raise ActionError(where, "days apply only to an unpaid suspension")
        if kind != "none" and pk not in sustained:
            raise ActionError(where, f"discipline needs a Sustained finding against {employees[pk]}")
        clean[pk] = (kind, days if kind == "suspension" else None)
    return clean


def record_chief_decision(
    user: User,
    case: Case,
    *,
    decided_on: dt.date,
    due_process_hearing_on: dt.date,
    findings: Mapping[int, str],
    discipline: Mapping[int, tuple[str, int | None]] | None = None,
    material_dishonesty: Iterable[int] = (),
    supplemental_meeting_on: dt.date | None = None,
    inspector_general_present: bool = False,
    complainant_meeting_on: dt.date | None = None,
    dishonesty_reasons: str = "",
    suspension_with_accrued_leave: bool = False,
) -> ChiefDecision:
    """The Chief's final findings and discipline after the due process hearing. Where they
    depart from the Director's recommendations the supplemental meeting with the Inspector
    General present must have taken place (SMC 3.29.027.A); discipline takes effect the day
    it is imposed (SMC 3.29.310.A.3)."""
    require(user, "chief_decision", case)
    decided_on = _day("decided_on", decided_on)  # type: ignore[assignment]
    due_process_hearing_on = _day("due_process_hearing_on", due_process_hearing_on)  # type: ignore[assignment]
    supplemental_meeting_on = _day("supplemental_meeting_on", supplemental_meeting_on, required=False)
    complainant_meeting_on = _day("complainant_meeting_on", complainant_meeting_on, required=False)
    if suspension_with_accrued_leave:
        raise ActionError(
            "suspension_with_accrued_leave",
            "an unpaid suspension cannot be served with accrued time balances [SMC 3.29.310.A.9]",
        )
    if due_process_hearing_on > decided_on:
        raise ActionError("due_process_hearing_on", "the due process hearing comes before the Chief's decision")
    rec = recommendation_of(case)
    if rec is None:
        raise ActionError("case", "the OPA Director has not recommended findings yet [SMC 3.29.020.A.7]")
    if decided_on < rec.issued_on:
        raise ActionError("decided_on", f"falls before the recommended findings of {rec.issued_on.isoformat()}")
    rules = _rules(case, decided_on)
    clean = _check_findings(case, rules, findings, "findings")
    allegations = {a.pk: a for a in case.allegations.select_related("named_employee")}
    employees = {e.pk: e for e in case.named_employees.all()}
    recommended = {pk: st["recommended"].finding for pk, st in current_findings(case).items() if "recommended" in st}
    follows = all(recommended.get(pk) == v for pk, v in clean.items())
    if not follows:
        if supplemental_meeting_on is None:
            raise ActionError(
                "supplemental_meeting_on",
                "the Chief departs from the Director's recommendations: the "
                "supplemental meeting must be held first [SMC 3.29.027.A]",
            )
        if supplemental_meeting_on < due_process_hearing_on or supplemental_meeting_on > decided_on:
            raise ActionError(
                "supplemental_meeting_on",
                "the supplemental meeting falls after the due process hearing and before the decision [SMC 3.29.027.A]",
            )
        if not inspector_general_present:
            raise ActionError(
                "inspector_general_present",
                "the Inspector General must be present at the supplemental meeting [SMC 3.29.027.A]",
            )
    sustained_emps = {allegations[pk].named_employee_id for pk, v in clean.items() if v == "sustained"}
    disc = _check_discipline("discipline", discipline or {}, employees, sustained_emps)
    dishonest = set(material_dishonesty)
    for pk in dishonest:
        if clean.get(pk) != "sustained":
            raise ActionError("material_dishonesty", f"allegation {pk}: material dishonesty is a Sustained finding")
    dishonest_emps = {allegations[pk].named_employee_id for pk in dishonest}
    short_of_termination = [employees[e] for e in dishonest_emps if disc.get(e, ("none", None))[0] != "termination"]
    dishonesty_reasons = dishonesty_reasons.strip()
    if short_of_termination and not dishonesty_reasons:
        raise ActionError(
            "dishonesty_reasons",
            "termination is the presumed discipline for a sustained finding of "
            "material dishonesty: state the reasons for a different decision "
            "[SMC 3.29.027.F]",
        )
    with transaction.atomic():
        case = _lock(case)
        if decision_of(case) is not None:
            raise ActionError(
                "case",
                "the Chief's final decision is already recorded; a change comes through an appeal or a settlement",
            )
        now = timezone.now()
        decision = ChiefDecision.objects.create(
            case=case,
            decided_on=decided_on,
            due_process_hearing_on=due_process_hearing_on,
            follows_recommendation=follows,
            supplemental_meeting_on=supplemental_meeting_on,
            inspector_general_present=inspector_general_present,
            complainant_meeting_on=complainant_meeting_on,
            dishonesty_reasons=dishonesty_reasons if short_of_termination else "",
            recorded_by=user,
            recorded_at=now,
        )
        for pk, value in clean.items():
            Finding.objects.create(
                case=case,
                allegation_id=pk,
                named_employee_id=allegations[pk].named_employee_id,
                stage="chief",
                finding=value,
                material_dishonesty=pk in dishonest,
                decided_on=decided_on,
                decision=decision,
                recorded_by=user,
                recorded_at=now,
            )
        for emp, (kind, days) in disc.items():
            d = Discipline.objects.create(
                case=case,
                named_employee_id=emp,
                kind=kind,
                suspension_days=days,
                imposed_on=decided_on,
                effective_on=decided_on,
                decision=decision,
                recorded_by=user,
                recorded_at=now,
            )
            if kind == "termination":
                Separation.objects.create(
                    case=case, named_employee_id=emp, kind="terminated", separated_on=d.effective_on, recorded_by=user
                )
        _clock(case, "chief_decision", decided_on, user, {"follows_recommendation": follows})
        _log(
            case,
            "discipline_imposed",
            decided_on,
            user,
            {
                "discipline": {str(k): {"kind": v[0], "days": v[1]} for k, v in disc.items()},
                "effective_on": decided_on.isoformat(),
            },
        )
        _audit(user, "record_chief_decision", case, decision=decision.pk, follows_recommendation=follows)
    return decision


def record_determination_received(user: User, case: Case, *, named_employee: NamedEmployee, on: dt.date) -> CaseEvent:
    """The day the named employee received the Chief's final disciplinary determination: the
    10-day notice of intent to appeal runs from it (SMC 3.29.310.A.7.b)."""
    require(user, "chief_decision", case)
    on = _day("on", on)  # type: ignore[assignment]
    if named_employee.case_id != case.pk:
        raise ActionError("named_employee", "is not named in this case")
    decision = decision_of(case)
    if decision is None:
        raise ActionError("case", "the Chief's final decision is not recorded yet")
    if on < decision.decided_on:
        raise ActionError("on", f"falls before the Chief's decision of {decision.decided_on.isoformat()}")
    with transaction.atomic():
        case = _lock(case)
        ev = _clock(case, "discipline_determination_received", on, user, {"named_employee": named_employee.pk})
        _audit(user, "record_determination_received", case, named_employee=named_employee.pk)
    return ev


def _guard_text(case: Case, field: str, text: str) -> None:
    cleaned = documents.redact_for_case(case, text)
    if cleaned.redactions:
        found = "; ".join(f"{r.found!r} ({r.reason})" for r in cleaned.redactions)
        raise NamesSomeone(
            field,
            "the statement must not identify named employees or divulge personal information "
            f"about anyone involved [SMC 3.29.027.D]; it contains: {found}",
            cleaned.text,
        )


def issue_chief_statement(
    user: User, case: Case, *, reasons: str, on: dt.date, personal_circumstances: bool = False
) -> Statement:
    """The Chief's written statement of the material reasons for not following the Director's
    recommendations (SMC 3.29.027.B). Where the reason is personal, the statement says
    "personal circumstances" and nothing more; the words typed are not kept."""
    require(user, "chief_statement", case)
    on = _day("on", on)  # type: ignore[assignment]
    decision = decision_of(case)
    if decision is None:
        raise ActionError("case", "the Chief's final decision is not recorded yet")
    if decision.follows_recommendation:
        raise ActionError(
            "case", "the Chief followed the Director's recommendations: no statement is required [SMC 3.29.027.B]"
        )
    if on < decision.decided_on:
        raise ActionError("on", f"falls before the Chief's decision of {decision.decided_on.isoformat()}")
    reasons = "Personal circumstances." if personal_circumstances else _text("reasons", reasons)
    _guard_text(case, "reasons", reasons)
    with transaction.atomic():
        case = _lock(case)
        if Statement.objects.filter(case=case, kind="chief_reasons").exists():
            raise ActionError("case", "the Chief's statement of reasons was already issued")
        doc = documents.chief_statement(case, decision, reasons, on)
        st = _file_statement(
            user,
            case,
            on,
            kind="chief_reasons",
            clock_event="chief_statement_issued",
            reasons=reasons,
            document=doc,
            recipients=documents.CHIEF_STATEMENT_RECIPIENTS,
            personal_circumstances=personal_circumstances,
        )
        _audit(user, "issue_chief_statement", case, statement=st.pk)
    return st


def _file_statement(
    user: User,
    case: Case,
    on: dt.date,
    *,
    kind: str,
    clock_event: str,
    reasons: str,
    document: str,
    recipients: Any,
    **extra: Any,
) -> Statement:
    """Store a statement the law requires (SMC 3.29.027), tell the clock, and log it."""
    st = Statement.objects.create(
        case=case,
        kind=kind,
        issued_on=on,
        reasons=reasons,
        recipients=list(recipients),
        document=document,
        sha256=hashlib.sha256(document.encode()).hexdigest(),
        recorded_by=user,
        recorded_at=timezone.now(),
        **extra,
    )
    _clock(case, clock_event, on, user)
    _log(
        case,
        "statement_filed",
        on,
        user,
        {"statement": st.pk, "kind": st.kind, "sha256": st.sha256, "recipients": st.recipients},
    )
    return st


def issue_timeline_statement(user: User, case: Case, *, nature: str, reasons: str, on: dt.date) -> Statement:
    """The Director's statement of the nature of the allegations and why the time limit was
    exceeded, when no discipline can result (SMC 3.29.027.C), whatever was recommended."""
    require(user, "timeline_statement", case)
    on = _day("on", on)  # type: ignore[assignment]
    nature = _text("nature", nature)
    reasons = _text("reasons", reasons)
    tl = compute(parse_case(case.as_clock_input()), get_profile(profile_name()), on)
    if not any(f["id"] == "discipline_barred_timeline" for f in tl["flags"]):
        raise ActionError(
            "case",
            "the investigation met its time limit: no statement on an exceeded time limit is required [SMC 3.29.027.C]",
        )
    _guard_text(case, "nature", nature)
    _guard_text(case, "reasons", reasons)
    with transaction.atomic():
        case = _lock(case)
        if Statement.objects.filter(case=case, kind="timeline").exists():
            raise ActionError("case", "the statement on the exceeded time limit was already issued")
        doc = documents.timeline_statement(case, nature, reasons, on)
        st = _file_statement(
            user,
            case,
            on,
            kind="timeline",
            clock_event="timeline_statement_issued",
            reasons=f"{nature}\n\n{reasons}",
            document=doc,
            recipients=documents.TIMELINE_STATEMENT_RECIPIENTS,
        )
        _audit(user, "issue_timeline_statement", case, statement=st.pk)
    return st


def record_leave_without_pay(
    user: User, case: Case, *, named_employee: NamedEmployee, charge: str, charged_on: dt.date, leave_from: dt.date
) -> LeaveWithoutPay:
    """Leave without pay before the investigation ends, for an employee charged with a felony
    or gross misdemeanor (SMC 3.29.310.A.4)."""
    require(user, "leave_without_pay", case)
    if charge not in ("felony", "gross_misdemeanor"):
        raise ActionError(
            "charge", "leave without pay applies to a felony or gross misdemeanor charge [SMC 3.29.310.A.4]"
        )
    charged_on = _day("charged_on", charged_on)  # type: ignore[assignment]
    leave_from = _day("leave_from", leave_from)  # type: ignore[assignment]
    if named_employee.case_id != case.pk:
        raise ActionError("named_employee", "is not named in this case")
    if leave_from < charged_on:
        raise ActionError("leave_from", "falls before the charge")
    with transaction.atomic():
        case = _lock(case)
        rec = recommendation_of(case)
        if rec is not None and rec.issued_on <= leave_from:
            raise ActionError(
                "leave_from", "leave without pay is placed before the OPA investigation is complete [SMC 3.29.310.A.4]"
            )
        lwp = LeaveWithoutPay.objects.create(
            case=case,
            named_employee=named_employee,
            charge=charge,
            charged_on=charged_on,
            leave_from=leave_from,
            recorded_by=user,
            recorded_at=timezone.now(),
        )
        _log(case, "leave_without_pay", leave_from, user, {"named_employee": named_employee.pk, "charge": charge})
        _audit(user, "record_leave_without_pay", case, leave=lwp.pk)
    return lwp


# --------------------------------------------------------------------------
# Appeals
# --------------------------------------------------------------------------


def file_appeal(
    user: User,
    case: Case,
    *,
    named_employee: NamedEmployee,
    appellant: str,
    forum: str,
    nature: str,
    notice_filed_on: dt.date,
) -> Appeal:
    """An appeal: the employee's written notice of intent to appeal to the PSCSC or its hearing
    examiner, within the days SMC 3.29.310.A.7.b gives from the final determination; or the
    union's challenge through the City Hearing Examiner (SMC 3.29.310.A.8), for which the
    chapter sets no time: it is not judged by, and does not answer, the employee's notice."""
    require(user, "appeal", case)
    notice_filed_on = _day("notice_filed_on", notice_filed_on)  # type: ignore[assignment]
    nature = _text("nature", nature)
    if appellant not in FORUMS_FOR:
        raise ActionError("appellant", "is the named employee ('employee') or the union ('union')")
    if forum not in FORUMS_FOR[appellant]:
        cite = "SMC 3.29.310.A.7.a" if appellant == "employee" else "SMC 3.29.310.A.8"
        allowed = " or ".join(FORUM_LABELS[f] for f in FORUMS_FOR[appellant])
        raise ActionError(
            "forum",
            f"an appeal brought by the {'employee' if appellant == 'employee' else 'union'} "
            f"is heard by the {allowed} [{cite}]",
        )
    if named_employee.case_id != case.pk:
        raise ActionError("named_employee", "is not named in this case")
    by_employee = appellant == "employee"
    received = case.events.filter(type="discipline_determination_received").order_by("date").first()
    late = False
    if by_employee:
        if received is None:
            raise ActionError(
                "case",
                "record the day the employee received the Chief's final determination first [SMC 3.29.310.A.7.b]",
            )
        if notice_filed_on < received.date:
            raise ActionError(
                "notice_filed_on", f"falls before the determination was received on {received.date.isoformat()}"
            )
        days = _rules(case, notice_filed_on).deadlines["appeal_notice"].days
        late = (notice_filed_on - received.date).days > days
    else:
        decided = case.events.filter(type="chief_decision").order_by("date").first()
        if decided is not None and notice_filed_on < decided.date:
            raise ActionError("notice_filed_on", f"falls before the Chief's decision of {decided.date.isoformat()}")
    with transaction.atomic():
        case = _lock(case)
        appeal = Appeal.objects.create(
            case=case,
            named_employee=named_employee,
            appellant=appellant,
            forum=forum,
            nature=nature,
            notice_filed_on=notice_filed_on,
            recorded_by=user,
        )
        if by_employee:  # the employee's notice answers the clock's appeal_notice (SMC 3.29.310.A.7.b)
            _clock(case, "appeal_notice_filed", notice_filed_on, user)
        _log(
            case,
            "appeal_filed",
            notice_filed_on,
            user,
            {
                "appeal": appeal.pk,
                "forum": forum,
                "appellant": appellant,
                "late": late,
                "notified": ["Chief of Police", "City Attorney", "PSCSC" if by_employee else "City Hearing Examiner"],
            },
        )
        _audit(user, "file_appeal", case, appeal=appeal.pk, late=late)
    return appeal


def schedule_hearing(user: User, appeal: Appeal, *, hearing_on: dt.date) -> Appeal:
    require(user, "appeal", appeal.case)
    if not isinstance(hearing_on, dt.date):
        raise ActionError("hearing_on", "is required (a date YYYY-MM-DD)")
    if hearing_on < appeal.notice_filed_on:
        raise ActionError("hearing_on", "falls before the notice of appeal")
    with transaction.atomic():
        case = _lock(appeal.case)
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if appeal.closed_on is not None:
            raise ActionError("appeal", f"was closed on {appeal.closed_on.isoformat()}")
        appeal.hearing_on = hearing_on
        appeal.save(update_fields=["hearing_on"])
        _log(
            case,
            "appeal_hearing_set",
            min(hearing_on, timezone.localdate()),
            user,
            {"appeal": appeal.pk, "hearing_on": hearing_on.isoformat(), "open_to_public": True},
        )
        _audit(user, "schedule_hearing", case, appeal=appeal.pk)
    return appeal


def _apply_changes(
    user: User,
    appeal: Appeal,
    on: dt.date,
    findings: Mapping[int, str],
    discipline: tuple[str, int | None] | None,
) -> list[tuple[str, str, str]]:
    """New findings and discipline from an appeal or settlement; returns (what, before, after)."""
    case = appeal.case
    rules = _rules(case, on)
    allowed = rules.taxonomies["findings"].value
    state = current_findings(case)
    own = {a.pk: a for a in case.allegations.filter(named_employee=appeal.named_employee)}
    changes: list[tuple[str, str, str]] = []
    now = timezone.now()
    new_findings = []
    for pk, value in findings.items():
        if pk not in own:
            raise ActionError("findings", f"allegation {pk} is not against the appealing employee")
        if value not in allowed:
            raise ActionError(f"findings[{pk}]", f"{value!r} is not a finding: one of {', '.join(allowed)}")
        before = final_finding(state.get(pk, {}))
        if before is not None and before.finding == value:
            continue
        new_findings.append((pk, value, before))
    current = current_discipline(case).get(appeal.named_employee_id)
    new_disc = None
    if discipline is not None:
        kind, days = discipline
        if kind not in DISCIPLINE_LABELS:
            raise ActionError("discipline", f"{kind!r} is not a kind of discipline")
        if kind == "suspension" and (not isinstance(days, int) or days < 1):
            raise ActionError("discipline", "an unpaid suspension needs its number of days (1 or more)")
        days = days if kind == "suspension" else None
        if current is None or (current.kind, current.suspension_days) != (kind, days):
            new_disc = (kind, days)
    for pk, value, before in new_findings:
        f = Finding.objects.create(
            case=case,
            allegation_id=pk,
            named_employee=appeal.named_employee,
            stage="appeal",
            finding=value,
            decided_on=on,
            appeal=appeal,
            recorded_by=user,
            recorded_at=now,
        )
        changes.append(
            (f"Allegation {documents.allegation_label(own[pk])}", before.label if before else "none", f.label)
        )
    if new_disc is not None:
        d = Discipline.objects.create(
            case=case,
            named_employee=appeal.named_employee,
            kind=new_disc[0],
            suspension_days=new_disc[1],
            imposed_on=on,
            effective_on=on,
            appeal=appeal,
            supersedes=current,
            recorded_by=user,
            recorded_at=now,
        )
        changes.append(("Discipline", current.label if current else "none", d.label))
    return changes


def _notify_complainant(user: User, appeal: Appeal, on: dt.date, changes: list[tuple[str, str, str]]) -> None:
    doc = documents.complainant_notice(appeal, on, changes)
    n = ComplainantNotice.objects.create(
        case=appeal.case,
        appeal=appeal,
        produced_on=on,
        document=doc,
        sha256=hashlib.sha256(doc.encode()).hexdigest(),
        recorded_at=timezone.now(),
    )
    _log(appeal.case, "complainant_notified_of_appeal", on, user, {"notice": n.pk, "sha256": n.sha256})


def record_ruling(
    user: User,
    appeal: Appeal,
    *,
    ruling_on: dt.date,
    outcome: str,
    findings: Mapping[int, str] | None = None,
    discipline: tuple[str, int | None] | None = None,
    modification: str = "",
) -> Appeal:
    """The ruling, and any finding or discipline it changes: recorded as new records beside the
    old (SMC 3.29.320.E); when anything changes, the notice to the complainant and the public
    is produced (SMC 3.29.030.G)."""
    require(user, "appeal", appeal.case)
    ruling_on = _day("ruling_on", ruling_on)  # type: ignore[assignment]
    if outcome not in ("upheld", "modified", "reversed", "withdrawn"):
        raise ActionError(
            "outcome", "is one of upheld, modified, reversed, withdrawn (a settlement is recorded as a settlement)"
        )
    with transaction.atomic():
        case = _lock(appeal.case)
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if appeal.closed_on is not None:
            raise ActionError("appeal", f"was closed on {appeal.closed_on.isoformat()}")
        if outcome != "withdrawn":
            if appeal.hearing_on is None:
                raise ActionError("ruling_on", "no hearing is recorded for this appeal")
            if ruling_on < appeal.hearing_on:
                raise ActionError("ruling_on", f"falls before the hearing of {appeal.hearing_on.isoformat()}")
        elif ruling_on < appeal.notice_filed_on:
            raise ActionError("ruling_on", "falls before the notice of appeal")
        changes = _apply_changes(user, appeal, ruling_on, findings or {}, discipline)
        if outcome in ("modified", "reversed") and not changes:
            raise ActionError("outcome", f"{OUTCOME_LABELS[outcome]}: say which finding or discipline changed")
        if outcome in ("upheld", "withdrawn") and changes:
            raise ActionError("outcome", f"{OUTCOME_LABELS[outcome]} leaves findings and discipline as they were")
        appeal.ruling_on = ruling_on
        appeal.outcome = outcome
        appeal.modification = modification.strip() or "; ".join(f"{w}: {b} → {a}" for w, b, a in changes)
        appeal.closed_on = ruling_on
        appeal.save(update_fields=["ruling_on", "outcome", "modification", "closed_on"])
        _log(
            case,
            "appeal_ruling",
            ruling_on,
            user,
            {"appeal": appeal.pk, "outcome": outcome, "changes": [list(c) for c in changes]},
        )
        if changes:
            _notify_complainant(user, appeal, ruling_on, changes)
        _audit(user, "record_ruling", case, appeal=appeal.pk, outcome=outcome)
    return appeal


def record_settlement(
    user: User,
    appeal: Appeal,
    *,
    terms: str,
    settled_on: dt.date,
    findings: Mapping[int, str] | None = None,
    discipline: tuple[str, int | None] | None = None,
) -> Settlement:
    """A settlement, approved by the City Attorney's Office (SMC 3.29.310.A.11): the record names who approved."""
    require(user, "settle", appeal.case)
    terms = _text("terms", terms)
    settled_on = _day("settled_on", settled_on)  # type: ignore[assignment]
    if settled_on < appeal.notice_filed_on:
        raise ActionError("settled_on", "falls before the notice of appeal")
    with transaction.atomic():
        case = _lock(appeal.case)
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if appeal.closed_on is not None:
            raise ActionError("appeal", f"was closed on {appeal.closed_on.isoformat()}")
        changes = _apply_changes(user, appeal, settled_on, findings or {}, discipline)
        s = Settlement.objects.create(
            appeal=appeal, terms=terms, settled_on=settled_on, approved_by=user, approved_at=timezone.now()
        )
        appeal.outcome = "settled"
        appeal.ruling_on = settled_on
        appeal.closed_on = settled_on
        appeal.modification = "; ".join(f"{w}: {b} → {a}" for w, b, a in changes)
        appeal.save(update_fields=["outcome", "ruling_on", "closed_on", "modification"])
        _log(
            case,
            "appeal_settled",
            settled_on,
            user,
            {"appeal": appeal.pk, "approved_by": user.get_username(), "changes": [list(c) for c in changes]},
        )
        if changes:
            _notify_complainant(user, appeal, settled_on, changes)
        _audit(user, "record_settlement", case, appeal=appeal.pk, settlement=s.pk)
    return s


# --------------------------------------------------------------------------
# Separation for cause
# --------------------------------------------------------------------------


def record_separation(
    user: User, case: Case, *, named_employee: NamedEmployee, kind: str, separated_on: dt.date
) -> Separation:
    """A sworn employee resigned in lieu of termination, or left with a pending complaint without
    participating (a termination is recorded with the Chief's decision)."""
    require(user, "separation", case)
    if kind not in dict(SEPARATIONS):
        raise ActionError("kind", f"{kind!r} is not one of {', '.join(dict(SEPARATIONS))}")
    separated_on = _day("separated_on", separated_on)  # type: ignore[assignment]
    if named_employee.case_id != case.pk:
        raise ActionError("named_employee", "is not named in this case")
    with transaction.atomic():
        case = _lock(case)
        if Separation.objects.filter(case=case, named_employee=named_employee).exists():
            raise ActionError("named_employee", "a separation is already recorded for this employee in this case")
        sep = Separation.objects.create(
            case=case, named_employee=named_employee, kind=kind, separated_on=separated_on, recorded_by=user
        )
        _log(case, "separation_recorded", separated_on, user, {"separation": sep.pk, "kind": kind})
        _audit(user, "record_separation", case, separation=sep.pk)
    return sep


SEPARATION_STEPS = {
    "wscjtc_letter": (
        "wscjtc_letter_on",
        "wscjtc_letter",
        "the facts and circumstances of the separation and the evidentiary basis of the decision [SMC 3.29.310.A.13]",
    ),
    "wscjtc_response": ("wscjtc_response_on", "wscjtc_response", "whether the WSCJTC took action [SMC 3.29.320.F]"),
    "no_special_commission": ("no_special_commission_on", None, ""),
    "no_concealed_carry": ("no_concealed_carry_on", None, ""),
}


def record_separation_step(user: User, sep: Separation, *, step: str, on: dt.date, text: str = "") -> Separation:
    """One of the four things SMC 3.29.320.F requires on file: the letter to the WSCJTC, its
    response, and the Chief's two refusals (Special Commission; concealed carry under LEOSA)."""
    require(user, "separation", sep.case)
    if step not in SEPARATION_STEPS:
        raise ActionError("step", f"{step!r} is not one of {', '.join(SEPARATION_STEPS)}")
    date_field, text_field, what = SEPARATION_STEPS[step]
    on = _day("on", on)  # type: ignore[assignment]
    if text_field is not None and not text.strip():
        raise ActionError("text", f"is required: {what}")
    if step in ("wscjtc_letter", "wscjtc_response") and sep.kind == "left_pending_complaint":
        raise ActionError("step", "the WSCJTC letter applies to a termination or a resignation in lieu of one")
    with transaction.atomic():
        case = _lock(sep.case)
        sep = Separation.objects.select_for_update().get(pk=sep.pk)
        if getattr(sep, date_field) is not None:
            raise ActionError("step", f"already recorded on {getattr(sep, date_field).isoformat()}")
        if step == "wscjtc_response" and (sep.wscjtc_letter_on is None or on < sep.wscjtc_letter_on):
            raise ActionError("on", "the WSCJTC's response follows the letter: record the letter first")
        setattr(sep, date_field, on)
        fields = [date_field]
        if text_field is not None:
            setattr(sep, text_field, text.strip())
            fields.append(text_field)
        sep.save(update_fields=fields)
        _log(case, "separation_documented", on, user, {"separation": sep.pk, "step": step})
        _audit(user, "record_separation_step", case, separation=sep.pk, step=step)
    return sep


# --------------------------------------------------------------------------
# Who reads
# --------------------------------------------------------------------------


def grant_access(user: User, case: Case, *, grantee: Any, named_employee: NamedEmployee, role: str) -> CaseAccess:
    """Let a named employee, or their union representative, read this case's notices and determinations."""
    require(user, "grant_access", case)
    if role not in R.OWN_CASE_ROLES:
        raise ActionError("role", "is 'named_employee' or 'union'")
    if role not in user_roles(grantee):
        raise ActionError("grantee", f"{grantee.get_username()} does not hold the role {R.role_label(role)}")
    if named_employee.case_id != case.pk:
        raise ActionError("named_employee", "is not named in this case")
    with transaction.atomic():
        case = _lock(case)
        access, created = CaseAccess.objects.get_or_create(
            user=grantee,
            case=case,
            named_employee=named_employee,
            defaults={"role": role, "granted_by": user, "granted_at": timezone.now()},
        )
        if not created:
            raise ActionError("grantee", "already reads this case")
        _log(case, "access_granted", timezone.localdate(), user, {"user": grantee.get_username(), "role": role})
        _audit(user, "grant_access", case, grantee=grantee.pk, role=role)
    return access
