"""The web app's door to the rules engine: stored cases' timelines, computed.

``board`` reads every open case in a fixed number of queries (cases, events,
allegations, open Supervisor Action referrals) and asks the clock for each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings

from oversight.rules import classification as rc
from oversight.rules.events import EVENT_TYPES, parse_case
from oversight.rules.profile import Rules, get_profile
from oversight.rules.projection import unchanged_through
from oversight.rules.timeline import Deadline, Step, Timeline, compute, status_on

if TYPE_CHECKING:
    from oversight.cases.models import Case

RISK = {"overdue": 0, "open": 1, "tolled": 2, "not_applicable": 3}

DEADLINE_LABELS = {
    "named_employee_notice": "Notice to named employees",
    "investigation": "Investigation (proposed findings)",
    "chief_statement": "Chief's statement of reasons",
    "timeline_statement": "Director's timeline statement",
    "appeal_notice": "Notice of intent to appeal",
    "supervisor_action_report": "Supervisor Action report",
    "incident_review": "SPD incident review",
    "additional_investigation": "Additional investigation after the period",
}

# The stage a case is in: the latest of these events. One name per stage; a classified case
# is "Classified: <classification>" until the next of these.
STAGES = {
    "complaint_received": "Intake",
    "complaint_initiated": "Intake",
    "plan_submitted": "Plan awaiting approval",
    "plan_returned": "Plan returned",
    "plan_approved": "Under investigation",
    "supervisor_action_referred": "Supervisor Action: with the supervisor",
    "supervisor_action_reported": "Supervisor Action: reported",
    "submitted_to_oig": "Awaiting OIG review",
    "oig_not_certified": "Further investigation for OIG",
    "oig_certified": "Certified by OIG",
    "proposed_findings_issued": "Findings with the Chief",
    "chief_decision": "Decided by the Chief",
}


def classified_stage(classification: str) -> str:
    return f"Classified: {rc.label(classification)}"


def profile_name() -> str:
    return str(settings.OVERSIGHT_PROFILE)


def rules_for(day: dt.date) -> Rules:
    return get_profile(profile_name()).at(day)


def deadline_label(deadline_id: str) -> str:
    if deadline_id.startswith("oig_review_"):
        return f"OIG review ({deadline_id.rsplit('_', 1)[-1]})"
    if deadline_id.startswith("incident_review_"):
        return f"SPD incident review ({deadline_id.rsplit('_', 1)[-1]})"
    if deadline_id.startswith("additional_investigation_"):
        return f"Additional investigation ({deadline_id.rsplit('_', 1)[-1]})"
    return DEADLINE_LABELS.get(deadline_id, deadline_id.replace("_", " "))


def timeline(case: Case, today: dt.date | None = None) -> Timeline:
    return compute(parse_case(case.as_clock_input()), get_profile(profile_name()), today or dt.date.today())


def next_deadline(tl: Timeline) -> Deadline | None:
    """The earliest deadline still to be met (open, tolled or overdue)."""
    pending = [d for d in tl["deadlines"] if d["status"] in ("open", "overdue", "tolled")]
    return min(pending, key=lambda d: d["due"]) if pending else None


def stage_of(types: list[str], classification: str) -> str:
    stage = "Intake"
    for t in types:
        s = STAGES.get(t)
        if s is not None:
            stage = s
        elif t == "classified" and classification:
            stage = classified_stage(classification)
    return stage


def report_deadline(referral_pk: int, supervisor: str, referred_on: dt.date, due: dt.date, today: dt.date) -> Deadline:
    """A Supervisor Action report still to come, as a deadline row (its date set at referral)."""
    step: Step = {
        "text": f"report due from {supervisor}, as set when the Supervisor Action was referred on {referred_on}",
        "days": (due - referred_on).days,
        "cite": "SMC 3.29.007 (Supervisor Action); SMC 3.29.300.C",
    }
    overdue = today > due
    return {
        "id": "supervisor_action_report",
        "start": referred_on.isoformat(),
        "due": due.isoformat(),
        "status": "overdue" if overdue else "open",
        "completed_on": None,
        "days_remaining": None if overdue else (due - today).days,
        "explanation": [step],
    }


RISK_NAMES = {v: k for k, v in RISK.items()}


@dataclass
class BoardRow:
    pk: int
    number: str
    classification: str
    investigator: str | None
    stage: str
    deadline: Deadline
    flags: list[Any] = field(default_factory=list)
    today: dt.date = dt.date.min

    @property
    def deadline_label(self) -> str:
        return deadline_label(self.deadline["id"])

    @property
    def days_late(self) -> int | None:
        if self.deadline["status"] != "overdue":
            return None
        return (self.today - dt.date.fromisoformat(self.deadline["due"])).days


def _stale(today: dt.date, pks: list[int] | None) -> Any:
    """Open cases whose projection does not hold on ``today``: never computed, cleared by a
    new event, computed for a later day, or past the last day it stays true (of ``pks``,
    those cleared by a new event: a write recomputes its case once, however many events)."""
    from django.db.models import Q

    from oversight.cases.models import Case

    qs = Case.objects.filter(closed_on__isnull=True, routed_to="")
    if pks is not None:
        return qs.filter(pk__in=pks, board_day__isnull=True)
    return qs.filter(
        Q(board_day__isnull=True) | Q(board_day__gt=today) | Q(board_until__isnull=True) | Q(board_until__lt=today)
    )


def _clock_rows(
    cases: Any, with_stages: bool = False
) -> tuple[dict[int, list[tuple[str, dt.date, Any]]], dict[int, list[dict[str, Any]]]]:
    """The events (those the clock reads; with the stages' too if asked) and allegations of
    ``cases`` (a queryset of pks), by case, in two queries."""
    from django.db.models import Case as DbCase
    from django.db.models import F, JSONField, When

    from oversight.cases.models import Allegation, CaseEvent

    events: dict[int, list[tuple[str, dt.date, Any]]] = {}
    # Only the events read, and the data only of those that carry fields.
    with_fields = [t for t, f in EVENT_TYPES.items() if f]
    types = [*EVENT_TYPES, *STAGES, "classified"] if with_stages else list(EVENT_TYPES)
    for case_id, etype, date, data in (
        CaseEvent.objects.filter(case__in=cases, type__in=types)
        .order_by("case_id", "seq")
        .annotate(fields=DbCase(When(type__in=with_fields, then=F("data")), default=None, output_field=JSONField()))
        .values_list("case_id", "type", "date", "fields")
    ):
        events.setdefault(case_id, []).append((etype, date, data))
    allegations: dict[int, list[dict[str, Any]]] = {}
    for apk, case_id, category, criminal, concealment, type_iii in (
        Allegation.objects.filter(case__in=cases)
        .order_by("pk")
        .values_list("pk", "case_id", "category", "criminal", "concealment", "type_iii_force")
    ):
        allegations.setdefault(case_id, []).append(
            {
                "id": f"A{apk}",
                "category": category,
                "criminal": criminal,
                "concealment": concealment,
                "type_iii_force": type_iii,
            }
        )
    return events, allegations


def _parsed(
    number: str, incident: dt.date | None, allegations: list[dict[str, Any]], evs: list[tuple[str, dt.date, Any]]
) -> Any:
    clock_events = []
    for etype, date, data in evs:
        fields = EVENT_TYPES.get(etype)
        if fields is None:
            continue
        e: dict[str, Any] = {"type": etype, "date": date.isoformat()}
        if fields and data:
            e.update({k: v for k, v in data.items() if k in fields})
        clock_events.append(e)
    return parse_case(
        {
            "case_id": number,
            "incident_date": incident.isoformat() if incident else None,
            "allegations": allegations,
            "events": clock_events,
        }
    )


def timelines(cases: Any, today: dt.date) -> dict[int, Timeline]:
    """The timelines of many stored cases (a queryset), by pk, in three queries: the same,
    case by case, as :func:`timeline`."""
    heads = list(cases.values_list("pk", "number", "incident_date"))
    if not heads:
        return {}
    events, allegations = _clock_rows([pk for pk, _, _ in heads])
    profile = get_profile(profile_name())
    return {
        pk: compute(_parsed(number, incident, allegations.get(pk, []), events.get(pk, [])), profile, today)
        for pk, number, incident in heads
    }


def statement_owed(tl: Timeline) -> Deadline | None:
    """The Director's statement on an exceeded time limit (SMC 3.29.027.C) that the timeline
    asks for and that was not made: its deadline, open or overdue; None for none."""
    return next(
        (d for d in tl["deadlines"] if d["id"] == "timeline_statement" and d["status"] in ("open", "overdue")), None
    )


def statement_on(d: Deadline, today: dt.date) -> Deadline:
    """A kept statement deadline as the clock gives it on ``today``: nothing about it moves but the
    day (no event stops or pauses it; an appended event asks the clock again)."""
    if d["status"] not in ("open", "overdue") or d["due"] is None:
        return d
    status, remaining = status_on(dt.date.fromisoformat(d["due"]).toordinal(), today.toordinal())
    return {**d, "status": status, "days_remaining": remaining}


def refresh_board(today: dt.date, pks: list[int] | None = None) -> int:
    """Recompute the board's projection of every open case it does not hold for on
    ``today`` (or of those of the cases ``pks`` that a new event cleared). A projection stays true
    until a due date passes or, while a criminal pause runs, for a day: so a new day
    recomputes only the cases whose next deadline fell due, not the whole board. A fixed
    number of queries: the stale cases, their events, allegations and open referrals, one
    bulk update. Returns the number of cases recomputed."""
    from django.db import transaction

    from oversight.cases.models import SupervisorActionReferral

    with transaction.atomic():
        heads = list(
            _stale(today, pks)
            .select_for_update(of=("self",))
            .order_by("pk")  # not the cases' own order (by number): the few stale rows found by their indexes
            .values_list("pk", "number", "incident_date", "classification")
        )
        if not heads:
            return 0
        # A day's few stale cases by their keys (an index lookup each); the whole board by the
        # query that found them (no statement with tens of thousands of parameters).
        stale = [pk for pk, *_ in heads] if len(heads) <= 2000 else _stale(today, pks).values("pk")
        events, allegations = _clock_rows(stale, with_stages=True)
        reports: dict[int, list[Deadline]] = {}
        for pk, case_id, supervisor, referred_on, due in SupervisorActionReferral.objects.filter(
            case__in=stale, reported_on__isnull=True
        ).values_list("pk", "case_id", "supervisor_name", "referred_on", "report_due"):
            reports.setdefault(case_id, []).append(report_deadline(pk, supervisor, referred_on, due, today))

        profile = get_profile(profile_name())
        today_ord = today.toordinal()
        updates = []
        for pk, number, incident, classification in heads:
            evs = events.get(pk, [])
            parsed = _parsed(number, incident, allegations.get(pk, []), evs)
            tl = compute(parsed, profile, today_ord)
            until = unchanged_through(parsed, tl, today_ord)
            pending = [d for d in tl["deadlines"] if d["status"] in RISK]
            for report in reports.get(pk, ()):
                pending.append(report)
                if report["status"] == "open":  # overdue the day after it falls due
                    until = min(until, dt.date.fromisoformat(report["due"]).toordinal())
            nd = min(pending, key=lambda d: (RISK[d["status"]], d["due"] or "")) if pending else None
            owed = statement_owed(tl)
            updates.append(
                {
                    "id": pk,
                    "stage": stage_of([t for t, _, _ in evs], classification),
                    "risk": RISK[nd["status"]] if nd else None,
                    "due": nd["due"] if nd else None,
                    "did": nd["id"] if nd else "",
                    "dl": dict(nd) if nd else None,
                    "flags": list(tl["flags"]),
                    "until": dt.date.fromordinal(until).isoformat(),
                    # whether the case owes the Director's timeline statement (3.29.027.C), and its
                    # deadline, known here so that the Director's list never waits on the clock
                    "owed": owed is not None,
                    "tsd": owed,
                }
            )
        _write_projection(updates, today)
    return len(updates)


def _write_projection(rows: list[dict[str, Any]], today: dt.date) -> None:
    """Write the recomputed rows in one statement (one JSON parameter), whatever their number."""
    import orjson
    from django.db import connection

    from oversight.cases.models import Case

    if not rows:
        return
    payload = orjson.dumps(rows).decode()
    table = Case._meta.db_table
    if connection.vendor == "postgresql":
        sql = f"""
            UPDATE {table} AS c SET board_day = %s, board_stage = v.stage, board_risk = v.risk, board_due = v.due,
                board_deadline_id = v.did, board_deadline = v.dl, board_flags = v.flags, board_until = v.until,
                timeline_statement_owed = v.owed, timeline_statement_deadline = v.tsd
            FROM jsonb_to_recordset(%s::jsonb)
                AS v(id bigint, stage text, risk smallint, due date, did text, dl jsonb, flags jsonb, until date,
                     owed boolean, tsd jsonb)
            WHERE c.id = v.id"""
    elif connection.vendor == "sqlite":
        sql = f"""
            UPDATE {table} SET board_day = %s, board_stage = v.stage, board_risk = v.risk, board_due = v.due,
                board_deadline_id = v.did, board_deadline = v.dl, board_flags = v.flags, board_until = v.until,
                timeline_statement_owed = v.owed, timeline_statement_deadline = v.tsd
            FROM (SELECT value ->> '$.id' AS id, value ->> '$.stage' AS stage, value ->> '$.risk' AS risk,
                         value ->> '$.due' AS due, value ->> '$.did' AS did, value -> '$.dl' AS dl,
                         value -> '$.flags' AS flags, value ->> '$.until' AS until, value ->> '$.owed' AS owed,
                         value -> '$.tsd' AS tsd
                  FROM json_each(%s)) AS v
            WHERE {table}.id = v.id"""
    else:  # pragma: no cover - other databases: Django's bulk update, in batches
        Case.objects.bulk_update(
            [
                Case(
                    pk=r["id"],
                    board_day=today,
                    board_stage=r["stage"],
                    board_risk=r["risk"],
                    board_due=dt.date.fromisoformat(r["due"]) if r["due"] else None,
                    board_deadline_id=r["did"],
                    board_deadline=r["dl"],
                    board_flags=r["flags"],
                    board_until=dt.date.fromisoformat(r["until"]),
                    timeline_statement_owed=r["owed"],
                    timeline_statement_deadline=r["tsd"],
                )
                for r in rows
            ],
            [
                "board_day",
                "board_stage",
                "board_risk",
                "board_due",
                "board_deadline_id",
                "board_deadline",
                "board_flags",
                "board_until",
                "timeline_statement_owed",
                "timeline_statement_deadline",
            ],
            batch_size=500,
        )
        return
    with connection.cursor() as cur:
        cur.execute(sql, [today, payload])


def board_queryset(
    today: dt.date,
    *,
    investigator: int | None = None,
    stage: str | None = None,
    deadline: str | None = None,
    status: str | None = None,
    within: int | None = None,
) -> Any:
    """Every open case with a deadline still to meet, the cases at risk first, filtered
    on its next deadline. Refreshes what is stale first."""
    from django.db.models import Q

    from oversight.cases.models import Case

    refresh_board(today)
    qs = Case.objects.filter(closed_on__isnull=True, routed_to="", board_risk__isnull=False)
    if investigator is not None:
        qs = qs.filter(investigator_id=investigator)
    if stage:
        qs = qs.filter(board_stage=stage)
    if deadline:
        qs = qs.filter(Q(board_deadline_id=deadline) | Q(board_deadline_id__startswith=deadline + "_"))
    if status:
        qs = qs.filter(board_risk=RISK.get(status, -1))
    if within is not None:
        qs = qs.filter(board_due__lte=today + dt.timedelta(days=within))
    return qs.order_by("board_risk", "board_due", "number")


def board_rows(cases: Any, today: dt.date) -> list[BoardRow]:
    """Rows for a slice of :func:`board_queryset` (one query)."""
    out = []
    for pk, number, classification, inv, stage, deadline, flags in cases.values_list(
        "pk", "number", "classification", "investigator__username", "board_stage", "board_deadline", "board_flags"
    ):
        if deadline and deadline.get("due") and deadline["status"] in ("open", "tolled"):
            # kept for days: the days remaining are counted from the due date on the day shown
            deadline = {**deadline, "days_remaining": (dt.date.fromisoformat(deadline["due"]) - today).days}
        out.append(BoardRow(pk, number, classification, inv, stage, deadline, flags, today))
    return out


def board(today: dt.date, **filters: Any) -> list[BoardRow]:
    """The whole board as rows (for tests and small offices; the page paginates)."""
    return board_rows(board_queryset(today, **filters), today)
