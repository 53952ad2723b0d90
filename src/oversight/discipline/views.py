"""Thin views: parse the form, call the action, render. They never write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from oversight import access
from oversight.cases.clock import deadline_label, timeline
from oversight.cases.models import Case
from oversight.cases.page import render_case
from oversight.home.registry import Failed
from oversight.rules import access as R

from . import actions
from . import forms as F
from .documents import allegation_label, employee_role, finding_label
from .models import (
    Appeal,
    ChiefDecision,
    ComplainantNotice,
    Discipline,
    Finding,
    ManagementAction,
    Separation,
    Statement,
)
from .reports import REPORTS, ReportError


def _case(number: str) -> Case:
    return get_object_or_404(Case, number=number)


def _rules_findings(case: Case) -> list[str]:
    return list(actions._rules(case, timezone.localdate()).taxonomies["findings"].value)


# name -> (form class, permission, handler(request, case, form) -> message)
Handler = Callable[[HttpRequest, Case, Any], str]


def _recommend(request: HttpRequest, case: Case, f: F.RecommendForm) -> str:
    d = f.cleaned_data
    actions.recommend_findings(
        request.user,
        case,
        on=d["on"],
        findings=f.findings(),
        analysis=d["analysis"],
        meet_complainant=d["meet_complainant"],
        meet_complainant_reason=d["meet_complainant_reason"],
    )
    return "Recommended findings recorded and conveyed to the Chief of Police."


def _management_action(request: HttpRequest, case: Case, f: Any) -> str:
    actions.issue_management_action(request.user, case, letter=f.cleaned_data["letter"], on=f.cleaned_data["on"])
    return "Management Action issued, posted, and copied to OIG and CPC."


def _spd_response(request: HttpRequest, case: Case, f: Any) -> str:
    d = f.cleaned_data
    ma = get_object_or_404(ManagementAction, pk=d["management_action"], case=case)
    actions.record_spd_response(request.user, ma, response=d["response"], on=d["on"], status=d["status"])
    return "SPD's response recorded."


def _training(request: HttpRequest, case: Case, f: Any) -> str:
    d = f.cleaned_data
    finding = get_object_or_404(Finding, pk=d["finding"], case=case)
    actions.record_training_report(
        request.user, finding, reported_by_name=d["reported_by_name"], training_given=d["training_given"], on=d["on"]
    )
    return "Training report recorded."


def _decide(request: HttpRequest, case: Case, f: F.ChiefDecisionForm) -> str:
    d = f.cleaned_data
    decision = actions.record_chief_decision(
        request.user,
        case,
        decided_on=d["decided_on"],
        due_process_hearing_on=d["due_process_hearing_on"],
        findings=f.findings(),
        discipline=f.discipline(),
        material_dishonesty=f.dishonest(),
        supplemental_meeting_on=d["supplemental_meeting_on"],
        inspector_general_present=d["inspector_general_present"],
        complainant_meeting_on=d["complainant_meeting_on"],
        dishonesty_reasons=d["dishonesty_reasons"],
    )
    if decision.follows_recommendation:
        return "The Chief's decision is recorded; it follows the Director's recommendations."
    return (
        "The Chief's decision is recorded; it departs from the Director's recommendations: the written statement "
        "of material reasons is due (SMC 3.29.027.B)."
    )


def _more_investigation(request: HttpRequest, case: Case, f: Any) -> str:
    d = f.cleaned_data
    actions.request_additional_investigation(request.user, case, on=d["on"], reason=d["reason"])
    return (
        "The case returns to OPA for the additional investigation, then to OIG for re-certification (SMC 3.29.112.E)."
    )


def _determination(request: HttpRequest, case: Case, f: Any) -> str:
    emp = get_object_or_404(case.named_employees, pk=f.cleaned_data["named_employee"])
    actions.record_determination_received(request.user, case, named_employee=emp, on=f.cleaned_data["on"])
    return "Receipt of the final determination recorded: the notice of intent to appeal is due within the period set."


def _chief_statement(request: HttpRequest, case: Case, f: Any) -> str:
    d = f.cleaned_data
    reasons = request.POST.get("suggested_reasons", "") if "use_suggestion" in request.POST else d["reasons"]
    actions.issue_chief_statement(
        request.user, case, reasons=reasons, on=d["on"], personal_circumstances=d["personal_circumstances"]
    )
    return "The Chief's statement of reasons is issued and filed."


def _timeline_statement(request: HttpRequest, case: Case, f: Any) -> str:
    d = f.cleaned_data
    actions.issue_timeline_statement(request.user, case, nature=d["nature"], reasons=d["reasons"], on=d["on"])
    return "The statement on the exceeded time limit is issued and filed."


def _leave(request: HttpRequest, case: Case, f: Any) -> str:
    d = f.cleaned_data
    emp = get_object_or_404(case.named_employees, pk=d["named_employee"])
    actions.record_leave_without_pay(
        request.user,
        case,
        named_employee=emp,
        charge=d["charge"],
        charged_on=d["charged_on"],
        leave_from=d["leave_from"],
    )
    return "Leave without pay recorded."


def _appeal(request: HttpRequest, case: Case, f: Any) -> str:
    d = f.cleaned_data
    emp = get_object_or_404(case.named_employees, pk=d["named_employee"])
    actions.file_appeal(
        request.user,
        case,
        named_employee=emp,
        appellant=d["appellant"],
        forum=d["forum"],
        nature=d["nature"],
        notice_filed_on=d["notice_filed_on"],
    )
    return "Appeal recorded."


def _hearing(request: HttpRequest, case: Case, f: Any) -> str:
    ap = get_object_or_404(Appeal, pk=f.cleaned_data["appeal"], case=case)
    actions.schedule_hearing(request.user, ap, hearing_on=f.cleaned_data["hearing_on"])
    return "Hearing date recorded."


def _ruling(request: HttpRequest, case: Case, f: Any) -> str:
    d = f.cleaned_data
    ap = get_object_or_404(Appeal, pk=d["appeal"], case=case)
    actions.record_ruling(
        request.user,
        ap,
        ruling_on=d["ruling_on"],
        outcome=d["outcome"],
        findings=f.findings("newfinding_"),
        discipline=f.discipline(),
        modification=d["modification"],
    )
    if ap.notices.exists():
        return "Ruling recorded; the notice to the complainant and the public is produced."
    return "Ruling recorded."


def _settle(request: HttpRequest, case: Case, f: Any) -> str:
    d = f.cleaned_data
    ap = get_object_or_404(Appeal, pk=d["appeal"], case=case)
    actions.record_settlement(
        request.user,
        ap,
        terms=d["terms"],
        settled_on=d["settled_on"],
        findings=f.findings("newfinding_"),
        discipline=f.discipline(),
    )
    return f"Settlement recorded, approved by {request.user.get_username()}."


def _separation(request: HttpRequest, case: Case, f: Any) -> str:
    d = f.cleaned_data
    emp = get_object_or_404(case.named_employees, pk=d["named_employee"])
    actions.record_separation(request.user, case, named_employee=emp, kind=d["kind"], separated_on=d["separated_on"])
    return "Separation recorded; the WSCJTC documentation is now required before the case closes."


def _separation_step(request: HttpRequest, case: Case, f: Any) -> str:
    d = f.cleaned_data
    sep = get_object_or_404(Separation, pk=d["separation"], case=case)
    actions.record_separation_step(request.user, sep, step=d["step"], on=d["on"], text=d["text"])
    return "Recorded."


def _grant(request: HttpRequest, case: Case, f: Any) -> str:
    d = f.cleaned_data
    emp = get_object_or_404(case.named_employees, pk=d["named_employee"])
    grantee = get_user_model().objects.filter(username=d["username"]).first()
    if grantee is None:
        raise actions.ActionError("username", f"no user {d['username']!r}")
    actions.grant_access(request.user, case, grantee=grantee, named_employee=emp, role=d["role"])
    return f"{grantee.get_username()} may now read this case's notices and determinations."


ACTIONS: dict[str, tuple[type[F._CaseForm], str, str, Handler]] = {
    # name: (form, permission, heading, handler)
    "recommend": (F.RecommendForm, "recommend_findings", "Recommended findings", _recommend),
    "management_action": (F.ManagementActionForm, "management_action", "Management Action", _management_action),
    "spd_response": (F.SPDResponseForm, "management_action", "SPD's response to a Management Action", _spd_response),
    "training": (F.TrainingReportForm, "training_report", "Training Referral: training given", _training),
    "decide": (F.ChiefDecisionForm, "chief_decision", "The Chief's final findings and discipline", _decide),
    "determination": (
        F.DeterminationForm,
        "chief_decision",
        "Final determination received by the employee",
        _determination,
    ),
    "more_investigation": (
        F.AdditionalInvestigationForm,
        "request_investigation",
        "Additional investigation after the due process hearing",
        _more_investigation,
    ),
    "chief_statement": (
        F.ChiefStatementForm,
        "chief_statement",
        "The Chief's statement of material reasons",
        _chief_statement,
    ),
    "timeline_statement": (
        F.TimelineStatementForm,
        "timeline_statement",
        "Statement: time limit exceeded",
        _timeline_statement,
    ),
    "leave": (F.LeaveForm, "leave_without_pay", "Leave without pay (felony or gross misdemeanor charge)", _leave),
    "appeal": (F.AppealForm, "appeal", "Notice of intent to appeal", _appeal),
    "hearing": (F.HearingForm, "appeal", "Appeal hearing", _hearing),
    "ruling": (F.RulingForm, "appeal", "Appeal ruling", _ruling),
    "settle": (F.SettlementForm, "settle", "Settlement (City Attorney's approval)", _settle),
    "separation": (
        F.SeparationForm,
        "separation",
        "Resignation in lieu of termination, or leaving with a complaint pending",
        _separation,
    ),
    "separation_step": (
        F.SeparationStepForm,
        "separation",
        "Separation for cause: WSCJTC documentation",
        _separation_step,
    ),
    "grant": (F.GrantForm, "grant_access", "Access for a named employee or union representative", _grant),
}


def _record(case: Case) -> dict[str, Any]:
    today = timezone.localdate()
    state = actions.current_findings(case)
    rows = []
    for a in case.allegations.select_related("named_employee").order_by("pk"):
        st = state.get(a.pk, {})
        rows.append(
            {
                "who": employee_role(case, a.named_employee_id),
                "employee": a.named_employee,
                "allegation": allegation_label(a),
                "recommended": st.get("recommended"),
                "chief": st.get("chief"),
                "appeal": st.get("appeal"),
                "named_employee_id": a.named_employee_id,
            }
        )
    tl = timeline(case, today)
    from oversight.oig.review import findings_gate

    again = actions.recommending_again(case)
    first = not case.events.filter(type="proposed_findings_issued").exists()
    gate = findings_gate(case, today) if first or again else None
    deadlines = [
        dict(d, label=deadline_label(d["id"]))
        for d in tl["deadlines"]
        if d["id"] in ("chief_statement", "timeline_statement", "appeal_notice", "investigation")
    ]
    return {
        "case": case,
        "today": today,
        "findings": rows,
        "recommendation": actions.recommendation_of(case),
        "decision": actions.decision_of(case),
        "discipline": list(Discipline.objects.filter(case=case).select_related("named_employee", "supersedes")),
        "management_actions": list(ManagementAction.objects.filter(case=case).order_by("pk")),
        "statements": list(Statement.objects.filter(case=case).order_by("pk")),
        "appeals": list(Appeal.objects.filter(case=case).select_related("named_employee").order_by("pk")),
        "notices": list(ComplainantNotice.objects.filter(case=case).order_by("pk")),
        "separations": list(Separation.objects.filter(case=case).select_related("named_employee")),
        "leaves": list(case.leaves_without_pay.select_related("named_employee")),
        "deadlines": deadlines,
        "flags": tl["flags"],
        "findings_allowed": gate is None or gate.allowed,
        "gate": gate,
        "again": again,
    }


def _applicable(name: str, record: dict[str, Any]) -> bool:
    """Whether the step can be taken now (a form the case is not ready for is left out)."""
    decision = record["decision"]
    kinds = {s.kind for s in record["statements"]}
    open_appeals = any(a.closed_on is None for a in record["appeals"])
    return {
        "recommend": (record["recommendation"] is None or record["again"]) and record["findings_allowed"],
        "more_investigation": record["recommendation"] is not None and decision is None and not record["again"],
        "management_action": record["recommendation"] is not None,
        "spd_response": bool(record["management_actions"]),
        "decide": record["recommendation"] is not None and decision is None and not record["again"],
        "determination": decision is not None,
        "chief_statement": decision is not None
        and not decision.follows_recommendation
        and "chief_reasons" not in kinds,
        "timeline_statement": any(f["id"] == "discipline_barred_timeline" for f in record["flags"])
        and "timeline" not in kinds,
        "appeal": decision is not None,
        "hearing": open_appeals,
        "ruling": open_appeals,
        "settle": open_appeals,
        "separation_step": any(s.missing() for s in record["separations"]),
    }.get(name, True)


def _forms(may: Any, case: Case, record: dict[str, Any], bound: tuple[str, Any] | None = None) -> list[dict[str, Any]]:
    """The forms this person may use on this case now: permitted by the access model on
    this case (``may``: a Reader's permissions), and applicable at the case's stage."""
    findings = _rules_findings(case)
    today = timezone.localdate()
    out = []
    for name, (cls, perm, heading, _) in ACTIONS.items():
        if not may[perm]:
            continue
        if bound is not None and bound[0] == name:
            form = bound[1]
        elif not _applicable(name, record):
            continue
        else:
            initial = {k: today for k in ("on", "decided_on", "notice_filed_on", "ruling_on", "settled_on")}
            form = cls(case, findings, initial=initial)
            if name == "training" and not form.fields["finding"].choices:
                continue
        out.append({"name": name, "heading": heading, "form": form, "suggestion": getattr(form, "suggestion", None)})
    return out


@login_required
def case_view(request: HttpRequest, number: str) -> HttpResponse:
    """Staff read findings and discipline in their section of the one case page; a named
    employee or their union reads their own case's notices and determinations here."""
    case = _case(number)
    if access.roles_of(request.user) & R.STAFF:
        access.require_read(request.user, case, R.DISCIPLINE)
        return redirect(reverse("cases:detail", args=[case.number]) + "#findings")
    return _own_case(request, case)


def _own_case(request: HttpRequest, case: Case) -> HttpResponse:
    """A named employee or their union: this case's notices and determinations for their employee only,
    never a complainant's identity."""
    grants = actions.access_of(request.user, case)
    if not grants:
        access.require_read(request.user, case, R.DISCIPLINE)
    emp_ids = {g.named_employee_id for g in grants}
    record = _record(case)
    reader = access.Reader(request.user, case)
    notices = [e for e in case.events.filter(type="notice_sent").order_by("seq")]
    for n in notices:  # the notice as sent, with the people this reader does not read shown by role
        n.document_shown = reader.redact(n.data.get("document", ""))
    appeals = [a for a in record["appeals"] if a.named_employee_id in emp_ids]
    for a in appeals:
        a.modification_shown = reader.redact(a.modification)
    return render(
        request,
        "discipline/own.html",
        {
            "case": case,
            "employees": [g.named_employee for g in grants],
            "findings": [r for r in record["findings"] if r["named_employee_id"] in emp_ids],
            "decision": record["decision"],
            "discipline": [d for d in record["discipline"] if d.named_employee_id in emp_ids],
            "statements": record["statements"],
            "appeals": appeals,
            "notices": notices,
            "deadlines": [d for d in record["deadlines"] if d["id"] == "appeal_notice"],
        },
    )


@login_required
@require_POST
def case_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    case = _case(number)
    if action not in ACTIONS:
        raise Http404("no such action")
    cls, perm, heading, handler = ACTIONS[action]
    access.require(request.user, perm, case)
    form = cls(case, _rules_findings(case), request.POST)
    status = 400
    if form.is_valid():
        try:
            message = handler(request, case, form)
        except actions.NamesSomeone as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
            form.suggestion = e.suggestion  # type: ignore[attr-defined]
        except actions.ActionError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        except PermissionDenied as e:
            form.add_error(None, str(e) or "Refused.")
            status = 403
        else:
            messages.success(request, message)
            return redirect(reverse("cases:detail", args=[case.number]) + "#findings")
    errors = "; ".join(f"{'' if k == '__all__' else k + ': '}{' '.join(v)}" for k, v in form.errors.items())
    return render_case(
        request,
        case,
        failed=Failed(action, f"{heading}: not recorded. {errors}".strip(), form, request.POST),
        status=status,
    )


@login_required
def statement_view(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """A statement SMC 3.29.027 requires: it names no one (3.29.027.D)."""
    case = _case(number)
    access.require_read(request.user, case, R.DISCIPLINE)
    st = get_object_or_404(Statement, pk=pk, case=case)
    return HttpResponse(st.document, content_type="text/plain; charset=utf-8")


@login_required
def notice_view(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """The notice to the complainant and the public after an appeal (public by nature; no one is named)."""
    case = _case(number)
    access.require_read(request.user, case, R.DISCIPLINE)
    n = get_object_or_404(ComplainantNotice, pk=pk, case=case)
    return HttpResponse(n.document, content_type="text/plain; charset=utf-8")


def _report_args(request: HttpRequest) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
        month = int(request.GET.get("month") or 6)
    except ValueError:
        raise ReportError("year, month: whole numbers, e.g. year=2026&month=6") from None
    return year, month


@login_required
def report_view(request: HttpRequest, kind: str) -> HttpResponse:
    """A status report as a document (HTML), or as CSV with ?format=csv."""
    if kind not in REPORTS:
        raise Http404("no such report")
    perm = "appeals_report" if kind == "appeals" else "criminal_report"
    access.require(request.user, perm)
    try:
        year, month = _report_args(request)
        report = REPORTS[kind](year, month)
    except ReportError as e:
        return render(request, "discipline/report.html", {"error": str(e), "kind": kind}, status=400)
    if request.GET.get("format") == "csv":
        resp = HttpResponse(report.csv(), content_type="text/csv; charset=utf-8")
        resp["Content-Disposition"] = f'attachment; filename="{kind}-status-{year}-{month:02d}.csv"'
        return resp
    return render(
        request,
        "discipline/report.html",
        {"report": report, "kind": kind, "year": year, "month": month, "generated": dt.date.today()},
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    roles = access.roles_of(request.user)
    readers = frozenset(r for r, g in R.READS[R.DISCIPLINE].items() if r not in R.OWN_CASE_ROLES)
    if not roles & (readers | R.OWN_CASE_ROLES):
        raise access.Refused(
            "Findings, discipline and appeals are read by OPA's supervisors and Director, OIG, the Chief, "
            "the City Attorney, CPC once a case is closed, and the case's own named employees.",
            what="to open findings, discipline and appeals",
        )
    decided: Any = []
    open_appeals: Any = []
    own: list[str] = []
    if roles & readers:
        readable = access.cases_q(request.user, R.DISCIPLINE)
        decided = (
            ChiefDecision.objects.filter(case__in=Case.objects.filter(readable))
            .select_related("case")
            .order_by("-decided_on")[:50]
        )
        open_appeals = (
            Appeal.objects.filter(closed_on__isnull=True, case__in=Case.objects.filter(readable))
            .select_related("case")
            .order_by("notice_filed_on")
        )
    if roles & R.OWN_CASE_ROLES:
        own = sorted({g.case.number for g in request.user.discipline_access.select_related("case")})
    return render(
        request,
        "discipline/index.html",
        {
            "decided": decided,
            "open_appeals": open_appeals,
            "own": own,
            "may_appeals_report": access.may(request.user, "appeals_report"),
            "may_criminal_report": access.may(request.user, "criminal_report"),
            "year": timezone.localdate().year,
        },
    )


__all__ = ["case_view", "case_action", "statement_view", "notice_view", "report_view", "index", "finding_label"]
