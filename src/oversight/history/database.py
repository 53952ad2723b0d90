"""The public discipline database (SMC 3.29.320.B: "every ... disciplinary matter"): one row
per allegation per named employee, from the app's closed cases and the imported history
alike, and its summaries. Never a complainant, never a name: the named employee appears as
the keyed pseudonym the stops and force data use (native cases: the serial number in the
Terry stops' namespace), with rank, assignment and years-of-service band.

The same numbers serve the pages, the CSV/JSON/Parquet downloads and
``oversight discipline summary``."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from typing import Any

from django.utils import timezone

from oversight.cases.models import Allegation, Case, NamedEmployee
from oversight.discipline.models import Appeal, Discipline, Finding
from oversight.publicdata import config
from oversight.publicdata.stats import rate, wilson
from oversight.reports.metrics import seniority_band
from oversight.reports.records import STAGE_RANK

# The namespace of native named employees' serial numbers: the Terry stops export's, so that a
# native case's named employee has the pseudonym the stops data give them.
NATIVE_NAMESPACE = "seattle-spd-serial"
NATIVE = "native"
UNKNOWN = "(unknown)"

COLUMNS: dict[str, str] = {
    "case_number": "Case number",
    "source": "Source",
    "received_month": "Received (month)",
    "closed_month": "Closed (month)",
    "year": "Year closed",
    "allegation_category": "Allegation category",
    "allegation_category_source": "Category in the source",
    "classification": "Classification",
    "finding": "Finding",
    "finding_source": "Finding in the source",
    "recommended_discipline": "Discipline recommended",
    "discipline": "Discipline imposed",
    "appeal": "Appealed",
    "appeal_outcome": "Appeal outcome",
    "precinct": "Precinct",
    "named_employee": "Named employee (pseudonym)",
    "rank": "Rank",
    "assignment": "Assignment",
    "service_band": "Years of service",
    "employee_race": "Named employee's race",
    "employee_gender": "Named employee's gender",
}
# Grouping by a case or a person would publish a record per person: filter by them, not group.
GROUPABLE = [c for c in COLUMNS if c not in ("case_number", "named_employee", "received_month", "closed_month")]
NUMERIC = {"year"}
WHERE_RE = re.compile(r"^([a-z_]+)(!=|>=|<=|=|>|<)(.*)$", re.S)


class QueryError(ValueError):
    """A summary asked for a column or a filter that does not exist."""


def vocabularies() -> dict[str, set[str]]:
    """The profile's vocabularies a mapping maps onto (in force today)."""
    from oversight.cases.actions.base import rules_on

    tax = rules_on(timezone.localdate()).taxonomies
    return {
        "findings": set(tax["findings"].value),
        "allegation_categories": set(tax["allegation_categories"].value),
        "classifications": set(tax["classifications"].value),
    }


def pseudonym_of(pseudo: Any, serial: str, imported: str | None, pk: int) -> str:
    """The named employee's pseudonym: the import's (keyed on the export's ID), else their
    serial number's in the Terry stops' namespace, else one of their record's own."""
    if imported:
        return imported
    if serial:
        return str(pseudo(NATIVE_NAMESPACE, serial))
    return str(pseudo("oversight-named-employee", str(pk)))


def _month(d: dt.date | None) -> str | None:
    return d.strftime("%Y-%m") if d else None


