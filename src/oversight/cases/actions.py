"""The one door for writes to cases: every change is an appended event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max

from oversight.cases.models import Allegation, Case, CaseEvent, CaseNumber
from oversight.rules.events import CaseError, parse_case
from oversight.rules.profile import get_profile

from .clock import profile_name


def next_case_number(year: int) -> str:
    """Seattle's form, e.g. 2026OPA-0001; a number once issued is never issued again."""
    fmt = get_profile(profile_name()).spec.profile.case_number_format
    counter, _ = CaseNumber.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return fmt.format(year=year, seq=counter.last)


@transaction.atomic
def open_case(
    *,
    received_on: dt.date,
    how: str = "complaint_received",
    incident_date: dt.date | None = None,
    summary: str = "",
    allegations: Iterable[dict[str, Any]] = (),
    user: Any = None,
) -> Case:
    """Open a case with its first event; nothing is saved unless all of it is valid."""
    if how not in ("complaint_received", "complaint_initiated"):
        raise CaseError(f"how: {how!r} is not complaint_received or complaint_initiated")
    case = Case.objects.create(
        number=next_case_number(received_on.year), incident_date=incident_date, summary=summary
    )
    for a in allegations:
        Allegation.objects.create(case=case, **a)
    CaseEvent.objects.create(case=case, seq=1, type=how, date=received_on, recorded_by=user)
    return case


@transaction.atomic
def record_event(case: Case, type: str, date: dt.date, user: Any = None, **data: Any) -> CaseEvent:
    """Append an event after checking that the case with it is still a valid case."""
    Case.objects.select_for_update().filter(pk=case.pk).first()
    clock_input = case.as_clock_input()
    new = {"type": type, "date": date.isoformat(), **data}
    clock_input["events"].append(new)
    parse_case(clock_input)  # raises CaseError naming the field
    seq = (case.events.aggregate(m=Max("seq"))["m"] or 0) + 1
    return CaseEvent.objects.create(case=case, seq=seq, type=type, date=date, data=data, recorded_by=user)
