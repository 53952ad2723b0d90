"""The veil-of-darkness test on stops whose time is when they happened."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
from astral import Observer
from astral.sun import sun

from oversight.publicdata import importer, store, summary, veil
from oversight.publicdata.mapping import load_shipped
from oversight.publicdata.pseudonym import Pseudonymizer

PROVIDENCE = (41.824, -71.413)
TZ = "America/New_York"


def test_sunset_and_dusk_are_the_places_own():
    sunset, dusk = veil.twilight([dt.date(2020, 6, 21), dt.date(2020, 12, 21)], *PROVIDENCE, TZ)
    assert sunset[0] == 20 * 60 + 23 or sunset[0] == 20 * 60 + 24  # 8:24 pm EDT on the longest day
    assert 16 * 60 + 10 <= sunset[1] <= 16 * 60 + 20  # about 4:15 pm EST on the shortest
    assert 25 <= dusk[0] - sunset[0] <= 40  # civil twilight: about half an hour


def stops_file(path, dark_share: float, light_share: float, n: int = 6000, seed: int = 5):  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    obs, zone = Observer(*PROVIDENCE), ZoneInfo(TZ)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["date", "time", "lat", "lng", "subject_race"])
        for _ in range(n):
            d = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(365))
            m = rng.randrange(16 * 60, 21 * 60 + 30)
            s = sun(obs, d, tzinfo=zone)
            dark = m > s["dusk"].hour * 60 + s["dusk"].minute
            share = dark_share if dark else light_share
            race = "black" if rng.random() < share else "white"
            w.writerow([d.isoformat(), f"{m // 60:02d}:{m % 60:02d}:00", *PROVIDENCE, race])
    return path


def load(tmp_path, name, path):  # type: ignore[no-untyped-def]
    db = tmp_path / f"{name}.duckdb"
    m = dataclasses.replace(load_shipped("opp"), name=name)
    store.write(db, importer.read_export(path, m, Pseudonymizer("k" * 32)))
    return store.connect(db, read_only=True)


def test_fewer_stops_of_a_group_after_dark_show_as_an_odds_ratio_below_one(tmp_path):
    con = load(tmp_path, "biased", stops_file(tmp_path / "b.csv", dark_share=0.2, light_share=0.4))
    try:
        r = veil.veil_of_darkness(con, "black", "white", tz=TZ)
    finally:
        con.close()
    assert r["location"]["lat"] == PROVIDENCE[0] and r["bands_compared"] > 5
    lo, hi = r["odds_ratio_ci"]
    assert lo <= r["odds_ratio"] <= hi < 1
    assert 0.25 < r["odds_ratio"] < 0.55  # the odds of 0.2 against 0.4: (0.2/0.8) / (0.4/0.6) = 0.375


def test_the_same_share_by_day_and_by_night_shows_no_difference(tmp_path):
    con = load(tmp_path, "even", stops_file(tmp_path / "e.csv", dark_share=0.3, light_share=0.3))
    try:
        r = veil.veil_of_darkness(con, "black", "white", tz=TZ)
    finally:
        con.close()
    lo, hi = r["odds_ratio_ci"]
    assert lo < 1 < hi


def test_seattle_terry_stops_record_the_reports_time_and_are_refused(con):
    with pytest.raises(summary.QueryError, match="does not record when each stop happened"):
        veil.veil_of_darkness(con, "Black or African American", "White", dataset="seattle-terry", tz=TZ)


def test_the_command_gives_the_test_as_json(tmp_path):
    import json

    from typer.testing import CliRunner

    from oversight.cli import app

    con = load(tmp_path, "cmd", stops_file(tmp_path / "c.csv", 0.3, 0.3, n=800))
    con.close()
    args = ["stops", "veil", "--group", "black", "--reference", "white", "--timezone", TZ]
    r = CliRunner().invoke(app, [*args, "--db", str(tmp_path / "cmd.duckdb")])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["stops_used"] > 0
    bad = CliRunner().invoke(app, [*args[:-1], "Mars/Olympus", "--db", str(tmp_path / "cmd.duckdb")])
    assert bad.exit_code == 2 and "not a time zone" in bad.output


def test_the_disparity_page_shows_the_test_where_the_data_allows_it(tmp_path, settings, client):
    db = tmp_path / "page.duckdb"
    m = dataclasses.replace(load_shipped("opp"), name="providence", timezone=TZ)
    path = stops_file(tmp_path / "p.csv", dark_share=0.2, light_share=0.4, n=3000)
    store.write(db, importer.read_export(path, m, Pseudonymizer("k" * 32)))
    settings.OVERSIGHT_PUBLICDATA_DB = db
    r = client.get("/data/stops/disparity/", {"reference": "white"})
    assert r.status_code == 200
    (v,) = r.context["veil"]
    assert v["group"] == "black" and v["odds_ratio_ci"][1] < 1
    assert "Veil of darkness" in r.content.decode()
