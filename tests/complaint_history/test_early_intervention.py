"""Early intervention: the chapter's "two or more sustained complaints within one year"
(SMC 3.29.030.I.10) raises an alert that names its records; thirteen months apart does not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from oversight.rules.early_intervention import Record, Threshold, alerts, counts_by_level

from .test_import import _row, _seattle, run

CHAPTER = Threshold("sustained_complaints", "two within a year", "sustained_complaints", 365, 2, 3, "SMC 3.29.030.I.10")


def rec(who: str, on: str, ref: str) -> Record:
    return Record("sustained_complaints", who, dt.date.fromisoformat(on), ref)


def test_the_rule_counts_within_the_window_and_names_the_records():
    found = alerts(
        [
            rec("A", "2021-01-15", "c1"),
            rec("A", "2021-12-20", "c2"),
            rec("B", "2021-01-15", "c3"),
            rec("B", "2022-02-20", "c4"),
            rec("C", "2020-01-01", "c5"),
            rec("C", "2020-03-01", "c6"),
            rec("C", "2020-06-01", "c7"),
        ],
        [CHAPTER],
    )
    by = {a.who: a for a in found}
    assert set(by) == {"A", "C"}
    assert [r.ref for r in by["A"].records] == ["c1", "c2"] and by["A"].level == "warning"
    assert by["C"].level == "critical" and by["C"].count == 3
    assert "c1 (2021-01-15), c2 (2021-12-20)" in by["A"].because()
    assert counts_by_level(found) == {"sustained_complaints": {"warning": 1, "critical": 1}}


@pytest.mark.django_db
def test_imported_and_native_records_raise_the_chapters_alert(history_env, tmp_path):
    from django.utils import timezone

    from oversight.history import alerts as ei

    today = timezone.localdate()

    def closed(days_ago: int) -> dict[str, str]:
        day = today - dt.timedelta(days=days_ago)
        return {
            "Received Date": (day - dt.timedelta(days=100)).strftime("%m/%d/%Y"),
            "Closed Date": day.strftime("%m/%d/%Y"),
        }

    rows = [  # 1111: twelve months apart (360 days); 2222: thirteen months apart (395 days)
        _row("2021OPA-0001", "1111", "Courtesy", "Sustained", **closed(400)),
        _row("2021OPA-0002", "1111", "Courtesy", "Sustained", **closed(40)),
        _row("2021OPA-0003", "2222", "Courtesy", "Sustained", **closed(430)),
        _row("2022OPA-0004", "2222", "Courtesy", "Sustained", **closed(35)),
        _row("2022OPA-0005", "2222", "Honesty", "Not Sustained - Unfounded", **closed(20)),
        # 3333: two sustained within a year, but years ago: history, not a standing alert
        _row("2016OPA-0006", "3333", "Courtesy", "Sustained", **closed(3000)),
        _row("2016OPA-0007", "3333", "Courtesy", "Sustained", **closed(2900)),
    ]
    code, out, err = run(
        "import", "complaints", "--source", "seattle-opa", str(_seattle(tmp_path, rows)), "--no-progress"
    )
    assert code == 0, err
    found = [a for a in ei.current(with_data=False) if a.rule == "sustained_complaints"]
    assert len(found) == 1
    (alert,) = found
    assert [r.ref for r in alert.records] == ["SEA-2021OPA-0001", "SEA-2021OPA-0002"]
    assert alert.level == "warning" and alert.cite.startswith("SMC 3.29.030.I.10")
    assert "SEA-2021OPA-0001" in alert.because() and "SEA-2021OPA-0002" in alert.because()
    # the annual report of the year long ago counts 3333 at the warning level
    long_ago = today - dt.timedelta(days=2900)
    counts = dict(
        (k, v) for k, _, v in ei.counts_in_period(long_ago.replace(month=1, day=1), long_ago.replace(month=12, day=31))
    )
    assert counts["sustained_complaints"] == [1, 0]


@pytest.mark.django_db
def test_another_citys_history_stays_out_of_this_offices_reports(history_env, tmp_path):
    from oversight.history import mapping
    from oversight.history.database import vocabularies
    from oversight.reports import records

    rows = [_row("2021OPA-0001", "1111", "Courtesy", "Sustained", **{"Received Date": "03/01/2021"})]
    export = _seattle(tmp_path, rows)
    own = mapping.load_shipped("seattle-opa")
    other = (Path(mapping.__file__).parent / "mappings" / "seattle-opa.toml").read_text()
    other = other.replace('name = "seattle-opa"', 'name = "elsewhere"').replace(
        'case_prefix = "SEA"', 'case_prefix = "ELS"'
    )
    other = other.replace("office_history = true", "office_history = false")
    other_file = tmp_path / "elsewhere.toml"
    other_file.write_text(other)
    assert mapping.parse(other, "x", vocabularies()).office_history is False and own.office_history is True
    for args in (["--source", "seattle-opa"], ["--mapping", str(other_file)]):
        code, out, err = run("import", "complaints", *args, str(export), "--no-progress")
        assert code == 0, err
    got = [c.number for c in records.cases_received(dt.date(2021, 1, 1), dt.date(2021, 12, 31))]
    assert got == ["SEA-2021OPA-0001"]
