"""Use of force per 1,000 stops by perceived race, checked against counts made here with the
csv module over the two Seattle exports."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from oversight.publicdata import disparity
from oversight.publicdata.stats import per

UOF_ID = re.compile(r"^[0-9]{4}UOF-[0-9]+-[0-9]+-[0-9]+$")
STOP_RACE = {"Hispanic": "Hispanic or Latino", "Multi-Racial": "Multiracial"}
STOP_UNKNOWN = {"-", "Unknown", "DUPLICATE", ""}
FORCE_RACE = {
    "Two or More Races": "Multiracial",
    "Nat Hawaiian/Oth Pac Islander": "Native Hawaiian or Other Pacific Islander",
    "American Indian/Alaska Native": "American Indian or Alaska Native",
}


def test_byar_interval_is_close_to_the_exact_poisson_interval():
    rate, lo, hi = per(10, 1000)
    assert rate == 10.0
    assert lo == pytest.approx(4.795, abs=0.01) and hi == pytest.approx(18.39, abs=0.02)  # exact: 4.795, 18.390
    assert per(0, 50)[1] == 0.0 and per(0, 50)[2] > 0
    assert per(3, 0) is None


def test_force_per_stop_matches_a_count_over_both_files(con, terry_rows, uof_rows):
    result = disparity.force_per_stop(con, min_cell=0)
    lo, hi = result["years"]
    assert (lo, hi) == (2015, 2023)  # stops begin in 2015, the use-of-force export ends in 2023

    stops: dict[str, dict[str, object]] = {}
    for row in terry_rows:
        s = stops.setdefault(row["Terry Stop ID"], {"day": row["Reported Date"][:10], "race": None})
        s["day"] = min(s["day"], row["Reported Date"][:10])  # type: ignore[type-var]
        race = row["Subject Perceived Race"].strip()
        if s["race"] is None and race not in STOP_UNKNOWN:
            s["race"] = STOP_RACE.get(race, race)
    stop_counts: dict[str, int] = {}
    for s in stops.values():
        if lo <= int(str(s["day"])[:4]) <= hi and s["race"] is not None:
            stop_counts[str(s["race"])] = stop_counts.get(str(s["race"]), 0) + 1

    incidents: dict[str, dt.datetime] = {}
    subjects: dict[tuple[str, str], str | None] = {}
    for row in uof_rows:
        if not UOF_ID.match(row["ID"]):
            continue
        when = dt.datetime.strptime(row["Occured_date_time"], "%m/%d/%Y %I:%M:%S %p")
        k = row["Incident_Num"]
        incidents[k] = min(incidents.get(k, when), when)
        key = (k, row["Subject_ID"])
        race = row["Subject_Race"].strip()
        if subjects.get(key) is None:
            subjects[key] = None if race in ("Not Specified", "") else FORCE_RACE.get(race, race)
    use_counts: dict[str, int] = {}
    for (k, _), race in subjects.items():
        if race is not None and lo <= incidents[k].year <= hi:
            use_counts[race] = use_counts.get(race, 0) + 1

    got = {g["subject_race"]: (g["uses"], g["stops"]) for g in result["groups"]}
    assert len(got) >= 5 and all(u and s for u, s in got.values())
    assert got == {r: (use_counts[r], stop_counts[r]) for r in set(use_counts) & set(stop_counts)}
    for g in result["groups"]:
        low, high = g["uses_per_1000_stops_ci"]
        assert low <= g["uses_per_1000_stops"] <= high
        assert g["uses_per_1000_stops"] == pytest.approx(1000 * g["uses"] / g["stops"], abs=1e-4)


def test_the_disparity_page_and_api_show_it(settings, seattle, client):
    settings.OVERSIGHT_PUBLICDATA_DB = seattle.db
    body = client.get("/data/api/stops/disparity.json").json()
    assert body["force_per_stop"]["years"] == [2015, 2023]
    page = client.get("/data/stops/disparity/").content.decode()
    assert "Use of force per 1,000 stops" in page and "not the chance that a stop ends in force" in page
