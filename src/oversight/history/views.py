"""Staff pages of early intervention (/history/): the alerts for SPD command and OIG, how each
was handled, OIG's audit of the handling with the efficacy numbers and reports (SMC 3.29.305.E,
3.29.110.A.3.e), and a named employee's history by pseudonym (3.29.315.F), every view of which
is recorded (the read audit, /oig/reads/). Named employees appear by pseudonym; no name here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from oversight import access
from oversight.cases.actions.base import ActionError

from . import actions, alerts, database
from .models import HANDLING, AlertHandling, EfficacyReport
from .public_views import display


def _need(request: HttpRequest, action: str) -> None:
    """Refused (the site's refusal page, saying who may) unless the access model lets them."""
    access.require(request.user, action)


def _alert_rows(found: list[Any], handled: dict[str, AlertHandling]) -> list[dict[str, Any]]:
    return [{"alert": a, "handling": handled.get(a.key), "because": a.because()} for a in found]


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    _need(request, "handle_alert" if request.method == "POST" else "view_alerts")
    error = None
    form: dict[str, str] = {}
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in ("alert", "action", "note")}
        try:
            actions.handle_alert(request.user, form["alert"], form["action"], form["note"])
        except ActionError as e:
            error = str(e)
        else:
            messages.success(request, "Recorded.")
            return redirect("history:alerts")
    found = alerts.current()
    ctx = {
        "rows": _alert_rows(found, alerts.handled()),
        "thresholds": alerts.thresholds(),
        "counts": alerts.level_counts(found),
        "may_handle": access.may(request.user, "handle_alert"),
        "may_audit": access.may(request.user, "audit_alerts"),
        "may_report": access.may(request.user, "report_efficacy"),
        "reports": EfficacyReport.objects.all()[:5],
        "period": {"start": dt.date(timezone.localdate().year - 1, 1, 1), "end": timezone.localdate()},
        "may_history": access.A.reads(access.roles_of(request.user), access.A.EMPLOYEE_HISTORY, None),
        "handling": HANDLING,
        "error": error,
        "form": form,
    }
    return render(request, "history/alerts.html", ctx, status=400 if error else 200)


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    """OIG's audit of how alerts were handled, and the efficacy reports (SMC 3.29.110.A.3.e, 3.29.305.E)."""
    # OIG reads the audit; the Chief (SPD) and the Inspector General post efficacy reports to it
    _need(request, "report_efficacy" if request.method == "POST" else "audit_alerts")
    error = None
    form: dict[str, str] = {}
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in ("period_start", "period_end", "findings")}
        try:
            a = dt.date.fromisoformat(form["period_start"])
            b = dt.date.fromisoformat(form["period_end"])
        except ValueError:
            error = "period: give the first and last day as YYYY-MM-DD"
        else:
            try:
                actions.report_efficacy(request.user, a, b, form["findings"])
            except ActionError as e:
                error = str(e)
            else:
                messages.success(request, "Report recorded.")
                return redirect("history:audit" if access.may(request.user, "audit_alerts") else "history:alerts")
    found = alerts.current()
    handlings = list(AlertHandling.objects.select_related("handled_by"))
    today = timezone.localdate()
    ctx = {
        "rows": _alert_rows(found, alerts.handled()),
        "handlings": handlings,
        "numbers": alerts.efficacy(found, handlings),
        "reports": EfficacyReport.objects.select_related("recorded_by"),
        "may_report": access.may(request.user, "report_efficacy"),
        "error": error,
        "form": form or {"period_start": dt.date(today.year - 1, 1, 1).isoformat(), "period_end": today.isoformat()},
    }
    return render(request, "history/audit.html", ctx, status=400 if error else 200)


@login_required
def employee(request: HttpRequest, pseudonym: str) -> HttpResponse:
    """A named employee's history across cases and datasets, by pseudonym: complaints, findings,
    discipline, uses of force and stops (SMC 3.29.315.F). Every view is recorded."""
    access.require_read(request.user, None, access.A.EMPLOYEE_HISTORY, record=f"named employee {pseudonym}")
    rows = [r for r in database.rows() if r["named_employee"] == pseudonym]
    records = [r for r in alerts.case_records() if r.who == pseudonym] + alerts.data_records({pseudonym})
    found = alerts.alerts(records, alerts.thresholds())
    complaints = sorted({(r["case_number"], r["source"]) for r in rows})
    ctx = {
        "pseudonym": pseudonym,
        "rows": [
            {
                **r,
                "category_label": display("allegation_category", r["allegation_category"]),
                "finding_label": display("finding", r["finding"]),
                "discipline_label": display("discipline", r["discipline"]) if r["discipline"] else "",
                "source_label": display("source", r["source"]),
            }
            for r in rows
        ],
        "complaints": complaints,
        "open_complaints": sorted({r.ref for r in records if r.measure == "complaints"} - {c for c, _ in complaints}),
        "force": sorted((r for r in records if r.measure == "force"), key=lambda r: r.on, reverse=True),
        "frisks": sorted((r for r in records if r.measure == "frisks"), key=lambda r: r.on, reverse=True),
        "alerts": found,
    }
    return render(request, "history/employee.html", ctx)
