"""Stops of other places: a file in the Stanford Open Policing Project's standard schema through
the shipped ``opp`` mapping, and a file of the project's older state-level shape (Rhode Island's
columns) through a mapping, without editing the file. The figures are checked against counts
made here with the csv module."""

from __future__ import annotations

import csv
import dataclasses
import json
import random
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oversight.cli import app
from oversight.publicdata import disparity, importer, store, summary
from oversight.publicdata.mapping import load_shipped, parse
from oversight.publicdata.pseudonym import Pseudonymizer

KEY = "unit-test-pseudonym-key-0000000000"
RACES = ["white", "black", "hispanic", "asian/pacific islander", "other", "NA"]
PRECINCTS = ["1", "2", "3"]
OPP_HEADER = [
    "date",
    "time",
    "location",
    "lat",
    "lng",
    "precinct",
    "subject_age",
    "subject_race",
    "subject_sex",
    "officer_id_hash",
    "type",
    "violation",
    "arrest_made",
    "citation_issued",
    "warning_issued",
    "outcome",
    "frisk_performed",
    "search_conducted",
    "search_basis",
    "contraband_found",
]


def tf(rng: random.Random, p: float) -> str:
    return "TRUE" if rng.random() < p else "FALSE"


def opp_rows(n: int, seed: int = 7) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        race = rng.choice(RACES)
        search = tf(rng, 0.3 if race == "black" else 0.15)
        contraband = tf(rng, 0.4) if search == "TRUE" else "NA"
        if i % 97 == 0:
            contraband = "TRUE"  # against the schema's rule: contraband without a search is cleared
        rows.append(
            {
                "date": f"20{rng.randint(17, 19)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "time": f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00",
                "location": f"{rng.randint(1, 999)} Main St",
                "lat": f"{41.8 + rng.random() / 10:.5f}",
                "lng": f"{-71.4 - rng.random() / 10:.5f}",
                "precinct": rng.choice(PRECINCTS),
                "subject_age": str(rng.randint(15, 80)) if rng.random() > 0.05 else "NA",
                "subject_race": race,
                "subject_sex": rng.choice(["male", "female", "NA"]),
                "officer_id_hash": f"h{rng.randint(1, 40):03d}",
                "type": rng.choice(["vehicular", "vehicular", "pedestrian"]),
                "violation": rng.choice(["speeding", "equipment", "registration"]),
                "arrest_made": tf(rng, 0.05),
                "citation_issued": tf(rng, 0.5),
                "warning_issued": tf(rng, 0.3),
                "outcome": rng.choice(["citation", "warning", "arrest", "NA"]),
                "frisk_performed": tf(rng, 0.1),
                "search_conducted": search,
                "search_basis": rng.choice(["consent", "probable cause", "other"]) if search == "TRUE" else "NA",
                "contraband_found": contraband,
            }
        )
    return rows


def write(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, header)
        w.writeheader()
        w.writerows(rows)
    return path


