"""What the reports read from the records, as plain rows, a fixed number of queries per period.

Every function takes the period's first and last day and returns tuples or small dicts, so
the metrics (``metrics``) are plain Python over rows, and the tests can build their expected
numbers from the model objects by another road.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as DbCase
from django.db.models import Count, F, JSONField, When

from oversight.cases.models import (
    Allegation,
    Case,
    CaseEvent,
    Complainant,
    NamedEmployee,
    SupervisorActionReferral,
)
from oversight.discipline.models import Appeal, Discipline, Finding, ManagementAction, Statement, TrainingReport
from oversight.rules.events import EVENT_TYPES, parse_case
from oversight.rules.profile import get_profile
from oversight.rules.timeline import compute

WITH_FIELDS = [t for t, f in EVENT_TYPES.items() if f]
STAGE_RANK = {"recommended": 0, "chief": 1, "appeal": 2}


@dataclass(frozen=True)
class CaseRow:
    pk: int
    number: str
    channel: str
    received_on: dt.date
    classification: str
    routed_to: str
    precinct: str
    shift: str
    closed_on: dt.date | None


@dataclass(frozen=True)
class FindingRow:
    allegation: int
    case: int
    employee: int
    serial: str
    category: str
    finding: str
    stage: str
    decided_on: dt.date


def _others() -> Any:
    """Cases imported from another office's export (complaint history whose mapping does not say
    ``office_history = true``): they feed the discipline database, not this office's reports."""
    return Case.objects.filter(imported__dataset__office_history=False).values("pk")


def cases_received(start: dt.date, end: dt.date) -> list[CaseRow]:
    return [
        CaseRow(*r)
        for r in Case.objects.filter(received_on__gte=start, received_on__lte=end)
        .exclude(pk__in=_others())
        .order_by("pk")
        .values_list(
            "pk", "number", "channel", "received_on", "classification", "routed_to", "precinct", "shift", "closed_on"
        )
    ]


