"""The public pages and the JSON API under /data/, on the session's Seattle store."""

from __future__ import annotations

import csv
import io
import re

import duckdb
import pytest

from oversight.publicdata import disparity, store, summary


@pytest.fixture
def web(settings, seattle, client):
    settings.OVERSIGHT_PUBLICDATA_DB = seattle.db
    settings.OVERSIGHT_PROFILE = "seattle"  # publication.min_cell = 5
    return client


def test_summary_api_matches_the_summary_and_says_its_caveats(web, con):
    r = web.get("/data/api/stops/summary.json", {"by": "precinct,subject_race", "where": ["year>=2020"]})
    assert r.status_code == 200
    body = r.json()
    assert body == {
        **summary.summarize(con, "stops", by="precinct,subject_race", where=["year>=2020"], min_cell=5),
        "caveats": body["caveats"],
    }
    assert any("Wilson" in c for c in body["caveats"])
    assert any(g["suppressed"] for g in body["groups"]), "some race-by-precinct cells are small"


def test_page_filters_become_where_clauses(web, con):
    r = web.get(
        "/data/api/stops/summary.json",
        {"by": "subject_race", "precinct": "East", "year_from": "2019", "year_to": "2020"},
    )
    expected = con.execute(
        "SELECT count(*) FROM stops WHERE precinct = 'East' AND year BETWEEN 2019 AND 2020"
    ).fetchone()[0]
    assert r.json()["total"]["stops"] == expected


def test_api_errors_are_400_with_the_reason(web):
    r = web.get("/data/api/stops/summary.json", {"by": "officers"})
    assert r.status_code == 400
    assert "'officers' is not a column" in r.json()["error"]
    assert web.get("/data/api/stops/summary.json", {"where": "year>=later"}).status_code == 400
    assert web.get("/data/api/parking/summary.json").status_code == 404


def test_summary_csv_download(web):
    r = web.get("/data/api/force/summary.csv", {"by": "level"})
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert [row["level"] for row in rows] == ["Level 1", "Level 2", "Level 3", "Level 3 - OIS"]
    assert all(float(row["level_2_3_rate_ci_low"]) <= float(row["level_2_3_rate"]) for row in rows)


def test_parquet_download_has_the_public_columns_only(web, tmp_path, seattle):
    r = web.get("/data/download/stops.parquet")
    assert r.status_code == 200
    out = tmp_path / "stops.parquet"
    out.write_bytes(b"".join(r.streaming_content))
    cols = [c for (c, *_rest) in duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{out}')").fetchall()]
    assert "stop_id" in cols and "officers" in cols
    assert not [c for c in cols if "subject_id" in c or "go_number" in c]
    n = duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}')").fetchall()[0][0]
    assert n == seattle.reports["seattle-terry"].report["loaded"]


def test_pages_render_with_tables_charts_and_caveats(web):
    for url, words in [
        ("/data/", ["Terry stops", "use of force", "officer-involved shootings"]),
        ("/data/stops/?by=precinct", ["Frisk rate", "<svg", "perceived", "withheld"]),
        ("/data/force/?by=subject_race", ["Share at Level 2 or 3", "<svg", "once per person per incident"]),
        ("/data/shootings/", ["People shot at", "outside the city"]),
        ("/data/stops/disparity/?within=precinct", ["Outcome test", "too few frisks", "(reference)"]),
    ]:
        r = web.get(url)
        assert r.status_code == 200, url
        text = r.content.decode()
        for w in words:
            assert w in text, (url, w)


def test_page_with_a_bad_column_says_so(web):
    r = web.get("/data/stops/", {"by": "colour"})
    assert r.status_code == 400
    assert "&#x27;colour&#x27; is not a column" in r.content.decode()


def test_no_store_yet_is_a_plain_message(settings, client, tmp_path):
    settings.OVERSIGHT_PUBLICDATA_DB = tmp_path / "none.duckdb"
    assert "No public data has been imported yet" in client.get("/data/").content.decode()
    assert client.get("/data/api/stops/summary.json").status_code == 404


