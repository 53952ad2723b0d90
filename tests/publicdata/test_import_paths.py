"""The importer reads a file with DuckDB's CSV reader when it has one record per line, and
with Python's csv module otherwise (records over several lines, blank lines, stray quotes,
encodings DuckDB does not read). Both ways must give the same records, the same report and
the same line numbers."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from oversight.publicdata import importer, store
from oversight.publicdata.mapping import load_file
from oversight.publicdata.pseudonym import Pseudonymizer
from tests.publicdata.test_import_rules import HEADER, KEY, mapping_file, stops_rows, write_csv


def imported(path: Path, mapping: Path) -> importer.Imported:
    return importer.read_export(path, load_file(mapping), Pseudonymizer(KEY))


def stored(tmp_path: Path, imp: importer.Imported, name: str) -> list[tuple]:
    db = tmp_path / f"{name}.duckdb"
    store.write(db, imp)
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT * EXCLUDE (source_line) FROM stops ORDER BY stop_id").fetchall()
    finally:
        con.close()


def test_duckdb_and_python_readers_agree(tmp_path, monkeypatch):
    rows = stops_rows(30, 20)
    rows += [rows[3][:], rows[25][:]]  # stops told again on a second row
    rows[-1][7] = "Knife"
    rows.insert(10, [rows[10][0], "2024-13-45", *rows[10][2:]])  # a bad date: set aside
    m = mapping_file(tmp_path)
    path = write_csv(tmp_path / "s.csv", HEADER, rows)
    fast = imported(path, m)
    calls = []
    real = importer._python_scan
    monkeypatch.setattr(importer, "_python_scan", lambda *a: calls.append(1) or real(*a))
    monkeypatch.setattr(importer, "_duckdb_scan", lambda *a: None)  # as if DuckDB could not read it
    slow = imported(path, m)
    assert calls == [1]
    assert fast.report == slow.report
    assert fast.rejects == slow.rejects
    assert stored(tmp_path, fast, "fast") == stored(tmp_path, slow, "slow")


def test_one_record_per_line_with_rows_of_the_wrong_width(tmp_path):
    """DuckDB's reader sets the short and long rows aside; the lines of every row, set aside or
    loaded, are the file's."""
    good = stops_rows(6, 0)
    lines = [",".join(HEADER)]
    lines.append(",".join(good[0]))  # line 2
    lines.append("101,2024-01-02,B1,White")  # line 3: too few fields
    lines.append(",".join(good[2]))  # line 4
    lines.append(",".join([*good[3], "extra"]))  # line 5: too many fields
    lines.append(",".join(good[4][:1] + ["soon"] + good[4][2:]))  # line 6: not a date
    lines.append(",".join(good[5]))  # line 7
    path = tmp_path / "s.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    imp = imported(path, mapping_file(tmp_path))
    assert imp.report["rows_read"] == 6 and imp.report["set_aside"] == 3 and imp.report["loaded"] == 3
    assert [(line, reason.split(":")[0]) for line, reason, _ in imp.rejects] == [
        (3, "has 4 fields, the header has 8"),
        (5, "has 9 fields, the header has 8"),
        (6, "column 'Date' (reported_date)"),
    ]
    assert imp.rejects[0][2] == ["101", "2024-01-02", "B1", "White"]  # the row as it was
    assert imp.rejects[1][2][-1] == "extra"
    db = tmp_path / "db.duckdb"
    store.write(db, imp)
    con = duckdb.connect(str(db), read_only=True)
    try:
        got = con.execute("SELECT stop_id, source_line FROM stops ORDER BY source_line").fetchall()
    finally:
        con.close()
    assert got == [("100", 2), ("102", 4), ("105", 7)]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('100,2024-01-02,B1,Whi"te,East,Y,N,none\n', id="a quote inside an unquoted value"),
        pytest.param("100,2024-01-02,B1,White,East,Y,N,none\n\n", id="a blank line"),
        pytest.param("100,2024-01-02,B1,White,East,Y,N,none\r\n", id="a carriage return"),
    ],
)
def test_files_that_are_not_strict_csv_are_read_by_python(tmp_path, text):
    path = tmp_path / "s.csv"
    rows = "".join(",".join(r) + "\n" for r in stops_rows(2, 0)[1:])
    path.write_text(",".join(HEADER) + "\n" + text + rows + "101,2024-01-02,B1,White,East,Y,N,none\n", encoding="utf-8")
    imp = imported(path, mapping_file(tmp_path))
    assert imp.report["set_aside"] == 0
    assert imp.report["loaded"] == 2 and imp.report["duplicates"] == 1