def test_the_opp_mapping_imports_a_standard_file_and_its_search_figures_equal_a_count(tmp_path):
    rows = opp_rows(3000)
    path = write(tmp_path / "xx_city_2020.csv", OPP_HEADER, rows)
    db = tmp_path / "store.duckdb"
    imp = importer.read_export(path, load_shipped("opp"), Pseudonymizer(KEY))
    assert imp.report["loaded"] == 3000 and imp.report["set_aside"] == 0
    assert "line number" in imp.report["key"]  # no raw_row_number: each row is a stop
    assert "raw_row_number" in imp.report["absent_columns"]
    cleared = sum(1 for r in rows if r["search_conducted"] == "FALSE" and r["contraband_found"] == "TRUE")
    assert imp.report["conflicts"]["contraband_found without search_conducted (cleared)"] == cleared
    store.write(db, imp)
    con = store.connect(db, read_only=True)
    try:
        res = summary.summarize(con, "stops", by="subject_race", min_cell=5)
        by_type = summary.summarize(con, "stops", by="type", min_cell=5)
        stored = con.execute("SELECT count(*) FROM stops WHERE lat IS NOT NULL AND lng IS NOT NULL").fetchone()
        bands = dict(con.execute("SELECT subject_age_group, count(*) FROM stops GROUP BY 1").fetchall())
        outcome = disparity.outcome_test(con, reference="white", of="search", min_frisks=20)
    finally:
        con.close()
    assert res["no_data"] == ["weapon_found"]  # no weapon column: no data, not 0
    got = {g["subject_race"]: g for g in res["groups"]}
    for race in set(RACES) - {"NA"}:
        mine = [r for r in rows if r["subject_race"] == race]
        searched = [r for r in mine if r["search_conducted"] == "TRUE"]
        hits = [r for r in searched if r["contraband_found"] == "TRUE"]
        g = got[race]
        assert (g["stops"], g["searches"], g["search_hits"]) == (len(mine), len(searched), len(hits))
        assert g["search_rate"] == pytest.approx(len(searched) / len(mine), abs=1e-6)
        assert g["search_hit_rate"] == pytest.approx(len(hits) / len(searched), abs=1e-6)
        assert g["arrests"] == sum(1 for r in mine if r["arrest_made"] == "TRUE")
        assert g["citations"] == sum(1 for r in mine if r["citation_issued"] == "TRUE")
        assert g["warnings"] == sum(1 for r in mine if r["warning_issued"] == "TRUE")
        assert g["frisks"] == sum(1 for r in mine if r["frisk_performed"] == "TRUE")
        assert g["weapon_found"] is None and g["weapon_found_rate"] is None and g["weapon_found_rate_ci"] is None
    assert got[None]["stops"] == sum(1 for r in rows if r["subject_race"] == "NA")
    types = {g["type"]: g["stops"] for g in by_type["groups"]}
    assert types == dict(Counter(r["type"] for r in rows))
    assert stored == (3000,)
    assert bands["18 - 25"] == sum(1 for r in rows if r["subject_age"] != "NA" and 18 <= int(r["subject_age"]) <= 25)
    # the outcome test on searches: each precinct's hit rates equal a count
    for p in outcome["precincts"]:
        for c in p["groups"]:
            mine = [
                r
                for r in rows
                if r["precinct"] == p["precinct"] and r["subject_race"] == c["subject_race"]
                if r["search_conducted"] == "TRUE"
            ]
            assert c["searches"] == len(mine)
            if c["hit_rate"] is not None:
                hits = sum(1 for r in mine if r["contraband_found"] == "TRUE")
                assert c["hit_rate"] == pytest.approx(hits / len(mine), abs=1e-6)
    assert any(c["compared"] for p in outcome["precincts"] for c in p["groups"])


# ---------------------------------------------------------------- Rhode Island, older shape

RI_HEADER = (
    "state,stop_date,stop_time,county_name,driver_gender,driver_race,violation_raw,violation,"
    "search_conducted,search_type,stop_outcome,is_arrested,stop_duration,drugs_related_stop,district"
).split(",")

RI_MAPPING = """
[dataset]
name = "ri-state-police"
kind = "stops"
title = "Rhode Island State Police: stops (Stanford Open Policing Project, older schema)"
encoding = "utf-8"

# no stop ID column: each row's line is the key
[fields.date]
column = "stop_date"
format = "%Y-%m-%d"
[fields.time]
column = "stop_time"
[fields.subject_gender]
column = "driver_gender"
values = { M = "male", F = "female" }
[fields.subject_race]
column = "driver_race"
[fields.violation]
column = "violation"
[fields.precinct]
column = "district"
[fields.type]
column = "state"
otherwise = "vehicular"
[fields.search_conducted]
column = "search_conducted"
# search_type is comma-joined ("Incident to Arrest,Protective Frisk"); a blank means no frisk
[fields.frisk]
column = "search_type"
contains = { "Protective Frisk" = "TRUE" }
blank = "FALSE"
otherwise = "FALSE"
[fields.search_basis]
column = "search_type"
[fields.search_basis.contains]
"Probable Cause" = "probable cause"
"Incident to Arrest" = "other"
"Inventory" = "other"
"Protective Frisk" = "other"
[fields.outcome]
column = "stop_outcome"
placeholders = ["N/D"]
values = { "Arrest Driver" = "arrest", "Arrest Passenger" = "arrest", "Citation" = "citation", "Warning" = "warning" }
[fields.arrest]
column = "is_arrested"
"""

