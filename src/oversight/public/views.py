"""Thin views for the public side: parse, call the action, render. They never write."""

from __future__ import annotations

import csv
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oversight import access
from oversight.accounts.security import rate_limited
from oversight.cases.models import Case
from oversight.rules.profile import get_profile

from . import actions
from . import forms as F
from .models import KINDS, LIBRARY_KINDS, LibraryDocument, Publication, WebComplaint, WebEvidence
from .status import case_status
from .suppression import suppress

SESSION_CODE = "public_tracking"  # the complaint a browser session is following (its pk; never the code)
SESSION_NEW_CODE = "public_new_code"


def _rules() -> Any:
    return get_profile(settings.OVERSIGHT_PROFILE).at(timezone.localdate())


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html", {"kinds": KINDS})


@rate_limited("complaint", base="public/base_public.html")
def complaint(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = F.ComplaintForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            data = actions.ComplaintInput(
                **{k: d[k] for k in actions.ComplaintInput.__dataclass_fields__ if k in d and k != "language"},
                language=translation.get_language() or "en",
            )
            try:
                complaint, code = actions.submit_complaint(data, d.get("evidence") or [])
            except actions.ActionError as e:
                form.add_error(e.field if e.field in form.fields else None, e.message)
            else:
                request.session[SESSION_NEW_CODE] = code
                request.session[SESSION_CODE] = complaint.pk
                return redirect("public:complaint_received")
        # a failed submission keeps everything typed; files must be chosen again (browsers never refill them)
        return render(request, "public/complaint.html", {"form": form, "files_lost": bool(request.FILES)}, status=400)
    return render(request, "public/complaint.html", {"form": F.ComplaintForm()})


def complaint_received(request: HttpRequest) -> HttpResponse:
    code = request.session.pop(SESSION_NEW_CODE, None)
    if code is None:
        return redirect("public:track")
    complaint = get_object_or_404(WebComplaint.objects.select_related("case"), pk=request.session.get(SESSION_CODE))
    return render(request, "public/received.html", {"code": code, "complaint": complaint})


@rate_limited("tracking", base="public/base_public.html")
def track(request: HttpRequest) -> HttpResponse:
    form = F.TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        found = actions.find_by_code(form.cleaned_data["code"])
        if found is not None:
            request.session.cycle_key()
            request.session[SESSION_CODE] = found.pk
            return redirect("public:track_status")
        form.add_error("code", _("No complaint has this tracking code. Check it and try again."))
    return render(request, "public/track.html", {"form": form}, status=400 if form.errors else 200)


def _followed(request: HttpRequest) -> WebComplaint:
    pk = request.session.get(SESSION_CODE)
    complaint = WebComplaint.objects.select_related("case").filter(pk=pk).first() if pk else None
    if complaint is None:
        raise Http404
    return complaint


def track_status(request: HttpRequest) -> HttpResponse:
    if not request.session.get(SESSION_CODE):
        return redirect("public:track")
    complaint = _followed(request)
    return _status_page(request, complaint, F.AddInformationForm())


def _status_page(request: HttpRequest, complaint: WebComplaint, form: Any, status: int = 200) -> HttpResponse:
    case = complaint.case
    st = case_status(case, timezone.localdate())
    outcome = Publication.objects.filter(case=case, kind="summary").order_by("-published_at").first()
    others = Publication.objects.filter(case=case).exclude(kind="summary")
    return render(
        request,
        "public/status.html",
        {
            "complaint": complaint,
            "status": st,
            "outcome": outcome,
            "others": others,
            "form": form,
            "updates": complaint.updates.count(),
            "added": request.GET.get("added") == "1",
        },
        status=status,
    )


@require_POST
def track_add(request: HttpRequest) -> HttpResponse:
    complaint = _followed(request)
    form = F.AddInformationForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_information(complaint, form.cleaned_data["text"], form.cleaned_data.get("evidence") or [])
        except actions.ActionError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            return redirect(reverse("public:track_status") + "?added=1")
    return _status_page(request, complaint, form, status=400)


@require_POST
def track_leave(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_CODE, None)
    return redirect("public:home")


# --------------------------------------------------------------------------
# Published texts
# --------------------------------------------------------------------------


def _search(request: HttpRequest) -> tuple[Any, Any]:
    rules = _rules()
    form = F.SearchForm(
        request.GET or None,
        categories=list(rules.taxonomies["allegation_categories"].value),
        findings=list(rules.taxonomies["findings"].value) + list(rules.taxonomies["case_findings"].value),
    )
    qs = Publication.objects.all()
    if form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            for word in d["q"].split():
                qs = qs.filter(Q(title__icontains=word) | Q(text__icontains=word))
        if d["kind"]:
            qs = qs.filter(kind=d["kind"])
        if d["precinct"]:
            qs = qs.filter(precinct=d["precinct"])
        if d["start"]:
            qs = qs.filter(completed_on__gte=d["start"])
        if d["end"]:
            qs = qs.filter(completed_on__lte=d["end"])
        # JSON lists: filtered in Python for the same answer on SQLite and PostgreSQL
        rows = list(qs[:2000])
        if d["allegation"]:
            rows = [p for p in rows if d["allegation"] in p.allegations]
        if d["finding"]:
            rows = [p for p in rows if d["finding"] in p.findings]
        return form, rows
    return form, list(qs[:200])


def publications(request: HttpRequest) -> HttpResponse:
    form, rows = _search(request)
    return render(request, "public/publications.html", {"form": form, "rows": rows})


def publication(request: HttpRequest, pk: int) -> HttpResponse:
    pub = get_object_or_404(Publication.objects.select_related("case"), pk=pk)
    related = Publication.objects.filter(case=pub.case).exclude(pk=pub.pk)
    return render(request, "public/publication.html", {"pub": pub, "related": related})


def publications_csv(request: HttpRequest) -> HttpResponse:
    _form, rows = _search(request)
    resp = HttpResponse(content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="opa-published.csv"'
    w = csv.writer(resp)
    w.writerow(
        [
            "case",
            "kind",
            "title",
            "allegations",
            "findings",
            "precinct",
            "completed_on",
            "published_on",
            "discipline_appealed",
            "status",
            "text",
        ]
    )
    for p in rows:
        w.writerow(
            [
                p.case.number,
                p.kind,
                p.title,
                ";".join(p.allegations),
                ";".join(p.findings),
                p.precinct,
                p.completed_on,
                p.published_on,
                p.discipline_appealed,
                p.status,
                p.text,
            ]
        )
    return resp


def library(request: HttpRequest) -> HttpResponse:
    docs = LibraryDocument.objects.all()
    groups = [(label, [d for d in docs if d.kind == kind]) for kind, label in LIBRARY_KINDS]
    return render(request, "public/library.html", {"groups": groups})


def library_document(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "public/library_document.html", {"doc": get_object_or_404(LibraryDocument, pk=pk)})


def statistics(request: HttpRequest) -> HttpResponse:
    """Findings by allegation in published summaries, small cells suppressed."""
    rules = _rules()
    cats = list(rules.taxonomies["allegation_categories"].value)
    finds = list(rules.taxonomies["findings"].value)
    counts: dict[tuple[str, str], int] = {}
    for allegations, findings in Publication.objects.filter(kind="summary").values_list("allegations", "findings"):
        for a in set(allegations):
            for f in set(findings):
                counts[(a, f)] = counts.get((a, f), 0) + 1
    used = [c for c in cats if any(counts.get((c, f)) for f in finds)]
    threshold = rules.publication.min_cell  # SMC 3.29.320.B: the profile's publication threshold
    table = suppress(counts, used, finds, threshold)
    body = []
    for i, row in enumerate([*used, None]):
        body.append((row, [table.shown(i, j) for j in range(len(finds) + 1)]))
    from oversight.reports.public import figures_by_year
    from oversight.reports.svg import chart_for

    yearly = figures_by_year(timezone.localdate())
    annual = LibraryDocument.objects.filter(
        kind="opa_report", title__startswith="Office of Police Accountability: annual"
    )
    return render(
        request,
        "public/statistics.html",
        {
            "finds": finds,
            "body": body,
            "threshold": threshold,
            "yearly": yearly,
            "yearly_chart": chart_for(yearly) if yearly.rows else "",
            "annual_reports": annual.order_by("-effective_on")[:10],
        },
    )


# --------------------------------------------------------------------------
# The digest
# --------------------------------------------------------------------------


def digest(request: HttpRequest) -> HttpResponse:
    form = F.SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.subscribe(form.cleaned_data["email"], translation.get_language() or "en")
        except actions.ActionError as e:
            form.add_error("email", e.message)
        else:
            return render(request, "public/digest_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "public/digest.html", {"form": form}, status=400 if form.errors else 200)


def digest_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        actions.confirm_subscription(token)
    except actions.ActionError as e:
        return render(request, "public/message.html", {"title": _("Not confirmed"), "text": e.message}, status=404)
    return render(
        request,
        "public/message.html",
        {"title": _("Subscription confirmed"), "text": _("You will receive the monthly digest.")},
    )


def digest_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            actions.unsubscribe(token)
        except actions.ActionError as e:
            return render(request, "public/message.html", {"title": _("Not found"), "text": e.message}, status=404)
        return render(
            request,
            "public/message.html",
            {"title": _("Unsubscribed"), "text": _("You will not receive the digest any more.")},
        )
    return render(request, "public/unsubscribe.html", {"token": token})


# --------------------------------------------------------------------------
# Staff: review and publish
# --------------------------------------------------------------------------


def _publish_initial(request: HttpRequest) -> dict[str, Any]:
    """A summary of the case named in the query, with its findings as they stand ticked."""
    number = request.GET.get("case", "").strip()
    initial: dict[str, Any] = {"case": number, "kind": "summary"}
    case = Case.objects.filter(number=number).first() if number else None
    if case is None or not access.reads(request.user, case, access.A.DISCIPLINE):
        return initial
    from oversight.discipline.actions import current_findings, final_finding

    found = {f.finding for stages in current_findings(case).values() if (f := final_finding(stages)) is not None}
    if case.management_actions.exists():
        found.add("management_action")
    initial["findings"] = sorted(found)
    initial["title"] = "Completed investigation summary"
    return initial


@login_required
def staff_publish(request: HttpRequest) -> HttpResponse:
    """Write, preview (every redaction listed), then publish exactly what was previewed."""
    access.require(request.user, "publish")
    form = F.PublishForm(request.POST or None, initial=_publish_initial(request))
    ctx: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        case = Case.objects.filter(number=d["case"].strip()).first()
        if case is None:
            form.add_error("case", f"No case is numbered {d['case']!r}.")
        elif "publish" in request.POST:
            try:
                pub = actions.publish(
                    request.user,
                    case,
                    kind=d["kind"],
                    title=d["title"],
                    text=d["text"],
                    reviewed=d["reviewed"],
                    allegations=list(d["allegations"]) or None,
                    findings=list(d["findings"]),
                    status=d["status"],
                )
            except actions.ActionError as e:
                form.add_error(e.field if e.field in form.fields and e.field != "reviewed" else None, e.message)
            else:
                return redirect("public:publication", pk=pub.pk)
        if case is not None and not form.errors:
            preview = actions.preview(case, d["text"])
            data = request.POST.copy()
            data["reviewed"] = preview.text
            form = F.PublishForm(data)
            form.is_valid()
            ctx.update(form=form, preview=preview, title_preview=actions.preview(case, d["title"]).text, case=case)
    return render(request, "public/staff_publish.html", ctx, status=400 if form.errors else 200)


@login_required
def staff_library(request: HttpRequest) -> HttpResponse:
    """Post an agreement or a report to the public library, after seeing what the redaction removes."""
    access.require(request.user, "library")
    form = F.LibraryForm(request.POST or None)
    ctx: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if "publish" in request.POST:
            try:
                doc = actions.add_library_document(
                    request.user,
                    kind=d["kind"],
                    title=d["title"],
                    text=d["text"],
                    url=d["url"],
                    effective_on=d["effective_on"],
                    reviewed=request.POST.get("reviewed", ""),
                )
            except actions.ActionError as e:
                form.add_error(e.field if e.field in form.fields else None, e.message)
            else:
                return redirect("public:library_document", pk=doc.pk)
        if not form.errors:
            ctx["preview"] = actions.preview(None, d["text"])
    return render(request, "public/staff_library.html", ctx, status=400 if form.errors else 200)


# --------------------------------------------------------------------------
# Staff: what the complainant sent, on the case page
# --------------------------------------------------------------------------


@login_required
def staff_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """A file the complainant sent; for those who read what they sent. Every download is recorded."""
    ev = get_object_or_404(WebEvidence.objects.select_related("complaint__case"), pk=pk)
    case = ev.complaint.case
    access.require_read(request.user, case, access.A.ADDITIONS)
    from oversight.cases.actions import audit

    audit(request.user, "download_web_evidence", case, web_evidence=ev.pk, sha256=ev.sha256)
    name = access.Reader(request.user, case).redact(ev.name)  # the name may carry someone's identity
    import io

    from oversight.uploads import read_stored

    return FileResponse(io.BytesIO(read_stored(ev.file)), as_attachment=True, filename=name)


@login_required
@require_POST
def mark_read(request: HttpRequest, number: str) -> HttpResponse:
    case = get_object_or_404(Case, number=number)
    web = get_object_or_404(WebComplaint, case=case)
    access.require_read(request.user, case, access.A.ADDITIONS)
    try:
        actions.mark_read(request.user, web)
    except actions.ActionError as e:
        from oversight.cases.page import render_case
        from oversight.home.registry import Failed

        return render_case(request, case, failed=Failed("read_additions", str(e)), status=400)
    messages.success(request, "Marked as read.")
    return redirect(reverse("cases:detail", args=[case.number]) + "#sent")
