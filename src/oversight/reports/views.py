"""The reports' pages: choose a report and its period; the report as a page, a PDF or CSV;
post it; the dashboards and the cases behind their numbers; a posted report, public."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from oversight import access
from oversight.cases.actions import ActionError

from . import actions, dashboard
from . import render as R
from .kinds import KINDS, PeriodError, parse_period
from .models import PostedReport, ReportDraft


def last_full_year(today: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "open_reports")
    start, end = last_full_year(timezone.localdate())
    posted = PostedReport.objects.select_related("posted_by")[:50]
    roles = access.roles_of(request.user)
    kinds = [(k, bool(roles & k.office) and access.may(request.user, "post_report")) for k in KINDS.values()]
    return render(request, "reports/index.html", {"kinds": kinds, "start": start, "end": end, "posted": posted})


@login_required
def report(request: HttpRequest, kind: str) -> HttpResponse:
    access.require(request.user, "open_reports")
    if kind not in KINDS:
        raise Http404("no such report")
    default = last_full_year(timezone.localdate())
    a = request.GET.get("from") or default[0].isoformat()
    b = request.GET.get("to") or default[1].isoformat()
    try:
        k, start, end = parse_period(kind, a, b)
    except PeriodError as e:
        return render(
            request, "reports/report.html", {"error": str(e), "kind": KINDS[kind], "a": a, "b": b}, status=400
        )
    rep = k.build(start, end, timezone.localdate())
    fmt = request.GET.get("format", "html")
    name = R.base_name(rep)
    if fmt == "pdf":
        resp = HttpResponse(R.pdf(rep), content_type="application/pdf")
        resp["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return resp
    if fmt == "csv":
        table = request.GET.get("table")
        if table:
            try:
                t = rep.table(table)
            except KeyError:
                raise Http404("no such table in this report") from None
            resp = HttpResponse(R.table_csv(t), content_type="text/csv; charset=utf-8")
            resp["Content-Disposition"] = f'attachment; filename="{name}-{t.id}.csv"'
            return resp
        resp = HttpResponse(R.csv_zip(rep), content_type="application/zip")
        resp["Content-Disposition"] = f'attachment; filename="{name}-csv.zip"'
        return resp
    if fmt != "html":
        return render(
            request,
            "reports/report.html",
            {"error": f"format: {fmt!r} is not one of html, pdf, csv", "kind": k, "a": a, "b": b},
            status=400,
        )
    base = f"?from={start.isoformat()}&to={end.isoformat()}"
    roles = access.roles_of(request.user)
    draft = cyc = None
    if k.id in actions.DRAFT_CYCLE:
        draft = ReportDraft.objects.filter(kind=k.id, period_start=start, period_end=end).first()
        cyc = actions.cycle(draft, timezone.localdate()) if draft else None
    return render(
        request,
        "reports/report.html",
        {
            "report": rep,
            "kind": k,
            "a": a,
            "b": b,
            "csv_base": base + "&format=csv",
            "pdf_url": base + "&format=pdf",
            "zip_url": base + "&format=csv",
            "may_post": bool(roles & k.office)
            and access.may(request.user, "post_report")
            and end < timezone.localdate()
            and (k.id not in actions.DRAFT_CYCLE or (cyc is not None and not cyc.in_review)),
            "draft_cycle": k.id in actions.DRAFT_CYCLE,
            "draft": draft,
            "cycle": cyc,
            "may_draft": access.may(request.user, "report_draft"),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def post(request: HttpRequest, kind: str) -> HttpResponse:
    access.require(request.user, "post_report")
    try:
        k, start, end = parse_period(kind, request.POST.get("from"), request.POST.get("to"))
        posted = actions.post_report(request.user, k.id, start, end)
    except (PeriodError, ActionError) as e:
        k2 = KINDS.get(kind)
        return render(
            request,
            "reports/report.html",
            {"error": str(e), "kind": k2, "a": request.POST.get("from", ""), "b": request.POST.get("to", "")},
            status=400,
        )
    return redirect("reports:posted", posted.pk)


@login_required
@require_POST
def draft(request: HttpRequest, kind: str) -> HttpResponse:
    """OIG's preliminary draft delivered for comment (SMC 3.29.115.E)."""
    access.require(request.user, "report_draft")
    a, b = request.POST.get("from", ""), request.POST.get("to", "")
    try:
        k, start, end = parse_period(kind, a, b)
        on = _date(request.POST.get("delivered_on"), "delivered_on")
        actions.deliver_draft(request.user, k.id, start, end, on)
    except (PeriodError, ActionError) as e:
        return render(
            request, "reports/report.html", {"error": str(e), "kind": KINDS.get(kind), "a": a, "b": b}, status=400
        )
    return redirect(reverse("reports:report", args=[k.id]) + f"?from={a}&to={b}")


