"""The public discipline database at /data/discipline/: filters, grouping, the sustained rate
with its interval, charts, and downloads (the summary as CSV, JSON and Parquet, every row as
CSV and Parquet) whose numbers are the page's. Never a complainant, never a name; groups of
fewer allegations than the profile's ``publication.min_cell`` are withheld."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from oversight.labels import label_for
from oversight.publicdata import config, svg

from . import database as db
from .models import ImportedDataset

FILTERS = (
    "source",
    "allegation_category",
    "finding",
    "discipline",
    "rank",
    "precinct",
    "classification",
    "named_employee",
)
LABEL_KINDS = {"allegation_category": "category", "finding": "finding", "classification": "classification"}
DISCIPLINE_LABELS = {
    "none": "No discipline",
    "oral_reprimand": "Oral reprimand",
    "written_reprimand": "Written reprimand",
    "suspension": "Unpaid suspension",
    "demotion": "Demotion",
    "termination": "Termination",
}
OUTCOME_LABELS = {
    "pending": "Pending",
    "upheld": "Upheld",
    "modified": "Modified",
    "reversed": "Reversed",
    "settled": "Settled",
    "withdrawn": "Withdrawn",
}


def display(col: str, value: Any) -> str:
    """A stored value as a person reads it: the profile's labels, never a raw code."""
    if value is None or value == "":
        return "unknown"
    if col in LABEL_KINDS:
        return label_for(LABEL_KINDS[col], value)
    if col == "discipline":
        return DISCIPLINE_LABELS.get(str(value), str(value))
    if col == "appeal_outcome":
        return OUTCOME_LABELS.get(str(value), str(value))
    if col == "source" and value == db.NATIVE:
        return "This office's cases"
    if col == "appeal":
        return "Yes" if value == "yes" else "No"
    return str(value)


def caveats() -> list[str]:
    mc = config.min_cell()
    out = [
        "One row per allegation per named employee, from this office's closed cases and from complaint "
        "history imported from other systems' exports. Complainants are never in it; named employees "
        "appear only as a pseudonym, the same one the stops and force data give them where their ID is the same.",
        "The sustained rate is sustained allegations out of all allegations with a final finding; its 95% "
        "Wilson interval is wide when a group is small. Discipline counts named employees per case.",
        f"Groups of fewer than {mc} allegations are withheld, and when one is, the next smallest beside it, "
        "so that no small group can be worked out from the total.",
        "A finding is the final one: an appeal's over the Chief's over the Director's recommendation. Imported "
        "findings are the exporting office's own, mapped onto this office's categories; the source's own words "
        "are kept beside them (the 'in the source' columns).",
        "What this cannot show: why a finding was reached, complaints that were never filed, allegations an "
        "export left out, or how similar the conduct behind two allegations of the same category was.",
    ]
    for ds in ImportedDataset.objects.exclude(can_show="").order_by("name"):
        out.append(f"{ds.title}: {ds.can_show}")
    return out


def _params(request: HttpRequest) -> tuple[list[str], list[str]]:
    by: list[str] = []
    for b in request.GET.getlist("by"):
        by += [x for x in b.split(",") if x.strip()]
    where = [w for w in request.GET.getlist("where") if w.strip()]
    for col in FILTERS:
        v = request.GET.get(col, "")
        if v:
            where.append(f"{col}={v}")
    for param, op in (("year_from", ">="), ("year_to", "<=")):
        v = request.GET.get(param, "").strip()
        if v:
            where.append(f"year{op}{v}")
    return by, where


def _choices(data: list[dict[str, Any]], col: str) -> list[tuple[str, str]]:
    if col == "named_employee":
        return []
    values = sorted({str(r[col]) for r in data if r[col] not in (None, "")})
    return [(v, display(col, v)) for v in values]


@require_GET
def page(request: HttpRequest) -> HttpResponse:
    by, where = _params(request)
    if not by:
        by = ["finding"]
    data = db.rows()
    ctx: dict[str, Any] = {
        "caveats": caveats(),
        "by": by,
        "query": request.GET,
        "group_columns": [(c, db.COLUMNS[c]) for c in db.GROUPABLE],
        "filters": [(c, db.COLUMNS[c], request.GET.get(c, ""), _choices(data, c)) for c in FILTERS],
    }
    try:
        result = db.summary(by, where, data)
    except db.QueryError as e:
        ctx["error"] = str(e)
        return render(request, "history/discipline.html", ctx, status=400)
    kinds = db.discipline_kinds(result)
    ctx["kinds"] = [(k, DISCIPLINE_LABELS.get(k, k)) for k in kinds]
    ctx["by_labels"] = [db.COLUMNS[c] for c in by]
    ctx["result"] = result
    ctx["rows"] = [
        {
            **g,
            "keys": [display(c, g.get(c)) for c in by],
            "disc": [None if g["discipline"] is None else g["discipline"].get(k, 0) for k in kinds],
        }
        for g in result["groups"]
    ]
    t = result["total"]
    ctx["total_disc"] = [None if t["discipline"] is None else t["discipline"].get(k, 0) for k in kinds]
    bars = [
        (" · ".join(display(c, g.get(c)) for c in by), g["sustained_rate"], g["sustained_rate_ci"])
        for g in result["groups"]
    ]
    ctx["chart"] = svg.rate_bars(bars, f"Sustained rate by {', '.join(db.COLUMNS[c].lower() for c in by)}")
    qs = request.GET.copy()
    qs.setlist("by", by)
    ctx["qs"] = qs.urlencode()
    ctx["empty"] = not data
    return render(request, "history/discipline.html", ctx)


@require_GET
def summary_api(request: HttpRequest, fmt: str) -> HttpResponse:
    by, where = _params(request)
    try:
        result = db.summary(by, where)
    except db.QueryError as e:
        return JsonResponse({"error": str(e)}, status=400)
    if fmt == "csv":
        header, rows = db.to_csv_rows(result)
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(header)
        w.writerows(rows)
        resp = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
        resp["Content-Disposition"] = 'attachment; filename="discipline-summary.csv"'
        return resp
    if fmt == "parquet":
        return _parquet(db.to_records(result), "discipline-summary.parquet")
    return JsonResponse({**result, "caveats": caveats()}, json_dumps_params={"ensure_ascii": False})


def _parquet(records: list[dict[str, Any]], name: str) -> HttpResponse:
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(records), out)
    resp = HttpResponse(out.getvalue(), content_type="application/vnd.apache.parquet")
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


@require_GET
def download(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every row (filtered as the page is): the standard columns only."""
    _, where = _params(request)
    try:
        data = db.public_rows(db.filtered(where))
    except db.QueryError as e:
        return JsonResponse({"error": str(e)}, status=400)
    if fmt == "parquet":
        return _parquet(data, "discipline.parquet")
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(db.COLUMNS))
    w.writeheader()
    w.writerows(data)
    resp = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="discipline.csv"'
    return resp