SEARCH_TYPES = [
    "Incident to Arrest",
    "Protective Frisk",
    "Inventory",
    "Probable Cause",
    "Incident to Arrest,Protective Frisk",
    "Probable Cause,Protective Frisk",
    "Incident to Arrest,Inventory",
]


def ri_file(path: Path, n: int, seed: int = 3) -> tuple[Path, list[list[str]]]:
    """A file in Rhode Island's shape: blank lines, a line of empty cells, rows with no driver,
    and a last line cut short. Returns the file and the rows a reader should take."""
    rng = random.Random(seed)
    good = []
    lines = [",".join(RI_HEADER)]
    for i in range(n):
        if i % 50 == 10:
            lines.append("")  # a blank line
        if i % 50 == 20:
            lines.append("," * (len(RI_HEADER) - 1))  # a line of empty cells
        searched = rng.random() < 0.2
        st = rng.choice(SEARCH_TYPES) if searched else ""
        outcome = rng.choice(["Citation", "Warning", "Arrest Driver", "N/D", "No Action"])
        row = [
            "RI",
            f"2005-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
            "",
            rng.choice(["M", "F"]),
            rng.choice(["White", "Black", "Hispanic", "Asian", "Other"]),
            "Speeding",
            "Speeding",
            "TRUE" if searched else "FALSE",
            st,
            outcome,
            "TRUE" if outcome == "Arrest Driver" else "FALSE",
            "0-15 Min",
            "FALSE",
            rng.choice(["Zone X1", "Zone X3", "Zone K1"]),
        ]
        if i % 60 == 5:  # a stop with no driver recorded
            row[4] = row[5] = row[10] = row[11] = row[8] = row[9] = ""
        good.append(row)
        lines.append(",".join(f'"{c}"' if "," in c else c for c in row))
    lines.append("RI,2005-12-31,23:5")  # cut short, no newline
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, good


def test_an_old_shape_state_file_imports_through_a_mapping_and_equals_a_count(tmp_path):
    path, rows = ri_file(tmp_path / "ri_statewide.csv", 1500)
    imp = importer.read_export(path, parse(RI_MAPPING, "ri.toml"), Pseudonymizer(KEY))
    r = imp.report
    empties = sum(1 for i in range(1500) if i % 50 == 20)
    assert r["loaded"] == 1500 and r["duplicates"] == 0  # no ID, yet no stop folded into another
    assert r["set_aside"] == empties + 1
    assert r["set_aside_reasons"][importer.BLANK_REASON] == empties
    assert r["last_line_cut_short"] is True
    assert any("cut short" in reason for _, reason, _ in imp.rejects)
    db = tmp_path / "store.duckdb"
    store.write(db, imp)
    con = store.connect(db, read_only=True)
    try:
        res = summary.summarize(con, "stops", by="subject_race", min_cell=5)
        by_outcome = summary.summarize(con, "stops", by="outcome", min_cell=0)
    finally:
        con.close()
    assert res["no_data"] == ["citations", "search_hits", "warnings", "weapon_found"]
    got = {g["subject_race"]: g for g in res["groups"]}
    for race in ("White", "Black", "Hispanic", "Asian", "Other"):
        mine = [x for x in rows if x[5] == race]
        g = got[race]
        assert g["stops"] == len(mine)
        assert g["searches"] == sum(1 for x in mine if x[8] == "TRUE")
        assert g["frisks"] == sum(1 for x in mine if "Protective Frisk" in x[9])
        assert g["arrests"] == sum(1 for x in mine if x[11] == "TRUE")
        assert g["search_hit_rate"] is None  # no contraband column: no data
    nobody = [x for x in rows if x[5] == ""]
    assert got[None]["stops"] == len(nobody) and got[None]["frisks"] == 0  # a blank search type is no frisk
    assert got[None]["searches"] == 0 and got[None]["search_rate"] == 0.0  # blank: unknown, counted as a stop
    outcomes = {g["outcome"]: g["stops"] for g in by_outcome["groups"]}
    assert outcomes[None] == sum(1 for x in rows if x[10] in ("N/D", ""))
    assert outcomes["arrest"] == sum(1 for x in rows if x[10] == "Arrest Driver")