def test_outcome_test_compares_only_groups_with_enough_frisks(con):
    o = disparity.outcome_test(con, reference="White")
    counts = {
        (p, r): n
        for p, r, n in con.execute(
            "SELECT precinct, subject_race, count(*) FILTER (WHERE frisk) FROM stops "
            "WHERE precinct IS NOT NULL AND subject_race IS NOT NULL GROUP BY ALL"
        ).fetchall()
    }
    seen = 0
    for p in o["precincts"]:
        for c in p["groups"]:
            n = counts[(p["precinct"], c["subject_race"])]
            assert (c["hit_rate"] is not None) == (n >= disparity.OUTCOME_MIN_FRISKS)
            seen += 1
    assert seen == len(counts)


def test_ratio_to_reference_is_the_ratio_of_rates(con):
    r = disparity.ratios(con, reference="White")
    ref = next(g for g in r["groups"] if g["reference"])
    assert ref["frisk_rate_ratio"] == 1.0
    for g in r["groups"]:
        if g["frisk_rate_ratio"] is not None:
            want = (g["frisks"] / g["stops"]) / (ref["frisks"] / ref["stops"])
            assert g["frisk_rate_ratio"] == pytest.approx(want, abs=1e-4)
            lo, hi = g["frisk_rate_ratio_ci"]
            assert lo <= g["frisk_rate_ratio"] <= hi
    with pytest.raises(summary.QueryError, match="no stops of people perceived as 'Martian'"):
        disparity.ratios(con, reference="Martian")


def test_store_lists_each_dataset_with_its_report(con):
    ds = {d["dataset"]: d for d in store.datasets(con)}
    assert set(ds) == {"seattle-terry", "seattle-use-of-force", "seattle-ois"}
    assert ds["seattle-use-of-force"]["report"]["set_aside"] == 1


