"""Public pages and the JSON API under /data/. Views parse the request, ask summary.py or
disparity.py, and render; they never write. Everything shown is public by construction:
officers are pseudonyms, subject IDs and GO numbers were never stored, small groups are
withheld."""

from __future__ import annotations

import csv
import io
import re
import tempfile
from pathlib import Path
from typing import Any

import duckdb
from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext, gettext_noop
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
        "type",
        "outcome",
    ),
    "force": ("precinct", "sector", "beat", "level", "subject_race", "subject_gender"),
}
CHART_RATES = {
    "stops": ("frisk_rate", "arrest_rate", "weapon_found_rate", "search_rate", "search_hit_rate"),
    "force": ("level_2_3_rate",),
}
# What is public record by record, and what only in aggregate (said on every page).
DISCLOSURE = {
    "rows": gettext_noop(
        "The department publishes this dataset record by record, and so does this site (the downloads "
        "below). Groups of fewer than {min_cell} are withheld in the tables because their rates say "
        "little, not to keep a secret: the records themselves are public."
    ),
    "aggregate": gettext_noop(
        "This dataset is published only as counts: no record of it can be downloaded. Groups of fewer than "
        "{min_cell} are withheld, and they are left out of every total too, so that no table, however "
        "filtered, can be subtracted from another to give them away."
    ),
}
# The command line's option names in an error, as a person on the page reads them.
OPTION_WORDS = {
    "--where": gettext_noop("Filter"),
    "--by": gettext_noop("Group by"),
    "--reference": gettext_noop("Compare to"),
    "--within": gettext_noop("Within"),
    "--dataset": gettext_noop("Dataset"),
    "within": gettext_noop("Within"),
}
WHERE_ERROR = re.compile(r"^--where: '([a-z_]+)\s*(?:!=|>=|<=|=|>|<)\s*(.*?)': (.*)$", re.S)
# The reasons a person on a page can cause (summary.py and disparity.py say them in English for
# the command line too), each as a translator reads it whole.
REASONS = [
    (re.compile(r"^'(?P<value>.*)' is not a whole number$", re.S), gettext_noop("'%(value)s' is not a whole number")),
    (
        re.compile(r"^'(?P<value>.*)' is not a date like 2021-06-30$", re.S),
        gettext_noop("'%(value)s' is not a date like 2021-06-30"),
    ),
    (re.compile(r"^'(?P<value>.*)' is not yes or no$", re.S), gettext_noop("'%(value)s' is not yes or no")),
    (
        re.compile(r"^no stops of people perceived as '(?P<value>.*)' in this data$", re.S),
        gettext_noop("no stops of people perceived as '%(value)s' in this data"),
    ),
    (
        re.compile(r"^no stops of people perceived as '(?P<value>.*)' in this selection$", re.S),
        gettext_noop("no stops of people perceived as '%(value)s' in this selection"),
    ),
    (
        re.compile(r"^'(?P<value>[a-z_]+)' is not a column to group [a-z]+ by; choose from (?P<choices>.*)$", re.S),
        gettext_noop("'%(value)s' is not a column to group by; choose from %(choices)s"),
    ),
    (
        re.compile(r"^'(?P<value>[a-z_]+)' is not a column of [a-z]+; choose from (?P<choices>.*)$", re.S),
        gettext_noop("'%(value)s' is not a column to filter by; choose from %(choices)s"),
    ),
    (
        re.compile(r"^'(?P<value>[a-z_]+)' is not a column to compare within; choose from (?P<choices>.*)$", re.S),
        gettext_noop("'%(value)s' is not a column to compare within; choose from %(choices)s"),
    ),
    (
        re.compile(r"^'(?P<value>[a-z_]+)' is not a column of stops$"),
        gettext_noop("'%(value)s' is not a column of stops"),
    ),
    (
        re.compile(r"^the stops and the use of force cover no year in common$"),
        gettext_noop("the stops and the use of force cover no year in common"),
    ),
]

