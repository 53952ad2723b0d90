"""Thin views for OIG's workspace: parse, call ``oversight.oig.actions``, render. They never write."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oversight import access
from oversight.accounts.security import rate_limited
from oversight.cases.clock import rules_for
from oversight.cases.models import Case
from oversight.cases.page import render_case
from oversight.home.registry import Failed
from oversight.labels import label_for
from oversight.rules import classification as rc

from . import actions
from .models import (
    CRITERIA,
    HOTLINE_STATUSES,
    HOTLINE_TOPICS,
    REPORTER_KINDS,
    AuditItem,
    ClassificationAudit,
    ConflictClassification,
    HotlineReport,
    WithheldItemization,
)
from .review import current_policy, queue, review_state


def _oig_only(request: HttpRequest, what: str, action: str = "record_determination") -> None:
    """OIG's own pages: for those the access model lets take ``action`` (OIG's staff)."""
    if not access.may(request.user, action):
        raise access.Refused(
            f"{what} is OIG's: the OIG auditor and the Inspector General only.",
            cite="SMC 3.29.105.A",
            what=f"to open {what[0].lower() + what[1:]}",
        )


def _date(value: str | None, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise actions.ActionError(field, f"{value!r} is not a date (YYYY-MM-DD)") from None


def _int(value: str | None, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise actions.ActionError(field, f"{value!r} is not a whole number") from None


def _said(e: actions.ActionError) -> str:
    """Bad input as staff read it: the field in words (``items[1].legal_basis``: "Legal basis of
    item 2"), then what is wrong."""
    m = re.fullmatch(r"(\w+)\[(\d+)\]\.(\w+)", e.field)
    what = f"{label_for('field', m[3])} of item {int(m[2]) + 1}" if m else label_for("field", e.field)
    return f"{what[:1].upper()}{what[1:]}: {e.message}"


def _attempt(request: HttpRequest, call: Callable[[], Any], done: str) -> str | None:
    """Run an action; on bad input or refusal return the message to show (nothing was saved)."""
    try:
        call()
    except actions.ActionError as e:
        return _said(e)
    except (PermissionDenied, rc.ClassificationRefused) as e:
        return str(e)
    messages.success(request, done)
    return None


# --------------------------------------------------------------------------
# Review queue and a case's review
# --------------------------------------------------------------------------


@login_required
def queue_view(request: HttpRequest) -> HttpResponse:
    _oig_only(request, "The review queue")
    today = timezone.localdate()
    return render(request, "oig/queue.html", {"rows": queue(today), "today": today, "policy": current_policy()})


def _case_for(request: HttpRequest, number: str, action: str | None = None) -> Case:
    """The case, for one who reads it (and, with ``action``, may take it on this case:
    refused with the site's refusal page before anything posted is read)."""
    case = get_object_or_404(Case, number=number)
    access.require_read(request.user, case)
    if action is not None:
        access.require(request.user, action, case)
    return case


def _failed(request: HttpRequest, case: Case, action: str, error: str) -> HttpResponse:
    return render_case(request, case, failed=Failed(action, error, None, request.POST), status=400)


@login_required
def case_view(request: HttpRequest, number: str) -> HttpResponse:
    """OIG's review is a section of the one case page."""
    case = _case_for(request, number)
    return redirect(reverse("cases:detail", args=[case.number]) + "#oig")


def _back(case: Case) -> HttpResponse:
    return redirect(reverse("cases:detail", args=[case.number]) + "#oig")


@login_required
@require_POST
def determine(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_for(request, number, "record_determination")
    p = request.POST

    def call() -> Any:
        return actions.record_determination(
            request.user,
            case,
            p.get("outcome", ""),
            criteria={k: p.get(f"criterion_{k}", "") for k, _ in CRITERIA},
            reasons=p.get("reasons", ""),
            further_kind=p.get("further_kind", ""),
            further_investigation=p.get("further_investigation", ""),
            cannot_remedy=p.get("cannot_remedy") == "on",
            on=_date(p.get("decided_on"), "decided_on"),
        )

    error = _attempt(request, call, "OIG's determination was recorded; the memorandum is in the case file.")
    return _failed(request, case, "determine", error) if error else _back(case)


@login_required
@require_POST
def direct(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_for(request, number, "direct_review")
    error = _attempt(
        request,
        lambda: actions.direct_review(request.user, case, request.POST.get("reason", "")),
        "OIG directed that this investigation be submitted for review.",
    )
    return _failed(request, case, "direct", error) if error else _back(case)


@login_required
@require_POST
def classification_input(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_for(request, number, "classification_input")
    p = request.POST
    error = _attempt(
        request,
        lambda: actions.give_classification_input(
            request.user,
            case,
            proposed=p.get("proposed", ""),
            concur=p.get("concur") == "on",
            comment=p.get("comment", ""),
        ),
        "OIG's input on the proposed classification was recorded.",
    )
    return _failed(request, case, "classification_input", error) if error else _back(case)


@login_required
def policy_view(request: HttpRequest) -> HttpResponse:
    _oig_only(request, "OIG's review policy")
    error = None
    if request.method == "POST":
        access.require(request.user, "set_review_policy")
        p = request.POST
        error = _attempt(
            request,
            lambda: actions.set_review_policy(
                request.user,
                mode=p.get("mode", ""),
                chosen=[c for v in p.getlist("chosen") for c in v.split(",")],
                preclassification=p.get("preclassification") == "on",
                reason=p.get("reason", ""),
            ),
            "OIG's review policy was changed.",
        )
        if not error:
            return redirect("oig:policy")
    today = timezone.localdate()
    policy = current_policy()
    return render(
        request,
        "oig/policy.html",
        {
            "policy": policy,
            "error": error,
            "post": request.POST if error else {},
            "may_set": access.may(request.user, "set_review_policy"),
            "categories": [
                (c, label_for("category", c, today)) for c in rules_for(today).taxonomies["allegation_categories"].value
            ],
            "chosen": request.POST.getlist("chosen") if error else (policy.chosen if policy else []),
        },
        status=400 if error else 200,
    )


# --------------------------------------------------------------------------
# Quarterly classification audits
# --------------------------------------------------------------------------


@login_required
def audits_view(request: HttpRequest) -> HttpResponse:
    _oig_only(request, "Classification audits", "run_audit")
    error = None
    if request.method == "POST":
        p = request.POST
        made: list[ClassificationAudit] = []

        def call() -> None:
            made.append(
                actions.create_audit(
                    request.user,
                    _int(p.get("year"), "year") or 0,
                    _int(p.get("quarter"), "quarter") or 0,
                    _int(p.get("seed"), "seed"),
                )
            )

        error = _attempt(request, call, "The sample was drawn.")
        if not error:
            return redirect("oig:audit", pk=made[0].pk)
    today = timezone.localdate()
    last_q = (today.month - 1) // 3  # the quarter before this one
    default = (today.year, last_q) if last_q else (today.year - 1, 4)
    schedule = rules_for(today).schedules.get("classification_audit")
    prior_done = ClassificationAudit.objects.filter(year=default[0], quarter=default[1]).exists()
    return render(
        request,
        "oig/audits.html",
        {
            "audits": ClassificationAudit.objects.all(),
            "error": error,
            "post": request.POST if error else {},
            "default_year": default[0],
            "default_quarter": default[1],
            "schedule": schedule,
            "prior_done": prior_done,
        },
        status=400 if error else 200,
    )


@login_required
def audit_view(request: HttpRequest, pk: int) -> HttpResponse:
    _oig_only(request, "A classification audit", "run_audit")
    audit = get_object_or_404(ClassificationAudit, pk=pk)
    error = None
    if request.method == "POST":
        p = request.POST
        if p.get("item"):
            item = get_object_or_404(AuditItem, pk=_int(p.get("item"), "item") or 0, audit=audit)
            error = _attempt(
                request,
                lambda: actions.check_audit_item(
                    request.user,
                    item,
                    classification_appropriate=p.get("appropriate") == "yes",
                    allegations_identified=p.get("allegations") == "yes",
                    employees_identified=p.get("employees") == "yes",
                    notes=p.get("notes", ""),
                ),
                f"{item.case.number} checked.",
            )
        else:
            access.require(request.user, "publish_audit")
            error = _attempt(
                request,
                lambda: actions.publish_audit(
                    request.user,
                    audit,
                    findings=p.get("findings", ""),
                    recommendations=p.get("recommendations", ""),
                ),
                "The audit report was published.",
            )
        if not error:
            return redirect("oig:audit", pk=audit.pk)
        audit.refresh_from_db()
    items = audit.items.select_related("case")
    return render(
        request,
        "oig/audit.html",
        {
            "audit": audit,
            "items": items,
            "error": error,
            "post": request.POST if error else {},
            "may_publish": access.may(request.user, "publish_audit"),
        },
        status=400 if error else 200,
    )


def audit_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The public report of a published audit: results and recommendations, no named employee."""
    audit = get_object_or_404(ClassificationAudit, pk=pk)
    if audit.published_on is None:
        raise Http404("No published audit report")
    return render(request, "oig/audit_report.html", {"audit": audit})


# --------------------------------------------------------------------------
# The hotline
# --------------------------------------------------------------------------


# What a reporter reads when the hotline cannot take what was sent (in their language).
def _hotline_error(e: actions.ActionError) -> str:
    if e.field == "text":
        return _("Write what you want to report; the report is empty.")
    if e.field == "code":
        return (
            _("No report has this code. Check it and try again.")
            if e.message != "is required"
            else _("Enter the code you were given.")
        )
    if e.field in ("topic", "reporter_kind"):
        return _("Choose one of the listed answers.")
    return _("The report could not be sent.")


@rate_limited("hotline", base="oig/base_public.html")
def hotline(request: HttpRequest) -> HttpResponse:
    """Public: no account needed."""
    ctx: dict[str, Any] = {"topics": HOTLINE_TOPICS, "kinds": REPORTER_KINDS}
    if request.method == "POST":
        p = request.POST
        try:
            _, code = actions.hotline_submit(
                text=p.get("text", ""),
                topic=p.get("topic", "general"),
                reporter_kind=p.get("reporter_kind", "public"),
                reporter_name=p.get("reporter_name", ""),
                reporter_contact=p.get("reporter_contact", ""),
            )
        except actions.ActionError as e:
            ctx |= {"error": _hotline_error(e), "error_field": e.field, "post": p}
            return render(request, "oig/hotline.html", ctx, status=400)
        return render(request, "oig/hotline_code.html", {"code": code})
    return render(request, "oig/hotline.html", ctx | {"post": {}})


@rate_limited("hotline_code", base="oig/base_public.html")
def hotline_status(request: HttpRequest) -> HttpResponse:
    """Public: the reporter sees the status and OIG's messages, and adds information, with the code.
    The code travels in a POST body only, never in a URL that logs and histories keep."""
    if request.method != "POST":
        return render(request, "oig/hotline_status.html", {"report": None})
    p = request.POST
    code = (p.get("code") or "").strip()
    error = None
    report = None
    try:
        report = actions.hotline_find(code)
        if "text" in p:
            actions.hotline_add(code, p.get("text", ""))
            messages.success(request, _("Your information was added."))
    except actions.ActionError as e:
        error = _hotline_error(e)
    return render(
        request,
        "oig/hotline_status.html",
        {
            "report": report,
            "code": code if report else "",
            "error": error,
            "post": p if error else {},
            "thread": report.messages.all() if report else [],
        },
        status=400 if error else 200,
    )


@login_required
def hotline_inbox(request: HttpRequest) -> HttpResponse:
    _oig_only(request, "The hotline's reports", "handle_hotline")
    access.require_read(request.user, None, access.A.HOTLINE, record="the hotline's inbox")
    return render(request, "oig/hotline_inbox.html", {"reports": HotlineReport.objects.all()})


@login_required
def hotline_report(request: HttpRequest, pk: int) -> HttpResponse:
    _oig_only(request, "A hotline report", "handle_hotline")
    report = get_object_or_404(HotlineReport, pk=pk)
    access.require_read(request.user, None, access.A.HOTLINE, record=f"hotline report {report.pk}")
    error = None
    if request.method == "POST":
        error = _attempt(
            request,
            lambda: actions.hotline_answer(
                request.user, report, status=request.POST.get("status", ""), text=request.POST.get("text", "")
            ),
            "Saved.",
        )
        if not error:
            return redirect("oig:hotline_report", pk=report.pk)
    return render(
        request,
        "oig/hotline_report.html",
        {
            "report": report,
            "thread": report.messages.all(),
            "statuses": HOTLINE_STATUSES,
            "error": error,
            "post": request.POST if error else {},
        },
        status=400 if error else 200,
    )


# --------------------------------------------------------------------------
# Records withheld; conflict complaints
# --------------------------------------------------------------------------


@login_required
def withheld_view(request: HttpRequest) -> HttpResponse:
    _oig_only(request, "Records withheld from OIG", "record_withheld")
    error = None
    if request.method == "POST":
        p = request.POST
        items = [
            {"description": d, "legal_basis": b}
            for d, b in zip(p.getlist("description"), p.getlist("legal_basis"), strict=False)
            if d.strip() or b.strip()
        ]
        error = _attempt(
            request,
            lambda: actions.record_withheld(
                request.user,
                department=p.get("department", ""),
                request=p.get("request", ""),
                items=items,
                received_on=_date(p.get("received_on"), "received_on"),
            ),
            "The itemization was recorded.",
        )
        if not error:
            return redirect("oig:withheld")
    return render(
        request,
        "oig/withheld.html",
        {
            "itemizations": WithheldItemization.objects.select_related("recorded_by").prefetch_related("items"),
            "error": error,
            "post": request.POST if error else {},
            "rows": range(3),
        },
        status=400 if error else 200,
    )


@login_required
def conflicts_view(request: HttpRequest) -> HttpResponse:
    _oig_only(request, "OIG's conflict intake", "classify_conflict")
    error = None
    if request.method == "POST":
        p = request.POST
        case = get_object_or_404(Case, number=p.get("case", ""))
        error = _attempt(
            request,
            lambda: actions.classify_conflict(request.user, case, p.get("classification", ""), p.get("rationale", "")),
            f"{case.number} classified by OIG.",
        )
        if not error:
            return redirect("oig:conflicts")
    today = timezone.localdate()
    rows = []
    for case in Case.objects.filter(routed_to="oig").order_by("number"):
        st = review_state(case, today)
        inv = next((d for d in st.timeline["deadlines"] if d["id"] == "investigation"), None)
        last = ConflictClassification.objects.filter(case=case).order_by("-pk").first()
        rows.append({"case": case, "investigation": inv, "classification": last})
    return render(
        request,
        "oig/conflicts.html",
        {
            "rows": rows,
            "classifications": [
                (c, label_for("classification", c, today)) for c in rules_for(today).taxonomies["classifications"].value
            ],
            "error": error,
            "post": request.POST if error else {},
        },
        status=400 if error else 200,
    )


def home(request: HttpRequest) -> HttpResponse:
    if access.may(request.user, "record_determination"):
        return redirect(reverse("oig:queue"))
    return redirect(reverse("oig:hotline"))


# --------------------------------------------------------------------------
# Who read what; the chain's checkpoints; case files disposed of
# --------------------------------------------------------------------------

READS_PAGE = 100


@login_required
def reads_view(request: HttpRequest) -> HttpResponse:
    """Every showing (and refusal) of people's identity, evidence, what complainants sent,
    discipline and hotline reports: who, with which roles, what, which case, when, from where.
    POST verifies the chain and the seals now and shows the result."""
    from django.core.paginator import Paginator

    from oversight.cases.integrity import verify
    from oversight.cases.models import READ_OUTCOMES, ChainCheckpoint, ReadRecord

    access.require(request.user, "review_reads")
    q = request.GET
    qs = ReadRecord.objects.select_related("user", "case")
    chosen = {k: (q.get(k) or "").strip() for k in ("case", "user", "part", "outcome", "ip")}
    if chosen["case"]:
        qs = qs.filter(case__number__icontains=chosen["case"])
    if chosen["user"]:
        qs = qs.filter(user__username__iexact=chosen["user"])
    if chosen["part"] in access.SENSITIVE:
        qs = qs.filter(part=chosen["part"])
    if chosen["outcome"] in dict(READ_OUTCOMES):
        qs = qs.filter(outcome=chosen["outcome"])
    if chosen["ip"]:
        qs = qs.filter(ip=chosen["ip"]) if _looks_like_ip(chosen["ip"]) else qs.none()
    page = Paginator(qs, READS_PAGE).get_page(q.get("page"))
    verdict = verify() if request.method == "POST" else None
    params = q.copy()
    params.pop("page", None)
    return render(
        request,
        "oig/reads.html",
        {
            "page": page,
            "chosen": chosen,
            "parts": [(p, label_for("part", p)) for p in sorted(access.SENSITIVE, key=lambda p: label_for("part", p))],
            "outcomes": READ_OUTCOMES,
            "checkpoints": ChainCheckpoint.objects.all()[:10],
            "verdict": verdict,
            "querystring": params.urlencode(),
        },
    )


def _looks_like_ip(value: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


@login_required
def retention_view(request: HttpRequest) -> HttpResponse:
    """Case files disposed of (who, when, on what basis, what) and the legal holds in place."""
    from oversight.cases.models import Disposal, LegalHold

    access.require(request.user, "review_reads")
    return render(
        request,
        "oig/retention.html",
        {
            "disposals": Disposal.objects.select_related("case", "disposed_by")[:200],
            "holds": LegalHold.objects.select_related("case", "placed_by", "released_by")[:200],
        },
    )
