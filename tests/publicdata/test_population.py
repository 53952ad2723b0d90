"""Rates per 1,000 residents from denominators a user supplies (with their citation), on a copy
of the session's Seattle store. The figures in these files are made up for the test."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oversight.cli import app
from oversight.publicdata import population, store, summary
from oversight.publicdata.stats import per

RACES = {"White": 450_000, "Black or African American": 51_000, "Asian": 130_000, "Hispanic or Latino": 55_000}
CITE = "Made-up counts for a test"


@pytest.fixture
def db(seattle, tmp_path: Path) -> Path:
    copy = tmp_path / "store.duckdb"
    shutil.copy(seattle.db, copy)
    return copy


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def load(db: Path, file: Path, dataset: str = "seattle-terry", citation: str = CITE) -> tuple[int, str, str]:
    r = CliRunner().invoke(
        app, ["import", "population", str(file), "--dataset", dataset, "--citation", citation, "--db", str(db)]
    )
    return r.exit_code, r.stdout, r.stderr


def test_rates_per_resident_equal_an_independent_count(db: Path, tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "race.csv", ["subject_race", "population", "year"], [[k, v, 2020] for k, v in RACES.items()]
    )
    code, out, _ = load(db, f)
    assert code == 0, out
    report = json.loads(out)
    assert report["groups"] == 4 and report["set_aside"] == 0 and report["columns"] == ["subject_race"]
    con = store.connect(db, read_only=True)
    try:
        res = summary.summarize(con, "stops", by="subject_race", where=["year=2021"], min_cell=5)
        counts = dict(con.execute("SELECT subject_race, count(*) FROM stops WHERE year = 2021 GROUP BY 1").fetchall())
    finally:
        con.close()
    assert res["population"]["citation"] == CITE
    shown = {g["subject_race"]: g for g in res["groups"]}
    assert {"White", "Asian"} <= counts.keys()
    for race, residents in RACES.items():
        if race not in counts:
            continue  # no stops of this group that year: no row
        g = shown[race]
        assert g["population"] == residents and g["population_year"] == 2020  # the nearest earlier count
        expected = per(counts[race], residents)
        assert g["per_1000_residents"] == pytest.approx(counts[race] * 1000 / residents, abs=1e-4)
        assert g["per_1000_residents_ci"] == pytest.approx([expected[1], expected[2]], abs=1e-4)
    # a group the denominators do not have (unknown race, Multiracial): no rate, never 0
    assert shown[None]["per_1000_residents"] is None
    assert all(g["population"] is None for k, g in shown.items() if k not in RACES)
    # the total: every stop of the year over every resident counted
    total = sum(counts.values())
    assert res["total"]["per_1000_residents"] == pytest.approx(total * 1000 / sum(RACES.values()), abs=1e-4)


def test_by_year_each_year_its_nearest_count(db: Path, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "city.csv", ["year", "population"], [[2010, 608_660], [2020, 737_015]])
    assert load(db, f)[0] == 0
    con = store.connect(db, read_only=True)
    try:
        res = summary.summarize(con, "stops", by="year", min_cell=5)
    finally:
        con.close()
    for g in res["groups"]:
        if g["year"] is None:
            continue
        want = 608_660 if g["year"] < 2020 else 737_015
        assert (g["population"], g["population_year"]) == (want, 2010 if g["year"] < 2020 else 2020)
        assert g["per_1000_residents"] == pytest.approx(g["stops"] * 1000 / want, abs=1e-4)
    assert res["total"]["per_1000_residents"] is None  # the total spans years


def test_several_years_pooled_get_no_rate_and_say_why(db: Path, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "race.csv", ["subject_race", "population"], [[k, v] for k, v in RACES.items()])
    assert load(db, f)[0] == 0
    con = store.connect(db, read_only=True)
    try:
        res = summary.summarize(con, "stops", by="subject_race", min_cell=5)
        other = summary.summarize(con, "stops", by="precinct", where=["year=2021"], min_cell=5)
    finally:
        con.close()
    assert res["population"] is None and res["population_note"] == "one_year"
    assert all("per_1000_residents" not in g for g in res["groups"])
    assert other["population"] is None and other["population_note"] == "other_grouping"


def test_a_withheld_group_shows_no_rate(db: Path, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "race.csv", ["subject_race", "population"], [["Other", 9_000], ["White", 450_000]])
    assert load(db, f)[0] == 0
    con = store.connect(db, read_only=True)
    try:
        res = summary.summarize(con, "stops", by="subject_race", where=["year=2015"], min_cell=5000)
    finally:
        con.close()
    for g in res["groups"]:
        if g["suppressed"]:
            assert g["per_1000_residents"] is None  # its count would follow from the rate and the residents


def test_bad_rows_are_set_aside_with_line_and_reason_and_bad_headers_fail(db: Path, tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "bad.csv",
        ["subject_race", "population"],
        [["White", "450,000"], ["Asian", "many"], ["", 10], ["White", 1], ["Blak", 3]],
    )
    code, out, err = load(db, f)
    assert code == 0
    report = json.loads(out)
    assert report["groups"] == 2 and report["set_aside"] == 3
    reasons = {r["line"]: r["reason"] for r in report["set_aside_rows"]}
    assert "'many' is not a whole number" in reasons[3]
    assert "blank" in reasons[4]
    assert "same group as line 2" in reasons[5]
    assert report["not_in_data"] == {"subject_race": ["Blak"]} and "check the spelling" in err
    bad = write_csv(tmp_path / "h.csv", ["race", "population"], [["White", 1]])
    code, _, err = load(db, bad)
    assert code == 2 and "'race' is not a column to group by" in err and "subject_race" in err
    nopop = write_csv(tmp_path / "n.csv", ["subject_race", "people"], [["White", 1]])
    assert "no 'population' column" in load(db, nopop)[2]
    assert "no dataset 'nowhere'" in load(db, f, dataset="nowhere")[2]
    assert "--citation" in load(db, f, citation=" ")[2]


def test_reimport_replaces_that_grouping_only(db: Path, tmp_path: Path) -> None:
    a = write_csv(tmp_path / "a.csv", ["subject_race", "population"], [["White", 1000]])
    b = write_csv(tmp_path / "b.csv", ["precinct", "population"], [["North", 2000]])
    assert load(db, a)[0] == 0 and load(db, b)[0] == 0
    a2 = write_csv(tmp_path / "a2.csv", ["subject_race", "population"], [["White", 3000], ["Asian", 10]])
    assert load(db, a2)[0] == 0
    con = store.connect(db, read_only=True)
    try:
        listed = {tuple(x["columns"]): x["groups"] for x in population.listed(con, "seattle-terry")}
    finally:
        con.close()
    assert listed == {("precinct",): 1, ("subject_race",): 2}


def test_page_and_csv_show_the_rate_and_its_source(settings, client, db: Path, tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "race.csv", ["subject_race", "population", "year"], [[k, v, 2020] for k, v in RACES.items()]
    )
    assert load(db, f)[0] == 0
    settings.OVERSIGHT_PUBLICDATA_DB = db
    settings.OVERSIGHT_PROFILE = "seattle"
    page = client.get("/data/stops/", {"by": "subject_race", "year_from": "2021", "year_to": "2021"}).content.decode()
    assert "Stops per 1,000 residents" in page and CITE in page
    assert "per_1000" not in page.split("<main", 1)[-1].split("</table>")[0]  # no raw name in the table
    pooled = client.get("/data/stops/", {"by": "subject_race"}).content.decode()
    assert "one year at a time" in pooled
    body = client.get("/data/api/stops/summary.csv", {"by": "subject_race", "where": "year=2021"}).content.decode()
    rows = {r["subject_race"]: r for r in csv.DictReader(io.StringIO(body))}
    assert float(rows["White"]["per_1000_residents"]) == pytest.approx(
        int(rows["White"]["stops"]) * 1000 / RACES["White"], abs=1e-3
    )
    assert rows["White"]["per_1000_residents_ci_low"] and rows["White"]["population"] == "450000"