CAVEATS = {
    "stops": [
        gettext_noop(
            "These are the stops the police department recorded and published. Stops that were never "
            "written down are not here."
        ),
        gettext_noop("Race and gender are as the officer perceived them, not as the person would say."),
        gettext_noop("The date and time are when the stop was reported, not when it happened."),
        gettext_noop("A stop the export lists more than once (one row per weapon type) is counted once here."),
        gettext_noop("'Weapon found' counts frisks that found a weapon; its rate is per frisk (the 'hit rate')."),
        gettext_noop(
            "Where the export had a placeholder ('-', 'Unknown') the value is shown as unknown; stops with "
            "an unknown frisk flag count as stops but not as frisks."
        ),
        gettext_noop(
            "A rate's interval is a 95% Wilson interval: with a small group it is wide, and the rate is "
            "uncertain. Groups of fewer than {min_cell} are withheld to protect the people in them."
        ),
        gettext_noop(
            "A difference between groups is not by itself proof of bias: where and why police stop people "
            "differs between neighbourhoods and calls."
        ),
    ],
    "force": [
        gettext_noop(
            "Counted once per person per incident: an incident with two officers and one person is one use "
            "of force; with two people it is two."
        ),
        gettext_noop("Level 3 includes officer-involved shootings (Level 3 - OIS)."),
        gettext_noop("Race and gender are as recorded by the department; 'Not Specified' is shown as unknown."),
        gettext_noop("Groups of fewer than {min_cell} are withheld. Intervals are 95% Wilson intervals."),
    ],
    "shootings": [
        gettext_noop("One row per shooting: the export's rows (one per officer) are folded together."),
        gettext_noop(
            "The export has no officer ID, so officers are described by rank, gender, race and years of "
            "service only. Case numbers are not published."
        ),
        gettext_noop("Some shootings happened outside the city; see the city column."),
        gettext_noop("'Multiple' rounds is shown as unknown: the total is known only where every officer's count is."),
        gettext_noop(
            "In the summary, 'fatal' and 'armed' count shootings, not people. Intervals are 95% Wilson intervals: "
            "with few shootings in a year they are wide."
        ),
    ],
}


def _min_cell() -> int:
    return config.min_cell()  # the profile's publication.min_cell, in force today


def _connect() -> Any:
    return store.connect(Path(settings.OVERSIGHT_PUBLICDATA_DB), read_only=True)


def _busy(request: HttpRequest, e: store.StoreBusy) -> HttpResponse:
    resp = HttpResponse(
        gettext("The public data is being updated. Please try again in a minute.") + "\n",
        status=503,
        content_type="text/plain",
    )
    resp["Retry-After"] = "60"
    return resp


def _caveats(kind: str) -> list[str]:
    """The kind's caveats in the page's language, the profile's smallest group written in."""
    return [gettext(c).format(min_cell=_min_cell()) for c in CAVEATS[kind]]


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


def _reason(rest: str) -> str:
    """The part of an error after its option, in the page's language where it is one a person on
    the page can cause (the rest as it is)."""
    for pattern, words in REASONS:
        m = pattern.match(rest)
        if m:
            return gettext(words) % m.groupdict()
    return rest


def _column_words(rest: str) -> str:
    """Column names quoted in an error, by their labels in the page's language."""
    for name in re.findall(r"'([a-z_]+)'", rest):
        if name in summary.MEASURES["stops"].filter_columns or name in summary.MEASURES["force"].filter_columns:
            rest = rest.replace(f"'{name}'", f"'{gettext(label(name))}'")
    return rest


def plain(message: str) -> str:
    """An error in the words of the page: no option names, columns by their labels."""
    m = WHERE_ERROR.match(message)
    if m:
        col, _, rest = m.groups()
        rest = _reason(rest)
        return f"{gettext(label(col))}: {rest[0].upper()}{rest[1:]}."
    for opt, words in OPTION_WORDS.items():
        if message.startswith(opt + ": "):
            rest = _column_words(_reason(message[len(opt) + 2 :]))
            return f"{gettext(words)}: {rest}."
    return _reason(message)


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
        # from the table: the rollup keeps only some columns (the squad is not one)
        table, _ = summary.source(con, summary.MEASURES[kind], columns=[col])
        sql = f'SELECT DISTINCT "{col}" FROM {table} WHERE "{col}" IS NOT NULL ORDER BY 1'
        return [v for (v,) in con.execute(sql).fetchall()]
    except duckdb.Error:  # no table yet: no choices
        return []