def compute_rows() -> list[dict[str, Any]]:
    """Every allegation of a closed case with a final finding, per named employee, computed
    from the app's records (what :func:`refresh` puts in the store)."""
    pseudo = config.pseudonymizer()
    final: dict[int, tuple[tuple[int, int], str]] = {}
    for pk, alleg, stage, finding in Finding.objects.filter(case__closed_on__isnull=False).values_list(
        "pk", "allegation_id", "stage", "finding"
    ):
        key = (STAGE_RANK.get(stage, 0), pk)
        if alleg not in final or key > final[alleg][0]:
            final[alleg] = (key, finding)
    withdrawn = set(Case.objects.filter(imported__withdrawn_at__isnull=False).values_list("pk", flat=True))
    cases = {
        pk: (number, received, closed, cls, precinct, ds, raw)
        for pk, number, received, closed, cls, precinct, ds, raw in Case.objects.filter(
            closed_on__isnull=False
        ).values_list(
            "pk",
            "number",
            "received_on",
            "closed_on",
            "classification",
            "precinct",
            "imported__dataset__name",
            "imported__raw",
        )
        if pk not in withdrawn
    }
    emps = {
        pk: (serial, rank, assignment, yos, ps, race, gender)
        for pk, serial, rank, assignment, yos, ps, race, gender in NamedEmployee.objects.filter(
            case_id__in=list(cases)
        ).values_list(
            "pk",
            "serial",
            "rank",
            "assignment",
            "years_of_service",
            "imported__pseudonym",
            "imported__race",
            "imported__gender",
        )
    }
    disc: dict[tuple[int, int], str] = {}
    for case_id, emp, kind in (
        Discipline.objects.filter(case_id__in=list(cases))
        .order_by("pk")
        .values_list("case_id", "named_employee_id", "kind")
    ):
        disc[(case_id, emp)] = kind  # the latest record supersedes
    appeals: dict[tuple[int, int], str] = {}
    for case_id, emp, outcome in (
        Appeal.objects.filter(case_id__in=list(cases))
        .order_by("pk")
        .values_list("case_id", "named_employee_id", "outcome")
    ):
        appeals[(case_id, emp)] = outcome
    out = []
    for pk, case_id, emp_id, category, i_raw, i_rec, i_disc, i_appeal in (
        Allegation.objects.filter(case_id__in=list(cases))
        .order_by("case_id", "pk")
        .values_list(
            "pk",
            "case_id",
            "named_employee_id",
            "category",
            "imported__raw",
            "imported__recommended_discipline",
            "imported__discipline",
            "imported__appeal_outcome",
        )
    ):
        if pk not in final:
            continue
        number, received, closed, cls, precinct, ds, craw = cases[case_id]
        serial, rank, assignment, yos, ps, race, gender = emps[emp_id]
        who = pseudonym_of(pseudo, serial, ps, emp_id)
        a_raw = i_raw or {}
        kind = disc.get((case_id, emp_id)) or (i_disc or None)
        outcome = appeals.get((case_id, emp_id)) or (i_appeal or None)
        out.append(
            {
                "case_number": number,
                "source": ds or NATIVE,
                "received_month": _month(received),
                "closed_month": _month(closed),
                "year": closed.year if closed else None,
                "allegation_category": category or None,
                "allegation_category_source": a_raw.get("category") or None,
                "classification": cls or None,
                "finding": final[pk][1],
                "finding_source": a_raw.get("finding") or None,
                "recommended_discipline": i_rec or None,
                "discipline": kind,
                "appeal": "yes" if outcome else "no",
                "appeal_outcome": outcome,
                "precinct": precinct or ((craw or {}).get("precinct") or None),
                "named_employee": who,
                "rank": rank or None,
                "assignment": assignment or None,
                "service_band": seniority_band(yos) if yos is not None else None,
                "employee_race": race or None,
                "employee_gender": gender or None,
                "_case": case_id,
                "_emp": emp_id,
            }
        )
    return out


# The rows' place in the public-data store (the DuckDB file of the stops and force data).
TABLE = "discipline"
META = "discipline_meta"
_TYPES = {"year": "INTEGER", "_case": "BIGINT", "_emp": "BIGINT"}
STORED = [*COLUMNS, "_case", "_emp"]


def fingerprint() -> str:
    """What the rows are computed from, in a few aggregate queries: when it differs from the
    one stored beside the rows, they are computed again (a case closed, a finding, discipline
    or an appeal recorded, history imported or withdrawn). A change made in place (an appeal's
    ruling, a hearing set) is caught by the log: every write through the actions appends an
    event to its case's log, so the last event of the closed cases moves with it."""
    from django.db.models import Count, Max

    from oversight.cases.models import CaseEvent
    from oversight.history.models import ImportedCase

    parts: list[Any] = []
    for qs in (
        Case.objects.filter(closed_on__isnull=False),
        CaseEvent.objects.filter(case__closed_on__isnull=False),
        Finding.objects.all(),
        Allegation.objects.all(),
        NamedEmployee.objects.all(),
        Discipline.objects.all(),
        Appeal.objects.all(),
        ImportedCase.objects.filter(withdrawn_at__isnull=False),
    ):
        agg = qs.aggregate(n=Count("pk"), m=Max("pk"))
        parts += [agg["n"], agg["m"]]
    return ":".join(str(p) for p in parts)


