"""The JSON API: cases, their events and their deadlines, described by OpenAPI 3.

Served at /api/ (the description at /api/openapi.json, a browsable page at /api/docs).
Session login as for the pages; the same roles decide what is seen, and the one
write (recording a clock event) goes through the actions layer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import ValidationError
from ninja.responses import Status
from ninja.security import django_auth

from oversight import access
from oversight.rules import access as R
from oversight.rules import classification as rc
from oversight.rules.events import CaseError

from . import actions, search
from .clock import board_queryset, board_rows, deadline_label, stage_of, timeline
from .history import data_for
from .models import Case

api = NinjaAPI(
    title="Oversight: OPA case management",
    version="1",
    description="Cases, their append-only event log and the deadlines the clock computes (SMC Chapter 3.29).",
    auth=django_auth,
    urls_namespace="api",
)


class Step(Schema):
    text: str
    days: int
    cite: str


class DeadlineOut(Schema):
    id: str
    label: str
    start: str
    due: str | None  # None for a case the chapter does not apply to (not retroactive, SMC 3.29.400.F)
    status: Literal["met", "missed", "open", "overdue", "tolled", "not_applicable"]
    completed_on: str | None
    days_remaining: int | None
    explanation: list[Step]


class Flag(Schema):
    id: str
    cite: str


class CaseSummary(Schema):
    number: str
    channel: str
    received_on: dt.date | None
    incident_date: dt.date | None
    classification: str | None
    investigator: str | None
    closed_on: dt.date | None
    routed_to: str | None


class NamedEmployeeOut(Schema):
    name: str
    rank: str
    unit: str
    assignment: str
    shift: str
    years_of_service: int | None


class AllegationOut(Schema):
    named_employee: str
    category: str
    criminal: bool
    concealment: bool


class CaseOut(CaseSummary):
    stage: str
    precinct: str
    sector: str
    beat: str
    complainants: int
    anonymous_complainants: int
    named_employees: list[NamedEmployeeOut]
    allegations: list[AllegationOut]
    deadlines: list[DeadlineOut]
    flags: list[Flag]


class EventOut(Schema):
    seq: int
    type: str
    date: dt.date
    data: dict[str, Any]
    recorded_at: dt.datetime
    recorded_by: str | None
    prev_hash: str
    hash: str


class BoardRowOut(Schema):
    number: str
    stage: str
    investigator: str | None
    deadline: DeadlineOut
    flags: list[Flag]


class ClockEventIn(Schema):
    type: Literal[
        "interview_postponed",
        "criminal_pause_started",
        "criminal_pause_ended",
        "additional_investigation",
        "director_vacancy",
        "submitted_to_oig",
    ]
    date: dt.date
    days: int | None = None
    reason: str | None = None


class Error(Schema):
    detail: str


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: str = Field(description="What was wrong, one clause a field")
    errors: list[FieldError]


# Every operation may answer these besides its own: not signed in (401), refused by the access
# model (403), no such case (404), a parameter or body that does not validate (422).
ERRORS: dict[int, Any] = {401: Error, 403: Error, 404: Error, 422: ValidationErrorOut}
MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000


def _summary(c: Case) -> dict[str, Any]:
    return {
        "number": c.number,
        "channel": c.channel,
        "received_on": c.received_on,
        "incident_date": c.incident_date,
        "classification": c.classification or None,
        "investigator": c.investigator.get_username() if c.investigator else None,
        "closed_on": c.closed_on,
        "routed_to": c.routed_to or None,
    }


def _deadline(d: Any) -> dict[str, Any]:
    return {**d, "label": deadline_label(d["id"])}


def _readable(request: HttpRequest, number: str) -> Case:
    case = get_object_or_404(Case.objects.select_related("investigator"), number=number)
    access.require_read(request.user, case)
    return case


@api.exception_handler(PermissionDenied)
def _denied(request: HttpRequest, exc: PermissionDenied) -> Any:
    return api.create_response(request, {"detail": str(exc) or "Refused."}, status=403)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> Any:
    """422 with one readable sentence (``offset: must be 0 or more``) beside the field errors."""
    errors = []
    for e in exc.errors:
        loc = [str(x) if not isinstance(x, int) else x for x in e.get("loc", ())]
        field = [x for x in loc if x not in ("query", "path", "body", "filters", "payload")]
        errors.append({"loc": loc, "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))})
        errors[-1]["field"] = ".".join(str(x) for x in field) or "request"
    detail = "; ".join(f"{e.pop('field')}: {e['msg']}" for e in errors)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(Http404)
def _missing(request: HttpRequest, exc: Http404) -> Any:
    return api.create_response(request, {"detail": "No such case (or no such page of the API)."}, status=404)


class CaseFilters(Schema):
    """The search's words and filters, as on the search page (oversight.cases.search)."""

    q: str | None = Field(None, description="A case number in any spelling, a name, or words of the summary and notes")
    state: Literal["open", "closed", "all"] = "all"
    stage: str | None = Field(None, description="A stage of the deadline board, or 'routed' or 'closed'")
    category: str | None = Field(None, description="An allegation category of the rule profile")
    precinct: str | None = None
    received_from: dt.date | None = Field(None, description="Received on or after (YYYY-MM-DD)")
    received_to: dt.date | None = Field(None, description="Received on or before (YYYY-MM-DD)")
    investigator: str | None = Field(None, description="The assigned investigator's username")
    limit: int = Field(100, ge=1, le=MAX_LIMIT, description=f"How many cases, 1 to {MAX_LIMIT}")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"How many to skip, 0 to {MAX_OFFSET}")


