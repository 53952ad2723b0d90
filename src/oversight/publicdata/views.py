"""Public pages and the JSON API under /data/. Views parse the request, ask summary.py or
disparity.py, and render; they never write. Everything shown is public by construction:
officers are pseudonyms, subject IDs and GO numbers were never stored, small groups are
withheld."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from typing import Any

import duckdb
from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from oversight.publicdata import config, disparity, store, summary, svg
from oversight.publicdata.kinds import KINDS, label
from oversight.publicdata.kinds import display_value as _value

FILTERS = {
    "stops": (
        "precinct",
        "sector",
        "beat",
        "subject_race",
        "subject_gender",
        "subject_age_group",
        "officer_squad",
        "resolution",
        "call_type",
    ),
    "force": ("precinct", "sector", "beat", "level", "subject_race", "subject_gender"),
}
CHART_RATES = {"stops": ("frisk_rate", "arrest_rate", "weapon_found_rate"), "force": ("level_2_3_rate",)}

CAVEATS = {
    "stops": [
        "These are the stops the police department recorded and published. Stops that were never "
        "written down are not here.",
        "Race and gender are as the officer perceived them, not as the person would say.",
        "The date and time are when the stop was reported, not when it happened.",
        "A stop the export lists more than once (one row per weapon type) is counted once here.",
        "'Weapon found' counts frisks that found a weapon; its rate is per frisk (the 'hit rate').",
        "Where the export had a placeholder ('-', 'Unknown') the value is shown as unknown; stops with "
        "an unknown frisk flag count as stops but not as frisks.",
        "A rate's interval is a 95% Wilson interval: with a small group it is wide, and the rate is "
        "uncertain. Groups of fewer than {min_cell} are withheld to protect the people in them.",
        "A difference between groups is not by itself proof of bias: where and why police stop people "
        "differs between neighbourhoods and calls.",
    ],
    "force": [
        "Counted once per person per incident: an incident with two officers and one person is one use "
        "of force; with two people it is two.",
        "Level 3 includes officer-involved shootings (Level 3 - OIS).",
        "Race and gender are as recorded by the department; 'Not Specified' is shown as unknown.",
        "Groups of fewer than {min_cell} are withheld. Intervals are 95% Wilson intervals.",
    ],
    "shootings": [
        "One row per shooting: the export's rows (one per officer) are folded together.",
        "The export has no officer ID, so officers are described by rank, gender, race and years of "
        "service only. Case numbers are not published.",
        "Some shootings happened outside the city; see the city column.",
        "'Multiple' rounds is shown as unknown: the total is known only where every officer's count is.",
        "In the summary, 'fatal' and 'armed' count shootings, not people. Years with fewer than {min_cell} "
        "shootings are withheld. Intervals are 95% Wilson intervals.",
    ],
}


def _min_cell() -> int:
    return config.min_cell()  # the profile's publication.min_cell, in force today


def _connect() -> Any:
    return store.connect(Path(settings.OVERSIGHT_PUBLICDATA_DB), read_only=True)


def _busy(request: HttpRequest, e: store.StoreBusy) -> HttpResponse:
    resp = HttpResponse(
        "The public data is being updated. Please try again in a minute.\n", status=503, content_type="text/plain"
    )
    resp["Retry-After"] = "60"
    return resp


def _caveats(kind: str) -> list[str]:
    return [c.format(min_cell=_min_cell()) for c in CAVEATS[kind]]


def _params(request: HttpRequest, kind: str) -> tuple[list[str], list[str], str | None]:
    """by, where and dataset from the query: ``by=a,b`` (or repeated), ``where=COL=V`` (repeated),
    and the page's own filters ``year_from``, ``year_to``, ``date_from``, ``date_to`` (the kind's
    date, YYYY-MM-DD) and ``<column>=value``."""
    by: list[str] = []
    for b in request.GET.getlist("by"):
        by += [x for x in b.split(",") if x.strip()]
    where = [w for w in request.GET.getlist("where") if w.strip()]
    for col in FILTERS.get(kind, ()):
        v = request.GET.get(col, "")
        if v:
            where.append(f"{col}={v}")
    for param, op in (("year_from", ">="), ("year_to", "<=")):
        v = request.GET.get(param, "").strip()
        if v:
            where.append(f"year{op}{v}")
    date = summary.MEASURES[kind].date_column if kind in summary.MEASURES else ""
    for param, op in (("date_from", ">="), ("date_to", "<=")):
        v = request.GET.get(param, "").strip()
        if v and date:
            where.append(f"{date}{op}{v}")
    dataset = request.GET.get("dataset") or None
    return by, where, dataset


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _store_error(e: store.StoreError) -> JsonResponse:
    """503 while an import holds the store; 404 when there is nothing to show."""
    if isinstance(e, store.StoreBusy):
        resp = _error(str(e).split(" (")[0].split(": ", 1)[1], 503)
        resp["Retry-After"] = "60"
        return resp
    return _error(str(e), 404)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    try:
        con = _connect()
    except store.StoreBusy as e:
        return _busy(request, e)
    except store.StoreError:
        return render(request, "publicdata/index.html", {"datasets": [], "empty": True})
    try:
        ds = store.datasets(con)
    finally:
        con.close()
    return render(request, "publicdata/index.html", {"datasets": ds, "empty": not ds, "min_cell": _min_cell()})


def _distinct(con: Any, kind: str, col: str) -> list[Any]:
    try:
        table, _ = summary.source(con, summary.MEASURES[kind])
        sql = f'SELECT DISTINCT "{col}" FROM {table} WHERE "{col}" IS NOT NULL ORDER BY 1'
        return [v for (v,) in con.execute(sql).fetchall()]
    except duckdb.Error:  # no table yet: no choices
        return []


@require_GET
def summary_page(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in summary.MEASURES:
        raise Http404
    by, where, dataset = _params(request, kind)
    if not by:
        by = ["subject_race"]
    ctx: dict[str, Any] = {"kind": kind, "caveats": _caveats(kind), "by": by, "where": where, "query": request.GET}
    try:
        con = _connect()
    except store.StoreBusy as e:
        return _busy(request, e)
    except store.StoreError:
        return render(request, "publicdata/summary.html", {**ctx, "empty": True}, status=404)
    try:
        result = summary.summarize(con, kind, by=by, where=where, dataset=dataset, min_cell=_min_cell())
        ctx["filters"] = [(c, request.GET.get(c, ""), _distinct(con, kind, c)) for c in FILTERS[kind]]
        ctx["datasets"] = [d["dataset"] for d in store.datasets(con, kind)]
    except (summary.QueryError, store.StoreError) as e:
        ctx["error"] = str(e)
        return render(request, "publicdata/summary.html", ctx, status=400)
    finally:
        con.close()
    m = summary.MEASURES[kind]
    ctx["group_columns"] = m.by_columns
    ctx["count_names"] = [n for n, _ in m.counts if n != "level_2_3"]
    ctx["rate_names"] = [n for n, _, _ in m.rates]
    ctx["ncols"] = len(ctx["count_names"]) + len(ctx["rate_names"])
    ctx["result"] = result
    ctx["rows"] = [_display(g, by) for g in result["groups"]]
    charts = []
    for rate_name in CHART_RATES[kind]:
        bars = [(_label(g, by), g[rate_name], g[f"{rate_name}_ci"]) for g in result["groups"]]
        title = f"{label(rate_name)} by {', '.join(label(c).lower() for c in by)}"
        charts.append(svg.rate_bars(bars, title))
    ctx["charts"] = charts
    qs = request.GET.copy()
    qs.setlist("by", by)  # the grouping shown, also when it is the default: the downloads are this table
    ctx["qs"] = qs.urlencode()
    return render(request, "publicdata/summary.html", ctx)


def _label(g: dict[str, Any], by: list[str]) -> str:
    return " · ".join(_value(g.get(c)) for c in by)


def _display(g: dict[str, Any], by: list[str]) -> dict[str, Any]:
    return {"label": _label(g, by), "keys": [g.get(c) for c in by], **g}


@require_GET
def summary_api(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in summary.MEASURES:
        return _error(f"no summary for {kind!r}; kinds: {', '.join(summary.MEASURES)}", 404)
    by, where, dataset = _params(request, kind)
    try:
        con = _connect()
    except store.StoreError as e:
        return _store_error(e)
    try:
        result = summary.summarize(con, kind, by=by, where=where, dataset=dataset, min_cell=_min_cell())
    except (summary.QueryError, store.StoreError) as e:
        return _error(str(e))
    finally:
        con.close()
    if fmt == "csv":
        header, rows = summary.to_csv_rows(result)
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(header)
        w.writerows(rows)
        resp = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
        resp["Content-Disposition"] = f'attachment; filename="{kind}-summary.csv"'
        return resp
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        out = io.BytesIO()
        pq.write_table(pa.Table.from_pylist(summary.to_records(result)), out)
        resp = HttpResponse(out.getvalue(), content_type="application/vnd.apache.parquet")
        resp["Content-Disposition"] = f'attachment; filename="{kind}-summary.parquet"'
        return resp
    result["caveats"] = _caveats(kind)
    return JsonResponse(result, json_dumps_params={"ensure_ascii": False})


@require_GET
def download(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in KINDS or fmt not in ("csv", "parquet"):
        raise Http404
    dataset = request.GET.get("dataset") or None
    try:
        con = _connect()
    except store.StoreError as e:
        return _store_error(e)
    tmp = tempfile.NamedTemporaryFile(suffix=f".{fmt}", delete=False)
    tmp.close()
    try:
        store.export(con, kind, Path(tmp.name), fmt, dataset)
    except store.StoreError as e:
        Path(tmp.name).unlink(missing_ok=True)
        return _error(str(e), 404)
    finally:
        con.close()
    fh = open(tmp.name, "rb")  # FileResponse closes it
    Path(tmp.name).unlink()  # the open handle keeps the data until the response is sent
    ctype = "text/csv; charset=utf-8" if fmt == "csv" else "application/vnd.apache.parquet"
    return FileResponse(fh, as_attachment=True, filename=f"{dataset or kind}.{fmt}", content_type=ctype)


@require_GET
def shootings_page(request: HttpRequest) -> HttpResponse:
    ctx: dict[str, Any] = {"kind": "shootings", "caveats": _caveats("shootings")}
    try:
        con = _connect()
    except store.StoreBusy as e:
        return _busy(request, e)
    except store.StoreError:
        return render(request, "publicdata/shootings.html", {**ctx, "empty": True}, status=404)
    try:
        rows = con.execute(
            """SELECT occurred_date, city, state, fatal, n_officers, n_subjects, subject_races, weapon_types,
                      rounds_total, dispositions, officer_disciplined, dataset
               FROM shootings ORDER BY occurred_at DESC"""
        ).fetchall()
        # the same numbers as /data/api/shootings/summary.json?by=year
        by_year = summary.summarize(con, "shootings", by=["year"], min_cell=_min_cell())
    except (duckdb.Error, store.StoreError):  # no shootings imported yet
        rows, by_year = [], None
    finally:
        con.close()
    cols = [
        "date",
        "city",
        "state",
        "fatal",
        "officers",
        "subjects",
        "subject_races",
        "weapon_types",
        "rounds",
        "dispositions",
        "officer_disciplined",
        "dataset",
    ]
    ctx["rows"] = [dict(zip(cols, r, strict=True)) for r in rows]
    ctx["empty"] = not rows
    m = summary.MEASURES["shootings"]
    ctx["by_year"] = by_year
    ctx["count_names"] = [n for n, _ in m.counts]
    ctx["rate_names"] = [n for n, _, _ in m.rates]
    ctx["ncols"] = len(m.counts) + len(m.rates)
    return render(request, "publicdata/shootings.html", ctx)


def _disparity(request: HttpRequest) -> tuple[dict[str, Any], dict[str, Any]]:
    _, where, dataset = _params(request, "stops")
    reference = request.GET.get("reference") or "White"
    within = request.GET.get("within") or None
    if within is not None and within not in summary.MEASURES["stops"].group_columns:
        raise summary.QueryError(f"within: {within!r} is not a stops column")
    con = _connect()
    try:
        r = disparity.ratios(
            con, reference=reference, within=within, where=where, dataset=dataset, min_cell=_min_cell()
        )
        o = disparity.outcome_test(con, reference=reference, where=where, dataset=dataset, min_cell=_min_cell())
    finally:
        con.close()
    return r, o


def _force_per_stop(request: HttpRequest) -> dict[str, Any] | None:
    """Force per stop by race, or None (with the reason) when the two datasets do not meet."""
    con = _connect()
    try:
        return disparity.force_per_stop(con, precinct=request.GET.get("precinct") or None, min_cell=_min_cell())
    except summary.QueryError:
        return None
    finally:
        con.close()


@require_GET
def disparity_page(request: HttpRequest) -> HttpResponse:
    ctx: dict[str, Any] = {
        "kind": "stops",
        "query": request.GET,
        "min_frisks": disparity.OUTCOME_MIN_FRISKS,
        "min_cell": _min_cell(),
    }
    try:
        r, o = _disparity(request)
    except store.StoreBusy as e:
        return _busy(request, e)
    except store.StoreError:
        return render(request, "publicdata/disparity.html", {**ctx, "empty": True}, status=404)
    except summary.QueryError as e:
        return render(request, "publicdata/disparity.html", {**ctx, "error": str(e)}, status=400)
    ctx["ratios"] = r
    ctx["outcome"] = o
    ctx["per_stop"] = _force_per_stop(request)
    bars = [
        (
            _value(g["subject_race"]) + (f" · {_value(g[r['within']])}" if r["within"] else ""),
            g["frisk_rate"],
            g["frisk_rate_ci"],
        )
        for g in r["groups"]
    ]
    ctx["chart"] = svg.rate_bars(bars, "Frisk rate by perceived race")
    ctx["within_choices"] = [(c, label(c)) for c in ("precinct", "year")]
    return render(request, "publicdata/disparity.html", ctx)


@require_GET
def disparity_api(request: HttpRequest) -> JsonResponse:
    try:
        r, o = _disparity(request)
    except store.StoreError as e:
        return _store_error(e)
    except summary.QueryError as e:
        return _error(str(e))
    body = {"ratios": r, "outcome_test": o, "force_per_stop": _force_per_stop(request)}
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