def open_during(start: dt.date, end: dt.date) -> Any:
    """The cases open at some time in the period, or with an event of the clock in it: those whose
    deadlines could fall due or be met in the period."""
    from django.db.models import Q

    open_ = (
        Case.objects.filter(received_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .exclude(pk__in=_others())
    )
    acted = CaseEvent.objects.filter(date__gte=start, date__lte=end, type__in=list(EVENT_TYPES)).values("case_id")
    return Case.objects.filter(Q(pk__in=open_.values("pk")) | Q(pk__in=acted)).values("pk")


def allegations_of(start: dt.date, end: dt.date) -> list[tuple[int, str, int]]:
    """(case, category, named employee) of the allegations of the cases received in the period."""
    return list(
        Allegation.objects.filter(case__received_on__gte=start, case__received_on__lte=end)
        .exclude(case_id__in=_others())
        .values_list("case_id", "category", "named_employee_id")
    )


def counts_received(start: dt.date, end: dt.date) -> tuple[int, int, int]:
    """(complaints, of them classified for investigation, their allegations) received in the period."""
    qs = Case.objects.filter(received_on__gte=start, received_on__lte=end).exclude(pk__in=_others())
    inv = qs.filter(classification="investigation", routed_to="").count()
    return qs.count(), inv, Allegation.objects.filter(case__in=qs).count()


def complainant_races(start: dt.date, end: dt.date) -> Counter[str]:
    return Counter(
        {
            race: n
            for race, n in Complainant.objects.filter(case__received_on__gte=start, case__received_on__lte=end)
            .values_list("race")
            .annotate(n=Count("pk"))
            .values_list("race", "n")
        }
    )


def complainants_of(start: dt.date, end: dt.date) -> list[tuple[str, str, str, str]]:
    """(race, ethnicity, gender, neighbourhood) as volunteered, of the period's complainants."""
    return list(
        Complainant.objects.filter(case__received_on__gte=start, case__received_on__lte=end).values_list(
            "race", "ethnicity", "gender", "neighbourhood"
        )
    )


def employees_of(start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Each named employee of a case received in the period (one row per case and employee)."""
    return list(
        NamedEmployee.objects.filter(case__received_on__gte=start, case__received_on__lte=end)
        .exclude(case_id__in=_others())
        .values("pk", "serial", "rank", "unit", "assignment", "shift", "years_of_service")
    )


def final_findings(start: dt.date, end: dt.date) -> list[FindingRow]:
    """Each allegation's final finding (an appeal's over the Chief's over the Director's
    recommendation), for the allegations whose final finding known by ``end`` was made in the period."""
    window = (
        Finding.objects.filter(decided_on__gte=start, decided_on__lte=end)
        .exclude(case_id__in=_others())
        .values("allegation_id")
    )
    best: dict[int, tuple[tuple[int, int], FindingRow]] = {}
    for pk, alleg, case, emp, serial, cat, finding, stage, on in Finding.objects.filter(
        allegation_id__in=window, decided_on__lte=end
    ).values_list(
        "pk",
        "allegation_id",
        "case_id",
        "named_employee_id",
        "named_employee__serial",
        "allegation__category",
        "finding",
        "stage",
        "decided_on",
    ):
        key = (STAGE_RANK.get(stage, 0), pk)
        if alleg not in best or key > best[alleg][0]:
            best[alleg] = (key, FindingRow(alleg, case, emp, serial, cat, finding, stage, on))
    return [row for _, row in best.values() if start <= row.decided_on <= end]


def discipline_imposed(start: dt.date, end: dt.date) -> list[tuple[int, str, bool]]:
    """(case, kind, on appeal) of discipline imposed in the period."""
    return [
        (c, k, a is not None)
        for c, k, a in Discipline.objects.filter(imposed_on__gte=start, imposed_on__lte=end)
        .exclude(case_id__in=_others())
        .values_list("case_id", "kind", "appeal_id")
    ]


def events(
    types: Iterable[str], start: dt.date | None = None, end: dt.date | None = None, cases: Iterable[int] | None = None
) -> list[tuple[int, str, dt.date, int]]:
    """(case, type, date, seq) of events of ``types`` (within the period when given), in order."""
    qs = CaseEvent.objects.filter(type__in=list(types))
    if start is not None:
        qs = qs.filter(date__gte=start)
    if end is not None:
        qs = qs.filter(date__lte=end)
    if cases is not None:
        qs = qs.filter(case_id__in=list(cases))
    return list(qs.order_by("case_id", "seq").values_list("case_id", "type", "date", "seq"))


def events_of_cases(
    case_ids: Iterable[int], types: Iterable[str], end: dt.date
) -> dict[int, list[tuple[str, dt.date]]]:
    out: dict[int, list[tuple[str, dt.date]]] = {}
    ids = list(case_ids)
    for i in range(0, len(ids), 5000):
        for c, t, d in (
            CaseEvent.objects.filter(case_id__in=ids[i : i + 5000], type__in=list(types), date__lte=end)
            .order_by("case_id", "seq")
            .values_list("case_id", "type", "date")
        ):
            out.setdefault(c, []).append((t, d))
    return out


def appeals_filed(start: dt.date, end: dt.date) -> list[tuple[int, str, str, dt.date | None]]:
    """(case, appellant, outcome, ruling date) of appeals filed in the period."""
    return list(
        Appeal.objects.filter(notice_filed_on__gte=start, notice_filed_on__lte=end).values_list(
            "case_id", "appellant", "outcome", "ruling_on"
        )
    )


def management_actions(start: dt.date, end: dt.date) -> list[tuple[int, dt.date, str, dt.date | None]]:
    return list(
        ManagementAction.objects.filter(issued_on__gte=start, issued_on__lte=end).values_list(
            "case_id", "issued_on", "status", "spd_response_on"
        )
    )


def training_reports() -> dict[int, dt.date]:
    """Finding -> the first report of the training given."""
    out: dict[int, dt.date] = {}
    for f, on in TrainingReport.objects.order_by("reported_on").values_list("finding_id", "reported_on"):
        out.setdefault(f, on)
    return out


def training_referrals(start: dt.date, end: dt.date) -> list[tuple[int, int, dt.date]]:
    """(finding, case, decided on) of the Training Referrals made in the period (each allegation's final finding)."""
    rows = [r for r in final_findings(start, end) if r.finding == "training_referral"]
    ids = {
        (a, s): pk
        for pk, a, s in Finding.objects.filter(
            allegation_id__in=[r.allegation for r in rows], finding="training_referral"
        )
        .order_by("pk")
        .values_list("pk", "allegation_id", "stage")
    }
    return [(ids.get((r.allegation, r.stage), 0), r.case, r.decided_on) for r in rows]


def statements(start: dt.date, end: dt.date) -> list[tuple[str, dt.date]]:
    return list(Statement.objects.filter(issued_on__gte=start, issued_on__lte=end).values_list("kind", "issued_on"))


def referrals_due(start: dt.date, end: dt.date) -> list[tuple[int, dt.date, dt.date, dt.date | None]]:
    """(case, referred on, report due, reported on) of Supervisor Actions whose report fell due in the period."""
    return list(
        SupervisorActionReferral.objects.filter(report_due__gte=start, report_due__lte=end).values_list(
            "case_id", "referred_on", "report_due", "reported_on"
        )
    )


def timelines(cases: Any, on: dt.date, profile_name: str) -> dict[int, list[dict[str, Any]]]:
    """The clock's deadlines of each of ``cases`` (a queryset of their pks), as they stood on
    ``on`` (only the events dated by then). Three queries, whatever the number of cases."""
    heads = {
        pk: (number, incident)
        for pk, number, incident in Case.objects.filter(pk__in=cases).values_list("pk", "number", "incident_date")
    }
    allegations: dict[int, list[dict[str, Any]]] = {}
    evs: dict[int, list[dict[str, Any]]] = {}
    for c, cat, crim, conc, t3 in Allegation.objects.filter(case_id__in=cases).values_list(
        "case_id", "category", "criminal", "concealment", "type_iii_force"
    ):
        allegations.setdefault(c, []).append(
            {"category": cat, "criminal": crim, "concealment": conc, "type_iii_force": t3}
        )
    # the data only of the events whose fields the clock reads (as the board does)
    for c, t, d, data in (
        CaseEvent.objects.filter(case_id__in=cases, type__in=list(EVENT_TYPES), date__lte=on)
        .order_by("case_id", "seq")
        .annotate(fields=DbCase(When(type__in=WITH_FIELDS, then=F("data")), default=None, output_field=JSONField()))
        .values_list("case_id", "type", "date", "fields")
    ):
        e: dict[str, Any] = {"type": t, "date": d.isoformat()}
        if data:
            fields = EVENT_TYPES[t]
            e.update({k: v for k, v in data.items() if k in fields})
        evs.setdefault(c, []).append(e)
    profile = get_profile(profile_name)
    out: dict[int, list[dict[str, Any]]] = {}
    for pk, (number, incident) in heads.items():
        if pk not in evs:
            continue
        case = parse_case(
            {
                "case_id": number,
                "incident_date": incident.isoformat() if incident else None,
                "allegations": allegations.get(pk, []),
                "events": evs[pk],
            }
        )
        out[pk] = [dict(d) for d in compute(case, profile, on)["deadlines"]]
    return out