@login_required
@require_POST
def draft_comment(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "report_draft")
    d = get_object_or_404(ReportDraft, pk=pk)
    back = (
        reverse("reports:report", args=[d.kind]) + f"?from={d.period_start.isoformat()}&to={d.period_end.isoformat()}"
    )
    try:
        on = _date(request.POST.get("received_on"), "received_on")
        actions.record_draft_comment(request.user, d, request.POST.get("reviewer", ""), on)
    except ActionError as e:
        return render(
            request,
            "reports/report.html",
            {
                "error": str(e),
                "kind": KINDS.get(d.kind),
                "a": d.period_start.isoformat(),
                "b": d.period_end.isoformat(),
            },
            status=400,
        )
    return redirect(back)


def _date(v: str | None, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(v or "")
    except ValueError:
        raise ActionError(name, f"{v!r} is not a date (YYYY-MM-DD)") from None


def posted(request: HttpRequest, pk: int) -> HttpResponse:
    """A posted report: public, as it was posted (SMC 3.29.030.H: "post online")."""
    rep = get_object_or_404(PostedReport, pk=pk)
    if request.GET.get("format") == "pdf":
        from weasyprint import HTML

        resp = HttpResponse(HTML(string=rep.html).write_pdf(), content_type="application/pdf")
        resp["Content-Disposition"] = f'attachment; filename="{rep.kind}-{rep.period_start}-{rep.period_end}.pdf"'
        return resp
    return render(request, "reports/posted.html", {"posted": rep, "distribution": rep.distribution.all()})


@login_required
def dash(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "dashboard")
    today = timezone.localdate()
    try:
        _, start, end = parse_period(
            "opa-annual",
            request.GET.get("from") or (today - dt.timedelta(days=364)).isoformat(),
            request.GET.get("to") or today.isoformat(),
        )
    except PeriodError as e:
        return render(request, "reports/dashboard.html", {"error": str(e)}, status=400)
    sections, links = dashboard.build(start, end, today)
    return render(request, "reports/dashboard.html", {"sections": sections, "links": links, "start": start, "end": end})


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    """The cases behind a dashboard number: those the reader may open, and how many they may not."""
    access.require(request.user, "dashboard")
    f, v = request.GET.get("f", ""), request.GET.get("v", "")
    if f not in dashboard.FILTERS or not v:
        return render(
            request, "reports/cases.html", {"error": f"f: one of {', '.join(dashboard.FILTERS)}, with v"}, status=400
        )
    start = end = None
    if request.GET.get("from") or request.GET.get("to"):
        try:
            _, start, end = parse_period("opa-annual", request.GET.get("from"), request.GET.get("to"))
        except PeriodError as e:
            return render(request, "reports/cases.html", {"error": str(e)}, status=400)
    try:
        qs = dashboard.cases_behind(f, v, start, end)
    except (ValueError, AssertionError):
        return render(
            request,
            "reports/cases.html",
            {"error": f"v: {v!r} does not fit {f} (or the period is missing)"},
            status=400,
        )
    allowed = qs.filter(access.cases_q(request.user)).order_by("number")
    total = qs.count()
    shown = list(allowed.values_list("number", "received_on", "classification", "closed_on")[:500])
    n_allowed = allowed.count()
    return render(
        request,
        "reports/cases.html",
        {"rows": shown, "total": total, "allowed": n_allowed, "withheld": total - n_allowed, "f": f, "v": v},
    )
