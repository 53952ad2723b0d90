"""The public data in Chromium: a person opens the Terry stops under /data/, filters them to
one precinct, groups them by perceived race, reads each group's stops, frisks and arrests and
the rates with their 95% intervals, and downloads the table as CSV. The page is checked against
summarize() on the same store and, for the counts, against the raw export read here with the
csv module; the CSV is checked against the page's cells as the page displays them; axe-core
finds no serious or critical violation."""

from __future__ import annotations

import csv
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.browser.axe import axe

REPO = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("OVERSIGHT_SHARED_DATA", REPO.parent / "shared" / "data"))
TERRY = DATA / "seattle_terry_stops_2023" / "Terry_Stops.csv"
KEY = "browser-test-pseudonym-key-0123456789"
PRECINCT = "East"

# What mappings/seattle-terry.toml says, written out here so that the count below does not
# go through the importer: "-" is unknown in every column; Precinct also "Unknown" and
# "FK ERROR"; Subject Perceived Race also "Unknown" and "DUPLICATE", and two names change.
UNKNOWN = {"-"}
PRECINCT_UNKNOWN = UNKNOWN | {"Unknown", "FK ERROR"}
RACE_UNKNOWN = UNKNOWN | {"Unknown", "DUPLICATE"}
RACE_NAMES = {"Hispanic": "Hispanic or Latino", "Multi-Racial": "Multiracial"}

# Where SPD's Arrest Flag says nothing (mappings/seattle-terry.toml, missing_when), written out here too.
ARREST_FLAG_SILENT_YEARS = {"2015", "2016", "2017", "2018"}
ARREST_FLAG_SILENT_RACES = {"Hispanic or Latino", "Multiracial", "Other"}
COUNTS = ("stops", "frisks", "arrests", "weapon_found", "citations")
RATES = ("frisk_rate", "arrest_rate", "weapon_found_rate", "citation_rate")
CELL = re.compile(r"^(?P<rate>\d+\.\d%) (?P<ci>\((?P<low>\d+\.\d%)–(?P<high>\d+\.\d%)\))$")


def need(path: Path) -> Path:
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path}: the shared Seattle data is missing (set OVERSIGHT_SHARED_DATA)")
        pytest.skip(f"{path}: the shared Seattle data is not here")
    return path


@pytest.fixture(scope="session")
def terry_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Terry export imported once per session into a store of its own."""
    from oversight.publicdata import importer, store
    from oversight.publicdata.mapping import load_shipped
    from oversight.publicdata.pseudonym import Pseudonymizer

    need(TERRY)
    db = tmp_path_factory.mktemp("publicdata-browser") / "store.duckdb"
    store.write(db, importer.read_export(TERRY, load_shipped("seattle-terry"), Pseudonymizer(KEY)))
    return db


@pytest.fixture
def terry(settings: Any, terry_store: Path) -> Path:
    settings.OVERSIGHT_PUBLICDATA_DB = terry_store
    return terry_store


def raw_counts(precinct: str) -> dict[str, Counter[str]]:
    """Stops, frisks and arrests by perceived race in one precinct, from the raw file: one stop
    per distinct Terry Stop ID (its rows repeat per weapon type), a flag set if any row sets
    it, the precinct and race the first known ones; an unknown race is "unknown"."""
    stops: dict[str, dict[str, Any]] = {}
    with TERRY.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            s = stops.setdefault(
                row["Terry Stop ID"],
                {"precinct": None, "race": None, "frisk": False, "arrest": False, "year": row["Reported Date"][:4]},
            )
            if s["precinct"] is None and row["Precinct"] not in PRECINCT_UNKNOWN:
                s["precinct"] = row["Precinct"]
            race = row["Subject Perceived Race"]
            if s["race"] is None and race not in RACE_UNKNOWN:
                s["race"] = RACE_NAMES.get(race, race)
            s["frisk"] |= row["Frisk Flag"] == "Y"
            s["arrest"] |= row["Arrest Flag"] == "Y"
    out: dict[str, Counter[str]] = {"stops": Counter(), "frisks": Counter(), "arrests": Counter()}
    out["arrest_known"] = Counter()
    for s in stops.values():
        if s["precinct"] != precinct:
            continue
        label = s["race"] or "unknown"
        out["stops"][label] += 1
        out["frisks"][label] += s["frisk"]
        # the mapping's missing_when: the flag says nothing for 2015-2018 and for these three groups
        if s["year"] not in ARREST_FLAG_SILENT_YEARS and label not in ARREST_FLAG_SILENT_RACES:
            out["arrest_known"][label] += 1
            out["arrests"][label] += s["arrest"]
    return out


def pct(v: float | None) -> str:
    """A share as the page shows it."""
    return "–" if v is None else f"{v:.1%}"


def read_table(page: Any) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """The summary table as displayed: its headers, each group's cells by its label, the total."""
    table = page.locator("table")
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    groups: dict[str, list[str]] = {}
    total: list[str] = []
    for tr in table.locator("tbody tr").all():
        cells = [c.strip() for c in tr.locator("td").all_inner_texts()]
        if cells[0] == "All":
            total = cells[1:]
        else:
            assert cells[0] not in groups, f"{cells[0]} is shown twice"
            groups[cells[0]] = cells[1:]
    return headers, groups, total


