"""CPC's workspace: closed investigations and reports to review for systemic improvements
(SMC 3.29.215.A.16). CPC reads closed cases without anyone's identity, and never a case that
is still open."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from oversight import access
from oversight.cases.actions import ActionError
from oversight.cases.clock import rules_for
from oversight.cases.models import PRECINCTS, Case
from oversight.discipline.models import Finding
from oversight.labels import label_for
from oversight.oig.models import ClassificationAudit
from oversight.public.models import LibraryDocument, Publication

from . import actions
from .models import Review

PAGE_SIZE = 50
REPORT_KINDS = ("opa_report", "oig_report", "cpc_report")


def _date(value: str | None, field: str, errors: list[str]) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors.append(f"{field}: {value!r} is not a date (YYYY-MM-DD)")
        return None


def _final_findings(cases: list[Case]) -> dict[int, list[str]]:
    """Each case's findings as they stand (the latest stage of each allegation)."""
    latest: dict[tuple[int, int], str] = {}
    order = {"recommended": 0, "chief": 1, "appeal": 2}
    rank: dict[tuple[int, int], int] = {}
    for f in Finding.objects.filter(case__in=cases).order_by("pk"):
        key = (f.case_id, f.allegation_id)
        if order[f.stage] >= rank.get(key, -1):
            latest[key], rank[key] = f.finding, order[f.stage]
    out: dict[int, list[str]] = {}
    for (case_id, _), finding in latest.items():
        out.setdefault(case_id, []).append(finding)
    return out


@login_required
def home(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "cpc_review")
    q = request.GET
    errors: list[str] = []
    since = _date(q.get("closed_from"), "closed_from", errors)
    until = _date(q.get("closed_to"), "closed_to", errors)
    today = timezone.localdate()
    rules = rules_for(today)
    qs = Case.objects.filter(access.action_q(request.user, "cpc_review"), closed_on__isnull=False)
    if since:
        qs = qs.filter(closed_on__gte=since)
    if until:
        qs = qs.filter(closed_on__lte=until)
    if q.get("category"):
        qs = qs.filter(allegations__category=q["category"]).distinct()
    if q.get("precinct"):
        qs = qs.filter(precinct=q["precinct"])
    if q.get("classification"):
        qs = qs.filter(classification=q["classification"])
    reviewed = set(Review.objects.filter(case__in=qs).values_list("case_id", flat=True))
    if q.get("reviewed") == "no":
        qs = qs.exclude(pk__in=reviewed)
    elif q.get("reviewed") == "yes":
        qs = qs.filter(pk__in=reviewed)
    qs = qs.order_by("-closed_on", "-number").prefetch_related("allegations")
    page = Paginator(qs, PAGE_SIZE).get_page(q.get("page"))
    cases = list(page.object_list)
    findings = _final_findings(cases)
    rows = [
        {
            "case": c,
            "categories": sorted({a.category for a in c.allegations.all()}),
            "findings": sorted(set(findings.get(c.pk, []))),
            "reviewed": c.pk in reviewed,
        }
        for c in cases
    ]
    # What the whole selection shows, by allegation category and finding (systemic, not one case)
    by_category: Counter[str] = Counter()
    by_finding: Counter[str] = Counter()
    every = list(qs.values_list("pk", flat=True)[:5000])
    for cat in Case.objects.filter(pk__in=every).values_list("allegations__category", flat=True):
        if cat:
            by_category[cat] += 1
    for _, fs in _final_findings(list(Case.objects.filter(pk__in=every))).items():
        for f in fs:
            by_finding[f] += 1
    reviewed_reports = {(r.audit_id, r.document_id) for r in Review.objects.filter(case__isnull=True)}
    audits = [
        {"a": a, "reviewed": (a.pk, None) in reviewed_reports}
        for a in ClassificationAudit.objects.filter(published_on__isnull=False).order_by("-published_on")[:20]
    ]
    docs = [
        {"d": d, "reviewed": (None, d.pk) in reviewed_reports}
        for d in LibraryDocument.objects.filter(kind__in=REPORT_KINDS).order_by("-published_on")[:20]
    ]
    params = q.copy()
    params.pop("page", None)
    return render(
        request,
        "cpc/home.html",
        {
            "rows": rows,
            "page": page,
            "total": page.paginator.count,
            "errors": errors,
            "q": q,
            "querystring": params.urlencode(),
            "categories": [(c, label_for("category", c)) for c in rules.taxonomies["allegation_categories"].value],
            "classifications": [(c, label_for("classification", c)) for c in rules.taxonomies["classifications"].value],
            "precincts": [(k, v) for k, v in PRECINCTS if k],
            "by_category": [(label_for("category", k), n) for k, n in by_category.most_common()],
            "by_finding": [(label_for("finding", k), n) for k, n in by_finding.most_common()],
            "audits": audits,
            "docs": docs,
            "management_actions": Publication.objects.filter(kind="management_action").order_by("-published_on")[:20],
            "recommendations": _cpc_recommendations(request.user, today),
            "may_issue": access.may(request.user, "issue_recommendation"),
        },
        status=400 if errors else 200,
    )