def test_a_cut_short_reimport_stops_unless_replace_and_says_how_many(tmp_path):
    full, _ = ri_file(tmp_path / "ri.csv", 600)
    text = full.read_text("utf-8")
    short = tmp_path / "ri-short.csv"
    short.write_text(text[: len(text) // 2], encoding="utf-8")
    mapping = tmp_path / "ri.toml"
    mapping.write_text(RI_MAPPING, encoding="utf-8")
    db = tmp_path / "cli.duckdb"
    runner = CliRunner()
    env = {"OVERSIGHT_PSEUDONYM_KEY": KEY}
    args = ["import", "stops", "--mapping", str(mapping), "--db", str(db), "--rejects", str(tmp_path / "rj.csv")]
    first = runner.invoke(app, [*args, str(full)], env=env)
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, [*args, str(short)], env=env)
    assert again.exit_code == 2
    assert "would remove" in again.output and "of the 600 stops records" in again.output
    assert "--replace" in again.output
    con = store.connect(db, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM stops").fetchone() == (600,)
    finally:
        con.close()
    forced = runner.invoke(app, [*args, "--replace", str(short)], env=env)
    assert forced.exit_code == 0, forced.output
    assert json.loads(forced.stdout)["loaded"] < 600


def test_a_latin1_file_read_as_utf8_gets_the_encoding_suggested(tmp_path):
    path = tmp_path / "latin.csv"
    rows = opp_rows(20)
    rows[3]["location"] = "Rua São João"
    rows[9]["location"] = "Cañon Rd"
    with path.open("w", encoding="latin-1", newline="") as fh:
        w = csv.DictWriter(fh, OPP_HEADER)
        w.writeheader()
        w.writerows(rows)
    imp = importer.read_export(path, load_shipped("opp"), Pseudonymizer(KEY))
    s = imp.report["encoding_suggestion"]
    assert s["rows"] == 2 and s["encoding"] == "cp1252" and "--encoding cp1252" in s["message"]


def test_several_datasets_are_never_pooled_silently(tmp_path):
    db = tmp_path / "store.duckdb"
    a = write(tmp_path / "a.csv", OPP_HEADER, opp_rows(200, 1))
    b = write(tmp_path / "b.csv", OPP_HEADER, opp_rows(300, 2))
    for name, path in (("city-a", a), ("city-b", b)):
        m = dataclasses.replace(load_shipped("opp"), name=name)
        store.write(db, importer.read_export(path, m, Pseudonymizer(KEY)))
    con = store.connect(db, read_only=True)
    try:
        with pytest.raises(summary.QueryError, match=r"2 stops datasets \(city-a, city-b\); choose one, or 'all'"):
            summary.summarize(con, "stops")
        assert summary.summarize(con, "stops", dataset="city-a")["total"]["stops"] == 200
        assert summary.summarize(con, "stops", dataset="all")["total"]["stops"] == 500
    finally:
        con.close()


def test_the_partitioned_parquet_export_reads_as_one_table_by_dataset_and_year(tmp_path):
    import duckdb

    db = tmp_path / "store.duckdb"
    for name, seed, n in (("city-a", 1, 200), ("city-b", 2, 300)):
        m = dataclasses.replace(load_shipped("opp"), name=name)
        path = write(tmp_path / f"{name}.csv", OPP_HEADER, opp_rows(n, seed))
        store.write(db, importer.read_export(path, m, Pseudonymizer(KEY)))
    out = tmp_path / "lake"
    env = {"OVERSIGHT_PSEUDONYM_KEY": KEY}
    r = CliRunner().invoke(app, ["stops", "export", str(out), "--partitioned", "--db", str(db)], env=env)
    assert r.exit_code == 0, r.output
    assert (out / "dataset=city-a" / "year=2017").is_dir()
    lake = duckdb.connect()
    got = lake.execute(
        f"SELECT dataset, year, count(*) FROM read_parquet('{out}/**/*.parquet', hive_partitioning = true) "
        "GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    con = store.connect(db, read_only=True)
    try:
        want = con.execute("SELECT dataset, year, count(*) FROM stops GROUP BY ALL ORDER BY ALL").fetchall()
    finally:
        con.close()
    assert [(d, int(y), n) for d, y, n in got] == want


def test_the_disparity_command_takes_its_reference_from_the_data(tmp_path):
    db = tmp_path / "store.duckdb"
    path = write(tmp_path / "x.csv", OPP_HEADER, opp_rows(2000))
    store.write(db, importer.read_export(path, load_shipped("opp"), Pseudonymizer(KEY)))
    r = CliRunner().invoke(app, ["stops", "disparity", "--db", str(db)], env={"OVERSIGHT_PSEUDONYM_KEY": KEY})
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["ratios"]["reference"] == "white"  # the Stanford vocabulary's own spelling
    assert out["outcome_test_searches"]["no_data"] is False and out["outcome_test"]["no_data"] is True


def test_the_stops_export_in_the_stanford_names(tmp_path):
    import pyarrow.parquet as pq

    db = tmp_path / "store.duckdb"
    rows = opp_rows(100)
    path = write(tmp_path / "x.csv", OPP_HEADER, rows)
    store.write(db, importer.read_export(path, load_shipped("opp"), Pseudonymizer(KEY)))
    out = tmp_path / "opp.parquet"
    args = ["stops", "export", str(out), "--schema", "opp", "--db", str(db)]
    r = CliRunner().invoke(app, args, env={"OVERSIGHT_PSEUDONYM_KEY": KEY})
    assert r.exit_code == 0, r.output
    t = pq.read_table(out)
    names = set(t.column_names)
    assert {"frisk_performed", "arrest_made", "subject_sex", "officer_id_hash", "search_conducted"} <= names
    assert not {"frisk", "arrest", "subject_gender", "officers"} & names
    assert t.column("frisk_performed").to_pylist().count(True) == sum(1 for x in rows if x["frisk_performed"] == "TRUE")


def test_datasets_that_feed_different_columns_read_as_one_view(tmp_path):
    """One city publishes searches, the other does not: each dataset's table holds what its
    file has, and the kind's view reads both, NULL where a city has no such column."""
    db = tmp_path / "store.duckdb"
    no_search = [h for h in OPP_HEADER if not h.startswith(("search_", "contraband_", "reason_for_search"))]
    rows_b = [{k: v for k, v in r.items() if k in no_search} for r in opp_rows(300, 2)]
    for name, header, rows in (("city-a", OPP_HEADER, opp_rows(200, 1)), ("city-b", no_search, rows_b)):
        m = dataclasses.replace(load_shipped("opp"), name=name)
        store.write(db, importer.read_export(write(tmp_path / f"{name}.csv", header, rows), m, Pseudonymizer(KEY)))
    con = store.connect(db, read_only=True)
    try:
        cols = store.members(con, store.KINDS["stops"])
        assert "search_conducted" in cols["city-a"] and "search_conducted" not in cols["city-b"]
        got = con.execute(
            "SELECT dataset, count(*), count(search_conducted), count(subject_race_raw) FROM stops "
            "GROUP BY 1 ORDER BY 1"
        ).fetchall()
        searched = sum(1 for r in opp_rows(200, 1) if r["search_conducted"] in ("TRUE", "FALSE"))
        assert got == [("city-a", 200, searched, 200), ("city-b", 300, 0, 300)]
        assert [
            r[0]
            for r in con.execute(
                "SELECT subject_race_raw FROM stops WHERE dataset = 'city-b' ORDER BY source_line"
            ).fetchall()
        ] == [r["subject_race"] for r in rows_b]
        assert summary.summarize(con, "stops", dataset="city-b")["total"]["stops"] == 300
    finally:
        con.close()
