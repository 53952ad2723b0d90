"""The tracker's pages: for staff (with the case a recommendation came from, to those who read
it) and for the public (every recommendation and its status, never a case), with a CSV and an
Atom feed of changes."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oversight import access
from oversight.cases.actions import ActionError
from oversight.rules import access as A
from oversight.rules import recommendations as rr

from . import actions
from . import forms as F
from .models import ADDRESSEES, CATEGORIES, ISSUERS, CityNotice, Recommendation, RecommendationEvent
from .templatetags.rec_tags import FILTER_LABELS

STATUS_CHOICES = [("awaiting", "Awaiting the written answer (on time or overdue)"), *rr.STATUS_LABELS.items()]
FILTERS = {"issuer": ISSUERS, "addressee": ADDRESSEES, "category": CATEGORIES, "status": STATUS_CHOICES}


@dataclass
class Row:
    rec: Recommendation
    status: rr.Status
    title: str = ""  # as the reader may read it


def _filtered(q: Any, today: dt.date, public: bool = False) -> tuple[list[Row], dict[str, str], list[str]]:
    """The recommendations the query string selects, each with its status; the chosen filters;
    what was wrong with the query, in words. On public pages the words match the published text
    (a case's people redacted), so that no one can find a recommendation by a person's name."""
    chosen: dict[str, str] = {}
    problems: list[str] = []
    qs = Recommendation.objects.prefetch_related("events")
    for name, choices in FILTERS.items():
        value = q.get(name) or ""
        if not value:
            continue
        if value not in dict(choices):
            problems.append(
                _("%(field)s: %(value)s is not one of the choices; showing all.")
                % {"field": _(FILTER_LABELS.get(name, name)), "value": repr(value)}
            )
            continue
        chosen[name] = value
        if name != "status":
            qs = qs.filter(**{name: value})
    year = q.get("year") or ""
    if year:
        if year.isdigit() and 1900 < int(year) < 3000:
            chosen["year"] = year
            qs = qs.filter(issued_on__year=int(year))
        else:
            problems.append(_("Year: %(value)s is not a year; showing all years.") % {"value": repr(year)})
    words = (q.get("q") or "").strip()
    if words:
        chosen["q"] = words
        from django.db.models import Q

        qs = qs.filter(Q(title__icontains=words) | Q(text__icontains=words) | Q(number__icontains=words))
    rows = [Row(r, actions.status_of(r, today)) for r in qs]
    if words and public:
        low = words.lower()
        rows = [
            r
            for r in rows
            if r.rec.case_id is None
            or any(low in actions.public_text(r.rec, t).lower() for t in (r.rec.title, r.rec.text, r.rec.number))
        ]
    st = chosen.get("status")
    if st == "awaiting":
        rows = [r for r in rows if r.status.awaiting_answer]
    elif st:
        rows = [r for r in rows if r.status.status == st]
    return rows, chosen, problems


def _years() -> list[int]:
    return sorted({d.year for d in Recommendation.objects.values_list("issued_on", flat=True)}, reverse=True)


def _counts(rows: list[Row]) -> list[tuple[str, int]]:
    n: dict[str, int] = {}
    for r in rows:
        n[r.status.label] = n.get(r.status.label, 0) + 1
    return sorted(n.items(), key=lambda x: -x[1])


# --------------------------------------------------------------------------
# Staff
# --------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "track_recommendations")
    today = timezone.localdate()
    rows, chosen, problems = _filtered(request.GET, today)
    for r in rows:
        r.title = actions.shown_text(request.user, r.rec, r.rec.title)
    return render(
        request,
        "recommendations/index.html",
        {
            "rows": rows,
            "chosen": chosen,
            "problems": problems,
            "filters": FILTERS,
            "years": _years(),
            "counts": _counts(rows),
            "may_issue": access.may(request.user, "issue_recommendation"),
            "may_notice": access.may(request.user, "record_city_notice"),
            "today": today,
        },
    )


@login_required
def new(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "issue_recommendation")
    bodies = actions.bodies_of(request.user)
    form = F.IssueForm(request.POST or None, bodies=bodies)
    error = ""
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            rec = actions.issue(
                request.user,
                body=d["body"],
                addressee=d["addressee"],
                title=d["title"],
                text=d["text"],
                category=d["category"],
                issued_on=d["issued_on"],
                report_title=d["report_title"],
                needs_funding=d["needs_funding"],
                needs_state_legislation=d["needs_state_legislation"],
            )
        except ActionError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
            error = str(e)
        else:
            due = actions.status_of(rec).answer_due
            messages.success(
                request, f"{rec.number} issued" + (f"; the written answer is due by {due}." if due else ".")
            )
            return redirect("recommendations:detail", rec.number)
    status = 400 if request.method == "POST" else 200
    return render(request, "recommendations/new.html", {"form": form, "error": error}, status=status)


def _detail_context(request: HttpRequest, rec: Recommendation, **extra: Any) -> dict[str, Any]:
    user = request.user
    case_link = None
    if rec.case is not None and access.reads(user, rec.case, A.CASE):
        case_link = reverse("cases:detail", args=[rec.case.number])
    st = actions.status_of(rec)
    may_answer = actions.may_answer(user, rec) and st.status != rr.WITHDRAWN
    reader = access.Reader(user, rec.case) if rec.case is not None else None
    shown = reader.redact if reader is not None else (lambda t: t)
    events = list(rec.events.all())
    for e in events:
        e.shown = shown(e.text)  # type: ignore[attr-defined]
    return {
        "rec": rec,
        "status": st,
        "events": events,
        "shown_title": shown(rec.title),
        "shown_text": shown(rec.text),
        "case_link": case_link,
        "from_case": rec.case is not None,
        "may_answer": may_answer,
        "may_withdraw": access.may(user, "withdraw_recommendation")
        and rec.issuer in actions.bodies_of(user)
        and st.status != rr.WITHDRAWN,
        "answer_form": extra.pop("answer_form", None) or F.AnswerForm(),
        "withdraw_form": extra.pop("withdraw_form", None) or F.WithdrawForm(),
        "notices": list(rec.city_notices.all()),
        **extra,
    }


@login_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    access.require(request.user, "track_recommendations")
    rec = get_object_or_404(Recommendation, number=number)
    return render(request, "recommendations/detail.html", _detail_context(request, rec))


@login_required
@require_POST
def act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    rec = get_object_or_404(Recommendation, number=number)
    if action == "answer":
        access.require(request.user, "answer_recommendation")
        form: Any = F.AnswerForm(request.POST)
        key = "answer_form"
    elif action == "withdraw":
        access.require(request.user, "withdraw_recommendation")
        form = F.WithdrawForm(request.POST)
        key = "withdraw_form"
    else:
        raise Http404("No such action")
    error = ""
    if form.is_valid():
        d = form.cleaned_data
        try:
            if action == "answer":
                actions.record(request.user, rec, kind=d["kind"], on=d["on"], text=d["text"], by_whom=d["by_whom"])
            else:
                actions.withdraw(request.user, rec, on=d["on"], reason=d["reason"])
        except ActionError as e:
            error = e.message if e.field == "kind" else str(e)
        else:
            messages.success(request, f"{rec.number}: recorded. Status now: {actions.status_of(rec).label}.")
            return redirect("recommendations:detail", rec.number)
    else:
        error = "; ".join(
            f"{form.fields[f].label or f}: {' '.join(m)}" for f, m in form.errors.items() if f in form.fields
        )
    ctx = _detail_context(request, rec, **{key: form}, error=error, failed=action)
    return render(request, "recommendations/detail.html", ctx, status=400)


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "track_recommendations")
    may = access.may(request.user, "record_city_notice")
    form = F.CityNoticeForm(request.POST or None)
    error = ""
    if request.method == "POST":
        access.require(request.user, "record_city_notice")
        if form.is_valid():
            d = form.cleaned_data
            numbers = [n.strip() for n in (d["numbers"] or "").split(",") if n.strip()]
            found = {r.number: r for r in Recommendation.objects.filter(number__in=numbers)}
            missing = [n for n in numbers if n not in found]
            if missing:
                form.add_error("numbers", f"no recommendation numbered {', '.join(missing)}")
            else:
                try:
                    actions.record_city_notice(
                        request.user, kind=d["kind"], on=d["on"], text=d["text"], recommendations=list(found.values())
                    )
                except ActionError as e:
                    error = str(e)
                else:
                    messages.success(request, "Recorded.")
                    return redirect("recommendations:notices")
    return render(
        request,
        "recommendations/notices.html",
        {"notices": CityNotice.objects.prefetch_related("recommendations"), "form": form, "may": may, "error": error},
        status=400 if request.method == "POST" else 200,
    )


# --------------------------------------------------------------------------
# Public
# --------------------------------------------------------------------------


def public_index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows, chosen, problems = _filtered(request.GET, today, public=True)
    if request.GET.get("format") == "csv":
        return _csv(rows)
    return render(
        request,
        "recommendations/public_index.html",
        {
            "rows": rows,
            "chosen": chosen,
            "problems": problems,
            "filters": FILTERS,
            "years": _years(),
            "counts": _counts(rows),
            "csv_query": request.GET.urlencode(),
            "notices": CityNotice.objects.prefetch_related("recommendations")[:100],
            "answer_days": actions.answer_period(today, "spd")[0],
            "today": today,
        },
    )


def public_detail(request: HttpRequest, number: str) -> HttpResponse:
    rec = get_object_or_404(Recommendation, number=number)
    events = list(rec.events.all())
    for e in events:
        e.shown = actions.public_text(rec, e.text)  # type: ignore[attr-defined]
    return render(
        request,
        "recommendations/public_detail.html",
        {
            "rec": rec,
            "status": actions.status_of(rec),
            "events": events,
            "notices": rec.city_notices.all(),
            "public": True,
        },
    )


CSV_COLUMNS = [
    "number",
    "issued_by",
    "addressed_to",
    "category",
    "title",
    "issued_on",
    "source",
    "report",
    "status",
    "answer_due",
    "answered_on",
    "answered_late",
    "text",
]


def _csv(rows: list[Row]) -> HttpResponse:
    resp = HttpResponse(content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="recommendations.csv"'
    w = csv.writer(resp)
    w.writerow(CSV_COLUMNS)
    for r in rows:
        rec, st = r.rec, r.status
        w.writerow(
            [
                rec.number,
                rec.get_issuer_display(),
                rec.get_addressee_display(),
                rec.get_category_display(),
                actions.public_text(rec, rec.title),
                rec.issued_on.isoformat(),
                rec.get_source_display(),
                rec.report_title,
                st.label,
                st.answer_due.isoformat() if st.answer_due else "",
                st.answered_on.isoformat() if st.answered_on else "",
                "yes" if st.answered_late else ("no" if st.answered_on else ""),
                actions.public_text(rec, rec.text),
            ]
        )
    return resp


def feed(request: HttpRequest) -> HttpResponse:
    """An Atom feed of the tracker's changes: each recommendation issued, each answer and report."""
    f = Atom1Feed(
        title="Police accountability recommendations: changes",
        link=request.build_absolute_uri(reverse("recommendations_public:index")),
        description="Each recommendation of OPA, the Inspector General and CPC, and each answer and report on it.",
        language="en",
    )
    items: list[tuple[dt.datetime, str, str, str, str]] = []
    for rec in Recommendation.objects.order_by("-recorded_at")[:50]:
        title, text = actions.public_text(rec, rec.title), actions.public_text(rec, rec.text)
        items.append((rec.recorded_at, f"{rec.number} issued: {title}", rec.number, text, f"issued-{rec.pk}"))
    for ev in RecommendationEvent.objects.select_related("recommendation").order_by("-recorded_at")[:100]:
        rec = ev.recommendation
        title = f"{rec.number}: {rr.EVENT_LABELS[ev.type]} ({ev.date})"
        items.append((ev.recorded_at, title, rec.number, actions.public_text(rec, ev.text), f"event-{ev.pk}"))
    for at, title, number, text, uid in sorted(items, reverse=True)[:100]:
        link = request.build_absolute_uri(reverse("recommendations_public:detail", args=[number]))
        f.add_item(title=title, link=link, description=text, pubdate=at, updateddate=at, unique_id=f"{link}#{uid}")
    return HttpResponse(f.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")