def expected_cells(g: dict[str, Any], min_cell: int) -> list[str]:
    """A group of summarize() as the page should show it."""
    if g["suppressed"]:
        return [f"withheld: {g['withheld_because']}"]
    ci = [g[f"{r}_ci"] for r in RATES]
    return ["no data" if g[c] is None else str(g[c]) for c in COUNTS] + [
        f"{pct(g[r])} ({pct(c[0])}–{pct(c[1])})" if c else pct(g[r]) for r, c in zip(RATES, ci, strict=True)
    ]


def assert_csv_is_the_table(page: Any, shown: dict[str, list[str]], min_cell: int) -> None:
    """Click the table's CSV link; every group's counts, rates and interval ends in the file
    are the page's cells at the precision the page shows."""
    link = page.locator("p", has_text="Download this table").get_by_role("link", name="CSV", exact=True)
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "stops-summary.csv"
    with open(download.path(), encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r.get("subject_race") or "unknown" for r in rows] == list(shown), "the CSV has the page's groups"
    for r in rows:
        label = r["subject_race"] or "unknown"
        cells = shown[label]
        if r["suppressed"] == "True":
            assert cells == [f"withheld: {r['withheld_because']}"], label
            assert all(r[c] == "" for c in COUNTS), label
            continue
        assert r["suppressed"] == "False", label
        assert [r[c] or "no data" for c in COUNTS] == cells[: len(COUNTS)], label
        for name, cell in zip(RATES, cells[len(COUNTS) :], strict=True):
            if r[name] == "":
                assert cell == "–" and r[f"{name}_ci_low"] == r[f"{name}_ci_high"] == "", (label, name)
                continue
            low, high = float(r[f"{name}_ci_low"]), float(r[f"{name}_ci_high"])
            assert low <= float(r[name]) <= high, (label, name)
            assert cell == f"{pct(float(r[name]))} ({pct(low)}–{pct(high)})", (label, name, cell)


def test_filter_group_read_rates_and_download_the_same_numbers(page: Any, terry: Path) -> None:
    from oversight.publicdata import config, store, summary

    min_cell = config.min_cell()  # the threshold the app withholds small groups by
    page.goto("/data/stops/")
    axe(page)
    # A select inside its label is named by the label and its chosen option ("precinct (all)").
    precinct = page.get_by_label(re.compile(r"^Precinct\b"))
    group_by = page.get_by_label(re.compile(r"^Group by\b"))
    precinct.select_option(PRECINCT)
    group_by.select_option("subject_race")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(rf"[?&]precinct={PRECINCT}(&|$)"))
    assert precinct.input_value() == PRECINCT, "the form shows the filter in force"
    assert group_by.input_value() == "subject_race"

    # the table: each race group's counts, then each rate with its interval, each column named in words
    headers, shown, total = read_table(page)
    assert headers == [
        "Perceived race of the person",
        "Stops",
        "Frisks",
        "Arrests",
        "Weapon found",
        "Citations",
        "Frisk rate (95% interval)",
        "Arrest rate (95% interval)",
        "Weapon found per frisk (95% interval)",
        "Citation rate (95% interval)",
    ]

    con = store.connect(terry, read_only=True)
    try:
        want = summary.summarize(con, "stops", by=["subject_race"], where=[f"precinct={PRECINCT}"], min_cell=min_cell)
        city = summary.summarize(con, "stops", min_cell=min_cell)["total"]
    finally:
        con.close()
    labels = ["unknown" if g["subject_race"] is None else g["subject_race"] for g in want["groups"]]
    assert list(shown) == labels
    assert {k: shown[k] for k in labels} == {
        k: expected_cells(g, min_cell) for k, g in zip(labels, want["groups"], strict=True)
    }
    assert total == expected_cells(want["total"], min_cell)
    assert int(total[0]) < city["stops"], "the precinct filter was ignored"
    visible = {k: v for k, v in shown.items() if not v[0].startswith("withheld")}
    assert len(visible) >= 5, "most race groups in the precinct are large enough to show"
    for cells in visible.values():
        for cell in cells[len(COUNTS) :]:
            assert CELL.match(cell) or cell == "–", f"{cell!r} is not a rate with its 95% interval"
    assert all(CELL.match(v[len(COUNTS)]) for v in visible.values()), "every shown group has a frisk rate"

    # the counts against the raw export, counted here
    raw = raw_counts(PRECINCT)
    assert set(shown) == set(raw["stops"])
    assert int(total[0]) == sum(raw["stops"].values())
    for label, cells in shown.items():
        n = raw["stops"][label]
        if cells[0].startswith("withheld"):
            # small, or hidden beside the only small one so the total does not give it away
            small = [k for k, c in shown.items() if c == [f"withheld: fewer than {min_cell}"]]
            assert n < min_cell or (cells == [f"withheld: {summary.COMPLEMENT}"] and len(small) == 1), label
            continue
        known = raw["arrest_known"][label]
        arrests = str(raw["arrests"][label]) if known else "no data"
        assert cells[:3] == [str(n), str(raw["frisks"][label]), arrests], label
        for name, den, cell in zip(
            ("frisks", "arrests"), (n, known), cells[len(COUNTS) : len(COUNTS) + 2], strict=True
        ):
            if not den:
                assert cell == "–", (label, name, cell)
                continue
            m = CELL.match(cell)
            assert m, (label, cell)
            assert abs(float(m["rate"][:-1]) - 100 * raw[name][label] / den) <= 0.05 + 1e-9, (label, name)

    # the table's CSV, downloaded as a person would, says what the page says
    assert_csv_is_the_table(page, shown, min_cell)
    axe(page)