def _pick_dataset(con: Any, kind: str, dataset: str | None) -> tuple[str | None, list[dict[str, Any]]]:
    """The dataset a page shows: the one asked for; with several and none asked for, the first
    (never all of them pooled unless asked: ``dataset=all``)."""
    ds = store.datasets(con, kind)
    if dataset is None and len(ds) > 1:
        dataset = ds[0]["dataset"]
    return dataset, ds


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
    m = summary.MEASURES[kind]
    ctx["group_columns"] = m.by_columns
    try:
        dataset, ds = _pick_dataset(con, kind, dataset)
        ctx["datasets"] = [(d["dataset"], d["title"]) for d in ds]
        ctx["dataset"] = dataset
        ctx["disclosure"] = gettext(DISCLOSURE["aggregate" if _aggregate(ds, dataset) else "rows"]).format(
            min_cell=_min_cell()
        )
        ctx["filters"] = [(c, request.GET.get(c, ""), _distinct(con, kind, c)) for c in FILTERS[kind]]
        result = summary.summarize(con, kind, by=by, where=where, dataset=dataset, min_cell=_min_cell())
    except (summary.QueryError, store.StoreError) as e:
        ctx["error"] = plain(str(e))
        return render(request, "publicdata/summary.html", ctx, status=400)
    finally:
        con.close()
    missing = set(result["no_data"])
    missing |= {n for n, num, den in m.rates if num in missing or den in missing}
    # a measure the dataset has no source for is no column of the table: the page names it as "no data"
    ctx["count_names"] = [n for n, _ in m.counts if n not in m.helpers and n not in missing]
    ctx["rate_names"] = [n for n, _, _ in m.rates if n not in missing]
    ctx["no_data"] = missing
    ctx["no_data_names"] = [n for n, _ in m.counts if n in missing and n not in m.helpers]
    ctx["per_resident"] = bool(result.get("population"))
    ctx["ncols"] = len(ctx["count_names"]) + len(ctx["rate_names"]) + (2 if ctx["per_resident"] else 0)
    ctx["result"] = result
    ctx["rows"] = [_display(g, by) for g in result["groups"]]
    ctx["mapping_caveats"] = result["field_caveats"]
    charts = []
    for rate_name in CHART_RATES[kind]:
        if rate_name in ctx["no_data"]:
            continue
        bars = [(_label(g, by), g[rate_name], g[f"{rate_name}_ci"]) for g in result["groups"]]
        title = gettext("%(rate)s by %(groups)s") % {
            "rate": gettext(label(rate_name)),
            "groups": ", ".join(gettext(label(c)).lower() for c in by),
        }
        charts.append(svg.rate_bars(bars, title))
    if not result["empty"] and by[0] not in ("year", "month") and len(by) == 1:
        charts += _trends(request, kind, by[0], where, dataset, ctx["no_data"])
    ctx["charts"] = [] if result["empty"] else charts
    qs = request.GET.copy()
    qs.setlist("by", by)  # the grouping shown, also when it is the default: the downloads are this table
    if dataset:
        qs["dataset"] = dataset
    ctx["qs"] = qs.urlencode()
    records = qs.copy()
    records.pop("by", None)
    ctx["records_qs"] = records.urlencode()  # the records of this selection, exactly
    ctx["row_level"] = not _aggregate(ds, dataset)
    return render(request, "publicdata/summary.html", ctx)


