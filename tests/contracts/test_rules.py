"""Overlays, compare and replay, framework-free (oversight.rules.contracts, oversight.rules.replay)."""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from oversight.demo import generate_case
from oversight.rules.contracts import CATEGORIES, load_overlay
from oversight.rules.contracts import compare as compare_rows
from oversight.rules.profile import ProfileError
from oversight.rules.replay import Facts, replay

AGREEMENTS = Path(__file__).resolve().parents[2] / "src" / "oversight" / "rules" / "agreements"

SMALL = """
[profile]
name = "small"
title = "a small agreement"
jurisdiction = "City of Seattle"
extends = "seattle"

[contract]
guild = "Test Guild"
title = "Test agreement"
status = "proposed"
effective = "2018-01-01"

[contract.sources.art]
title = "The test agreement"
where = "tests"

[deadlines.investigation]
days."2018-01-01" = { value = 150, cite = "art 3.1" }

[adjustments.contract_postponement_toll]
applies_to = "investigation"
kind = "fixed"
when = "while_running"
event."2018-01-01" = { value = "interview_postponed", cite = "art 3.2" }
days."2018-01-01" = { value = 20, cite = "art 3.2" }
"""

TODAY = dt.date(2030, 1, 1).toordinal()
SIMPLE_TYPES = {
    "complaint_received",
    "complaint_initiated",
    "notice_sent",
    "interview_postponed",
    "submitted_to_oig",
    "oig_certified",
    "proposed_findings_issued",
    "chief_decision",
    "chief_statement_issued",
    "discipline_determination_received",
    "appeal_notice_filed",
}


