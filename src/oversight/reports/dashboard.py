"""The offices' dashboards: their work at a glance, each chart with its table, each number a
link to the cases behind it (the list shows only the cases the reader may open)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from oversight.cases.clock import refresh_board, rules_for
from oversight.cases.models import CHANNELS, Case, CaseEvent
from oversight.discipline.models import OUTCOMES, Appeal
from oversight.labels import label_for

from . import metrics as M
from . import records as R
from .document import Section, count_table, cross_table

AGES = [("0-30", "30 days or less"), ("31-90", "31-90 days"), ("91-180", "91-180 days"), ("181+", "over 180 days")]
RISKS = [("0", "Overdue"), ("1", "Open"), ("2", "Paused (tolled)")]


def _age(days: int) -> str:
    return "0-30" if days <= 30 else "31-90" if days <= 90 else "91-180" if days <= 180 else "181+"


def build(start: dt.date, end: dt.date, today: dt.date) -> tuple[list[Section], dict[tuple[str, str], str]]:
    """The dashboard's sections and, for each (table, row key), the query string of the cases behind it."""
    rules = rules_for(end)
    mc = 0  # staff dashboards: every count shown (the readers' access model decides which cases they open)
    refresh_board(today)
    links: dict[tuple[str, str], str] = {}
    span = f"from={start.isoformat()}&to={end.isoformat()}"
    cases = R.cases_received(start, end)
    out: list[Section] = []

    s = Section("intake", "Intake by month and channel", "SMC 3.29.020.A.17")
    by = Counter((c.received_on.strftime("%Y-%m"), c.channel) for c in cases)
    s.tables.append(
        cross_table(
            "intake",
            "Complaints received by month and channel",
            "Month",
            M.months(start, end),
            CHANNELS,
            by,
            mc,
            chart="column",
        )
    )
    for k, _ in M.months(start, end):
        links[("intake", k)] = f"f=month&v={k}"
    out.append(s)

    s = Section("open", "Open cases by stage and age", "SMC 3.29.026")
    open_rows = list(
        Case.objects.filter(closed_on__isnull=True, routed_to="", received_on__isnull=False).values_list(
            "board_stage", "received_on"
        )
    )
    stages = sorted({st for st, _ in open_rows if st})
    by2 = Counter((st or "", _age((today - rec).days)) for st, rec in open_rows)
    s.tables.append(
        cross_table(
            "open_stage",
            "Open cases by stage and days since received",
            "Stage",
            [(x, x) for x in stages],
            AGES,
            by2,
            mc,
        )
    )
    for st in stages:
        links[("open_stage", st)] = "f=stage&v=" + st
    out.append(s)

    s = Section("deadlines", "Deadlines: the next of each open case", "SMC 3.29.026; SMC 3.29.112.G")
    risk = Counter(
        str(r)
        for r in Case.objects.filter(closed_on__isnull=True, routed_to="", board_risk__isnull=False).values_list(
            "board_risk", flat=True
        )
    )
    s.tables.append(
        count_table("deadlines", "Open cases by their next deadline", "Next deadline", RISKS, risk, mc, unit="Cases")
    )
    for k, _ in RISKS:
        links[("deadlines", k)] = "f=risk&v=" + k
    s.tables.append(
        count_table(
            "due_soon",
            "Open cases whose next deadline falls due",
            "When",
            [("14", "Within 14 days"), ("30", "Within 30 days"), ("later", "Later")],
            Counter(
                "14" if (d - today).days <= 14 else "30" if (d - today).days <= 30 else "later"
                for d in Case.objects.filter(closed_on__isnull=True, routed_to="", board_risk=1).values_list(
                    "board_due", flat=True
                )
                if d is not None
            ),
            mc,
            unit="Cases",
        )
    )
    out.append(s)

    s = Section("classifications", "Classifications", "SMC 3.29.020.A.3")
    classes = list(rules.taxonomies["classifications"].value)
    s.tables.append(
        count_table(
            "classifications",
            "Complaints received by classification",
            "Classification",
            [*[(c, label_for("classification", c, end)) for c in classes], ("", "Not yet classified")],
            Counter(c.classification for c in cases if not c.routed_to),
            mc,
            unit="Complaints",
        )
    )
    for c in classes:
        links[("classifications", c)] = f"f=classification&v={c}&{span}"
    out.append(s)

    s = Section("findings", "Findings", "SMC 3.29.007")
    finds = R.final_findings(start, end)
    s.tables.append(
        count_table(
            "findings",
            "Final findings made, by allegation",
            "Finding",
            [(f, label_for("finding", f, end)) for f in rules.taxonomies["findings"].value],
            Counter(f.finding for f in finds),
            mc,
            unit="Allegations",
        )
    )
    for f in rules.taxonomies["findings"].value:
        links[("findings", f)] = f"f=finding&v={f}&{span}"
    out.append(s)

    s = Section("oig", "OIG determinations", "SMC 3.29.112")
    det = Counter(t for _, t, _, _ in R.events(("oig_certified", "oig_not_certified"), start, end))
    s.tables.append(
        count_table(
            "oig",
            "OIG's determinations",
            "Determination",
            [("oig_certified", "Certified"), ("oig_not_certified", "Not certified")],
            det,
            mc,
            unit="Determinations",
        )
    )
    for k in ("oig_certified", "oig_not_certified"):
        links[("oig", k)] = f"f=event&v={k}&{span}"
    out.append(s)

    s = Section("appeals", "Appeals", "SMC 3.29.310.A.7-8")
    ap = Counter(o for _, _, o, _ in R.appeals_filed(start, end))
    ap["not_recorded"] = len(
        {c for c, _, _, _ in R.events(("appeal_notice_filed",), start, end)}
        - {c for c, *_ in R.appeals_filed(start, end)}
    )
    s.tables.append(
        count_table(
            "appeals",
            "Appeals filed, by outcome",
            "Outcome",
            [*OUTCOMES, ("not_recorded", "Outcome not recorded")],
            ap,
            mc,
            unit="Appeals",
        )
    )
    for k, _ in OUTCOMES:
        links[("appeals", k)] = f"f=appeal&v={k}&{span}"
    links[("appeals", "not_recorded")] = f"f=event&v=appeal_notice_filed&{span}"
    out.append(s)
    return out, links


FILTERS = ("month", "stage", "risk", "classification", "finding", "event", "appeal")


def cases_behind(f: str, v: str, start: dt.date | None, end: dt.date | None) -> Any:
    """The cases behind one number of the dashboard, as a queryset (before the reader's access)."""
    qs = Case.objects.all()
    if f == "month":
        y, m = (int(x) for x in v.split("-"))
        first = dt.date(y, m, 1)
        last = dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
        return qs.filter(received_on__gte=first, received_on__lte=last)
    if f == "stage":
        return qs.filter(closed_on__isnull=True, routed_to="", board_stage=v)
    if f == "risk":
        return qs.filter(closed_on__isnull=True, routed_to="", board_risk=int(v))
    assert start is not None and end is not None
    if f == "classification":
        return qs.filter(received_on__gte=start, received_on__lte=end, classification=v, routed_to="")
    if f == "finding":
        return qs.filter(pk__in=[r.case for r in R.final_findings(start, end) if r.finding == v])
    if f == "event":
        return qs.filter(pk__in=CaseEvent.objects.filter(type=v, date__gte=start, date__lte=end).values("case_id"))
    if f == "appeal":
        return qs.filter(
            pk__in=Appeal.objects.filter(outcome=v, notice_filed_on__gte=start, notice_filed_on__lte=end).values(
                "case_id"
            )
        )
    raise ValueError(f)
