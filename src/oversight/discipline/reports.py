"""The June and December status reports, written from the records.

- The City Attorney's report of appealed cases (SMC 3.29.305.J).
- OPA's report to OIG of cases referred for criminal investigation (SMC 3.29.030.F).

Each covers (1) the cases appealed (referred) during the previous months the profile
sets, and (2) those appealed (referred) earlier that remained open at any time during
the period. Every field the section lists is a column; a field the records do not
hold is written ``MISSING`` so that nobody mistakes a gap for an answer.

Cases whose appeal or referral the log knows only as a clock event (imported
histories, the demo) appear too, with what only the richer records could tell
marked missing.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from oversight.cases.clock import stage_of
from oversight.cases.models import Case, CaseEvent
from oversight.rules.profile import get_profile

from .models import FORUM_LABELS, OUTCOME_LABELS, Appeal, ChiefDecision, Discipline

MISSING = "MISSING"


@dataclass
class Report:
    id: str
    title: str
    cite: str
    author: str
    recipients: str
    period_start: dt.date
    period_end: dt.date
    columns: list[tuple[str, str]]  # (key, heading)
    rows: list[dict[str, str]] = field(default_factory=list)

    def csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([h for _, h in self.columns])
        for r in self.rows:
            w.writerow([r.get(k) or MISSING for k, _ in self.columns])
        return buf.getvalue()

    def table(self) -> list[list[str]]:
        return [[r.get(k) or MISSING for k, _ in self.columns] for r in self.rows]

    @property
    def missing_count(self) -> int:
        return sum(1 for r in self.rows for k, _ in self.columns if not r.get(k) or r.get(k) == MISSING)


class ReportError(ValueError):
    pass


def period(schedule_id: str, lookback_id: str, year: int, month: int) -> tuple[dt.date, dt.date, str]:
    """The period a report due in ``month`` of ``year`` covers, from the profile's schedule and lookback."""
    prof = get_profile(str(settings.OVERSIGHT_PROFILE))
    rules = prof.at(dt.date(year, month, 1))
    sched = rules.schedules[schedule_id]
    if month not in sched.value:
        due = ", ".join(calendar.month_name[m] for m in sched.value)
        raise ReportError(f"month: the report is due in {due} [{sched.cite}], not in {calendar.month_name[month]}")
    months = rules.periods[lookback_id].value
    end = dt.date(year, month, calendar.monthrange(year, month)[1])
    m0 = month - months + 1
    y0 = year
    while m0 < 1:
        m0 += 12
        y0 -= 1
    cites = dict.fromkeys([sched.cite, rules.periods[lookback_id].cite])
    return dt.date(y0, m0, 1), end, "; ".join(cites)


def _employees(case: Case) -> str:
    return "; ".join(
        f"{e.rank} {e.name}".strip() + (f" (#{e.serial})" if e.serial else "") for e in case.named_employees.all()
    )


def _status(case: Case, types: list[str]) -> str:
    if case.closed_on is not None:
        return f"Closed on {case.closed_on.isoformat()}"
    return f"Open: {stage_of(types, case.classification)}"


def appeals_report(year: int, month: int) -> Report:
    start, end, cite = period("appeals_status_reports", "appeals_lookback", year, month)
    rep = Report(
        id="appeals",
        title="Status report of OPA cases whose findings or discipline were appealed",
        cite=cite,
        author="The City Attorney's Office",
        recipients="the OPA Director and the Inspector General",
        period_start=start,
        period_end=end,
        columns=[
            ("group", "Reported because"),
            ("case_number", "Case number"),
            ("named_employees", "Named employee(s)"),
            ("date_of_complaint", "Date of complaint"),
            ("date_of_disciplinary_action", "Date of disciplinary action"),
            ("chief_decision", "Chief of Police disciplinary decision"),
            ("date_of_appeal", "Date of appeal"),
            ("nature_of_appeal", "Nature of the appeal"),
            ("not_closed_due_to_appeal", "Case not yet closed due to appeal"),
            ("current_status", "Current status, including any modification on appeal"),
        ],
    )
    appeals = (
        Appeal.objects.filter(notice_filed_on__lte=end)
        .select_related("case", "named_employee")
        .order_by("notice_filed_on", "pk")
    )
    seen_cases: set[int] = set(Appeal.objects.values_list("case_id", flat=True).distinct())
    for ap in appeals:
        if ap.notice_filed_on < start and ap.closed_on is not None and ap.closed_on < start:
            continue
        case = ap.case
        decision = ChiefDecision.objects.filter(case=case).order_by("pk").first()
        disc = [d for d in Discipline.objects.filter(case=case, named_employee=ap.named_employee, appeal__isnull=True)]
        types = list(case.events.order_by("seq").values_list("type", flat=True))
        open_at_end = ap.closed_on is None or ap.closed_on > end
        if ap.closed_on is None:
            state = f"Appeal pending before the {FORUM_LABELS[ap.forum]}"
            if ap.hearing_on:
                state += f"; hearing {ap.hearing_on.isoformat()}"
        else:
            state = f"{OUTCOME_LABELS[ap.outcome]} on {ap.ruling_on.isoformat() if ap.ruling_on else '?'}"
            if ap.modification:
                state += f" ({ap.modification})"
        rep.rows.append(
            {
                "group": "appealed during the period"
                if ap.notice_filed_on >= start
                else "appealed earlier, open during the period",
                "case_number": case.number,
                "named_employees": f"{ap.named_employee.rank} {ap.named_employee.name}".strip(),
                "date_of_complaint": case.received_on.isoformat() if case.received_on else "",
                "date_of_disciplinary_action": decision.decided_on.isoformat() if decision else "",
                "chief_decision": "; ".join(d.label for d in disc) if disc else ("No discipline" if decision else ""),
                "date_of_appeal": ap.notice_filed_on.isoformat(),
                "nature_of_appeal": f"{ap.nature} ({FORUM_LABELS[ap.forum]}, by the "
                f"{'employee' if ap.appellant == 'employee' else 'union'})",
                "not_closed_due_to_appeal": "Yes" if open_at_end and case.closed_on is None else "No",
                "current_status": f"{state}. Case: {_status(case, types)}",
            }
        )
    # Appeals the log knows only as clock events.
    filed = (
        CaseEvent.objects.filter(type="appeal_notice_filed", date__lte=end)
        .exclude(case_id__in=seen_cases)
        .select_related("case")
        .order_by("date", "case_id")
    )
    done: set[int] = set()
    for ev in filed:
        case = ev.case
        if case.pk in done:
            continue
        done.add(case.pk)
        if ev.date < start and case.closed_on is not None and case.closed_on < start:
            continue
        events = list(case.events.order_by("seq"))
        decision_ev = next((e for e in events if e.type == "chief_decision"), None)
        types = [e.type for e in events]
        rep.rows.append(
            {
                "group": "appealed during the period"
                if ev.date >= start
                else "appealed earlier, open during the period",
                "case_number": case.number,
                "named_employees": _employees(case),
                "date_of_complaint": case.received_on.isoformat() if case.received_on else "",
                "date_of_disciplinary_action": decision_ev.date.isoformat() if decision_ev else "",
                "chief_decision": "",
                "date_of_appeal": ev.date.isoformat(),
                "nature_of_appeal": "",
                "not_closed_due_to_appeal": "Yes" if case.closed_on is None else "No",
                "current_status": f"Appeal outcome not recorded. Case: {_status(case, types)}",
            }
        )
    return rep


