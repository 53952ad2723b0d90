"""Import rules on small files made here: mapping errors, rejects, idempotence, replacement,
pseudonyms, suppression, and the command line."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from oversight.cli import app
from oversight.publicdata import importer, store, summary
from oversight.publicdata.mapping import MappingError, load_file, parse
from oversight.publicdata.pseudonym import Pseudonymizer

KEY = "unit-test-pseudonym-key-0000000000"

STOPS_MAPPING = """
[dataset]
name = "{name}"
kind = "stops"
officer_namespace = "testcity-pd"
placeholders = ["-"]

[fields.stop_id]
column = "StopNo"
[fields.reported_date]
column = "Date"
format = "%Y-%m-%d"
[fields.officer]
column = "Badge"
[fields.subject_race]
column = "Race"
placeholders = ["Unknown"]
[fields.precinct]
column = "Area"
[fields.frisk]
column = "Frisked"
[fields.arrest]
column = "Arrested"
[fields.weapon_type]
column = "Weapon"
values = {{ "none" = "None" }}
"""

FORCE_MAPPING = """
[dataset]
name = "testcity-force"
kind = "force"
officer_namespace = "testcity-pd"

[fields.incident_id]
column = "Case"
[fields.level]
column = "Level"
[fields.officer]
column = "Badge"
[fields.subject]
column = "Person"
"""

HEADER = ["StopNo", "Date", "Badge", "Race", "Area", "Frisked", "Arrested", "Weapon"]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def mapping_file(tmp_path: Path, name: str = "testcity-stops", text: str = STOPS_MAPPING) -> Path:
    p = tmp_path / f"{name}.toml"
    p.write_text(text.format(name=name), encoding="utf-8")
    return p


def stops_rows(n_east: int, n_west: int) -> list[list[str]]:
    rows = []
    for i in range(n_east):
        rows.append([str(100 + i), "2024-01-02", "B1", "White", "East", "Y" if i % 2 == 0 else "N", "N", "none"])
    for i in range(n_west):
        rows.append([str(500 + i), "2024-02-03", "B2", "Black", "West", "Y", "Y" if i == 0 else "N", "Knife"])
    return rows


def load(tmp_path: Path, csv_path: Path, mapping: Path, db: Path) -> importer.Imported:
    imp = importer.read_export(csv_path, load_file(mapping), Pseudonymizer(KEY))
    store.write(db, imp)
    return imp


def table(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture
def cli(settings, tmp_path):
    settings.OVERSIGHT_PSEUDONYM_KEY = KEY
    settings.OVERSIGHT_PUBLICDATA_DB = tmp_path / "cli.duckdb"
    settings.OVERSIGHT_PROFILE = "seattle"  # publication.min_cell = 5
    runner = CliRunner()

    def run(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args))

    return run


# ---------------------------------------------------------------- mapping errors


def test_a_mapping_naming_a_missing_column_fails_before_loading_and_names_it(tmp_path):
    csv_path = write_csv(tmp_path / "s.csv", [h if h != "Frisked" else "Frisk" for h in HEADER], stops_rows(3, 3))
    db = tmp_path / "db.duckdb"
    with pytest.raises(MappingError) as e:
        load(tmp_path, csv_path, mapping_file(tmp_path), db)
    assert "'Frisked' (for frisk)" in str(e.value)
    assert not db.exists()


def test_mapping_file_errors_name_what_is_wrong():
    good = STOPS_MAPPING.format(name="x")
    cases = {
        good.replace('kind = "stops"', 'kind = "parking"'): "kind must be one of",
        good.replace("[fields.officer]", "[fields.badge_colour]"): "no standard field 'badge_colour'",
        good.replace('format = "%Y-%m-%d"', ""): "needs 'format'",
        good.replace('name = "x"', 'name = "all"'): "reserved",
        good.replace("[fields.officer]", "[fields.officer]\nbands = { a = 1 }"): "bands make a text field",
        good.replace('column = "Area"', 'column = "Area"\ncolour = "red"'): "unknown option(s) colour",
        good.replace('name = "x"', 'name = "Not A Name"'): "name must be lower-case",
        "this is = = not toml": "not TOML",
    }
    for text, message in cases.items():
        with pytest.raises(MappingError) as e:
            parse(text, origin="m.toml")
        assert message in str(e.value), (message, str(e.value))
        assert str(e.value).startswith("m.toml: ")


def test_cli_mapping_error_exits_2_with_one_line_and_loads_nothing(cli, tmp_path, settings):
    csv_path = write_csv(tmp_path / "s.csv", [h if h != "Area" else "Zone" for h in HEADER], stops_rows(3, 3))
    r = cli("import", "stops", "--mapping", str(mapping_file(tmp_path)), str(csv_path))
    assert r.exit_code == 2
    assert "'Area' (for precinct)" in r.stderr
    assert r.stdout == ""
    assert not Path(settings.OVERSIGHT_PUBLICDATA_DB).exists()


def test_cli_refuses_a_mapping_of_another_kind(cli, tmp_path):
    csv_path = write_csv(tmp_path / "s.csv", HEADER, stops_rows(3, 3))
    r = cli("import", "force", "--mapping", str(mapping_file(tmp_path)), str(csv_path))
    assert r.exit_code == 2
    assert "is for stops, not force" in r.stderr


# ---------------------------------------------------------------- rejects


def test_bad_rows_are_set_aside_with_line_and_reason_and_the_rest_load(cli, tmp_path):
    path = tmp_path / "s.csv"
    good = stops_rows(6, 0)
    text = (
        ",".join(HEADER)
        + "\n"
        + ",".join(good[0])
        + "\n"
        + '101,2024-01-02,B1,"White\nwith a line break",East,Y,N,none\n'  # a quoted value over two lines
        + "102,2024-13-45,B1,White,East,Y,N,none\n"  # line 5: no such date
        + "103,2024-01-02,B1,White,East,maybe,N,none\n"  # line 6: not a yes or no
        + "104,2024-01-02,B1,White\n"  # line 7: too few fields
        + ",2024-01-02,B1,White,East,Y,N,none\n"  # line 8: no stop number
        + "-,2024-01-02,B1,White,East,Y,N,none\n"  # line 9: placeholder stop number
        + ",".join(good[5])
        + "\n"
    )
    path.write_text(text, encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    r = cli("import", "stops", "--mapping", str(mapping_file(tmp_path)), str(path), "--rejects", str(rejects))
    assert r.exit_code == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["rows_read"] == 8
    assert report["set_aside"] == 5
    assert report["loaded"] == 3
    with rejects.open(newline="", encoding="utf-8") as fh:
        got = list(csv.DictReader(fh))
    assert [int(g["line"]) for g in got] == [5, 6, 7, 8, 9]
    assert "'Date' (reported_date)" in got[0]["reason"] and "2024-13-45" in got[0]["reason"]
    assert "'Frisked' (frisk)" in got[1]["reason"] and "maybe" in got[1]["reason"]
    assert "4 fields" in got[2]["reason"]
    assert "'StopNo' (stop_id)" in got[3]["reason"] and "required" in got[3]["reason"]
    assert got[1]["StopNo"] == "103"  # the row as it was
    assert "set aside" in r.stderr
    rows = table(tmp_path / "cli.duckdb", "SELECT stop_id, subject_race FROM stops ORDER BY stop_id")
    assert rows == [("100", "White"), ("101", "White\nwith a line break"), ("105", "White")]


def test_an_unreadable_file_is_a_clear_error(cli, tmp_path):
    r = cli("import", "stops", "--mapping", str(mapping_file(tmp_path)), str(tmp_path / "nope.csv"))
    assert r.exit_code == 2
    assert "nope.csv: cannot read" in r.stderr


# ---------------------------------------------------------------- idempotence and replacement


def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    csv_path = write_csv(tmp_path / "s.csv", HEADER, stops_rows(7, 6) + [stops_rows(1, 0)[0]])
    db = tmp_path / "db.duckdb"
    m = mapping_file(tmp_path)
    load(tmp_path, csv_path, m, db)
    first = table(db, "SELECT * FROM stops ORDER BY stop_id")
    load(tmp_path, csv_path, m, db)
    assert table(db, "SELECT * FROM stops ORDER BY stop_id") == first
    assert len(first) == 13  # the repeated stop 100 counted once


def test_a_newer_export_replaces_the_dataset_and_leaves_others_alone(tmp_path):
    db = tmp_path / "db.duckdb"
    m = mapping_file(tmp_path)
    other = mapping_file(tmp_path, name="othercity-stops")
    load(tmp_path, write_csv(tmp_path / "o.csv", HEADER, stops_rows(2, 2)), other, db)
    load(tmp_path, write_csv(tmp_path / "old.csv", HEADER, stops_rows(7, 6)), m, db)
    newer = stops_rows(8, 0)
    newer[0][5] = "N"  # a correction in the newer export
    load(tmp_path, write_csv(tmp_path / "new.csv", HEADER, newer), m, db)
    rows = table(db, "SELECT stop_id, frisk FROM stops WHERE dataset = 'testcity-stops' ORDER BY stop_id")
    assert [r[0] for r in rows] == [str(100 + i) for i in range(8)]
    assert rows[0] == ("100", False)
    assert table(db, "SELECT count(*) FROM stops WHERE dataset = 'othercity-stops'") == [(4,)]
    con = store.connect(db, read_only=True)
    try:
        ds = {d["dataset"]: d for d in store.datasets(con)}
    finally:
        con.close()
    assert ds["testcity-stops"]["report"]["file"].endswith("new.csv")


def test_each_dataset_is_a_table_of_the_columns_it_feeds_and_the_kind_a_view_of_them_all(tmp_path):
    db = tmp_path / "db.duckdb"
    load(
        tmp_path, write_csv(tmp_path / "o.csv", HEADER, stops_rows(2, 2)), mapping_file(tmp_path, "othercity-stops"), db
    )
    load(tmp_path, write_csv(tmp_path / "s.csv", HEADER, stops_rows(3, 1)), mapping_file(tmp_path), db)
    tables = {r[0] for r in table(db, "SELECT table_name FROM duckdb_tables()")}
    assert {"stops/othercity-stops", "stops/testcity-stops", "stops_rollup", "imports"} <= tables
    own = {
        r[0] for r in table(db, "SELECT column_name FROM duckdb_columns() WHERE table_name = 'stops/testcity-stops'")
    }
    assert "frisk" in own and "search_conducted" not in own  # a column no source feeds is not written
    # the view: every column of the kind, in its type, in the kind's order
    view = table(db, "SELECT column_name, column_type FROM (DESCRIBE stops)")
    assert view == [(n, t) for n, t in store.columns(store.KINDS["stops"])]
    assert table(db, "SELECT dataset, count(*), count(search_conducted) FROM stops GROUP BY 1 ORDER BY 1") == [
        ("othercity-stops", 4, 0),
        ("testcity-stops", 4, 0),
    ]


def test_a_raw_cell_that_reads_as_its_value_is_stored_once_and_read_back_as_it_was(tmp_path):
    rows = stops_rows(3, 1)
    rows[0][4] = " East "  # trimmed: the value is East, the raw cell is kept as it was
    rows[1][3] = "Unknown"  # a placeholder: no value, the raw cell is kept
    db = tmp_path / "db.duckdb"
    load(tmp_path, write_csv(tmp_path / "s.csv", HEADER, rows), mapping_file(tmp_path), db)
    own = table(db, 'SELECT stop_id, precinct_raw, subject_race_raw FROM "stops/testcity-stops" ORDER BY stop_id')
    assert own == [("100", " East ", None), ("101", None, "Unknown"), ("102", None, None), ("500", None, None)]
    seen = table(db, "SELECT stop_id, precinct, precinct_raw, subject_race, subject_race_raw FROM stops ORDER BY 1")
    assert [(r[0], r[2], r[4]) for r in seen] == [(r[0], r[4], r[3]) for r in sorted(rows)]
    assert seen[0][1] == "East" and seen[1][3] is None


def test_a_store_with_one_table_for_every_dataset_is_moved_to_a_table_each_on_the_next_import(tmp_path):
    """A store written before each dataset had a table of its own: the next import moves
    every dataset's records to their own table, in the import's transaction."""
    db = tmp_path / "db.duckdb"
    load(
        tmp_path, write_csv(tmp_path / "o.csv", HEADER, stops_rows(2, 2)), mapping_file(tmp_path, "othercity-stops"), db
    )
    load(tmp_path, write_csv(tmp_path / "s.csv", HEADER, stops_rows(3, 1)), mapping_file(tmp_path), db)
    before = table(db, "SELECT * FROM stops ORDER BY dataset, stop_id")
    con = duckdb.connect(str(db))  # the layout of the first wave: one table, a column per field
    con.execute("CREATE TABLE legacy AS SELECT * FROM stops")
    con.execute("DROP VIEW stops")
    con.execute('DROP TABLE "stops/othercity-stops"')
    con.execute('DROP TABLE "stops/testcity-stops"')
    con.execute("ALTER TABLE legacy RENAME TO stops")
    con.close()
    assert table(db, "SELECT * FROM stops ORDER BY dataset, stop_id") == before
    # a failed import leaves the old layout as it was
    bad = importer.read_export(
        write_csv(tmp_path / "b.csv", HEADER, stops_rows(1, 1)), load_file(mapping_file(tmp_path)), Pseudonymizer(KEY)
    )
    bad.report["sha256"] = object()  # the import entry cannot be written: the transaction is rolled back
    with pytest.raises(TypeError):
        store.write(db, bad)
    assert {r[0] for r in table(db, "SELECT table_name FROM duckdb_tables()")} >= {"stops"}
    assert table(db, "SELECT * FROM stops ORDER BY dataset, stop_id") == before
    load(tmp_path, write_csv(tmp_path / "n.csv", HEADER, stops_rows(3, 1)), mapping_file(tmp_path), db)
    assert table(db, "SELECT table_type FROM information_schema.tables WHERE table_name = 'stops'") == [("VIEW",)]
    assert table(db, "SELECT * FROM stops ORDER BY dataset, stop_id") == before


# ---------------------------------------------------------------- pseudonyms


def test_same_officer_same_pseudonym_across_datasets_and_never_the_id(tmp_path):
    db = tmp_path / "db.duckdb"
    load(tmp_path, write_csv(tmp_path / "s.csv", HEADER, stops_rows(2, 2)), mapping_file(tmp_path), db)
    force_csv = write_csv(
        tmp_path / "f.csv",
        ["Case", "Level", "Badge", "Person"],
        [["9", "Level 1", "B1", "P1"], ["9", "Level 1", "B2", "P1"], ["10", "Level 2", "B2", "P2"]],
    )
    load(tmp_path, force_csv, mapping_file(tmp_path, "testcity-force", FORCE_MAPPING), db)
    stop_b1 = table(db, "SELECT DISTINCT officers[1] FROM stops WHERE stop_id = '100'")[0][0]
    stop_b2 = table(db, "SELECT DISTINCT officers[1] FROM stops WHERE stop_id = '500'")[0][0]
    force_9 = table(db, "SELECT officers FROM force WHERE incident_id = '9'")[0][0]
    assert force_9 == [stop_b1, stop_b2]
    assert stop_b1 != stop_b2
    assert "B1" not in stop_b1 and "B2" not in stop_b2
    # Another deployment's key gives other pseudonyms; the same key gives the same.
    assert Pseudonymizer(KEY)("testcity-pd", "B1") == stop_b1
    assert Pseudonymizer(KEY + "x")("testcity-pd", "B1") != stop_b1
    assert Pseudonymizer(KEY)("othercity-pd", "B1") != stop_b1


def test_a_short_pseudonym_key_is_refused():
    with pytest.raises(ValueError, match="at least 16 bytes"):
        Pseudonymizer("short")


# ---------------------------------------------------------------- summaries


def test_small_groups_are_suppressed(cli, tmp_path, settings):
    csv_path = write_csv(tmp_path / "s.csv", HEADER, stops_rows(4, 5))
    assert cli("import", "stops", "--mapping", str(mapping_file(tmp_path)), str(csv_path)).exit_code == 0
    r = cli("stops", "summary", "--by", "precinct")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert isinstance(out, list)
    east, west = out
    assert east["precinct"] == "East" and east["suppressed"] is True
    assert east["withheld_because"] == "fewer than 5"
    assert all(east[k] is None for k in ("stops", "frisks", "frisk_rate", "frisk_rate_ci", "weapon_found_rate"))
    # East alone withheld would be the total less West: West is withheld beside it.
    assert west["suppressed"] is True and west["stops"] is None
    assert west["withheld_because"].startswith("so that a smaller withheld group")
    # The threshold is the profile's: a deployment whose profile lowers it to 4 shows East.
    lower = tmp_path / "lower.toml"
    lower.write_text(
        '[profile]\nname = "lower"\ntitle = "t"\njurisdiction = "j"\nextends = "seattle"\n'
        '[publication]\nmin_cell."2020-01-01" = { value = 4, cite = "SMC 3.29.320.B (test)" }\n',
        encoding="utf-8",
    )
    settings.OVERSIGHT_PROFILE = str(lower)
    east = json.loads(cli("stops", "summary", "--by", "precinct").stdout)[0]
    assert east["suppressed"] is False and east["stops"] == 4 and east["frisks"] == 2


def test_summary_shape_rates_and_intervals(tmp_path):
    db = tmp_path / "db.duckdb"
    load(tmp_path, write_csv(tmp_path / "s.csv", HEADER, stops_rows(10, 6)), mapping_file(tmp_path), db)
    con = store.connect(db, read_only=True)
    try:
        out = summary.summarize(con, "stops", by="precinct,subject_race", where=["year=2024"], min_cell=5)
    finally:
        con.close()
    east = out["groups"][0]
    assert set(east) == {
        "precinct",
        "subject_race",
        "stops",
        "frisks",
        "arrests",
        "arrest_known",
        "weapon_found",
        "frisk_rate",
        "frisk_rate_ci",
        "arrest_rate",
        "arrest_rate_ci",
        "weapon_found_rate",
        "weapon_found_rate_ci",
        "suppressed",
        "withheld_because",
        # measures this mapping has no source for: present, and None ("no data"), never 0
        "searches",
        "search_hits",
        "citations",
        "warnings",
        "search_rate",
        "search_rate_ci",
        "search_hit_rate",
        "search_hit_rate_ci",
        "citation_rate",
        "citation_rate_ci",
        "warning_rate",
        "warning_rate_ci",
    }
    assert out["no_data"] == ["citations", "search_hits", "searches", "warnings"]
    assert east["searches"] is None and east["search_rate"] is None and east["search_rate_ci"] is None
    assert (east["stops"], east["frisks"], east["weapon_found"]) == (10, 5, 0)
    assert east["frisk_rate"] == 0.5
    lo, hi = east["frisk_rate_ci"]
    assert lo < 0.5 < hi
    west = out["groups"][1]
    assert (west["weapon_found"], west["weapon_found_rate"]) == (6, 1.0)
    assert west["weapon_found_rate_ci"][1] == 1.0


def test_where_filters_and_their_errors(tmp_path):
    db = tmp_path / "db.duckdb"
    rows = stops_rows(6, 6)
    rows[0][4] = "-"  # an unknown precinct
    load(tmp_path, write_csv(tmp_path / "s.csv", HEADER, rows), mapping_file(tmp_path), db)
    con = store.connect(db, read_only=True)
    try:

        def total(*where: str) -> int:
            return summary.summarize(con, "stops", where=list(where), min_cell=0)["total"]["stops"]

        assert total() == 12
        assert total("precinct=East") == 5
        assert total("precinct=East|(unknown)") == 6
        assert total("precinct!=East") == 7  # the unknown precinct is not East either
        assert total("precinct=(unknown)") == 1
        assert total("frisk=yes", "precinct=West") == 6
        assert total("year>=2025") == 0
        for bad, msg in [
            ("colour=red", "'colour' is not a column"),
            ("year>=soon", "'soon' is not a whole number"),
            ("precinct>East", "needs a number or date column"),
            ("frisk=perhaps", "not yes or no"),
            ("nonsense", "is not COLUMN=VALUE"),
        ]:
            with pytest.raises(summary.QueryError, match=msg):
                total(bad)
        with pytest.raises(summary.QueryError, match="'officers' is not a column to group"):
            summary.summarize(con, "stops", by="officers")
    finally:
        con.close()


def test_cli_summary_csv_and_export_parquet(cli, tmp_path):
    csv_path = write_csv(tmp_path / "s.csv", HEADER, stops_rows(6, 6))
    assert cli("import", "stops", "--mapping", str(mapping_file(tmp_path)), str(csv_path)).exit_code == 0
    r = cli("stops", "summary", "--by", "precinct", "--format", "csv")
    assert r.exit_code == 0, r.stderr
    rows = list(csv.DictReader(r.stdout.splitlines()))
    assert rows[0]["precinct"] == "East" and rows[0]["stops"] == "6" and rows[0]["frisks"] == "3"
    assert float(rows[0]["frisk_rate_ci_low"]) < 0.5 < float(rows[0]["frisk_rate_ci_high"])
    out = tmp_path / "stops.parquet"
    r = cli("stops", "export", str(out))
    assert r.exit_code == 0, r.stderr
    got = duckdb.sql(f"SELECT stop_id, officers FROM read_parquet('{out}') ORDER BY stop_id").fetchall()
    assert len(got) == 12 and all(o[0].startswith("OFC-") for _, o in got)
    r = cli("stops", "summary", "--by", "badge")
    assert r.exit_code == 2 and "'badge' is not a column" in r.stderr


def test_cli_imports_a_shipped_source_and_reports_in_text(cli, tmp_path):
    from tests.publicdata.conftest import OIS, need, read_csv

    rows = read_csv(need(OIS))
    r = cli("import", "shootings", "--source", "seattle-ois", str(OIS), "--format", "text")
    assert r.exit_code == 0, r.stderr
    assert f"rows read       {len(rows)}" in r.stdout
    assert f"shootings       {len({row['Incident Number'] for row in rows})}" in r.stdout
    assert "'Multiple'" in r.stdout  # the rounds placeholder is reported
    r = cli("import", "shootings", "--source", "seattle-nowhere", str(OIS))
    assert r.exit_code == 2 and "no shipped mapping 'seattle-nowhere'" in r.stderr
    r = cli("import", "status")
    assert [d["dataset"] for d in json.loads(r.stdout)] == ["seattle-ois"]


def test_a_row_with_bytes_that_are_not_utf8_is_set_aside_and_kept_as_it_was(tmp_path):
    good = stops_rows(2, 0)
    data = (",".join(HEADER) + "\n" + ",".join(good[0]) + "\n").encode() + b"101,2024-01-02,B1,Wh\xefte,East,Y,N,none\n"
    path = tmp_path / "s.csv"
    path.write_bytes(data)
    imp = importer.read_export(path, load_file(mapping_file(tmp_path)), Pseudonymizer(KEY))
    assert imp.report["loaded"] == 1 and imp.report["set_aside"] == 1
    line, reason, _cells = imp.rejects[0]
    assert line == 3 and "not valid utf-8" in reason
    out = tmp_path / "rejects.csv"
    importer.write_rejects(out, imp)
    assert b"Wh\xefte" in out.read_bytes()  # the row as it was, byte for byte


def test_an_export_with_nothing_loadable_leaves_the_dataset_as_it_was(cli, tmp_path):
    m = str(mapping_file(tmp_path))
    assert (
        cli("import", "stops", "--mapping", m, str(write_csv(tmp_path / "a.csv", HEADER, stops_rows(6, 0)))).exit_code
        == 0
    )
    bad = [[r[0], "soon", *r[2:]] for r in stops_rows(3, 0)]
    rejects = tmp_path / "rejects.csv"
    r = cli(
        "import", "stops", "--mapping", m, str(write_csv(tmp_path / "b.csv", HEADER, bad)), "--rejects", str(rejects)
    )
    assert r.exit_code == 2
    assert "no stops could be loaded" in r.stderr and "left as it was" in r.stderr
    assert len(rejects.read_text().splitlines()) == 4  # the header and the three rows, kept
    assert table(tmp_path / "cli.duckdb", "SELECT count(*) FROM stops") == [(6,)]


def test_a_mapped_column_twice_in_the_header_is_refused(tmp_path):
    csv_path = write_csv(tmp_path / "s.csv", [*HEADER, "Area"], [[*r, "x"] for r in stops_rows(2, 0)])
    with pytest.raises(MappingError, match="'Area' appear more than once"):
        importer.read_export(csv_path, load_file(mapping_file(tmp_path)), Pseudonymizer(KEY))


def test_a_store_imported_before_the_fields_were_listed_has_no_data_for_searches(tmp_path):
    """An import of version 1 did not list its fields: its searches are no data, not 0."""
    db = tmp_path / "db.duckdb"
    load(tmp_path, write_csv(tmp_path / "s.csv", HEADER, stops_rows(10, 6)), mapping_file(tmp_path), db)
    con = duckdb.connect(str(db))
    con.execute("""UPDATE imports SET report = json_merge_patch(report, '{"fields": null}')""")
    con.close()
    con = store.connect(db, read_only=True)
    try:
        out = summary.summarize(con, "stops", min_cell=5)
    finally:
        con.close()
    assert out["no_data"] == ["citations", "search_hits", "searches", "warnings"]
    assert out["total"]["frisks"] == 5 + 6


def test_a_flag_that_says_nothing_somewhere_is_no_data_there_and_left_out_of_rates_elsewhere(tmp_path):
    """missing_when: the 2023 arrest flags and every Black person's say nothing (as Seattle's
    Arrest Flag for 2015-2018 and three groups): unknown, never 'no arrest'."""
    text = STOPS_MAPPING.replace(
        '[fields.arrest]\ncolumn = "Arrested"\n',
        '[fields.arrest]\ncolumn = "Arrested"\nmissing_when = [{{ year = 2023 }}, {{ subject_race = ["Black"] }}]\n',
    )
    rows = stops_rows(6, 6)  # East: White, 2024, none arrested; West: Black, one arrested
    rows += [[str(900 + i), "2023-05-01", "B1", "White", "East", "N", "Y", "none"] for i in range(4)]
    db = tmp_path / "db.duckdb"
    load(tmp_path, write_csv(tmp_path / "s.csv", HEADER, rows), mapping_file(tmp_path, text=text), db)
    con = store.connect(db, read_only=True)
    try:
        by_race = {g["subject_race"]: g for g in summary.summarize(con, "stops", by="subject_race")["groups"]}
        total = summary.summarize(con, "stops")["total"]
    finally:
        con.close()
    black, white = by_race["Black"], by_race["White"]
    # every Black person's flag says nothing: arrests and their rate are no data, not 0 of 6
    assert black["stops"] == 6 and black["arrests"] is None and black["arrest_rate"] is None
    assert black["arrest_rate_ci"] is None and black["arrest_known"] == 0
    # White: the four 2023 stops (all Y in the file) are unknown; the rate is 0 of the six 2024 stops
    assert white["stops"] == 10 and white["arrest_known"] == 6 and white["arrests"] == 0 and white["arrest_rate"] == 0
    assert (total["arrests"], total["arrest_known"]) == (0, 6)
    # the raw flag is kept beside the standard value
    assert table(db, "SELECT count(*) FROM stops WHERE arrest IS NULL AND arrest_raw = 'Y'") == [(5,)]
    # a condition on a field the kind does not have is refused, naming it
    bad = STOPS_MAPPING.replace('column = "Arrested"\n', 'column = "Arrested"\nmissing_when = [{{ colour = "red" }}]\n')
    with pytest.raises(MappingError, match="missing_when: stops has no standard field 'colour'"):
        load_file(mapping_file(tmp_path, name="bad-stops", text=bad))


def test_a_stop_on_several_rows_keeps_the_first_known_value_and_counts_the_conflicts(tmp_path):
    rows = [
        ["1", "2024-01-02", "B1", "White", "East", "N", "N", "none"],
        ["1", "2024-01-02", "B1", "Black", "East", "Y", "N", "Knife"],  # race differs: a conflict
        ["2", "2024-01-02", "B1", "Unknown", "East", "N", "N", "none"],
        ["2", "2024-01-02", "B2", "Asian", "East", "N", "N", "none"],  # unknown, then known: none
        ["3", "2024-01-03", "B1", "White", "West", "N", "N", "none"],
        ["3", "2024-01-03", "B1", "White", "West", "N", "Y", "none"],  # the same race: none
        ["4", "2024-01-03", "B1", "Unknown", "East", "N", "N", "none"],
        ["4", "2024-01-03", "B1", "Unknown", "East", "N", "N", "-"],  # never known: none
        ["5", "2024-01-04", "B1", "Black", "East", "N", "N", "none"],
        ["3", "2024-01-03", "B1", "White", "West", "N", "N", "none"],  # stop 3's first row again, cell for cell
    ]
    db = tmp_path / "db.duckdb"
    imp = load(tmp_path, write_csv(tmp_path / "s.csv", HEADER, rows), mapping_file(tmp_path), db)
    assert imp.report["conflicts"] == {"subject_race": 1}
    assert (imp.report["loaded"], imp.report["duplicates"], imp.report["identical_rows"]) == (5, 5, 1)
    cols = "stop_id, subject_race, subject_race_raw, frisk, officers, source_rows"
    got = table(db, f"SELECT {cols} FROM stops ORDER BY 1")
    assert [r[:4] + (len(r[4]), r[5]) for r in got] == [
        ("1", "White", "White", True, 1, 2),
        ("2", "Asian", "Asian", False, 2, 2),
        ("3", "White", "White", False, 1, 3),
        ("4", None, "Unknown", False, 1, 2),
        ("5", "Black", "Black", False, 1, 1),
    ]


def test_cells_with_spaces_are_trimmed_before_placeholders_values_keys_and_pseudonyms(tmp_path):
    """Text is held as the cells read and its standard value made where it is read: a cell
    with spaces or tabs around it is trimmed first, in a row of one record or of several."""
    rows = [
        ["100", "2024-01-02", " B1", "White ", "\tEast", "Y", "N", "none "],
        ["101", "2024-01-02", "B1", " Unknown", "East", "N", "N", "Knife"],
        [" 102 ", "2024-01-02", "B2", "Black", "-  ", "N", "N", " none"],
        ["102", "2024-01-02", "B2\t", "Black", "West", "N", "Y", "Knife"],
        ["103", "2024-01-03", "B2", "Black", "West", "N", "N", "-"],
    ]
    db = tmp_path / "db.duckdb"
    imp = load(tmp_path, write_csv(tmp_path / "s.csv", HEADER, rows), mapping_file(tmp_path), db)
    assert (imp.report["loaded"], imp.report["duplicates"], imp.report["set_aside"]) == (4, 1, 0)
    assert imp.report["unknowns"]["subject_race"]["values"] == {" Unknown": 1}
    assert imp.report["unknowns"]["precinct"]["values"] == {"-  ": 1}
    assert imp.report["unknowns"]["weapon_type"]["values"] == {"-": 1}
    cols = "stop_id, stop_id_raw, subject_race, subject_race_raw, precinct, precinct_raw, weapon_types"
    got = table(db, f"SELECT {cols}, weapon_types_raw, source_rows FROM stops ORDER BY 1")
    assert got == [
        ("100", "100", "White", "White ", "East", "\tEast", ["None"], ["none "], 1),
        ("101", "101", None, " Unknown", "East", "East", ["Knife"], ["Knife"], 1),
        ("102", " 102 ", "Black", "Black", "West", "West", ["None", "Knife"], [" none", "Knife"], 2),
        ("103", "103", "Black", "Black", "West", "West", [], ["-"], 1),
    ]
    officers = dict(table(db, "SELECT stop_id, officers[1] FROM stops"))
    assert officers["100"] == officers["101"] and officers["102"] == officers["103"] != officers["100"]