def _cpc_recommendations(user: Any, today: dt.date) -> list[dict[str, Any]]:
    """The recommendations CPC issued, each with its status and its latest answer or report."""
    from oversight.recommendations import actions as ra
    from oversight.recommendations.models import Recommendation

    out = []
    for rec in Recommendation.objects.filter(issuer="cpc").prefetch_related("events").order_by("-issued_on")[:50]:
        events = list(rec.events.all())
        out.append(
            {
                "rec": rec,
                "title": ra.shown_text(user, rec, rec.title),
                "status": ra.status_of(rec, today),
                "latest": events[-1] if events else None,
            }
        )
    return out


@login_required
@require_POST
def review(request: HttpRequest) -> HttpResponse:
    """Mark a closed case or a report as reviewed (with an optional systemic note)."""
    p = request.POST
    note = p.get("note", "")
    try:
        if p.get("case"):
            case = get_object_or_404(Case, number=p["case"])
            actions.mark_reviewed(request.user, case=case, note=note)
            done = reverse("cases:detail", args=[case.number]) + "#cpc"
        elif p.get("audit"):
            actions.mark_reviewed(
                request.user, audit_report=get_object_or_404(ClassificationAudit, pk=p["audit"]), note=note
            )
            done = reverse("cpc:home")
        else:
            actions.mark_reviewed(
                request.user, document=get_object_or_404(LibraryDocument, pk=p.get("document") or 0), note=note
            )
            done = reverse("cpc:home")
    except ActionError as e:
        messages.error(request, str(e))
        return redirect("cpc:home")
    messages.success(request, "Recorded as reviewed by CPC.")
    return redirect(done)


__all__: list[Any] = ["home", "review"]


# --------------------------------------------------------------------------
# Meetings and community input
# --------------------------------------------------------------------------


def _form_errors(form: Any) -> str:
    return "; ".join(f"{form.fields[f].label or f}: {' '.join(m)}" for f, m in form.errors.items() if f in form.fields)