def refresh(db_path: Any = None, data: list[dict[str, Any]] | None = None) -> int:
    """Replace the discipline rows in the store, in one transaction; returns their number."""
    import pyarrow as pa

    from oversight.publicdata.store import connect

    computed = compute_rows() if data is None else data
    stamp = fingerprint()
    table = pa.table(
        {
            c: pa.array(
                [r[c] for r in computed],
                type=pa.int64() if c in ("_case", "_emp") else pa.int32() if c == "year" else pa.string(),
            )
            for c in STORED
        }
    )
    con = connect(config.db_path(db_path))
    try:
        con.execute("BEGIN TRANSACTION")
        cols = ", ".join(f'"{c}" {_TYPES.get(c, "VARCHAR")}' for c in STORED)
        con.execute(f"CREATE OR REPLACE TABLE {TABLE} ({cols})")
        con.register("_discipline_rows", table)
        con.execute(f"INSERT INTO {TABLE} SELECT * FROM _discipline_rows")
        con.unregister("_discipline_rows")
        con.execute(f"CREATE OR REPLACE TABLE {META} (fingerprint VARCHAR, refreshed_at TIMESTAMP)")
        con.execute(f"INSERT INTO {META} VALUES (?, now())", [stamp])
        con.execute("COMMIT")
    finally:
        con.close()
    return len(computed)


def _read(db_path: Any = None) -> tuple[str | None, list[dict[str, Any]] | None]:
    import duckdb

    from oversight.publicdata.store import StoreError, connect

    try:
        con = connect(config.db_path(db_path), read_only=True)
    except StoreError:
        return None, None
    try:
        stamp = con.execute(f"SELECT fingerprint FROM {META}").fetchone()
        cur = con.execute(f"SELECT {', '.join(chr(34) + c + chr(34) for c in STORED)} FROM {TABLE}")
        names = [d[0] for d in cur.description]
        data = [dict(zip(names, t, strict=True)) for t in cur.fetchall()]
    except duckdb.Error:
        return None, None
    finally:
        con.close()
    return (stamp[0] if stamp else None), data


def rows(db_path: Any = None) -> list[dict[str, Any]]:
    """The discipline rows as the store holds them; refreshed first when what they are computed
    from has changed since (or the store has none yet)."""
    stamp, data = _read(db_path)
    if data is None or stamp != fingerprint():
        refresh(db_path)
        stamp, data = _read(db_path)
    assert data is not None
    return data


def parse_by(by: str | list[str] | None) -> list[str]:
    if not by:
        return []
    cols = [c.strip() for c in (by.split(",") if isinstance(by, str) else by) if c.strip()]
    for c in cols:
        if c not in GROUPABLE:
            raise QueryError(f"--by: {c!r} is not a column to group by; columns: {', '.join(GROUPABLE)}")
    if len(cols) > 3:
        raise QueryError("--by: at most three columns")
    return cols


def parse_where(clauses: list[str]) -> list[tuple[str, str, Any]]:
    out = []
    for clause in clauses:
        m = WHERE_RE.match(clause.strip())
        if not m or m.group(1) not in COLUMNS:
            raise QueryError(
                f"--where: {clause!r} is not COL=VALUE (also !=, >=, <=, >, <) over a column: {', '.join(COLUMNS)}"
            )
        col, op, value = m.groups()
        if op in (">=", "<=", ">", "<"):
            if col not in NUMERIC:
                raise QueryError(f"--where: {col} is not a number; {op} applies to {', '.join(sorted(NUMERIC))}")
            try:
                out.append((col, op, int(value)))
            except ValueError:
                raise QueryError(f"--where: {value!r} is not a whole number") from None
        else:
            out.append((col, op, set(value.split("|"))))
    return out


def _match(row: dict[str, Any], conds: list[tuple[str, str, Any]]) -> bool:
    for col, op, v in conds:
        x = row.get(col)
        if op in ("=", "!="):
            s = UNKNOWN if x is None else str(x)
            if (s in v) != (op == "="):
                return False
        else:
            if x is None:
                return False
            if not {">=": x >= v, "<=": x <= v, ">": x > v, "<": x < v}[op]:
                return False
    return True