def test_while_an_import_holds_the_store_the_api_says_try_again(settings, client, tmp_path):
    import subprocess
    import sys

    db = tmp_path / "busy.duckdb"
    duckdb.connect(str(db)).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('ok', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        settings.OVERSIGHT_PUBLICDATA_DB = db
        r = client.get("/data/api/stops/summary.json")
        assert r.status_code == 503
        assert "being updated" in r.json()["error"]
        assert r["Retry-After"] == "60"
        assert client.get("/data/stops/").status_code == 503
    finally:
        holder.kill()
        holder.wait()


def test_disparity_within_a_column_that_is_not_one_is_refused(con):
    for bad in ("colour", "subject_race"):
        with pytest.raises(summary.QueryError, match=f"--within: '{bad}' is not a column to compare within"):
            disparity.ratios(con, within=bad)


def test_date_range_sector_beat_and_squad_filters_and_month_grouping(web, con):
    r = web.get(
        "/data/api/stops/summary.json",
        {"by": "month", "date_from": "2018-01-01", "date_to": "2018-03-31", "precinct": "North", "sector": "N"},
    )
    assert r.status_code == 200
    expected = con.execute(
        "SELECT strftime(reported_date, '%Y-%m') AS m, count(*) FROM stops WHERE precinct = 'North' AND sector = 'N' "
        "AND reported_date BETWEEN DATE '2018-01-01' AND DATE '2018-03-31' GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert [(g["month"], g["stops"]) for g in r.json()["groups"]] == expected
    page = web.get("/data/stops/", {"date_from": "2018-01-01", "beat": "N1"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="date_from" value="2018-01-01"' in html  # the form keeps what was asked
    assert 'name="officer_squad"' in html
    bad = web.get("/data/api/stops/summary.json", {"date_from": "2018-02-30"})
    assert bad.status_code == 400 and "'2018-02-30' is not a date" in bad.json()["error"]


def test_any_result_downloads_as_parquet_with_the_csvs_numbers(web):
    import pyarrow.parquet as pq

    q = {"by": "subject_race", "precinct": "West"}
    got = web.get("/data/api/stops/summary.parquet", q)
    assert got.status_code == 200 and got["Content-Type"] == "application/vnd.apache.parquet"
    table = pq.read_table(io.BytesIO(got.content)).to_pylist()
    rows = list(csv.DictReader(io.StringIO(web.get("/data/api/stops/summary.csv", q).content.decode())))
    assert len(table) == len(rows) > 3
    for rec, row in zip(table, rows, strict=True):
        for k, v in row.items():
            assert ("" if rec[k] is None else str(rec[k])) == v, k


# ---------------------------------------------------------------- version 2 of the pages


def test_the_records_download_is_exactly_the_selection_shown(web, con):
    page = web.get("/data/stops/", {"precinct": "East", "year_from": "2021", "by": "subject_race"})
    html = page.content.decode()
    link = next(p for p in html.split('href="') if p.startswith("/data/download/stops.csv?"))
    url = link.split('"')[0].replace("&amp;", "&")
    assert "precinct=East" in url and "year_from=2021" in url and "by=" not in url
    r = web.get(url)
    got = list(csv.DictReader(io.BytesIO(b"".join(r.streaming_content)).read().decode().splitlines()))
    want = con.execute("SELECT count(*) FROM stops WHERE precinct = 'East' AND year >= 2021").fetchone()[0]
    assert len(got) == want == page.context["result"]["total"]["stops"]
    assert {row["precinct"] for row in got} == {"East"}


def test_filter_lists_are_filled_from_the_data_and_labelled(web, con):
    html = web.get("/data/stops/").content.decode()
    q = "SELECT DISTINCT officer_squad FROM stops WHERE officer_squad IS NOT NULL"
    squads = [v for (v,) in con.execute(q).fetchall()]
    assert len(squads) > 10
    assert all(f'<option value="{s}"' in html.replace("&amp;", "&") for s in squads[:5])
    assert "Officer&#x27;s squad" in html or "Officer's squad" in html
    shown = re.sub(r"<[^>]+>", " ", html)  # what a person reads: no column names
    assert not re.search(r"\b(subject_race|officer_squad|frisk_rate|level_2_3_rate|call_type)\b", shown)


def test_seattle_arrest_flag_carries_its_caveat_where_it_is_shown(web, con):
    # the fact the caveat states, in the data
    early = con.execute("SELECT count(*) FILTER (WHERE arrest) FROM stops WHERE year BETWEEN 2015 AND 2018").fetchone()
    hisp = con.execute("SELECT count(*) FILTER (WHERE arrest) FROM stops WHERE subject_race = 'Hispanic or Latino'")
    assert early == (0,) and hisp.fetchone() == (0,)
    for url in ("/data/stops/", "/data/stops/disparity/"):
        html = web.get(url).content.decode()
        assert "Arrest Flag is N for every stop reported from 2015 to 2018" in html, url
    body = web.get("/data/api/stops/summary.json", {"by": "year"}).json()
    assert [c["field"] for c in body["field_caveats"]] == ["arrest"]


def test_an_empty_selection_says_there_are_no_records(web):
    html = web.get("/data/stops/", {"year_from": "2090"}).content.decode()
    assert "No records match this selection." in html and "withheld" not in html.split("<table")[0][-200:]


def test_the_disparity_reference_is_a_list_and_a_bad_one_is_said_in_plain_words(web):
    r = web.get("/data/stops/disparity/", {"reference": "Black or African American"})
    html = r.content.decode()
    assert '<select name="reference">' in html
    assert '<option value="Black or African American" selected>' in html
    assert "1.00" in html and "1.0000" not in html  # ratios rounded for reading
    bad = web.get("/data/stops/disparity/", {"reference": "Martian"})
    text = bad.content.decode()
    assert "Compare to: no stops of people perceived as &#x27;Martian&#x27;" in text
    assert "--reference" not in text
    table = web.get("/data/api/stops/disparity.csv", {"reference": "White"})
    rows = list(csv.DictReader(io.StringIO(table.content.decode())))
    white = next(x for x in rows if x["subject_race"] == "White")
    assert white["reference"] == "True" and float(white["frisk_rate_ratio"]) == 1.0


def test_a_bad_filter_on_the_page_is_in_plain_words(web):
    html = web.get("/data/stops/", {"year_from": "later"}).content.decode()
    assert "Year: &#x27;later&#x27; is not a whole number." in html and "--where" not in html


def test_the_public_pages_read_in_spanish(web):
    html = web.get("/data/stops/", {"by": "precinct"}, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Distrito policial" in html and "Tasa de cacheo" in html and "Agrupar por" in html
    assert "registro por registro" in html  # what is public, said in Spanish too
    english = web.get("/data/stops/", {"by": "precinct"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Precinct" in english and "Distrito policial" not in english


def test_the_index_the_disparities_and_the_shootings_read_in_spanish(web):
    from oversight.publicdata.views import CAVEATS

    def page(url, lang, **query):
        r = web.get(url, query, HTTP_ACCEPT_LANGUAGE=lang)
        assert r.status_code == 200, (url, lang)
        return r.content.decode()

    index = page("/data/", "es")
    assert "Datos públicos: paradas, uso de la fuerza, disparos" in index
    assert "Los grupos de menos de 5 no se publican." in index and ">Filas leídas</th>" in index
    assert "Public data: stops, use of force, shootings" not in index and ">Rows read</th>" not in index

    disparity = page("/data/stops/disparity/", "es", within="precinct")
    assert "Prueba de resultados: con qué frecuencia un cacheo encuentra un arma" in disparity
    assert "Una razón de 2 significa el doble de veces que a las personas percibidas como White" in disparity
    assert "en el mismo distrito policial" in disparity and "muy pocos cacheos para comparar (menos de" in disparity
    assert "<h2>Lea esto primero</h2>" in disparity and "Los grupos de menos de 5 paradas no se publican." in disparity
    assert "(referencia)" in disparity and '<table class="ratios">' in disparity
    assert "Outcome test" not in disparity and "Race is as the officer perceived it." not in disparity

    shootings = page("/data/shootings/", "es")
    assert "<h1>Disparos de agentes</h1>" in shootings and "<h2>Cada disparo</h2>" in shootings
    assert "Algunos disparos ocurrieron fuera de la ciudad" in shootings
    assert "Los intervalos son intervalos de Wilson del 95 %: con pocos disparos" in shootings
    assert '<table class="by-year">' in shootings and "Each shooting" not in shootings

    stops = page("/data/stops/", "es")
    assert "Los grupos de menos de 5 no se publican para proteger a las personas" in stops  # {min_cell} written in
    for kind, html in (("shootings", shootings), ("stops", stops), ("force", page("/data/force/", "es"))):
        shown = [c.format(min_cell=5) for c in CAVEATS[kind]]
        assert not [c for c in shown if c.replace("'", "&#x27;") in html], f"{kind}: an English caveat in Spanish"
        english = page(f"/data/{kind}/", "en") if kind != "shootings" else page("/data/shootings/", "en")
        assert all(c.replace("'", "&#x27;") in english for c in shown), f"{kind}: the English page lost a caveat"
    assert "Some shootings happened outside the city" in page("/data/shootings/", "en")


def test_an_error_on_a_spanish_page_is_in_spanish(web):
    html = web.get("/data/stops/", {"year_from": "later"}, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Año: &#x27;later&#x27; no es un número entero." in html and "is not a whole number" not in html
    bad = web.get("/data/stops/disparity/", {"reference": "Martian"}, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Comparar con: no hay paradas de personas percibidas como &#x27;Martian&#x27;" in bad


def test_a_measure_without_a_source_is_said_to_have_no_data_not_zero(web):
    r = web.get("/data/stops/", {"by": "precinct"})
    html = r.content.decode()
    assert "No data: searches, searches finding contraband, warnings." in html
    assert "Search rate" not in html.split("<thead>")[1].split("</thead>")[0]  # no column of zeros
    body = web.get("/data/api/stops/summary.json", {"by": "precinct"}).json()
    assert all(g["searches"] is None and g["search_rate_ci"] is None for g in body["groups"])