@api.get(
    "/cases",
    response={200: list[CaseSummary], 400: Error, **ERRORS},
    summary="Cases the user may read (open, closed or all), searched and filtered as on the search page",
)
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> Any:
    if not access.roles_of(request.user) & R.STAFF:
        raise access.Refused("You hold no role that reads cases.", what="to list cases")
    data = filters.model_dump(exclude={"limit", "offset"}, exclude_none=True)
    form = search.SearchForm({k: v.isoformat() if isinstance(v, dt.date) else v for k, v in data.items()})
    if not form.is_valid():
        detail = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        return Status(400, {"detail": detail})
    qs = search.search(request.user, form.criteria()).select_related("investigator")
    return [_summary(c) for c in qs[filters.offset : filters.offset + filters.limit]]


@api.get("/cases/{number}", response={200: CaseOut, **ERRORS}, summary="One case, with its deadlines")
def get_case(request: HttpRequest, number: str) -> dict[str, Any]:
    case = _readable(request, number)
    reader = access.Reader(request.user, case)
    names = reader.reads[R.EMPLOYEES]
    tl = timeline(case, timezone.localdate())
    comps = list(case.complainants.all())
    employees = list(case.named_employees.order_by("pk"))
    role = {e.pk: f"Named Employee #{i}" for i, e in enumerate(employees, 1)}
    return {
        **_summary(case),
        "stage": stage_of(list(case.events.order_by("seq").values_list("type", flat=True)), case.classification),
        "precinct": case.precinct,
        "sector": case.sector,
        "beat": case.beat,
        "complainants": len(comps),
        "anonymous_complainants": sum(1 for c in comps if c.anonymous),
        "named_employees": [
            # a reader who does not read the names gets the rank only: unit, shift and years of
            # service together can point to one officer
            {
                "name": e.name if names else role[e.pk],
                "rank": e.rank,
                "unit": e.unit if names else "",
                "assignment": e.assignment if names else "",
                "shift": e.shift if names else "",
                "years_of_service": e.years_of_service if names else None,
            }
            for e in employees
        ],
        "allegations": [
            {
                "named_employee": str(a.named_employee) if names else role[a.named_employee_id],
                "category": a.category,
                "criminal": a.criminal,
                "concealment": a.concealment,
            }
            for a in case.allegations.select_related("named_employee")
        ],
        "deadlines": [_deadline(d) for d in tl["deadlines"]],
        "flags": tl["flags"],
    }


@api.get("/cases/{number}/events", response={200: list[EventOut], **ERRORS}, summary="The case's event log")
def case_events(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    case = _readable(request, number)
    reader = access.Reader(request.user, case)
    return [
        {
            "seq": e.seq,
            "type": e.type,
            "date": e.date,
            "data": {k: v for k, v in data_for(e, reader).items() if k != "document"},
            "recorded_at": e.recorded_at,
            "recorded_by": e.recorded_by.get_username() if e.recorded_by else None,
            "prev_hash": e.prev_hash,
            "hash": e.hash,
        }
        for e in case.events.select_related("recorded_by").order_by("seq")
    ]


@api.get("/cases/{number}/deadlines", response={200: list[DeadlineOut], **ERRORS}, summary="The case's deadlines")
def case_deadlines(request: HttpRequest, number: str, today: dt.date | None = None) -> list[dict[str, Any]]:
    case = _readable(request, number)
    return [_deadline(d) for d in timeline(case, today or timezone.localdate())["deadlines"]]


@api.post(
    "/cases/{number}/events",
    response={201: EventOut, 400: Error, **ERRORS},
    summary="Record an event the clock reads (postponement, pause, vacancy, OIG, findings)",
)
def record_event(request: HttpRequest, number: str, body: ClockEventIn) -> Any:
    case = _readable(request, number)
    try:
        if body.type == "interview_postponed":
            ev = actions.postpone_interview(request.user, case, body.days or 0, body.reason or "", body.date)
        else:
            ev = actions.record_clock_event(request.user, case, body.type, body.date, reason=body.reason)
    except (actions.ActionError, CaseError, rc.ClassificationRefused) as e:
        return Status(400, {"detail": str(e)})
    return Status(
        201,
        {
            "seq": ev.seq,
            "type": ev.type,
            "date": ev.date,
            "data": ev.data,
            "recorded_at": ev.recorded_at,
            "recorded_by": request.user.get_username(),
            "prev_hash": ev.prev_hash,
            "hash": ev.hash,
        },
    )


class BoardFilters(Schema):
    investigator: str | None = None
    stage: str | None = None
    deadline: str | None = None
    status: Literal["overdue", "open", "tolled"] | None = None
    within: int | None = Field(None, ge=0, le=3650, description="Due within this many days")
    limit: int = Field(100, ge=1, le=MAX_LIMIT, description=f"How many rows, 1 to {MAX_LIMIT}")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"How many to skip, 0 to {MAX_OFFSET}")


@api.get("/deadlines", response={200: list[BoardRowOut], **ERRORS}, summary="The deadline board, at risk first")
def deadlines(request: HttpRequest, filters: Query[BoardFilters]) -> list[dict[str, Any]]:
    if not access.roles_of(request.user) & R.OPA_STAFF:
        raise access.Refused("The deadline board lists OPA's open cases, for OPA staff.", what="to read the board")
    inv = None
    if filters.investigator:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username=filters.investigator).first()
        inv = user.pk if user else -1
    today = timezone.localdate()
    qs = board_queryset(
        today,
        investigator=inv,
        stage=filters.stage,
        deadline=filters.deadline,
        status=filters.status,
        within=filters.within,
    )
    qs = qs.filter(access.cases_q(request.user))
    rows = board_rows(qs[filters.offset : filters.offset + filters.limit], today)
    return [
        {
            "number": r.number,
            "stage": r.stage,
            "investigator": r.investigator,
            "deadline": _deadline(r.deadline),
            "flags": r.flags,
        }
        for r in rows
    ]
