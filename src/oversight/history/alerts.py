"""Early intervention over the records: the profile's thresholds (``[early_intervention.*]``)
applied to each named employee's complaints and sustained findings (native and imported) and
to their uses of force and frisks in the public data, joined by pseudonym. What the rule is
and how it counts: ``oversight.rules.early_intervention``."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.utils import timezone

from oversight.cases.actions.base import rules_on
from oversight.cases.models import Case, NamedEmployee
from oversight.discipline.models import Finding
from oversight.publicdata import config
from oversight.reports.records import STAGE_RANK
from oversight.rules.early_intervention import Alert, Record, Threshold, alerts, counts_by_level

from .database import pseudonym_of
from .models import AlertHandling


def thresholds(day: dt.date | None = None) -> list[Threshold]:
    return list(rules_on(day or timezone.localdate()).early_intervention.values())


def _employees() -> dict[int, tuple[str, int, str]]:
    """named employee -> (pseudonym, case, case number), outside withdrawn imports."""
    pseudo = config.pseudonymizer()
    return {
        pk: (pseudonym_of(pseudo, serial, ps, pk), case_id, number)
        for pk, serial, ps, case_id, number in NamedEmployee.objects.exclude(
            case__imported__withdrawn_at__isnull=False
        ).values_list("pk", "serial", "imported__pseudonym", "case_id", "case__number")
    }


def case_records(emps: dict[int, tuple[str, int, str]] | None = None) -> list[Record]:
    """Complaints (on the day received) and sustained complaints (on the day of the final
    finding that sustained an allegation against the employee), one per person per case."""
    emps = _employees() if emps is None else emps
    out: list[Record] = []
    received = dict(Case.objects.filter(pk__in={c for _, c, _ in emps.values()}).values_list("pk", "received_on"))
    imported = dict(Case.objects.filter(imported__isnull=False).values_list("pk", "imported__dataset__name"))
    seen: set[tuple[str, int]] = set()
    for who, case_id, number in emps.values():
        on = received.get(case_id)
        if on is not None and (who, case_id) not in seen:
            seen.add((who, case_id))
            out.append(Record("complaints", who, on, number, imported.get(case_id, "native")))
    final: dict[int, tuple[tuple[int, int], str, int, dt.date]] = {}
    for pk, alleg, emp, stage, finding, on in Finding.objects.values_list(
        "pk", "allegation_id", "named_employee_id", "stage", "finding", "decided_on"
    ):
        key = (STAGE_RANK.get(stage, 0), pk)
        if alleg not in final or key > final[alleg][0]:
            final[alleg] = (key, finding, emp, on)
    first: dict[tuple[str, int], tuple[dt.date, str]] = {}
    for _, finding, emp, on in final.values():
        if finding != "sustained" or emp not in emps:
            continue
        who, case_id, number = emps[emp]
        k = (who, case_id)
        if k not in first or on < first[k][0]:
            first[k] = (on, number)
    for (who, case_id), (on, number) in first.items():
        out.append(Record("sustained_complaints", who, on, number, imported.get(case_id, "native")))
    return out


def data_records(who: set[str] | None = None) -> list[Record]:
    """Uses of force and frisks from the public data store, by the officers' pseudonyms."""
    from oversight.publicdata import store

    path = config.db_path()
    if not path.exists():
        return []
    try:
        con = store.connect(path, read_only=True)
    except store.StoreError:
        return []
    out: list[Record] = []
    try:
        tables = store.present(con)
        flt = ""
        params: list[Any] = []
        if who is not None:
            flt = " WHERE who IN (SELECT unnest(?))"
            params = [sorted(who)]
        if "force" in tables:
            q = (
                "SELECT * FROM (SELECT unnest(officers) AS who, CAST(occurred_at AS DATE) AS on_, incident_id, level, "
                f"dataset FROM force WHERE occurred_at IS NOT NULL){flt}"
            )
            for w, on, ref, level, ds in con.execute(q, params).fetchall():
                out.append(Record("force", w, on, f"force {ref}", ds))
                if level and (level.startswith("Level 2") or level.startswith("Level 3")):
                    out.append(Record("force_level_2_3", w, on, f"force {ref} ({level})", ds))
        if "stops" in tables:
            q = (
                "SELECT * FROM (SELECT unnest(officers) AS who, reported_date AS on_, stop_id, dataset FROM stops "
                f"WHERE frisk AND reported_date IS NOT NULL){flt}"
            )
            for w, on, ref, ds in con.execute(q, params).fetchall():
                out.append(Record("frisks", w, on, f"stop {ref}", ds))
    finally:
        con.close()
    return out


_CACHE: dict[tuple[Any, ...], list[Alert]] = {}


def _state() -> tuple[Any, ...]:
    """What the alerts depend on, cheaply: the newest finding and named employee, the imports'
    withdrawals, the public data store's modification time."""
    from django.db.models import Max

    from .models import ImportedCase

    path = config.db_path()
    return (
        Finding.objects.aggregate(m=Max("pk"))["m"],
        NamedEmployee.objects.aggregate(m=Max("pk"))["m"],
        ImportedCase.objects.filter(withdrawn_at__isnull=False).count(),
        path.stat().st_mtime if path.exists() else None,
    )


def current(day: dt.date | None = None, with_data: bool = True) -> list[Alert]:
    """Every alert the profile's thresholds raise today (kept while the records stay the same)."""
    key = (day or timezone.localdate(), with_data, *_state())
    if key in _CACHE:
        return _CACHE[key]
    records = case_records()
    if with_data:
        records += data_records()
    found = alerts(records, thresholds(day), as_of=day or timezone.localdate())
    _CACHE.clear()
    _CACHE[key] = found
    return found


def handled() -> dict[str, AlertHandling]:
    out: dict[str, AlertHandling] = {}
    for h in AlertHandling.objects.order_by("handled_at"):
        out[h.alert_key] = h
    return out


def level_counts(found: list[Alert]) -> dict[str, dict[str, int]]:
    return counts_by_level(found)


def efficacy(found: list[Alert], handlings: list[AlertHandling]) -> dict[str, Any]:
    """For the efficacy report (SMC 3.29.305.E): alerts open and handled, by action, and of the
    people given an intervention how many had a new record of the same rule after it."""
    by_action = Counter(h.action for h in handlings)
    later = 0
    tracked = 0
    latest: dict[tuple[str, str], dt.date] = {(a.rule, a.who): a.last for a in found}
    for h in handlings:
        if h.action in ("mentoring", "coaching", "training"):
            tracked += 1
            last = latest.get((h.rule, h.pseudonym))
            if last is not None and last > h.handled_at.date():
                later += 1
    keys = {h.alert_key for h in handlings}
    return {
        "alerts": len(found),
        "handled": sum(1 for a in found if a.key in keys),
        "not_handled": sum(1 for a in found if a.key not in keys),
        "by_action": dict(by_action),
        "interventions": tracked,
        "new_records_after_intervention": later,
    }


def counts_in_period(start: dt.date, end: dt.date) -> list[tuple[str, str, list[int | float | str | None]]]:
    """For the annual report: per rule, the named employees at each level whose alert's latest
    record fell in the period (records after the period are not looked at). Counts only."""
    records = [r for r in case_records() + data_records() if r.on <= end]
    found = [a for a in alerts(records, thresholds(end), as_of=end) if start <= a.last <= end]
    counts = counts_by_level(found)
    return [
        (
            t.id,
            f"{t.label} [{t.cite}]",
            [counts.get(t.id, {}).get("warning", 0), counts.get(t.id, {}).get("critical", 0)],
        )
        for t in thresholds(end)
    ]
