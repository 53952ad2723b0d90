"""The three Seattle exports: the import report and the store agree with counts made here,
independently, with the csv module."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pytest

from oversight.publicdata import summary

UOF_ID = re.compile(r"^[0-9]{4}UOF-[0-9]+-[0-9]+-[0-9]+$")


def test_terry_report_counts_each_stop_once(seattle, terry_rows):
    r = seattle.reports["seattle-terry"].report
    ids = Counter(row["Terry Stop ID"] for row in terry_rows)
    assert r["rows_read"] == len(terry_rows)
    assert r["set_aside"] == 0
    assert r["loaded"] == len(ids)
    assert r["duplicates"] == sum(n - 1 for n in ids.values())
    assert r["rows_read"] == r["loaded"] + r["duplicates"] + r["set_aside"]


def test_terry_unknowns_are_counted_not_made_categories(seattle, terry_rows, con):
    r = seattle.reports["seattle-terry"].report
    dash_frisk = sum(1 for row in terry_rows if row["Frisk Flag"] == "-")
    assert r["unknowns"]["frisk"]["rows"] == dash_frisk
    assert r["unknowns"]["frisk"]["values"] == {"-": dash_frisk}
    yob_1900 = sum(1 for row in terry_rows if row["Officer YOB"] == "1900")
    assert r["unknowns"]["officer_yob"]["values"]["1900"] == yob_1900
    # No placeholder survives as a category in the standard columns ...
    for col in ("precinct", "sector", "beat", "subject_race", "subject_gender", "call_type"):
        values = {v for (v,) in con.execute(f"SELECT DISTINCT {col} FROM stops").fetchall()}
        assert not values & {"-", "Unknown", "DUPLICATE", "FK ERROR", ""}, col
    assert con.execute("SELECT count(*) FROM stops WHERE officer_yob = 1900").fetchone()[0] == 0
    # ... while the raw value stays beside it.
    n = con.execute("SELECT count(*) FROM stops WHERE precinct IS NULL AND precinct_raw = 'FK ERROR'").fetchone()[0]
    assert n == len({row["Terry Stop ID"] for row in terry_rows if row["Precinct"] == "FK ERROR"})


def test_terry_flags_and_weapon_lists_fold_per_stop(con, terry_rows):
    by_id: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in terry_rows:
        by_id[row["Terry Stop ID"]].append(row)
    frisked = sum(1 for rows in by_id.values() if any(r["Frisk Flag"] == "Y" for r in rows))
    arrested = sum(1 for rows in by_id.values() if any(r["Arrest Flag"] == "Y" for r in rows))
    assert con.execute("SELECT count(*) FROM stops WHERE frisk").fetchone()[0] == frisked
    assert con.execute("SELECT count(*) FROM stops WHERE arrest").fetchone()[0] == arrested
    repeated = [k for k, rows in by_id.items() if len(rows) > 1]
    assert repeated, "the export is known to repeat stop IDs"
    for k in repeated[:20]:
        raws = con.execute("SELECT weapon_types_raw, source_rows FROM stops WHERE stop_id = ?", [k]).fetchone()
        assert sorted(raws[0]) == sorted({r["Weapon Type"] for r in by_id[k]})
        assert raws[1] == len(by_id[k])


def test_terry_summary_matches_an_independent_count(con, terry_rows):
    stops: dict[str, dict[str, bool]] = {}
    for row in terry_rows:
        s = stops.setdefault(row["Terry Stop ID"], {"frisk": False, "weapon": False, "known": False})
        s["frisk"] |= row["Frisk Flag"] == "Y"
        if row["Weapon Type"] not in ("-",):
            s["known"] = True
            s["weapon"] |= row["Weapon Type"] not in ("None", "None/Not Applicable")
    frisks = sum(s["frisk"] for s in stops.values())
    hits = sum(s["frisk"] and s["weapon"] for s in stops.values())
    result = summary.summarize(con, "stops", by="precinct", min_cell=5)
    t = result["total"]
    assert (t["stops"], t["frisks"], t["weapon_found"]) == (len(stops), frisks, hits)
    assert t["weapon_found_rate"] == pytest.approx(hits / frisks, abs=1e-6)
    assert sum(g["stops"] for g in result["groups"] if not g["suppressed"]) <= len(stops)
    # Groups add up to the total when none is suppressed.
    if not any(g["suppressed"] for g in result["groups"]):
        assert sum(g["stops"] for g in result["groups"]) == len(stops)


def test_no_subject_id_go_number_or_officer_id_is_stored(con, terry_rows):
    go = {row["GO / SC Num"] for row in terry_rows}
    subjects = {row["Subject ID"] for row in terry_rows} - {"-1"}
    officer_ids = {row["Officer ID"] for row in terry_rows}
    cols = [c for (c,) in con.execute("SELECT column_name FROM (DESCRIBE stops)").fetchall()]
    assert not {"subject_id", "go_number", "subject_id_raw", "go_number_raw", "officers_raw"} & set(cols)
    stored: set[str] = set()
    for c in cols:
        if c in ("stop_id", "stop_id_raw"):
            continue
        for (v,) in con.execute(f'SELECT DISTINCT CAST("{c}" AS VARCHAR) FROM stops').fetchall():
            if v is not None:
                stored.update(re.findall(r"[A-Za-z0-9-]+", v))
    assert not stored & go
    assert not stored & subjects
    pseudonyms = {p for (p,) in con.execute("SELECT DISTINCT unnest(officers) FROM stops").fetchall()}
    assert pseudonyms and all(p.startswith("OFC-") for p in pseudonyms)
    assert not pseudonyms & officer_ids


def test_use_of_force_folds_rows_into_incidents_and_sets_the_bad_id_aside(seattle, uof_rows, con):
    imp = seattle.reports["seattle-use-of-force"]
    r = imp.report
    bad = [(i + 2, row) for i, row in enumerate(uof_rows) if not UOF_ID.match(row["ID"])]
    good = [row for row in uof_rows if UOF_ID.match(row["ID"])]
    assert r["rows_read"] == len(uof_rows)
    assert r["set_aside"] == len(bad) == 1
    line, reason, cells = imp.rejects[0]
    assert line == bad[0][0]
    assert "'ID'" in reason and bad[0][1]["ID"] in reason
    assert cells[0] == bad[0][1]["ID"]
    incidents = {row["Incident_Num"] for row in good}
    assert r["loaded"] == len(incidents)
    assert r["duplicates"] == len(good) - len(incidents)
    subjects = {(row["Incident_Num"], row["Subject_ID"]) for row in good}
    assert con.execute("SELECT count(*) FROM force_subjects").fetchone()[0] == len(subjects)
    officers = defaultdict(set)
    for row in good:
        officers[row["Incident_Num"]].add(row["Officer_ID"])
    most = max(officers, key=lambda k: len(officers[k]))
    n = con.execute("SELECT n_officers, len(officers) FROM force WHERE incident_id = ?", [most]).fetchone()
    assert n == (len(officers[most]), len(officers[most]))
    assert r["unknowns"]["subject_race"]["values"] == {
        "Not Specified": sum(1 for row in good if row["Subject_Race"] == "Not Specified")
    }


def test_force_summary_counts_uses_by_level(con, uof_rows):
    good = [row for row in uof_rows if UOF_ID.match(row["ID"])]
    levels: dict[tuple[str, str], str] = {}
    for row in good:
        levels[(row["Incident_Num"], row["Subject_ID"])] = row["Incident_Type"]
    result = summary.summarize(con, "force", by="level", min_cell=5)
    assert result["total"]["uses"] == len(levels)
    assert result["total"]["ois"] == sum(1 for v in levels.values() if v == "Level 3 - OIS")
    assert result["total"]["level_1"] == sum(1 for v in levels.values() if v.startswith("Level 1"))


def test_shootings_one_record_per_incident_without_go_numbers(seattle, ois_rows, con):
    r = seattle.reports["seattle-ois"].report
    incidents = {row["Incident Number"] for row in ois_rows}
    assert r["rows_read"] == len(ois_rows)
    assert r["set_aside"] == 0
    assert r["loaded"] == len(incidents)
    assert r["duplicates"] == len(ois_rows) - len(incidents)
    assert con.execute("SELECT count(*) FROM shootings").fetchone()[0] == len(incidents)
    multiple = sum(1 for row in ois_rows if row["Number of Rounds"] == "Multiple")
    assert r["unknowns"]["rounds"]["values"] == {"Multiple": multiple}
    cols = {c for (c,) in con.execute("SELECT column_name FROM (DESCRIBE shootings)").fetchall()}
    assert "incident_number" not in cols and "incident_number_raw" not in cols
    for (sid,) in con.execute("SELECT shooting_id FROM shootings").fetchall():
        assert sid not in incidents
    # The multi-line summaries come through whole.
    longest = max((row["Summary"] for row in ois_rows), key=len)
    assert con.execute("SELECT count(*) FROM shootings WHERE summary = ?", [longest]).fetchone()[0] == 1
    # Fatal if any row says so.
    fatal = {row["Incident Number"] for row in ois_rows if row["Fatal"] == "Yes"}
    assert con.execute("SELECT count(*) FROM shootings WHERE fatal").fetchone()[0] == len(fatal)


def test_the_stop_resolution_also_feeds_the_stanford_outcome_and_citation(con, terry_rows):
    """One column, three fields: Seattle's resolution as it is, and in the Stanford terms."""
    from oversight.publicdata import summary

    cited = {r["Terry Stop ID"] for r in terry_rows if r["Stop Resolution"] == "Citation / Infraction"}
    arrested = {r["Terry Stop ID"] for r in terry_rows if r["Stop Resolution"] == "Arrest"}
    total = summary.summarize(con, "stops", min_cell=5)["total"]
    assert total["citations"] == len(cited)
    outcomes = {g["outcome"]: g["stops"] for g in summary.summarize(con, "stops", by="outcome", min_cell=5)["groups"]}
    assert outcomes["citation"] == len(cited) and outcomes["arrest"] == len(arrested)
