"""Thin views: parse the form, call the action, render. They never write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from oversight.rules import classification as rc
from oversight.rules import roles as R
from oversight.rules.events import CaseError

from . import actions
from . import forms as F
from .clock import (
    DEADLINE_LABELS,
    RISK,
    RISK_NAMES,
    STAGES,
    board_queryset,
    board_rows,
    deadline_label,
    next_deadline,
    rules_for,
    timeline,
)
from .models import Case, NamedEmployee, Subpoena, SupervisorActionReferral

PAGE_SIZE = 100


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


@login_required
def board_view(request: HttpRequest) -> HttpResponse:
    """Every open case with its next deadline, the ones at risk first; filters in the query string."""
    roles = actions.user_roles(request.user)
    if not roles & R.OPA_STAFF:
        raise PermissionDenied("The deadline board shows open cases: OPA staff only [SMC 3.29.215.A.16].")
    today = timezone.localdate()
    q = request.GET
    filters = {
        "investigator": _int(q.get("investigator")),
        "stage": q.get("stage") or None,
        "deadline": q.get("deadline") or None,
        "status": q.get("status") or None,
        "within": _int(q.get("within")),
    }
    qs = board_queryset(today, **filters)
    counts = {s: 0 for s in RISK}
    for risk, n in qs.order_by().values_list("board_risk").annotate(n=Count("pk")):
        counts[RISK_NAMES[risk]] = n
    page = Paginator(qs, PAGE_SIZE).get_page(q.get("page"))
    rows = board_rows(page.object_list, today)
    User = get_user_model()
    investigators = User.objects.filter(groups__name__in=[R.INVESTIGATOR, R.SUPERVISOR]).distinct().order_by("username")
    params = q.copy()
    params.pop("page", None)
    return render(
        request,
        "cases/board.html",
        {
            "page": page,
            "rows": rows,
            "total": sum(counts.values()),
            "counts": counts,
            "today": today,
            "filters": filters,
            "investigators": investigators,
            "stages": sorted(set(STAGES.values()) | {rc.label(c) for c in rc.LABELS}),
            "deadlines": DEADLINE_LABELS | {"oig_review": "OIG review"},
            "querystring": params.urlencode(),
            "may_open": R.may(roles, "open_case"),
        },
    )


def _case_for(request: HttpRequest, number: str) -> Case:
    case = get_object_or_404(Case, number=number)
    if not actions.can_read(request.user, case):
        if R.CPC_STAFF in actions.user_roles(request.user):
            raise PermissionDenied("CPC staff may read closed cases only, never an open one [SMC 3.29.215.A.16].")
        raise PermissionDenied("You hold no role that may read this case.")
    return case


def _forms_for(case: Case, bound: dict[str, djforms.Form] | None = None) -> dict[str, djforms.Form]:
    today = timezone.localdate()
    out: dict[str, djforms.Form] = {
        "classify": F.ClassifyForm(),
        "route": F.RouteForm(),
        "assign": F.AssignForm(initial={"investigator": case.investigator_id, "supervisor": case.supervisor_id}),
        "notice": F.NoticeForm(initial={"date": today}),
        "plan": F.PlanForm(),
        "postpone": F.PostponeForm(initial={"date": today}),
        "clock": F.ClockEventForm(initial={"date": today}),
        "exigent": F.ExigentForm(),
        "interview": F.InterviewForm(initial={"held_on": today}),
        "evidence": F.EvidenceForm(),
        "subpoena": F.SubpoenaForm(initial={"date": today}),
        "referral": F.ReferralForm(initial={"date": today}),
        "close": F.CloseForm(initial={"date": today}),
    }
    out.update(bound or {})
    ref = out["referral"]
    ref.fields["named_employee"] = djforms.TypedChoiceField(
        coerce=int, choices=[(e.pk, str(e)) for e in case.named_employees.all()], label="Named employee"
    )
    return out


def _detail_context(request: HttpRequest, case: Case, bound: dict[str, djforms.Form] | None = None) -> dict[str, Any]:
    roles = actions.user_roles(request.user)
    today = timezone.localdate()
    events = list(case.events.select_related("recorded_by").order_by("seq"))
    tl = timeline(case, today)
    for d in tl["deadlines"]:
        d["label"] = deadline_label(d["id"])  # type: ignore[typeddict-unknown-key]
    allegations = list(case.allegations.select_related("named_employee"))
    plan = actions.approved_plan(case)
    intake = next((e for e in events if e.type == "intake_recorded"), None)
    rules = rules_for(case.received_on or today)
    views_ = [rc.AllegationView(str(a.named_employee), a.category) for a in allegations]
    return {
        "case": case,
        "events": events,
        "timeline": tl,
        "next": next_deadline(tl),
        "allegations": allegations,
        "complainants": list(case.complainants.all()),
        "named_employees": list(case.named_employees.all()),
        "witnesses": list(case.witnesses.all()),
        "plans": list(case.plans.select_related("submitted_by")),
        "approved_plan": plan,
        "plan_awaiting": case.plans.filter(version__gt=plan.version if plan else 0).exists(),
        "interviews": list(case.interviews.select_related("audio", "transcript")),
        "evidence": list(case.evidence.all()),
        "subpoenas": list(case.subpoenas.all()),
        "referrals": list(case.supervisor_actions.select_related("named_employee")),
        "limitation": intake.data.get("limitation") if intake else None,
        "classification_label": rc.label(case.classification) if case.classification else "",
        "allowed": [rc.label(c) for c in rc.allowed(rules, views_)],
        "forms": _forms_for(case, bound),
        "may": {a: R.may(roles, a) for a in R.PERMISSIONS},
        "is_open": case.closed_on is None and not case.routed_to,
        "subpoena_statuses": F.SUBPOENA_STATUSES,
        "today": today,
    }


@login_required
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_for(request, number)
    return render(request, "cases/detail.html", _detail_context(request, case))


@login_required
def notice_view(request: HttpRequest, number: str, seq: int) -> HttpResponse:
    """A notice as it was generated and sent (plain text)."""
    case = _case_for(request, number)
    ev = case.events.filter(seq=seq, type="notice_sent").first()
    if ev is None:
        raise Http404("no notice with that number")
    return HttpResponse(ev.data.get("document", ""), content_type="text/plain; charset=utf-8")


# --------------------------------------------------------------------------
# Intake
# --------------------------------------------------------------------------


def _intake_forms(data: Any = None) -> dict[str, Any]:
    return {
        "form": F.IntakeForm(data, initial=None if data else {"received_on": timezone.localdate()}),
        "complainants": F.ComplainantFormSet(data, prefix="complainant"),
        "employees": F.NamedEmployeeFormSet(data, prefix="employee"),
        "allegations": F.AllegationFormSet(data, prefix="allegation"),
        "witnesses": F.WitnessFormSet(data, prefix="witness"),
    }


def _filled(formset: Any) -> list[dict[str, Any]]:
    return [f.cleaned_data for f in formset.forms if f.has_changed() and f.cleaned_data]


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    if not R.may(actions.user_roles(request.user), "open_case"):
        raise PermissionDenied(R.refusal(actions.user_roles(request.user), "open_case"))
    if request.method != "POST":
        return render(request, "cases/intake.html", _intake_forms())
    ctx = _intake_forms(request.POST)
    error = None
    if all(x.is_valid() for x in ctx.values()):
        d = ctx["form"].cleaned_data
        try:
            case = actions.open_case(
                request.user,
                channel=d["channel"],
                received_on=d["received_on"],
                should_have_been_referred_on=d["should_have_been_referred_on"],
                incident_date=d["incident_date"],
                incident_time=d["incident_time"],
                incident_place=d["incident_place"],
                precinct=d["precinct"],
                sector=d["sector"],
                beat=d["beat"],
                shift=d["shift"],
                summary=d["summary"],
                complainants=_filled(ctx["complainants"]),
                named_employees=_filled(ctx["employees"]),
                witnesses=_filled(ctx["witnesses"]),
                allegations=_filled(ctx["allegations"]),
            )
        except (actions.ActionError, CaseError) as e:
            error = str(e)
        else:
            messages.success(request, f"Complaint taken in as case {case.number}.")
            return redirect("cases:detail", case.number)
    ctx["error"] = error or "The complaint was not saved: correct the fields marked below."
    return render(request, "cases/intake.html", ctx, status=400)


# --------------------------------------------------------------------------
# Case actions: one POST URL per action, each a few lines
# --------------------------------------------------------------------------

Handler = Callable[[HttpRequest, Case, Any], str]


def _do_classify(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    actions.classify(request.user, case, d["classification"], d["rationale"])
    return f"Classified as {rc.label(d['classification'])}."


def _do_route(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    actions.route(request.user, case, d["to"], d["reason"])
    return f"Routed to {rc.ROUTES[d['to']][0]}."


def _do_assign(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    actions.assign(request.user, case, d["investigator"], d["supervisor"])
    return f"Assigned to {d['investigator']}."


def _do_notice(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    actions.send_notice(request.user, case, d["date"])
    return "Notice generated and recorded as sent."


def _do_plan(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    plan = actions.submit_plan(request.user, case, **d)
    return f"Investigation plan version {plan.version} submitted for approval."


def _do_approve(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    plan = case.plans.order_by("-version").first()
    if plan is None:
        raise actions.ActionError("plan", "no investigation plan has been submitted")
    actions.approve_plan(request.user, plan)
    return f"Investigation plan version {plan.version} approved."


def _do_postpone(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    actions.postpone_interview(request.user, case, d["days"], d["reason"], d["date"])
    return f"Interview postponement of {d['days']} days recorded."


def _do_clock(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    actions.record_clock_event(request.user, case, d["type"], d["date"], reason=d.get("reason"))
    return f"Recorded: {d['type'].replace('_', ' ')}."


def _do_exigent(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    actions.record_exigent(request.user, case, d["interviewee"], d["reason"])
    return "Exigent circumstances recorded."


def _do_interview(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    actions.record_interview(
        request.user,
        case,
        interviewee=d["interviewee"],
        held_on=d["held_on"],
        in_person=d["in_person"],
        audio=d.get("audio"),
        transcript=d.get("transcript"),
    )
    return "Interview recorded."


def _do_evidence(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    ef = actions.add_evidence(request.user, case, d["file"], d.get("description") or "")
    return f"Evidence stored: {ef}."


def _do_subpoena(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    actions.issue_subpoena(request.user, case, d["recipient"], d["material"], d["date"])
    return "Subpoena issued."


def _do_subpoena_status(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    sp = get_object_or_404(Subpoena, pk=d["subpoena"], case=case)
    actions.update_subpoena(request.user, sp, d["status"], d["date"])
    return "Subpoena status recorded."


def _do_referral(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    ne = get_object_or_404(NamedEmployee, pk=d["named_employee"], case=case)
    actions.refer_supervisor_action(request.user, case, ne, d["report_due"], d.get("supervisor_name") or "", d["date"])
    return "Supervisor Action referred."


def _do_report(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    ref = get_object_or_404(SupervisorActionReferral, pk=d["referral"], case=case)
    actions.record_supervisor_report(request.user, ref, d["report"], d["date"])
    return "Supervisor's report recorded."


def _do_close(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    actions.close_case(request.user, case, d["reason"], d["date"])
    return "Case closed."


HANDLERS: dict[str, tuple[type[djforms.Form] | None, Handler]] = {
    "classify": (F.ClassifyForm, _do_classify),
    "route": (F.RouteForm, _do_route),
    "assign": (F.AssignForm, _do_assign),
    "notice": (F.NoticeForm, _do_notice),
    "plan": (F.PlanForm, _do_plan),
    "approve": (None, _do_approve),
    "postpone": (F.PostponeForm, _do_postpone),
    "clock": (F.ClockEventForm, _do_clock),
    "exigent": (F.ExigentForm, _do_exigent),
    "interview": (F.InterviewForm, _do_interview),
    "evidence": (F.EvidenceForm, _do_evidence),
    "subpoena": (F.SubpoenaForm, _do_subpoena),
    "subpoena_status": (F.SubpoenaStatusForm, _do_subpoena_status),
    "referral": (F.ReferralForm, _do_referral),
    "report": (F.ReportForm, _do_report),
    "close": (F.CloseForm, _do_close),
}


@login_required
@require_POST
def case_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    if action not in HANDLERS:
        raise Http404("no such action")
    case = _case_for(request, number)
    form_class, handler = HANDLERS[action]
    form: djforms.Form | None = None
    bound: dict[str, djforms.Form] = {}
    if form_class is not None:
        form = form_class(request.POST, request.FILES)
        bound[action] = form
        if action == "referral":
            form.fields["named_employee"] = djforms.TypedChoiceField(
                coerce=int, choices=[(e.pk, str(e)) for e in case.named_employees.all()]
            )
    error: str | None = None
    status = 400
    if form is None or form.is_valid():
        try:
            done = handler(request, case, form.cleaned_data if form is not None else {})
        except (actions.ActionError, CaseError, rc.ClassificationRefused) as e:
            error = str(e)
        except PermissionDenied as e:
            error = str(e) or "Refused."
            status = 403
        else:
            messages.success(request, done)
            return redirect(reverse("cases:detail", args=[case.number]) + f"#{action}")
    else:
        error = "Not saved: correct the fields marked below."
    case.refresh_from_db()
    ctx = _detail_context(request, case, bound)
    ctx["error"] = error
    ctx["error_action"] = action
    return render(request, "cases/detail.html", ctx, status=status)
