"""The summary of officer-involved shootings: the command, the API and the page give the same
numbers, and they agree with a count made here, independently, with the csv module."""

from __future__ import annotations

import csv
import io
import json
import math
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oversight.cli import app
from oversight.publicdata import summary

COUNTS = ["shootings", "fatal_shootings", "subject_armed", "officer_injured", "officers", "subjects"]
RATES = ["fatal_rate", "subject_weapon_rate"]
MIN_CELL = 5  # the seattle profile's publication.min_cell


@pytest.fixture
def run(settings, seattle):  # type: ignore[no-untyped-def]
    settings.OVERSIGHT_PUBLICDATA_DB = seattle.db
    settings.OVERSIGHT_PROFILE = "seattle"
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, ["shootings", "summary", *args])

    return invoke


@pytest.fixture(scope="session")
def by_incident(ois_rows: list[dict[str, str]]) -> dict[str, dict[str, object]]:
    """One entry per incident number: its year (of the earliest date), and whether any of its
    rows says fatal, subject armed."""
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in ois_rows:
        rows[row["Incident Number"]].append(row)
    out: dict[str, dict[str, object]] = {}
    for number, rs in rows.items():
        # "MM/DD/YYYY hh:mm:ss AM"
        dates = sorted((r["Date / Time"][6:10], r["Date / Time"][0:2], r["Date / Time"][3:5]) for r in rs)
        out[number] = {
            "year": int(dates[0][0]),
            "fatal": any(r["Fatal"] == "Yes" for r in rs),
            "armed": any(r["Subject Weapon"] == "Yes" for r in rs),
            "city": rs[0]["City"],
        }
    return out


def _wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def test_the_command_gives_one_object_per_group_with_counts_rates_and_intervals(run):
    r = run("--by", "year")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert isinstance(out, list) and out
    keys = {"year", *COUNTS, *RATES, *(f"{x}_ci" for x in RATES), "suppressed", "withheld_because"}
    for g in out:
        assert set(g) == keys
        if g["suppressed"]:
            assert all(g[k] is None for k in keys - {"year", "suppressed", "withheld_because"})
            continue
        for name in RATES:
            lo, hi = g[f"{name}_ci"]
            assert 0 <= lo <= g[name] <= hi <= 1
    years = [g["year"] for g in out]
    assert years == sorted(years)
    # Two columns: each is named as in the store.
    two = json.loads(run("--by", "fatal,subject_weapon").stdout)
    assert {(g["fatal"], g["subject_weapon"]) for g in two} <= {(a, b) for a in (True, False) for b in (True, False)}


def test_the_numbers_are_an_independent_count_of_the_export(run, by_incident, seattle):
    assert len(by_incident) == 77
    per_year: dict[int, dict[str, int]] = defaultdict(lambda: {"shootings": 0, "fatal": 0, "armed": 0})
    for inc in by_incident.values():
        y = per_year[inc["year"]]  # type: ignore[index]
        y["shootings"] += 1
        y["fatal"] += bool(inc["fatal"])
        y["armed"] += bool(inc["armed"])
    out = {g["year"]: g for g in json.loads(run("--by", "year").stdout)}
    assert set(out) == set(per_year)
    shown = 0
    for year, want in per_year.items():
        g = out[year]
        # every shooting is listed on the page as the department publishes it: no year withheld
        shown += 1
        assert g["suppressed"] is False
        assert (g["shootings"], g["fatal_shootings"], g["subject_armed"]) == (
            want["shootings"],
            want["fatal"],
            want["armed"],
        ), year
        assert g["fatal_rate"] == pytest.approx(want["fatal"] / want["shootings"], abs=1e-6)
        assert g["fatal_rate_ci"] == pytest.approx(_wilson(want["fatal"], want["shootings"]), abs=1e-6)
        assert g["subject_weapon_rate"] == pytest.approx(want["armed"] / want["shootings"], abs=1e-6)
    assert shown >= 5, "most years have five or more shootings"
    # Without a threshold every year is there, and the years add up to the whole file.
    from oversight.publicdata import store

    con = store.connect(seattle.db, read_only=True)
    try:
        everything = summary.summarize(con, "shootings", by="year", min_cell=0)
    finally:
        con.close()
    for g in everything["groups"]:
        want = per_year[g["year"]]
        assert (g["shootings"], g["fatal_shootings"], g["subject_armed"]) == (
            want["shootings"],
            want["fatal"],
            want["armed"],
        )
    total = everything["total"]
    fatal = sum(1 for i in by_incident.values() if i["fatal"])
    assert (total["shootings"], total["fatal_shootings"]) == (77, fatal)
    assert total["fatal_rate_ci"] == pytest.approx(_wilson(fatal, 77), abs=1e-6)