def test_an_encoding_duckdb_does_not_read_is_read_by_python(tmp_path):
    text = (
        mapping_file(tmp_path).read_text().replace('placeholders = ["-"]', 'placeholders = ["-"]\nencoding = "cp1252"')
    )
    m = tmp_path / "cp.toml"
    m.write_text(text)
    rows = stops_rows(2, 0)
    rows[1][3] = "Métis \u2013 other"  # an en dash: byte 0x96 in cp1252
    path = tmp_path / "s.csv"
    path.write_bytes((",".join(HEADER) + "\n" + "\n".join(",".join(r) for r in rows) + "\n").encode("cp1252"))
    imp = imported(path, m)
    assert imp.report["loaded"] == 2
    db = tmp_path / "cp.duckdb"
    store.write(db, imp)
    con = duckdb.connect(str(db), read_only=True)
    try:
        got = con.execute("SELECT subject_race FROM stops WHERE stop_id = '101'").fetchone()
    finally:
        con.close()
    assert got == ("Métis \u2013 other",)


def test_progress_is_told_each_stage(tmp_path):
    seen: list[tuple[str, float | None]] = []
    path = write_csv(tmp_path / "s.csv", HEADER, stops_rows(5, 5))
    importer.read_export(
        path, load_file(mapping_file(tmp_path)), Pseudonymizer(KEY), progress=lambda s, f: seen.append((s, f))
    )
    stages = [s for s, f in seen if f == 1.0]
    assert stages == ["reading", "checking", "folding"]


def test_a_failed_write_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    db = tmp_path / "db.duckdb"
    m = mapping_file(tmp_path)
    store.write(db, imported(write_csv(tmp_path / "a.csv", HEADER, stops_rows(4, 0)), m))
    newer = imported(write_csv(tmp_path / "b.csv", HEADER, stops_rows(9, 0)), m)
    newer.staging.execute("DROP VIEW records")  # the write fails half-way, after the old rows went
    newer.staging.execute("CREATE TEMP VIEW records AS SELECT error('disk full') AS stop_id")
    with pytest.raises(duckdb.Error):
        store.write(db, newer)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM stops").fetchone() == (4,)
        assert con.execute("SELECT count(*) FROM imports").fetchone() == (1,)
    finally:
        con.close()


def test_the_command_draws_progress_bars_on_standard_error_when_asked(tmp_path, settings):
    from typer.testing import CliRunner

    from oversight.cli import app

    settings.OVERSIGHT_PSEUDONYM_KEY = KEY
    settings.OVERSIGHT_PUBLICDATA_DB = tmp_path / "cli.duckdb"
    path = write_csv(tmp_path / "s.csv", HEADER, stops_rows(5, 5))
    args = ["import", "stops", "--mapping", str(mapping_file(tmp_path)), str(path)]
    shown = CliRunner().invoke(app, [*args, "--progress"])
    assert shown.exit_code == 0, shown.stderr
    for stage in ("reading", "checking", "folding", "writing"):
        assert stage in shown.stderr
    assert shown.stdout.startswith("{")  # the report alone on standard output
    quiet = CliRunner().invoke(app, [*args, "--no-progress"])
    assert quiet.exit_code == 0 and "reading" not in quiet.stderr


def test_the_demo_imports_the_shared_seattle_files_once(tmp_path, settings, monkeypatch):
    from oversight.publicdata import demo
    from tests.publicdata.conftest import DATA, need

    need(DATA / demo.FILES["seattle-ois"])
    settings.OVERSIGHT_PSEUDONYM_KEY = KEY
    monkeypatch.setenv("OVERSIGHT_SHARED_DATA", str(DATA))
    monkeypatch.setattr(demo, "FILES", {"seattle-ois": demo.FILES["seattle-ois"]})  # the small one
    db = tmp_path / "demo.duckdb"
    first = demo.import_shared(db)
    assert first == ["public data: seattle-ois: 77 shootings from 156 rows (0 set aside)"]
    assert demo.import_shared(db) == ["public data: seattle-ois already imported from this file"]
    monkeypatch.setenv("OVERSIGHT_SHARED_DATA", str(tmp_path / "nowhere"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(demo, "__file__", str(tmp_path / "a" / "b" / "c" / "demo.py"))
    assert "stays empty" in demo.import_shared(db)[0]


@pytest.mark.parametrize("blank", ["", "\n"], ids=["duckdb reads it", "python reads it"])
def test_bytes_that_are_not_utf8_set_the_row_aside_on_either_reader(tmp_path, blank):
    good = stops_rows(3, 0)
    data = (",".join(HEADER) + "\n" + ",".join(good[0]) + "\n" + blank).encode()
    data += b"101,2024-01-02,B1,Wh\xefte,East,Y,N,none\n" + (",".join(good[2]) + "\n").encode()
    path = tmp_path / "s.csv"
    path.write_bytes(data)
    imp = imported(path, mapping_file(tmp_path))
    assert imp.report["loaded"] == 2 and imp.report["set_aside"] == 1
    line, reason, cells = imp.rejects[0]
    assert (line, reason) == (3 + len(blank), "not valid utf-8-sig text")
    assert cells[3] == "Wh\udcefte"  # the byte kept as it was (written back out by write_rejects)
