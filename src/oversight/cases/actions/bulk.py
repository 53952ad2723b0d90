"""Many finished records at once: the demo, a migration from another system."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from oversight.rules.events import EVENT_TYPES, CaseError, parse_case

from ..integrity import seal_objects
from ..models import (
    Allegation,
    Case,
    CaseEvent,
    CaseNumber,
    ChainHead,
    Complainant,
    InvestigationPlan,
    NamedEmployee,
    SupervisorActionReferral,
    Witness,
)
from .base import ActionError, User, audit, pick, require, username
from .intake import COMPLAINANT_FIELDS, EMPLOYEE_FIELDS, WITNESS_FIELDS


def import_cases(user: User, cases: Iterable[Mapping[str, Any]], batch: int = 2000) -> int:
    """Load whole cases (their people and their dated events) in bulk, extending the
    chain as if each event had been appended in turn. Each case must be a valid case
    for the clock; nothing is saved unless every case is. Returns the number loaded.

    A case is a mapping with the Case fields, and ``complainants``, ``named_employees``,
    ``witnesses``, ``allegations`` (``employee`` an index), ``events`` (``type``,
    ``date``, ``data``, ``by``: a user or None), ``plans``, ``referrals``.
    """
    require(user, "import_cases")
    items = [dict(c) for c in cases]
    for i, c in enumerate(items):
        clock = [
            {"type": e["type"], "date": e["date"].isoformat(), **(e.get("data") or {})}
            for e in c["events"]
            if e["type"] in EVENT_TYPES
        ]
        try:
            parse_case({"case_id": c["number"], "events": clock})
        except CaseError as e:
            raise ActionError(f"cases[{i}] ({c['number']})", str(e)) from None
    numbers = [c["number"] for c in items]
    taken = set(Case.objects.filter(number__in=numbers).values_list("number", flat=True))
    if taken or len(set(numbers)) != len(numbers):
        dup = sorted(taken) or sorted(n for n in numbers if numbers.count(n) > 1)
        raise ActionError("cases", f"case number {dup[0]} was already issued; numbers are never reused")
    case_fields = {f.name for f in Case._meta.concrete_fields} - {"id", "created_at"}
    n = 0
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
        prev = head.last_hash
        count = head.count
        years: dict[int, int] = {}
        for start in range(0, len(items), batch):
            chunk = items[start : start + batch]
            made = Case.objects.bulk_create([Case(**{k: v for k, v in c.items() if k in case_fields}) for c in chunk])
            comps, emps, wits = [], [], []
            for case, c in zip(made, chunk, strict=True):
                year, _, seq = case.number.partition("OPA-")
                if seq.isdigit() and year.isdigit():
                    years[int(year)] = max(years.get(int(year), 0), int(seq))
                comps += [Complainant(case=case, **pick(x, COMPLAINANT_FIELDS)) for x in c.get("complainants", ())]
                emps.append(
                    [NamedEmployee(case=case, **pick(x, EMPLOYEE_FIELDS)) for x in c.get("named_employees", ())]
                )
                wits += [Witness(case=case, **pick(x, WITNESS_FIELDS)) for x in c.get("witnesses", ())]
            Complainant.objects.bulk_create(comps)
            Witness.objects.bulk_create(wits)
            NamedEmployee.objects.bulk_create([e for lst in emps for e in lst])
            alls, events, plans, refs = [], [], [], []
            for case, c, case_emps in zip(made, chunk, emps, strict=True):
                for a in c.get("allegations", ()):
                    alls.append(
                        Allegation(
                            case=case,
                            named_employee=case_emps[a["employee"]],
                            category=a["category"],
                            description=a.get("description", ""),
                            criminal=bool(a.get("criminal")),
                            concealment=bool(a.get("concealment")),
                            type_iii_force=bool(a.get("type_iii_force")),
                        )
                    )
                for p in c.get("plans", ()):
                    plans.append(InvestigationPlan(case=case, **p))
                for r in c.get("referrals", ()):
                    refs.append(
                        SupervisorActionReferral(
                            case=case,
                            named_employee=case_emps[r["employee"]],
                            **{k: v for k, v in r.items() if k != "employee"},
                        )
                    )
                for seq, e in enumerate(c["events"], 1):
                    by = e.get("by")
                    ev = CaseEvent(
                        case=case,
                        seq=seq,
                        type=e["type"],
                        date=e["date"],
                        data=e.get("data") or {},
                        recorded_at=e.get("at") or timezone.now(),
                        recorded_by=by,
                        prev_hash=prev,
                    )
                    ev.hash = ev.content_hash(case.number, username(by))
                    prev = ev.hash
                    events.append(ev)
            Allegation.objects.bulk_create(alls)
            InvestigationPlan.objects.bulk_create(plans)
            SupervisorActionReferral.objects.bulk_create(refs)
            CaseEvent.objects.bulk_create(events, batch_size=5000)
            seal_objects([*made, *comps, *wits, *(e for lst in emps for e in lst), *alls, *plans, *refs])
            count += len(events)
            n += len(made)
        head.last_hash = prev
        head.count = count
        head.save(update_fields=["last_hash", "count"])
        for year, seq in years.items():
            counter, _ = CaseNumber.objects.select_for_update().get_or_create(year=year)
            if counter.last < seq:
                counter.last = seq
                counter.save(update_fields=["last"])
        audit(user, "import_cases", None, cases=n)
    # the imported cases' words for the search, now rather than on the first search
    from .search_index import refresh_search_index

    refresh_search_index()
    _refresh_statistics()
    return n


def _refresh_statistics() -> None:
    """After a bulk load, PostgreSQL's planner still sees the tables as they were before it
    (autovacuum analyzes them later): the board's and the homes' queries then pick plans
    that take seconds instead of milliseconds. Refresh the statistics of what was loaded."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    tables = [m._meta.db_table for m in (Case, CaseEvent, Allegation, NamedEmployee, Complainant, Witness)]
    with connection.cursor() as cur:
        cur.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