def filtered(where: list[str], data: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    conds = parse_where(where)
    return [r for r in (rows() if data is None else data) if _match(r, conds)]


def _counts(group: list[dict[str, Any]]) -> dict[str, Any]:
    complaints = {r["_case"] for r in group}
    sustained_cases = {r["_case"] for r in group if r["finding"] == "sustained"}
    sustained = sum(1 for r in group if r["finding"] == "sustained")
    disc: Counter[str] = Counter()
    seen = set()
    for r in group:
        k = (r["_case"], r["_emp"])
        if r["discipline"] and k not in seen:
            seen.add(k)
            disc[r["discipline"]] += 1
    n = len(group)
    ci = wilson(sustained, n)
    r = rate(sustained, n)
    return {
        "allegations": n,
        "complaints": len(complaints),
        "named_employees": len({r["named_employee"] for r in group}),
        "sustained": sustained,
        "complaints_with_sustained": len(sustained_cases),
        "sustained_rate": None if r is None else round(r, 6),
        "sustained_rate_ci": None if ci is None else [round(ci[0], 6), round(ci[1], 6)],
        "discipline": dict(sorted(disc.items())),
    }


NUMBERS = ("allegations", "complaints", "named_employees", "sustained", "complaints_with_sustained")
JSON_KEYS = (*NUMBERS, "sustained_rate", "sustained_rate_ci", "discipline")


def _withhold(g: dict[str, Any], why: str) -> None:
    for k in (*NUMBERS, "sustained_rate", "sustained_rate_ci"):
        g[k] = None
    g["discipline"] = None
    g["suppressed"] = True
    g["withheld_because"] = why


def summary(
    by: str | list[str] | None,
    where: list[str] | None = None,
    data: list[dict[str, Any]] | None = None,
    min_cell: int | None = None,
) -> dict[str, Any]:
    """Per group the counts, the sustained rate (sustained allegations / allegations) with its
    Wilson 95% interval, and discipline by kind (named employees per case). A group of fewer
    allegations than the profile's ``publication.min_cell`` is withheld, and with exactly one
    withheld the next smallest beside it, as on the stops and force pages."""
    cols = parse_by(by)
    mc = config.min_cell() if min_cell is None else min_cell
    selected = filtered(list(where or []), data)
    buckets: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for r in selected:
        buckets[tuple(r[c] for c in cols)].append(r)
    groups = []
    for key in sorted(buckets, key=lambda k: tuple((v is None, str(v)) for v in k)):
        g: dict[str, Any] = dict(zip(cols, key, strict=True))
        g.update(_counts(buckets[key]))
        g["suppressed"] = False
        g["withheld_because"] = None
        if g["allegations"] < mc:
            _withhold(g, f"fewer than {mc}")
        groups.append(g)
    if cols and sum(1 for g in groups if g["suppressed"]) == 1:
        shown = [g for g in groups if not g["suppressed"]]
        if shown:
            _withhold(
                min(shown, key=lambda g: g["allegations"]),
                "so that a smaller withheld group cannot be worked out from the total",
            )
    total = _counts(selected)
    total.update({"suppressed": False, "withheld_because": None})
    if total["allegations"] < mc:
        _withhold(total, f"fewer than {mc}")
    if not cols:
        groups = [dict(total)]
    return {
        "by": cols,
        "where": list(where or []),
        "min_cell": mc,
        "confidence": 0.95,
        "interval": "wilson",
        "groups": groups,
        "total": total,
    }


ORDER = ("none", "oral_reprimand", "written_reprimand", "suspension", "demotion", "termination")


def discipline_kinds(result: dict[str, Any]) -> list[str]:
    """The kinds of discipline in a summary, least to most severe."""
    kinds = {k for g in result["groups"] for k in (g.get("discipline") or {})}
    return sorted(kinds, key=lambda k: (ORDER.index(k) if k in ORDER else len(ORDER), k))


def to_records(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Flat records: the interval as ``sustained_rate_ci_low``/``_high``, discipline per kind."""
    kinds = discipline_kinds(result)
    out = []
    for g in result["groups"]:
        rec: dict[str, Any] = {c: g.get(c) for c in result["by"]}
        for k in NUMBERS:
            rec[k] = g[k]
        rec["sustained_rate"] = g["sustained_rate"]
        ci = g["sustained_rate_ci"]
        rec["sustained_rate_ci_low"] = None if ci is None else ci[0]
        rec["sustained_rate_ci_high"] = None if ci is None else ci[1]
        for k in kinds:
            rec[f"discipline_{k}"] = None if g["discipline"] is None else g["discipline"].get(k, 0)
        rec["suppressed"] = g["suppressed"]
        out.append(rec)
    return out


def to_csv_rows(result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    recs = to_records(result)
    if not recs:
        return [*result["by"], *NUMBERS, "sustained_rate", "sustained_rate_ci_low", "sustained_rate_ci_high"], []
    header = list(recs[0])
    return header, [["" if v is None else v for v in r.values()] for r in recs]


def public_rows(data: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows as downloaded: the standard columns only."""
    return [{c: r[c] for c in COLUMNS} for r in data]