def _trends(
    request: HttpRequest, kind: str, col: str, where: list[str], dataset: str | None, no_data: set[str]
) -> list[str]:
    """The first rate with data, by year, one line for each of the largest groups of ``col``."""
    rate_name = next((r for r in CHART_RATES[kind] if r not in no_data), None)
    if rate_name is None:
        return []
    con = _connect()
    try:
        res = summary.summarize(con, kind, by=["year", col], where=where, dataset=dataset, min_cell=_min_cell())
    finally:
        con.close()
    unit = summary.MEASURES[kind].unit
    sizes: dict[Any, int] = {}
    for g in res["groups"]:
        if g[col] is not None and g["year"] is not None:
            sizes[g[col]] = sizes.get(g[col], 0) + (g[unit] or 0)
    top = sorted(sizes, key=lambda k: -sizes[k])[:5]
    years = sorted({g["year"] for g in res["groups"] if g["year"] is not None})
    if len(years) < 2:
        return []
    series = []
    for k in top:
        pts = {g["year"]: g for g in res["groups"] if g[col] == k}
        series.append(
            (
                _value(k),
                [
                    (y, pts[y][rate_name] if y in pts else None, pts[y][f"{rate_name}_ci"] if y in pts else None)
                    for y in years
                ],
            )
        )
    title = f"{gettext(label(rate_name))} · {gettext(label('year')).lower()} · {gettext(label(col)).lower()}"
    return [svg.trend_lines(series, title)]


def _aggregate(ds: list[dict[str, Any]], dataset: str | None) -> bool:
    return any(d["report"].get("disclosure") == "aggregate" for d in ds if dataset in (None, summary.ALL, d["dataset"]))


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
        return _error(plain(str(e)))
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
    """The records, as CSV or Parquet: exactly the selection of the page the link is on (the
    same filters, dataset and dates; no grouping), or all of them without any."""
    if kind not in KINDS or fmt not in ("csv", "parquet"):
        raise Http404
    _, where, dataset = _params(request, kind) if kind in summary.MEASURES else ([], [], None)
    if kind not in summary.MEASURES:
        dataset = request.GET.get("dataset") or None
    try:
        con = _connect()
    except store.StoreError as e:
        return _store_error(e)
    tmp = tempfile.NamedTemporaryFile(suffix=f".{fmt}", delete=False)
    tmp.close()
    try:
        ds = store.datasets(con, kind)
        if _aggregate(ds, dataset):
            Path(tmp.name).unlink(missing_ok=True)
            return _error(gettext("This dataset is published only as counts: its records cannot be downloaded."), 403)
        selection = summary.parse_where(kind, where) if where else None
        store.export(con, kind, Path(tmp.name), fmt, dataset, where=selection)
    except summary.QueryError as e:
        Path(tmp.name).unlink(missing_ok=True)
        return _error(plain(str(e)))
    except store.StoreError as e:
        Path(tmp.name).unlink(missing_ok=True)
        return _error(str(e), 404)
    finally:
        con.close()
    fh = open(tmp.name, "rb")  # FileResponse closes it
    Path(tmp.name).unlink()  # the open handle keeps the data until the response is sent
    ctype = "text/csv; charset=utf-8" if fmt == "csv" else "application/vnd.apache.parquet"
    name = f"{dataset or kind}{'-selection' if where else ''}.{fmt}"
    return FileResponse(fh, as_attachment=True, filename=name, content_type=ctype)


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


def _disparity(request: HttpRequest) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], list[str]]:
    """Rate ratios, the outcome tests of frisks and of searches, and the reference groups the
    data offers (most stops first)."""
    _, where, dataset = _params(request, "stops")
    within = request.GET.get("within") or None
    if within is not None and within not in summary.MEASURES["stops"].group_columns:
        raise summary.QueryError(f"within: {within!r} is not a column of stops")
    con = _connect()
    try:
        dataset, _ = _pick_dataset(con, "stops", dataset)
        choices = disparity.references(con, dataset)
        reference = request.GET.get("reference") or disparity.default_reference(choices)
        if choices and reference not in choices:
            raise summary.QueryError(f"--reference: no stops of people perceived as {reference!r} in this data")
        mc = _min_cell()
        r = disparity.ratios(con, reference=reference, within=within, where=where, dataset=dataset, min_cell=mc)
        o = disparity.outcome_test(con, reference=reference, where=where, dataset=dataset, min_cell=mc)
        s = disparity.outcome_test(con, reference=reference, where=where, dataset=dataset, min_cell=mc, of="search")
        s["veil"] = _veil(con, dataset, reference, choices)
    finally:
        con.close()
    return r, o, s, choices


