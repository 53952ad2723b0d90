"""Disclosure control of data published only in aggregate: a withheld small cell cannot be had
by subtracting one table from another, however the tables are filtered (the attack that
recovered 40 of 40 small cells when each table withheld its own small groups only)."""

from __future__ import annotations

import csv
import dataclasses
import itertools
import random
from collections import Counter
from pathlib import Path

import pytest

from oversight.publicdata import importer, store, summary
from oversight.publicdata.mapping import load_shipped
from oversight.publicdata.pseudonym import Pseudonymizer

KEY = "unit-test-pseudonym-key-0000000000"
MIN_CELL = 5
HEADER = ["date", "precinct", "subject_race", "subject_sex", "search_conducted", "contraband_found"]
RACES = {"white": 0.5, "black": 0.3, "hispanic": 0.15, "other": 0.05}


def rows(n: int) -> list[dict[str, str]]:
    rng = random.Random(11)
    out = []
    for _ in range(n):
        race = rng.choices(list(RACES), weights=list(RACES.values()))[0]
        search = rng.random() < 0.2
        out.append(
            {
                "date": f"{rng.choice([2019, 2020, 2021])}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                "precinct": rng.choice(["N", "S", "E", "W"]),
                "subject_race": race,
                "subject_sex": rng.choice(["male", "female"]),
                "search_conducted": "TRUE" if search else "FALSE",
                "contraband_found": ("TRUE" if rng.random() < 0.3 else "FALSE") if search else "NA",
            }
        )
    return out


@pytest.fixture(scope="module")
def aggregate(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("aggregate")
    data = rows(700)
    path = folder / "counts-only.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, HEADER)
        w.writeheader()
        w.writerows(data)
    m = dataclasses.replace(load_shipped("opp"), name="counts-only", disclosure="aggregate")
    db = folder / "store.duckdb"
    store.write(db, importer.read_export(path, m, Pseudonymizer(KEY)))
    con = store.connect(db, read_only=True)
    yield con, data
    con.close()


def stops(con, by, where):  # type: ignore[no-untyped-def]
    """A table as a person gets it: group -> stops (None when withheld; a group not shown is 0)."""
    res = summary.summarize(con, "stops", by=by, where=where, min_cell=MIN_CELL)
    return {tuple(g[c] for c in res["by"]): g["stops"] for g in res["groups"]}, res["total"]["stops"]


def minus(a, b):  # type: ignore[no-untyped-def]
    return None if a is None or b is None else a - b


def test_small_cells_stay_withheld_across_every_table_a_person_can_ask_for(aggregate):
    con, data = aggregate
    finest = Counter((int(r["date"][:4]), r["precinct"], r["subject_race"]) for r in data)
    small = [cell for cell, n in finest.items() if n < MIN_CELL]
    assert len(small) >= 3, "the fixture has small cells to attack"
    tried = recovered = 0
    for year, precinct, race in small:
        true = finest[(year, precinct, race)]
        attacks = []
        # 1. the precinct's race table over all years, less the same table for the other years
        all_years, _ = stops(con, ["subject_race"], [f"precinct={precinct}"])
        others, _ = stops(con, ["subject_race"], [f"precinct={precinct}", f"year!={year}"])
        attacks.append(minus(all_years.get((race,), 0), others.get((race,), 0)))
        # 2. the year's total in the precinct, less its other races
        by_race, total = stops(con, ["subject_race"], [f"precinct={precinct}", f"year={year}"])
        rest_races = [v for k, v in by_race.items() if k != (race,)]
        attacks.append(None if None in rest_races else minus(total, sum(rest_races)))
        # 3. the race's year table city-wide, less the other precincts
        city, _ = stops(con, ["year"], [f"subject_race={race}"])
        rest, _ = stops(con, ["year"], [f"subject_race={race}", f"precinct!={precinct}"])
        attacks.append(minus(city.get((year,), 0), rest.get((year,), 0)))
        # 4. two one-way tables of the whole selection, by precinct and by year
        for a, b in itertools.permutations(["precinct", "year"]):
            t1, _ = stops(con, [a], [f"subject_race={race}"])
            t2, _ = stops(con, [a], [f"subject_race={race}", f"{b}!={precinct if b == 'precinct' else year}"])
            key = (precinct,) if a == "precinct" else (year,)
            attacks.append(minus(t1.get(key, 0), t2.get(key, 0)))
        for got in attacks:
            tried += 1
            recovered += got == true
    assert tried >= 40
    assert recovered == 0, f"{recovered} of {tried} subtractions gave a withheld cell away"


def test_aggregate_data_says_what_it_left_out_and_refuses_finer_columns_and_downloads(aggregate):
    con, data = aggregate
    res = summary.summarize(con, "stops", by="subject_race", min_cell=MIN_CELL)
    assert res["aggregate_only"] is True and res["withheld_cells"] > 0
    finest = Counter((int(r["date"][:4]), r["precinct"], r["subject_race"], r["subject_sex"]) for r in data)
    shown = sum(n for n in finest.values() if n >= MIN_CELL)
    assert res["total"]["stops"] == shown < len(data)  # the total is of the cells shown
    with pytest.raises(summary.QueryError, match="published only as counts"):
        summary.summarize(con, "stops", by="search_basis", min_cell=MIN_CELL)


def test_the_web_refuses_the_records_of_aggregate_data(aggregate, settings, client, tmp_path: Path):
    con, _ = aggregate
    db = Path(con.execute("SELECT path FROM duckdb_databases() WHERE NOT internal").fetchone()[0])
    settings.OVERSIGHT_PUBLICDATA_DB = db
    r = client.get("/data/download/stops.csv")
    assert r.status_code == 403 and "only as counts" in r.json()["error"]
    page = client.get("/data/stops/", {"by": "precinct"}).content.decode()
    assert "published only as counts" in page and "/data/download/stops.csv" not in page