def _write(tmp_path: Path, text: str, name: str = "small.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _cases(n: int) -> list[dict]:
    """Generated cases whose investigation clock only postponements move (no pause, vacancy,
    additional investigation, late referral): the oracle below can be worked out by hand."""
    rng = random.Random(17)
    out = []
    day = dt.date(2018, 1, 1)
    i = 0
    while len(out) < n:
        i += 1
        c = generate_case(rng, f"T-{i:04d}", day + dt.timedelta(days=i % 700), dt.date(2029, 12, 31))
        if {e["type"] for e in c["events"]} <= SIMPLE_TYPES:
            out.append(c)
    return out


def _met(case: dict, days: int, per_postponement: int) -> bool:
    """The oracle: the findings on or before start + days + each postponement's days (+ the
    agreement's extra days per postponement) counted while the period runs."""
    ev = case["events"]
    start = dt.date.fromisoformat(
        next(e["date"] for e in ev if e["type"] in ("complaint_received", "complaint_initiated"))
    )
    findings = [dt.date.fromisoformat(e["date"]) for e in ev if e["type"] == "proposed_findings_issued"]
    due = start + dt.timedelta(days=days)
    for e in ev:
        if e["type"] == "interview_postponed":
            d = dt.date.fromisoformat(e["date"])
            if start <= d <= due and (not findings or d < findings[0]):
                due += dt.timedelta(days=e["days"] + per_postponement)
    return bool(findings) and findings[0] <= due


def test_small_overlay_replay_finds_exactly_the_cases_it_changes(tmp_path: Path) -> None:
    ov = load_overlay(_write(tmp_path, SMALL))
    cases = _cases(400)
    expected = {c["case_id"] for c in cases if _met(c, 180, 0) != _met(c, 150, 20)}
    assert expected, "the fixture has cases whose outcome the agreement changes"
    assert len(expected) < len(cases)
    summary, results = replay(((c, Facts()) for c in cases), ov.base, ov.profile, TODAY)
    found = {r["case"] for r in results if r["differs"]}
    assert found == expected
    assert summary["cases"] == len(cases)
    assert summary["differing"] == len(expected)
    assert summary["indeterminate"] == 0
    for r in results:
        if not r["differs"]:
            continue
        inv = next(ch for ch in r["changes"] if ch["what"].startswith("Investigation complete"))
        assert inv["baseline_trace"][0]["days"] == 180 and inv["baseline_trace"][0]["cite"] == "SMC 3.29.026.B"
        assert inv["overlay_trace"][0]["days"] == 150 and inv["overlay_trace"][0]["cite"] == "art 3.1"
        met_before = _met(next(c for c in cases if c["case_id"] == r["case"]), 180, 0)
        kinds = {ch["kind"] for ch in r["changes"]}
        assert ("discipline_barred" if met_before else "discipline_restored") in kinds
    barred = summary["by_change"]["discipline_barred"]
    assert f"{barred:,} could not have led to discipline" in summary["sentence"]


def test_compare_rows_have_the_issue_shape(tmp_path: Path) -> None:
    rows, _ = compare_rows(load_overlay(_write(tmp_path, SMALL)))
    keys = {"key", "baseline", "baseline_cite", "overlay", "overlay_cite", "category", "conformance", "conflicts_with"}
    assert all(set(r) == keys for r in rows)
    days = next(r for r in rows if r["key"] == "deadlines.investigation.days")
    assert (days["baseline"], days["overlay"], days["conformance"], days["conflicts_with"]) == (
        180,
        150,
        "conflicts",
        "SMC 3.29.026.B",
    )
    assert days["category"] == "disqualifies_complaints"
    toll = next(r for r in rows if r["key"] == "adjustments.contract_postponement_toll.days")
    assert toll["baseline"] is None and toll["overlay"] == 20 and toll["conformance"] == "conflicts"


def test_provisions_are_classed_and_judged(tmp_path: Path) -> None:
    text = (
        SMALL
        + """
[provisions]
discipline_appeal_forum."2018-01-01" = { value = "arbitration", cite = "art 9" }
records_purged_after_years."2018-01-01" = { value = 3, cite = "art 8" }
evidence_before_interview."2018-01-01" = { value = true, cite = "art 5" }
"""
    )
    rows, _ = compare_rows(load_overlay(_write(tmp_path, text)))
    by = {r["key"]: r for r in rows}
    forum = by["provisions.discipline_appeal_forum"]
    assert forum["baseline"] == "pscsc" and forum["conformance"] == "conflicts"
    assert forum["conflicts_with"].startswith("SMC 3.29.310.A")
    assert by["provisions.records_purged_after_years"]["category"] == "erases_records"
    assert by["provisions.records_purged_after_years"]["conflicts_with"] == "SMC 3.29.320.E"
    ev = by["provisions.evidence_before_interview"]
    assert (ev["category"], ev["conformance"]) == ("unfair_information", "outside_chapter")
    assert all(r["category"] in (None, *CATEGORIES) for r in rows)


def test_purge_and_elevated_standard_in_replay(tmp_path: Path) -> None:
    text = (
        SMALL.replace("value = 150", "value = 180").replace("value = 20", "value = 0")
        + """
[provisions]
records_purged_after_years."2018-01-01" = { value = 2, cite = "art 8" }
stigmatizing_termination_standard."2018-01-01" = { value = "clear_and_convincing", cite = "art 3.1" }
"""
    )
    ov = load_overlay(_write(tmp_path, text))
    case = {
        "case_id": "X-1",
        "events": [
            {"type": "complaint_received", "date": "2019-01-01"},
            {"type": "proposed_findings_issued", "date": "2019-05-01"},
            {"type": "chief_decision", "date": "2019-06-01", "follows_recommendation": True},
        ],
    }
    closed = dt.date(2019, 7, 1).toordinal()
    s, res = replay(
        [(case, Facts(discipline=("termination",), closed_on=closed)), ({**case, "case_id": "X-2"}, Facts())],
        ov.base,
        ov.profile,
        TODAY,
    )
    first, second = res
    assert {c["kind"] for c in first["changes"]} == {"record_purged", "elevated_standard"}
    assert second["differs"] is False
    assert any("discipline imposed" in m for m in second["indeterminate"])
    assert any("closed" in m for m in second["indeterminate"])
    assert s["indeterminate"] == 1


def test_a_subpoena_issued_is_limited_only_where_the_records_say_one_was(tmp_path: Path) -> None:
    text = (
        SMALL.replace("value = 150", "value = 180").replace("value = 20", "value = 0")
        + """
[provisions]
opa_subpoena_limited."2018-01-01" = { value = true, cite = "art 10" }
"""
    )
    ov = load_overlay(_write(tmp_path, text))
    case = {
        "case_id": "S-1",
        "events": [
            {"type": "complaint_received", "date": "2019-01-01"},
            {"type": "proposed_findings_issued", "date": "2019-05-01"},
        ],
    }
    items = [
        (case, Facts(subpoenas=2)),
        ({**case, "case_id": "S-2"}, Facts(subpoenas=0)),
        ({**case, "case_id": "S-3"}, Facts()),
    ]
    _s, (one, none, unknown) = replay(items, ov.base, ov.profile, TODAY)
    assert [c["kind"] for c in one["changes"]] == ["subpoena_limited"]
    assert one["changes"][0]["baseline_trace"][0]["cite"] == "SMC 3.29.025.D"
    assert not none["differs"] and not none["indeterminate"]
    assert not unknown["differs"] and "subpoena" in unknown["indeterminate"][0]


def test_unknown_key_is_refused_naming_file_and_key(tmp_path: Path) -> None:
    p = _write(tmp_path, SMALL + '\n[provisions]\nbinding_arbitration."2018-01-01" = { value = true, cite = "x" }\n')
    with pytest.raises(ProfileError) as e:
        load_overlay(p)
    assert str(p) in str(e.value) and "provisions.binding_arbitration" in str(e.value) and "unknown key" in str(e.value)
    p2 = _write(
        tmp_path,
        SMALL.replace('guild = "Test Guild"\n', 'guild = "Test Guild"\nunknown = { made_up = "?" }\n'),
        "u.toml",
    )
    with pytest.raises(ProfileError, match="contract.unknown.made_up"):
        load_overlay(p2)
    p3 = _write(tmp_path, SMALL.replace('cite = "art 3.1"', 'cite = "a rumour"'), "c.toml")
    with pytest.raises(ProfileError, match="cites none of the contract's sources"):
        load_overlay(p3)


def test_shipped_2018_overlay_loads_compares_and_codes_only_the_record() -> None:
    ov = load_overlay(AGREEMENTS / "spog-2018-tentative.toml")
    rows, notes = compare_rows(ov)
    coded = [r for r in rows if r["overlay"] is not None]
    assert coded and all("news-2018-contract" in (r["overlay_cite"] or "") for r in coded)
    unknown = {r["key"] for r in rows if r["overlay"] is None}
    assert {
        "deadlines.investigation.days",
        "provisions.stigmatizing_termination_standard",
        "provisions.discipline_appeal_forum",
    } <= unknown
    # nothing it codes moves a clock: the record states no such value
    cases = _cases(50)
    s, _ = replay(((c, Facts()) for c in cases), ov.base, ov.profile, TODAY)
    assert s["cases"] == 50 and s["differing"] == 0


def test_template_loads() -> None:
    ov = load_overlay(AGREEMENTS / "template.toml")
    assert compare_rows(ov) == ([], [])


def test_cli_compare_json(tmp_path: Path) -> None:
    p = _write(tmp_path, SMALL)
    out = subprocess.run(
        [sys.executable, "-m", "oversight.cli", "contract", "compare", str(p), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = json.loads(out.stdout)
    assert rows[0]["key"] == "deadlines.investigation.days"
    bad = subprocess.run(
        [sys.executable, "-m", "oversight.cli", "contract", "compare", str(tmp_path / "nope.toml")],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "no such profile file" in bad.stderr and bad.stdout == ""


def test_shipped_2016_overlay_sends_exactly_the_appealed_cases_elsewhere() -> None:
    ov = load_overlay(AGREEMENTS / "spog-2016-rejected.toml")
    assert (ov.header.votes_for, ov.header.votes_against, ov.header.status) == (156, 823, "rejected")
    rows, _ = compare_rows(ov)
    forum = next(r for r in rows if r["key"] == "provisions.discipline_appeal_forum")
    assert forum["conformance"] == "conflicts" and "news-2016-spog-vote" in forum["overlay_cite"]
    cases = _cases(300)
    appealed = {c["case_id"] for c in cases if any(e["type"] == "appeal_notice_filed" for e in c["events"])}
    assert appealed
    _s, res = replay(((c, Facts()) for c in cases), ov.base, ov.profile, TODAY)
    assert {r["case"] for r in res if r["differs"]} == appealed
    assert all([ch["kind"] for ch in r["changes"]] == ["appeal_forum"] for r in res if r["differs"])
