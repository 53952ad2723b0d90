"""The records as replay reads them: every case (native and imported) as the clock's input, with
the facts the agreements' provisions read (discipline imposed, the day it closed), in a fixed
number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from oversight.cases.models import CLOCK_EVENT_TYPES, Allegation, Case, CaseEvent, Subpoena
from oversight.rules.events import EVENT_TYPES
from oversight.rules.replay import Facts


def replay_inputs() -> Iterator[tuple[dict[str, Any], Facts, int]]:
    """(clock input, facts, case pk) of every case in the records."""
    from oversight.discipline.models import Discipline

    # `imported`: the case's ImportedCase (oversight.history), None for a case of this office's own
    fields = ["pk", "number", "incident_date", "closed_on", "imported"]
    events: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for case_id, type_, date, data in (
        CaseEvent.objects.filter(type__in=CLOCK_EVENT_TYPES)
        .order_by("case_id", "seq")
        .values_list("case_id", "type", "date", "data")
    ):
        e: dict[str, Any] = {"type": type_, "date": date.isoformat()}
        if data:
            known = EVENT_TYPES[type_]
            e.update({k: v for k, v in data.items() if k in known})
        events[case_id].append(e)
    allegations: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for pk, case_id, cat, crim, conc, f3 in Allegation.objects.values_list(
        "pk", "case_id", "category", "criminal", "concealment", "type_iii_force"
    ):
        allegations[case_id].append(
            {"id": f"A{pk}", "category": cat, "criminal": crim, "concealment": conc, "type_iii_force": f3}
        )
    discipline: dict[int, list[str]] = defaultdict(list)
    for case_id, kind in Discipline.objects.values_list("case_id", "kind"):
        discipline[case_id].append(kind)
    subpoenas: dict[int, int] = defaultdict(int)
    for case_id in Subpoena.objects.values_list("case_id", flat=True):
        subpoenas[case_id] += 1
    # another office's history (a mapping without office_history) was never under this city's agreements
    own = Case.objects.exclude(imported__dataset__office_history=False)
    for row in own.order_by("number").values(*fields):
        pk = row["pk"]
        obj = {
            "case_id": row["number"],
            "incident_date": row["incident_date"].isoformat() if row["incident_date"] else None,
            "allegations": allegations.get(pk, []),
            "events": events.get(pk, []),
        }
        closed: dt.date | None = row["closed_on"]
        disc = discipline.get(pk)
        facts = Facts(
            discipline=tuple(disc) if disc is not None else None,
            closed_on=closed.toordinal() if closed else None,
            imported=row["imported"] is not None,
            subpoenas=subpoenas.get(pk, 0),
        )
        yield obj, facts, pk
