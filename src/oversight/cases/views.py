"""Thin views: read, ask the clock, render."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .clock import next_deadline, timeline
from .models import Allegation, Case, CaseEvent

_RISK = {"overdue": 0, "tolled": 2, "open": 1}


def board(request: HttpRequest) -> HttpResponse:
    """Every case with a pending deadline, the ones at risk first."""
    today = dt.date.today()
    cases = Case.objects.prefetch_related(
        Prefetch("events", queryset=CaseEvent.objects.order_by("seq")),
        Prefetch("allegations", queryset=Allegation.objects.order_by("pk")),
    )
    rows = []
    for case in cases:
        tl = timeline(case, today)
        nd = next_deadline(tl)
        if nd is None:
            continue
        rows.append({"case": case, "deadline": nd, "flags": tl["flags"]})
    rows.sort(key=lambda r: (_RISK[r["deadline"]["status"]], r["deadline"]["due"]))
    return render(request, "cases/board.html", {"rows": rows, "today": today, "total": len(rows)})


def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    case = get_object_or_404(Case, number=number)
    events = list(case.events.order_by("seq"))
    tl = timeline(case)
    return render(
        request,
        "cases/detail.html",
        {"case": case, "events": events, "timeline": tl, "allegations": case.allegations.all()},
    )