def test_where_filters_like_the_other_summaries(run, by_incident):
    out = json.loads(run("--by", "fatal", "--where", "city=Seattle", "--where", "year>=2010").stdout)
    got = {g["fatal"]: g["shootings"] for g in out if not g["suppressed"]}
    want: dict[bool, int] = defaultdict(int)
    for i in by_incident.values():
        if i["city"] == "Seattle" and i["year"] >= 2010:  # type: ignore[operator]
            want[bool(i["fatal"])] += 1
    assert got == dict(want)


@pytest.mark.parametrize(
    ("args", "option", "words"),
    [
        (["--by", "colour"], "--by", "'colour' is not a column to group shootings by"),
        (["--by", "year,year"], "--by", "named twice"),
        (["--where", "precinct=East"], "--where", "'precinct' is not a column of shootings"),
        (["--where", "fatal=maybe"], "--where", "'maybe' is not yes or no"),
        (["--where", "city>=3"], "--where", "needs a number or date column"),
        (["--where", "year"], "--where", "is not COLUMN=VALUE"),
        (["--format", "xml"], "--format", "'xml' is not json or csv"),
    ],
)
def test_bad_options_exit_2_with_one_line_naming_the_option(run, args, option, words):
    r = run(*args)
    assert r.exit_code == 2
    assert r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"oversight: {option}:"), r.stderr
    assert words in lines[0]


def test_the_api_serves_the_numbers_the_command_prints(run, settings, seattle, client):
    settings.OVERSIGHT_PUBLICDATA_DB = seattle.db
    for args, query in [
        (["--by", "year"], {"by": "year"}),
        (["--by", "fatal", "--where", "city=Seattle"], {"by": "fatal", "where": "city=Seattle"}),
        ([], {}),
    ]:
        cmd = json.loads(run(*args).stdout)
        r = client.get("/data/api/shootings/summary.json", query)
        assert r.status_code == 200
        body = r.json()
        assert body["groups"] == cmd
        assert body["kind"] == "shootings" and body["min_cell"] == MIN_CELL
        assert any("Wilson" in c for c in body["caveats"])
        cmd_csv = list(csv.reader(io.StringIO(run(*args, "--format", "csv").stdout)))
        r = client.get("/data/api/shootings/summary.csv", query)
        assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
        assert list(csv.reader(io.StringIO(r.content.decode()))) == cmd_csv
    r = client.get("/data/api/shootings/summary.json", {"by": "colour"})
    assert r.status_code == 400 and "'colour' is not a column" in r.json()["error"]


def test_the_page_shows_the_summary_by_year_beside_the_list(run, settings, seattle, client):
    settings.OVERSIGHT_PUBLICDATA_DB = seattle.db
    r = client.get("/data/shootings/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "By year" in html and "Share fatal" in html and "People shot at" in html
    assert "withheld:" not in html.split("Each shooting")[0]  # the list shows each: the table withholds none
    ctx = r.context["by_year"]
    assert ctx["groups"] == json.loads(run("--by", "year").stdout)
    shown = next(g for g in ctx["groups"] if not g["suppressed"])
    assert f"<td>{shown['year']}</td>" in html
    assert "/data/api/shootings/summary.csv?by=year" in html


def test_the_threshold_is_the_profiles(run, settings, tmp_path: Path, by_incident):
    lower = tmp_path / "lower.toml"
    lower.write_text(
        '[profile]\nname = "lower"\ntitle = "t"\njurisdiction = "j"\nextends = "seattle"\n'
        '[publication]\nmin_cell."2020-01-01" = { value = 3, cite = "SMC 3.29.320.B (test)" }\n',
        encoding="utf-8",
    )
    settings.OVERSIGHT_PROFILE = str(lower)
    out = json.loads(run("--by", "year").stdout)
    for g in out:
        n = sum(1 for i in by_incident.values() if i["year"] == g["year"])
        assert n and g["suppressed"] is False, g["year"]  # shootings are listed each: none withheld


def test_no_count_or_rate_is_named_like_a_column_it_may_be_grouped_by():
    """A group's object holds its keys and its numbers side by side: a count named like a
    group column (``fatal``) would overwrite the key it is grouped by."""
    m = summary.MEASURES["shootings"]
    names = {n for n, _ in m.counts} | {n for n, _, _ in m.rates} | {f"{n}_ci" for n, _, _ in m.rates}
    assert not names & {*m.group_columns, "dataset", "suppressed", "withheld_because"}
