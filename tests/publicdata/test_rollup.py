"""Stops summaries read the rollup (counts per combination of the group columns) that each
import keeps; they must give exactly what reading every stop gives."""

from __future__ import annotations

import dataclasses

import pytest

from oversight.publicdata import summary

CASES = [
    ("subject_race", []),
    ("precinct,subject_race", ["year>=2019"]),
    ("year", ["precinct=East", "subject_gender=Female"]),
    ("subject_race,year", ["frisk=yes"]),
    ("beat", ["precinct!=West", "weapon_found=yes"]),
    ("subject_age_group", ["precinct=(unknown)"]),
    ("", ["call_type=911|ONVIEW"]),
]


@pytest.mark.parametrize(("by", "where"), CASES)
def test_the_rollup_gives_what_the_stops_give(con, monkeypatch, by, where):
    assert summary.source(con, summary.MEASURES["stops"])[0] == "stops_rollup"
    from_rollup = summary.summarize(con, "stops", by=by, where=where, min_cell=0)
    assert summary.summarize(con, "stops", by=by, where=where, min_cell=0, use_rollup=False) == from_rollup
    monkeypatch.setitem(summary.MEASURES, "stops", dataclasses.replace(summary.MEASURES["stops"], rollup=""))
    assert summary.source(con, summary.MEASURES["stops"])[0] == "stops"
    from_stops = summary.summarize(con, "stops", by=by, where=where, min_cell=0)
    assert from_rollup == from_stops
    assert from_rollup["total"]["stops"] > 0


def test_the_rollup_counts_every_stop_once(con):
    (n,) = con.execute("SELECT count(*) FROM stops").fetchone()
    (m,) = con.execute("SELECT sum(n_stops) FROM stops_rollup").fetchone()
    assert n == m


def test_weapon_found_is_a_count_not_a_grouping(con):
    with pytest.raises(summary.QueryError, match="--by: 'weapon_found' is a count"):
        summary.summarize(con, "stops", by="weapon_found")
    filtered = summary.summarize(con, "stops", by="precinct", where=["weapon_found=yes", "frisk=yes"], min_cell=0)
    assert filtered["total"]["stops"] == filtered["total"]["frisks"] == filtered["total"]["weapon_found"] > 0
