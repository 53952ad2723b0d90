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
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from oversight import access
from oversight.home.registry import Failed
from oversight.rules import access as A
from oversight.rules import classification as rc
from oversight.rules.events import CaseError

from . import actions
from . import forms as F
from . import search as S
from .clock import DEADLINE_LABELS, RISK, RISK_NAMES, STAGES, board_queryset, board_rows, classified_stage
from .models import (
    Allegation,
    Case,
    Complainant,
    EvidenceFile,
    NamedEmployee,
    Subpoena,
    SupervisorActionReferral,
    Witness,
)
from .page import render_case

PAGE_SIZE = 100


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


@login_required
def board_view(request: HttpRequest) -> HttpResponse:
    """Every open case with its next deadline, the ones at risk first; filters in the query string."""
    roles = access.roles_of(request.user)
    if not roles & A.OPA_STAFF:
        raise access.Refused(
            "The deadline board lists OPA's open cases, for OPA staff.",
            cite="SMC 3.29.215.A.16" if A.CPC_STAFF in roles else "",
            what="to open the deadline board",
        )
    today = timezone.localdate()
    q = request.GET
    filters = {
        "investigator": _int(q.get("investigator")),
        "stage": q.get("stage") or None,
        "deadline": q.get("deadline") or None,
        "status": q.get("status") or None,
        "within": _int(q.get("within")),
    }
    qs = board_queryset(today, **filters).filter(access.cases_q(request.user))
    counts = {s: 0 for s in RISK}
    for risk, n in qs.order_by().values_list("board_risk").annotate(n=Count("pk")):
        counts[RISK_NAMES[risk]] = n
    paginator = Paginator(qs, PAGE_SIZE)
    paginator.count = sum(counts.values())  # counted above, by risk: not counted again
    page = paginator.get_page(q.get("page"))
    rows = board_rows(page.object_list, today)
    User = get_user_model()
    investigators = User.objects.filter(groups__name__in=[A.INVESTIGATOR, A.SUPERVISOR]).distinct().order_by("username")
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
            "stages": sorted(set(STAGES.values()) | {classified_stage(c) for c in rc.LABELS}),
            "deadlines": DEADLINE_LABELS | {"oig_review": "OIG review"},
            "querystring": params.urlencode(),
            "may_open": access.may(request.user, "open_case"),
        },
    )


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Every case the person reads, open and closed: by number, name, words and filters."""
    access.require(request.user, "search")
    form = S.SearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "cases/search.html", {"form": form, "problems": form.problems()}, status=400)
    criteria = form.criteria()
    page = Paginator(S.search(request.user, criteria).prefetch_related("allegations"), S.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "cases/search.html",
        {
            "form": form,
            "page": page,
            "rows": S.result_rows(request.user, page.object_list, criteria.q),
            "asked": criteria != S.Criteria(),
            "querystring": params.urlencode(),
        },
    )


def _case_for(request: HttpRequest, number: str, part: str = A.CASE) -> Case:
    case = get_object_or_404(Case, number=number)
    access.require_read(request.user, case, part)
    return case


@login_required
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    return render_case(request, _case_for(request, number))


@login_required
def notice_view(request: HttpRequest, number: str, seq: int) -> HttpResponse:
    """A notice as it was generated and sent (plain text): it names the named employees. Whoever
    else it names (a witness) is shown by role to a reader who does not read their identity."""
    case = _case_for(request, number, A.EMPLOYEES)
    ev = case.events.filter(seq=seq, type="notice_sent").first()
    if ev is None:
        raise Http404("no notice with that number")
    actions.audit(request.user, "read_notice", case, seq=seq)
    document = access.Reader(request.user, case).redact(ev.data.get("document", ""))
    return HttpResponse(document, content_type="text/plain; charset=utf-8")


@login_required
def evidence_download(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """An evidence file, as stored; every download is recorded."""
    case = _case_for(request, number, A.EVIDENCE)
    ef = get_object_or_404(EvidenceFile, pk=pk, case=case)
    actions.audit(request.user, "download_evidence", case, evidence=ef.pk, sha256=ef.sha256)
    name = access.Reader(request.user, case).redact(ef.name)  # the name may carry someone's identity
    import io

    from oversight.uploads import read_stored

    return FileResponse(io.BytesIO(read_stored(ef.file)), as_attachment=True, filename=name)


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
    access.require(request.user, "open_case")
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
    return f"Assigned to {d['investigator'].get_full_name() or d['investigator']}."


def _do_notice(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    actions.send_notice(request.user, case, d["date"])
    return "Notice generated and recorded as sent."


def _do_plan(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    plan = actions.submit_plan(request.user, case, **d)
    return f"Investigation plan version {plan.version} submitted for approval."


def _awaited_plan(request: HttpRequest, case: Case) -> Any:
    plan = actions.plan_awaiting(case)
    if plan is None:
        raise actions.ActionError("plan", "no investigation plan awaits a decision")
    if str(plan.version) != request.POST.get("version", str(plan.version)):
        raise actions.ActionError("plan", f"version {plan.version} is the one awaiting a decision now")
    return plan


def _do_approve(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    plan = _awaited_plan(request, case)
    actions.approve_plan(request.user, plan)
    return f"Investigation plan version {plan.version} approved."


def _do_return_plan(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    plan = _awaited_plan(request, case)
    actions.return_plan(request.user, plan, d["reasons"])
    return f"Investigation plan version {plan.version} returned to the investigator."


def _do_postpone(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    actions.postpone_interview(request.user, case, d["days"], d["reason"], d["date"])
    return f"Interview postponement of {d['days']} days recorded."


def _do_clock(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    actions.record_clock_event(request.user, case, d["type"], d["date"], reason=d.get("reason"))
    return f"Recorded: {dict((t, lbl) for t, lbl, _ in F.CLOCK_FORM_EVENTS)[d['type']]}."


def _do_submit_to_oig(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    actions.submit_to_oig(request.user, case, d["date"])
    return "Submitted to OIG for review and certification."


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
    return f"Evidence stored: {ef.name}."


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


def _do_legal_hold(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    actions.place_legal_hold(request.user, case, d["reason"])
    return "Legal hold placed: nothing of the file is disposed of while it is in place."


def _do_release_hold(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    from .models import LegalHold

    hold = get_object_or_404(LegalHold, pk=d["hold"], case=case)
    actions.release_legal_hold(request.user, hold, d["reason"])
    return "Legal hold released."


def _do_dispose(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    left = {int(k.removeprefix("left_")): v for k, v in d.items() if k.startswith("left_")}
    actions.dispose_case_file(request.user, case, left_on=left, reason=d.get("reason", ""))
    return "The case file was disposed of; its discipline records stay. OIG reviews the disposal."


def _do_note(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    actions.add_note(request.user, case, d["text"])
    return "Note added."


def _do_add_complainant(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    actions.add_complainant(request.user, case, **d)
    return "Complainant added."


def _do_add_employee(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    ne = actions.add_named_employee(request.user, case, **d)
    return f"{actions.which(ne)} added."


def _do_add_witness(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    actions.add_witness(request.user, case, **d)
    return "Witness added."


def _do_add_allegation(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    ne = get_object_or_404(NamedEmployee, pk=d["named_employee"], case=case)
    a = actions.add_allegation(
        request.user,
        case,
        named_employee=ne,
        category=d["category"],
        description=d["description"],
        criminal=d["criminal"],
        concealment=d["concealment"],
        type_iii_force=d["type_iii_force"],
    )
    return f"{actions.which(a)} added."


def _edit(model: type[Any], fn: Callable[..., list[str]]) -> Handler:
    def handler(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
        obj = get_object_or_404(model, pk=_int(request.GET.get("pk")), case=case)
        changed = fn(request.user, obj, **d)
        return f"{actions.which(obj)} corrected: {', '.join(changed)}."

    return handler


def _edit_allegation(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    a = get_object_or_404(Allegation, pk=_int(request.GET.get("pk")), case=case)
    ne = get_object_or_404(NamedEmployee, pk=d["named_employee"], case=case)
    changed = actions.edit_allegation(
        request.user,
        a,
        named_employee=ne,
        category=d["category"],
        description=d["description"],
        criminal=d["criminal"],
        concealment=d["concealment"],
        type_iii_force=d["type_iii_force"],
    )
    return f"{actions.which(a)} corrected: {', '.join(changed)}."


def _do_failure_to_refer(request: HttpRequest, case: Case, d: dict[str, Any]) -> tuple[str, str]:
    employee = {k: d[k] for k in ("name", "serial", "rank", "unit") if d.get(k)}
    new = actions.open_failure_to_refer(
        request.user, case, named_employee=employee, determined_on=d["determined_on"], summary=d.get("summary") or ""
    )
    return f"Failure-to-refer complaint {new.number} opened from {case.number} [SMC 3.29.026.C.2].", new.number


def _do_incident_review(request: HttpRequest, case: Case, d: dict[str, Any]) -> str:
    actions.record_incident_review(request.user, case, unit=d["unit"], step=d["step"], on=d["on"])
    return f"SPD review by {d['unit']} recorded [SMC 3.29.335.A]."


def _employee_choices(case: Case, request: HttpRequest) -> list[tuple[Any, str]]:
    reads = access.reads(request.user, case, A.EMPLOYEES)
    return [
        (ne, str(ne) if reads else f"Named Employee #{i}")
        for i, ne in enumerate(case.named_employees.order_by("pk"), 1)
    ]


# action: (form class, handler, form prefix; None for the default, "pk" for a per-row form,
#          the permissions of the access model it takes: any one of them lets the form be read)
HANDLERS: dict[str, tuple[Any, Handler, str | None, tuple[str, ...]]] = {
    "classify": (F.ClassifyForm, _do_classify, None, ("classify",)),
    "failure_to_refer": (F.FailureToReferForm, _do_failure_to_refer, None, ("open_case",)),
    "incident_review": (F.IncidentReviewForm, _do_incident_review, None, ("open_case",)),
    "route": (F.RouteForm, _do_route, None, ("route",)),
    "assign": (F.AssignForm, _do_assign, None, ("assign",)),
    "notice": (F.NoticeForm, _do_notice, None, ("send_notice",)),
    "plan": (F.PlanForm, _do_plan, None, ("submit_plan",)),
    "approve": (None, _do_approve, None, ("approve_plan",)),
    "return_plan": (F.ReturnPlanForm, _do_return_plan, None, ("approve_plan",)),
    "postpone": (F.PostponeForm, _do_postpone, None, ("toll",)),
    "clock": (F.ClockEventForm, _do_clock, None, tuple(dict.fromkeys(p for _, _, p in F.CLOCK_FORM_EVENTS))),
    "submit_to_oig": (F.SubmitToOigForm, _do_submit_to_oig, None, ("submit_to_oig",)),
    "exigent": (F.ExigentForm, _do_exigent, None, ("record_exigent",)),
    "interview": (F.InterviewForm, _do_interview, None, ("investigate",)),
    "evidence": (F.EvidenceForm, _do_evidence, None, ("investigate",)),
    "subpoena": (F.SubpoenaForm, _do_subpoena, None, ("issue_subpoena",)),
    "subpoena_status": (F.SubpoenaStatusForm, _do_subpoena_status, None, ("update_subpoena",)),
    "referral": (F.ReferralForm, _do_referral, None, ("refer_supervisor_action",)),
    "report": (F.ReportForm, _do_report, None, ("record_supervisor_report",)),
    "close": (F.CloseForm, _do_close, None, ("close_case",)),
    "note": (F.NoteForm, _do_note, None, ("add_note",)),
    "legal_hold": (F.LegalHoldForm, _do_legal_hold, None, ("legal_hold",)),
    "release_hold": (F.ReleaseHoldForm, _do_release_hold, None, ("legal_hold",)),
    "dispose": (F.DisposeForm, _do_dispose, None, ("dispose_case_file",)),
    "add_complainant": (F.ComplainantForm, _do_add_complainant, "newc", ("edit_parties",)),
    "add_employee": (F.NamedEmployeeForm, _do_add_employee, "newe", ("edit_parties",)),
    "add_witness": (F.WitnessForm, _do_add_witness, "neww", ("edit_parties",)),
    "add_allegation": (F.CaseAllegationForm, _do_add_allegation, "newa", ("edit_parties",)),
    "edit_complainant": (F.ComplainantForm, _edit(Complainant, actions.edit_complainant), "pk", ("edit_parties",)),
    "edit_employee": (F.NamedEmployeeForm, _edit(NamedEmployee, actions.edit_named_employee), "pk", ("edit_parties",)),
    "edit_witness": (F.WitnessForm, _edit(Witness, actions.edit_witness), "pk", ("edit_parties",)),
    "edit_allegation": (F.CaseAllegationForm, _edit_allegation, "pk", ("edit_parties",)),
}


def _require_any(request: HttpRequest, case: Case, permissions: tuple[str, ...]) -> None:
    """Refuse, with the site's refusal page, a person the access model lets take none of
    ``permissions`` on this case, before their form is read."""
    reader = access.Reader(request.user, case)
    if not any(reader.may[p] for p in permissions):
        raise access.Refused(A.refusal(reader.roles, permissions[0], reader.facts))


def _bind(request: HttpRequest, case: Case, action: str, form_class: Any, prefix: str | None) -> tuple[Any, str]:
    """The bound form for ``action`` and the key its failure is shown under."""
    key = action
    kwargs: dict[str, Any] = {}
    if prefix == "pk":
        pk = _int(request.GET.get("pk"))
        key = f"{action}:{pk}"
        kwargs["prefix"] = f"{action}-{pk}"
    elif prefix:
        kwargs["prefix"] = prefix
    if form_class is F.CaseAllegationForm:
        kwargs["employees"] = _employee_choices(case, request)
    if form_class is F.ClockEventForm:
        kwargs["allowed"] = access.Reader(request.user, case).may
    if form_class is F.DisposeForm:
        kwargs["employees"] = _employee_choices(case, request)
    form = form_class(request.POST, request.FILES, **kwargs)
    if action == "referral":
        form.fields["named_employee"] = djforms.TypedChoiceField(coerce=int, choices=_employee_choices(case, request))
    return form, key


@login_required
@require_POST
def case_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    if action not in HANDLERS:
        raise Http404("no such action")
    case = _case_for(request, number)
    form_class, handler, prefix, permissions = HANDLERS[action]
    _require_any(request, case, permissions)
    form, key = (None, action) if form_class is None else _bind(request, case, action, form_class, prefix)
    status = 400
    if form is None or form.is_valid():
        data = form.cleaned_data if form is not None else {}
        try:
            done = handler(request, case, data)
        except (actions.ActionError, CaseError, rc.ClassificationRefused) as e:
            error = str(e)
        except PermissionDenied as e:
            error = str(e) or "Refused."
            status = 403
        else:
            if isinstance(done, tuple):  # the action opened another case: go there
                message, number = done
                messages.success(request, message)
                return redirect(reverse("cases:detail", args=[number]))
            messages.success(request, done)
            return redirect(reverse("cases:detail", args=[case.number]) + f"#{_anchor(action)}")
    else:
        error = "Not saved: correct the fields marked below."
    case.refresh_from_db()
    return render_case(request, case, failed=Failed(key, error, form, request.POST), status=status)


_ANCHORS = {
    "classify": "classification",
    "route": "classification",
    "assign": "classification",
    "referral": "classification",
    "report": "classification",
    "notice": "notice",
    "plan": "plan",
    "approve": "plan",
    "return_plan": "plan",
    "note": "notes",
    "legal_hold": "retention",
    "release_hold": "retention",
    "dispose": "retention",
    "close": "summary",
    "failure_to_refer": "summary",
    "incident_review": "summary",
}


def _anchor(action: str) -> str:
    if action.startswith(("add_", "edit_")):
        return "people"
    return _ANCHORS.get(action, "investigation")