def test_the_first_page_downloads_the_table_it_shows(page: Any, terry: Path) -> None:
    """Opened without a choice the page groups by race; its CSV link gives that table too."""
    from oversight.publicdata import config

    page.goto("/data/stops/")
    headers, shown, _ = read_table(page)
    assert headers[0] == "Perceived race of the person" and len(shown) >= 5
    assert_csv_is_the_table(page, shown, config.min_cell())


def test_labels_the_selections_records_and_the_disparity_reference_list(page: Any, terry: Path) -> None:
    """Version 2 of the pages, walked: every heading and filter in words; the records link of a
    filtered page downloads exactly the stops the table counts; the disparity page's reference
    is a list of the data's groups, its ratios rounded, its table a download."""
    from oversight.publicdata import store

    page.goto("/data/stops/")
    form = page.locator("form").inner_text()
    assert "Officer's squad" in form and not re.search(r"\b[a-z]+_[a-z_]+\b", form), "labels, not column names"
    squad = page.get_by_label(re.compile(r"^Officer's squad\b"))
    assert squad.locator("option").count() > 10, "the squad list is filled from the data"
    page.get_by_label(re.compile(r"^Precinct\b")).select_option(PRECINCT)
    page.get_by_label(re.compile(r"^Year from\b")).fill("2020")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"year_from=2020"))
    _, _, total = read_table(page)
    link = page.locator("p", has_text="The records of this selection").get_by_role("link", name="CSV", exact=True)
    with page.expect_download() as info:
        link.click()
    with open(info.value.path(), encoding="utf-8", newline="") as fh:
        records = list(csv.DictReader(fh))
    assert len(records) == int(total[0]), "the download is the selection the table counts"
    assert {r["precinct"] for r in records} == {PRECINCT} and min(int(r["year"]) for r in records) >= 2020
    con = store.connect(terry, read_only=True)
    try:
        n = con.execute("SELECT count(*) FROM stops WHERE precinct = ? AND year >= 2020", [PRECINCT]).fetchone()
    finally:
        con.close()
    assert n == (len(records),)
    axe(page)

    page.goto("/data/stops/disparity/")
    reference = page.get_by_label(re.compile(r"^Compare to\b"))
    options = reference.locator("option").all_inner_texts()
    assert "White" in options and "Black or African American" in options
    reference.select_option("Black or African American")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"reference=Black"))
    row = page.locator("table.ratios tbody tr", has_text="(reference)")
    assert "Black or African American" in row.inner_text()
    ratios = page.locator("table.ratios").inner_text()
    assert re.search(r"\b1\.00\b", ratios) and not re.search(r"\d\.\d{3,}", ratios), "ratios rounded for reading"
    with page.expect_download() as info:
        page.locator("a.ratios-csv").click()
    with open(info.value.path(), encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh))
    ref = next(r for r in table if r["reference"] == "True")
    assert ref["subject_race"] == "Black or African American" and float(ref["frisk_rate_ratio"]) == 1.0
    assert "Arrest Flag is N" in page.content(), "the arrest flag's caveat is on the page that shows arrests"
    axe(page)
