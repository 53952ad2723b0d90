"""The one case page: its context, shared by every office's section (``oversight.home.registry``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms as djforms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from oversight import access
from oversight.home.registry import Failed, sections_for

from .clock import deadline_label, next_deadline, timeline
from .models import Case, CaseEvent


@dataclass
class CasePage:
    """What every section of a case's page may read: the case, the reader, the clock, and
    the form that failed (shown bound, with its error, in its own section)."""

    request: HttpRequest
    case: Case
    reader: access.Reader
    today: dt.date
    failed: Failed | None = None
    _events: list[CaseEvent] | None = field(default=None, repr=False)
    _timeline: Any = field(default=None, repr=False)

    @property
    def user(self) -> Any:
        return self.request.user

    @property
    def events(self) -> list[CaseEvent]:
        if self._events is None:
            self._events = list(self.case.events.select_related("recorded_by").order_by("seq"))
        return self._events

    @property
    def timeline(self) -> Any:
        if self._timeline is None:
            tl = timeline(self.case, self.today)
            for d in tl["deadlines"]:
                d["label"] = deadline_label(d["id"])  # type: ignore[typeddict-unknown-key]
            self._timeline = tl
        return self._timeline

    @property
    def next_deadline(self) -> Any:
        return next_deadline(self.timeline)

    def has(self, *types: str) -> bool:
        return any(e.type in types for e in self.events)

    @property
    def is_open(self) -> bool:
        return self.case.closed_on is None and not self.case.routed_to

    def form(self, action: str, make: Callable[[], djforms.Form]) -> djforms.Form:
        """The bound form of ``action`` if it just failed, else a fresh one."""
        if self.failed is not None and self.failed.action == action and self.failed.form is not None:
            return self.failed.form  # type: ignore[no-any-return]
        return make()

    def error(self, *actions: str) -> str | None:
        if self.failed is not None and self.failed.action in actions:
            return self.failed.error
        return None

    def post(self, action: str) -> Any:
        """What was posted to ``action`` if it failed (for hand-written forms to refill)."""
        if self.failed is not None and self.failed.action == action and self.failed.post is not None:
            return self.failed.post
        return {}


def render_case(request: HttpRequest, case: Case, *, failed: Failed | None = None, status: int = 200) -> HttpResponse:
    """The case's page as ``request.user`` may read it, with every office's section."""
    access.require_read(request.user, case)
    from .actions import audit

    reader = access.Reader(request.user, case)
    page = CasePage(request, case, reader, timezone.localdate(), failed)
    sections = sections_for(page)
    if status == 200:
        # the parts this reader may read (asked of the rules, not of the page: what the page showed
        # is recorded where it showed it, oversight.access.Reader.reads)
        readable = sorted(p for p in access.A.PARTS if access.A.reads(reader.roles, p, reader.facts))
        audit(request.user, "read_case", case, parts=readable)
    return render(
        request,
        "cases/case.html",
        {"page": page, "case": case, "reader": reader, "sections": sections, "failed": failed},
        status=status,
    )