def _veil(con: Any, dataset: str | None, reference: str, choices: list[str]) -> list[dict[str, Any]] | None:
    """The veil-of-darkness test of each group against the reference, where the data allows it
    (the stop's own time, the mapping's time zone, coordinates); None where it does not."""
    from oversight.publicdata import veil

    chosen = summary.choose_datasets(con, "stops", dataset)
    if not veil.available(chosen):
        return None
    out = []
    for g in choices:
        if g == reference:
            continue
        try:
            out.append(veil.veil_of_darkness(con, g, reference, dataset=dataset))
        except summary.QueryError:
            return None
    return out


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
        r, o, srch, choices = _disparity(request)
    except store.StoreBusy as e:
        return _busy(request, e)
    except store.StoreError:
        return render(request, "publicdata/disparity.html", {**ctx, "empty": True}, status=404)
    except summary.QueryError as e:
        return render(request, "publicdata/disparity.html", {**ctx, "error": plain(str(e))}, status=400)
    ctx["ratios"] = r
    ctx["outcome"] = o
    ctx["outcome_search"] = srch
    ctx["veil"] = srch.get("veil")
    ctx["references"] = choices
    ctx["rate_pairs"] = [
        (name, num) for name, num, _ in disparity.RATE_PAIRS if num not in r["no_data"] and name != "warning_rate"
    ]
    ctx["ratio_cols"] = 1 + 2 * len(ctx["rate_pairs"])
    ctx["per_stop"] = _force_per_stop(request)
    bars = [
        (
            _value(g["subject_race"]) + (f" · {_value(g[r['within']])}" if r["within"] else ""),
            g["frisk_rate"],
            g["frisk_rate_ci"],
        )
        for g in r["groups"]
    ]
    ctx["chart"] = svg.rate_bars(bars, gettext("Frisk rate by perceived race")) if "frisks" not in r["no_data"] else ""
    ctx["within_choices"] = [(c, gettext(label(c))) for c in ("precinct", "year")]
    qs = request.GET.copy()
    qs["reference"] = r["reference"]
    ctx["qs"] = qs.urlencode()
    return render(request, "publicdata/disparity.html", ctx)


@require_GET
def disparity_api(request: HttpRequest, fmt: str = "json") -> HttpResponse:
    try:
        r, o, srch, _ = _disparity(request)
    except store.StoreError as e:
        return _store_error(e)
    except summary.QueryError as e:
        return _error(plain(str(e)))
    if fmt == "csv":
        return _disparity_csv(r)
    body = {"ratios": r, "outcome_test": o, "outcome_test_searches": srch, "force_per_stop": _force_per_stop(request)}
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def _disparity_csv(r: dict[str, Any]) -> HttpResponse:
    """The ratio table as shown: one row per group, each rate, its ratio to the reference and
    their intervals."""
    names = [name for name, num, _ in disparity.RATE_PAIRS if num not in r["no_data"]]
    header = [*([r["within"]] if r["within"] else []), "subject_race", "reference", "stops", "suppressed"]
    for n in names:
        header += [n, f"{n}_ci_low", f"{n}_ci_high", f"{n}_ratio", f"{n}_ratio_ci_low", f"{n}_ratio_ci_high"]
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    for g in r["groups"]:
        row: list[Any] = [*([g.get(r["within"])] if r["within"] else []), g["subject_race"], g["reference"]]
        row += [g["stops"], g["suppressed"]]
        for n in names:
            ci, rci = g.get(f"{n}_ci") or [None, None], g.get(f"{n}_ratio_ci") or [None, None]
            row += [g.get(n), ci[0], ci[1], g.get(f"{n}_ratio"), rci[0], rci[1]]
        w.writerow(["" if v is None else v for v in row])
    resp = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="stops-disparity.csv"'
    return resp