@login_required
def meetings(request: HttpRequest) -> HttpResponse:
    from . import forms as CF
    from .models import Meeting

    access.require(request.user, "cpc_workspace")
    form = CF.MeetingForm(request.POST or None)
    error = ""
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.schedule_meeting(
                    request.user, kind=d["kind"], on=d["date"], title=d["title"], agenda=d["agenda"], place=d["place"]
                )
            except ActionError as e:
                error = str(e)
            else:
                messages.success(request, "Meeting and agenda recorded; they are on the public meetings page.")
                return redirect("cpc:meetings")
        else:
            error = _form_errors(form)
    return render(
        request,
        "cpc/meetings.html",
        {
            "meetings": Meeting.objects.all()[:100],
            "form": form,
            "minutes_form": CF.MinutesForm(),
            "error": error,
            "today": timezone.localdate(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    from . import forms as CF
    from .models import Meeting

    access.require(request.user, "cpc_workspace")
    meeting = get_object_or_404(Meeting, pk=pk)
    form = CF.MinutesForm(request.POST)
    if form.is_valid():
        try:
            actions.record_minutes(
                request.user, meeting, minutes=form.cleaned_data["minutes"], on=form.cleaned_data["on"]
            )
        except ActionError as e:
            messages.error(request, str(e))
            return redirect(reverse("cpc:meetings") + f"#meeting-{pk}")
        messages.success(request, "Minutes recorded and published.")
    else:
        messages.error(request, _form_errors(form))
    return redirect(reverse("cpc:meetings") + f"#meeting-{pk}")


@login_required
def community_input(request: HttpRequest) -> HttpResponse:
    from . import forms as CF
    from .models import CommunityInput

    access.require(request.user, "cpc_workspace")
    form = CF.InputForm(request.POST or None)
    error = ""
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.record_input(
                    request.user, received_on=d["received_on"], source=d["source"], summary=d["summary"]
                )
            except ActionError as e:
                error = str(e)
            else:
                messages.success(request, "Recorded.")
                return redirect("cpc:input")
        else:
            error = _form_errors(form)
    return render(
        request,
        "cpc/input.html",
        {"items": CommunityInput.objects.all()[:200], "form": form, "route_form": CF.RouteForm(), "error": error},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def route(request: HttpRequest, pk: int) -> HttpResponse:
    from . import forms as CF
    from .models import CommunityInput

    access.require(request.user, "cpc_workspace")
    item = get_object_or_404(CommunityInput, pk=pk)
    form = CF.RouteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("cpc:input")
    d = form.cleaned_data
    try:
        code = actions.route_input(
            request.user, item, to=d["to"], consent=d["consent"], name=d["name"], email=d["email"], phone=d["phone"]
        )
    except ActionError as e:
        messages.error(request, str(e))
        return redirect("cpc:input")
    where = "OPA, as a complaint" if d["to"] == "opa" else "the Inspector General"
    messages.success(request, f"Sent to {where}. Give the person this code to follow it (shown once): {code}")
    return redirect("cpc:input")


def public_meetings(request: HttpRequest) -> HttpResponse:
    from .models import Meeting

    return render(request, "cpc/public_meetings.html", {"meetings": Meeting.objects.exclude(kind="workgroup")[:100]})


# --------------------------------------------------------------------------
# OIG's annual workplan with CPC's proposed additions (SMC 3.29.110.A.20; 3.29.215.A.15)
# --------------------------------------------------------------------------

WORKPLAN_ACTIONS = ("share_workplan", "propose_workplan_addition")


def _workplan_page(request: HttpRequest, status: int = 200, **bound: Any) -> HttpResponse:
    """The workplans with their proposals and answers; each form its own ids (one per workplan or
    proposal on the page); after a failed form, that form as typed, with the error beside it."""
    from . import forms as CF
    from .models import Workplan

    user = request.user
    failed_form, failed_on = bound.pop("form", None), bound.pop("on", None)  # (kind, pk)
    plans = list(Workplan.objects.prefetch_related("proposals__answer")[:20])
    for plan in plans:
        for kind, cls in (("propose", CF.ProposalForm), ("set", CF.SetWorkplanForm)):
            mine = failed_on == (kind, plan.pk)
            setattr(plan, f"{kind}_form", failed_form if mine else cls(auto_id=f"id_{kind}{plan.pk}_%s"))
        for p in plan.proposals.all():
            mine = failed_on == ("answer", p.pk)
            p.form = (  # type: ignore[attr-defined]
                failed_form
                if mine
                else CF.ProposalAnswerForm(initial={"proposal": p.pk}, auto_id=f"id_answer{p.pk}_%s")
            )
    share = (
        failed_form if failed_on == ("share", 0) else CF.WorkplanForm(initial={"year": timezone.localdate().year + 1})
    )
    return render(
        request,
        "cpc/workplan.html",
        {
            "plans": plans,
            "may_share": access.may(user, "share_workplan"),
            "may_propose": access.may(user, "propose_workplan_addition"),
            "share_form": share,
            "failed_on": failed_on,
            **bound,
        },
        status=status,
    )


def _require_workplan_reader(user: Any) -> None:
    if not any(access.may(user, a) for a in WORKPLAN_ACTIONS):
        access.require(user, "propose_workplan_addition")  # the refusal page: who keeps the workplan


@login_required
def workplan(request: HttpRequest) -> HttpResponse:
    from . import forms as CF

    _require_workplan_reader(request.user)
    if request.method != "POST":
        return _workplan_page(request)
    access.require(request.user, "share_workplan")
    form = CF.WorkplanForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.share_workplan(
                request.user, year=d["year"], draft=d["draft"], on=d["on"], meeting_on=d["meeting_on"]
            )
        except ActionError as e:
            return _workplan_page(request, 400, form=form, on=("share", 0), error=str(e))
        messages.success(request, f"The draft workplan for {d['year']} is shared with CPC.")
        return redirect("cpc:workplan")
    return _workplan_page(request, 400, form=form, on=("share", 0), error=_form_errors(form))


@login_required
@require_POST
def workplan_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    from . import forms as CF
    from .models import Workplan, WorkplanProposal

    plan = get_object_or_404(Workplan, pk=pk)
    user = request.user
    form: Any
    if action == "propose":
        access.require(user, "propose_workplan_addition")
        form = CF.ProposalForm(request.POST, auto_id=f"id_propose{plan.pk}_%s")
        where = ("propose", plan.pk)
    elif action == "set":
        access.require(user, "share_workplan")
        form, where = CF.SetWorkplanForm(request.POST, auto_id=f"id_set{plan.pk}_%s"), ("set", plan.pk)
    elif action == "answer":
        access.require(user, "share_workplan")
        raw = request.POST.get("proposal") or ""
        proposal = WorkplanProposal.objects.filter(pk=int(raw), workplan=plan).first() if raw.isdigit() else None
        if proposal is None:
            return _workplan_page(
                request, 400, error=f"Proposal: {raw!r} is not a proposal for the {plan.year} workplan."
            )
        form = CF.ProposalAnswerForm(request.POST, auto_id=f"id_answer{proposal.pk}_%s")
        where = ("answer", proposal.pk)
    else:
        raise Http404("No such action")
    if not form.is_valid():
        return _workplan_page(request, 400, form=form, on=where, error=_form_errors(form))
    d = form.cleaned_data
    try:
        if action == "propose":
            actions.propose_workplan_addition(
                user, plan, area=d["area"], reasons=d["reasons"], on=d["on"], emergent=d["emergent"]
            )
            done = "CPC's proposal is recorded; OIG answers it."
        elif action == "answer":
            actions.answer_workplan_proposal(user, proposal, decision=d["decision"], text=d["text"], on=d["on"])
            done = "OIG's answer is recorded."
        else:
            actions.set_workplan(user, plan, final=d["final"], on=d["on"])
            done = f"The {plan.year} workplan is set."
    except ActionError as e:
        return _workplan_page(request, 400, form=form, on=where, error=str(e))
    messages.success(request, done)
    return redirect(reverse("cpc:workplan") + f"#workplan-{plan.year}")
