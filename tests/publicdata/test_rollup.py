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


def test_month_squad_and_date_range_read_every_stop_and_agree_with_a_count(con, terry_rows):
    """What the rollup does not keep (month, officer squad, a date range) is read from the stops."""
    m = summary.MEASURES["stops"]
    assert summary.source(con, m, columns=["month"])[0] == "stops"
    assert summary.source(con, m, columns=["precinct", "year"])[0] == "stops_rollup"
    result = summary.summarize(
        con, "stops", by="month", where=["reported_date>=2019-03-01", "reported_date<=2019-05-31"]
    )
    months = {g["month"]: g["stops"] for g in result["groups"]}
    counted: dict[str, set[str]] = {}
    for row in terry_rows:
        day = row["Reported Date"][:10]
        if "2019-03-01" <= day <= "2019-05-31":
            counted.setdefault(day[:7], set()).add(row["Terry Stop ID"])
    assert months == {k: len(v) for k, v in counted.items()}
    squad = next(r["Officer Squad"] for r in terry_rows if r["Officer Squad"].startswith("WEST PCT 1ST W"))
    one = summary.summarize(con, "stops", by="officer_squad", where=[f"officer_squad={squad}"], min_cell=0)
    assert [g["officer_squad"] for g in one["groups"]] == [squad]


def test_a_date_that_is_not_one_is_named(con):
    with pytest.raises(summary.QueryError, match="'2019-13-01' is not a date"):
        summary.summarize(con, "stops", where=["reported_date>=2019-13-01"])


def test_one_small_group_does_not_stand_alone_beside_the_total(con):
    """A single withheld group could be had as the total less the others: the next smallest
    group is withheld too."""
    result = summary.summarize(con, "stops", by="subject_race", where=["precinct=West", "year=2016"], min_cell=0)
    sizes = sorted(g["stops"] for g in result["groups"])
    threshold = sizes[0] + 1  # exactly one group is below it
    assert sizes[1] >= threshold
    again = summary.summarize(con, "stops", by="subject_race", where=["precinct=West", "year=2016"], min_cell=threshold)
    hidden = [g for g in again["groups"] if g["suppressed"]]
    assert len(hidden) == 2
    assert {g["withheld_because"] for g in hidden} == {f"fewer than {threshold}", summary.COMPLEMENT}
    assert again["total"]["stops"] == result["total"]["stops"]
    shown = sum(g["stops"] for g in again["groups"] if not g["suppressed"])
    assert again["total"]["stops"] - shown == sizes[0] + sizes[1]  # two unknowns, one equation