def criminal_referrals_report(year: int, month: int) -> Report:
    start, end, cite = period("criminal_referral_status_reports", "criminal_referral_lookback", year, month)
    rep = Report(
        id="criminal_referrals",
        title="Status report of OPA cases referred for possible criminal investigation",
        cite=cite,
        author="The Office of Police Accountability",
        recipients="the Office of Inspector General",
        period_start=start,
        period_end=end,
        columns=[
            ("group", "Reported because"),
            ("case_number", "Case number"),
            ("nature", "Nature of the criminal allegation"),
            ("named_employees", "Named employee(s)"),
            ("date_of_complaint", "Date of complaint"),
            ("referred_on", "Referred for criminal investigation on"),
            ("timeliness", "Timeliness of the criminal investigation"),
            ("current_status", "Current status of the case"),
        ],
    )
    pauses = CaseEvent.objects.filter(type__in=("criminal_pause_started", "criminal_pause_ended"), date__lte=end)
    by_case: dict[int, list[CaseEvent]] = {}
    for ev in pauses.order_by("date", "seq"):
        by_case.setdefault(ev.case_id, []).append(ev)
    criminal_cases = set(
        Case.objects.filter(allegations__criminal=True, received_on__lte=end).values_list("pk", flat=True)
    )
    ids = sorted(set(by_case) | criminal_cases)
    cases = Case.objects.filter(pk__in=ids).prefetch_related("named_employees", "allegations").order_by("number")
    for case in cases:
        evs = by_case.get(case.pk, [])
        started = next((e for e in evs if e.type == "criminal_pause_started"), None)
        ended = next((e for e in evs if e.type == "criminal_pause_ended" and started and e.date >= started.date), None)
        referred = started.date if started else None
        if referred is not None and referred >= start:
            group = "referred during the period"
        else:
            still_open = ended is None or ended.date >= start
            if case.closed_on is not None and case.closed_on < start:
                continue
            if not still_open:
                continue
            group = (
                "referred earlier, open during the period"
                if referred is not None
                else "criminal allegation, referral date not recorded; open during the period"
            )
        criminal = [a for a in case.allegations.all() if a.criminal]
        nature = "; ".join(
            a.category.replace("_", " ") + (f": {a.description}" if a.description else "") for a in criminal
        )
        if referred is None:
            timeliness = ""
        elif ended is not None and ended.date <= end:
            timeliness = (
                f"Administrative investigation paused {referred.isoformat()} to {ended.date.isoformat()}: "
                f"{(ended.date - referred).days} days"
            )
        else:
            timeliness = f"Still open at {end.isoformat()}: {(end - referred).days} days since referral"
        types = list(case.events.order_by("seq").values_list("type", flat=True))
        rep.rows.append(
            {
                "group": group,
                "case_number": case.number,
                "nature": nature,
                "named_employees": _employees(case),
                "date_of_complaint": case.received_on.isoformat() if case.received_on else "",
                "referred_on": referred.isoformat() if referred else "",
                "timeliness": timeliness,
                "current_status": _status(case, types),
            }
        )
    return rep


REPORTS: dict[str, Any] = {"appeals": appeals_report, "criminal_referrals": criminal_referrals_report}
