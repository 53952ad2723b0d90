"""`oversight timeline` as other tools call it: the contract of shared/spec/timeline.md."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCENARIOS = Path(__file__).parents[1] / "scenarios"
OVERSIGHT = str(Path(sys.executable).parent / "oversight")


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([OVERSIGHT, *args], input=stdin, capture_output=True, text=True, timeout=60)


def case_file(tmp_path: Path, case: object, name: str = "case.json") -> str:
    p = tmp_path / name
    p.write_text(json.dumps(case))
    return str(p)


def test_worked_example(tmp_path: Path) -> None:
    """The spec's worked example, through the command: due 2018-08-13, missed by 7 days."""
    case = {
        "case_id": "2018OPA-0001",
        "allegations": [{"id": "A1", "category": "use_of_force", "criminal": False, "concealment": False}],
        "events": [
            {"type": "complaint_received", "date": "2018-01-10"},
            {"type": "interview_postponed", "date": "2018-02-20", "days": 5, "reason": "union representative"},
            {"type": "criminal_pause_started", "date": "2018-02-01"},
            {"type": "criminal_pause_ended", "date": "2018-03-03"},
            {"type": "proposed_findings_issued", "date": "2018-08-20"},
        ],
    }
    out = run("timeline", case_file(tmp_path, case), "--today", "2018-09-01")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["case_id"] == "2018OPA-0001" and result["profile"] == "seattle" and result["today"] == "2018-09-01"
    inv = next(d for d in result["deadlines"] if d["id"] == "investigation")
    assert inv["start"] == "2018-01-10"
    assert inv["due"] == "2018-08-13"
    assert inv["status"] == "missed" and inv["completed_on"] == "2018-08-20" and inv["days_remaining"] is None
    assert sorted((s["days"], s["cite"]) for s in inv["explanation"]) == [
        (5, "SMC 3.29.026.D"),
        (30, "SMC 3.29.026.F"),
        (180, "SMC 3.29.026.B"),
    ]
    stmt = next(d for d in result["deadlines"] if d["id"] == "timeline_statement")
    assert stmt["due"] == "2018-09-19" and stmt["status"] == "open" and stmt["days_remaining"] == 18
    assert {"id": "discipline_barred_timeline", "cite": "SMC 3.29.026.B"} in result["flags"]


def test_standard_input_and_text_format() -> None:
    case = json.loads((SCENARIOS / "spec_output_example.json").read_text())["case"]
    out = run("timeline", "-", "--today", "2018-03-01", "--format", "text", stdin=json.dumps(case))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    inv = next(i for i, line in enumerate(lines) if line.startswith("investigation:"))
    assert "2018-07-04" in lines[inv] and "open" in lines[inv] and "125 days remaining" in lines[inv]
    assert lines[inv + 1].startswith("    ") and "+180 days" in lines[inv + 1] and "SMC 3.29.026.B" in lines[inv + 1]


def test_today_defaults_to_the_current_date(tmp_path: Path) -> None:
    import datetime as dt

    out = run("timeline", case_file(tmp_path, {"events": [{"type": "complaint_received", "date": "2018-01-05"}]}))
    assert out.returncode == 0
    assert json.loads(out.stdout)["today"] == dt.date.today().isoformat()


@pytest.mark.parametrize(
    ("events", "needle"),
    [
        (
            [{"type": "complaint_received", "date": "2018-01-05"}, {"type": "complaint_filed", "date": "2018-01-06"}],
            "events[1].type",
        ),
        ([{"type": "complaint_received", "date": "2018-02-30"}], "events[0].date"),
        ([{"type": "complaint_received", "date": "05/01/2018"}], "events[0].date"),
        ([{"type": "complaint_received"}], "events[0].date"),
        (
            [
                {"type": "complaint_received", "date": "2018-01-05"},
                {"type": "criminal_pause_ended", "date": "2018-02-01"},
            ],
            "events[1]",
        ),
        (
            [
                {"type": "complaint_received", "date": "2018-01-05"},
                {"type": "interview_postponed", "date": "2018-02-01", "days": "five"},
            ],
            "events[1].days",
        ),
        (
            [
                {"type": "complaint_received", "date": "2018-01-05"},
                {"type": "interview_postponed", "date": "2018-02-01", "days": -3},
            ],
            "events[1].days",
        ),
        (
            [{"type": "complaint_received", "date": "2018-01-05"}, {"type": "chief_decision", "date": "2018-09-01"}],
            "events[1].follows_recommendation",
        ),
        (
            [{"type": "complaint_received", "date": "2018-01-05"}, {"type": "oig_certified", "date": "2018-06-01"}],
            "events[1]",
        ),
        (
            [
                {"type": "complaint_received", "date": "2018-01-05"},
                {"type": "administrative_step", "date": "2018-02-01"},
            ],
            "events[1].what",
        ),
        (
            [
                {"type": "complaint_initiated", "date": "2018-08-15"},
                {"type": "failure_to_refer_determined", "date": "2018-08-15", "underlying_due": "2018-06-31"},
            ],
            "events[1].underlying_due",
        ),
        (
            [
                {"type": "complaint_initiated", "date": "2018-08-15"},
                {"type": "failure_to_refer_determined", "date": "2018-08-15"},
            ],
            "events[1].underlying_due",
        ),
        (
            [{"type": "incident_review_completed", "date": "2018-04-01", "unit": "Force Review Board"}],
            "events[0].type",
        ),
        (
            [
                {"type": "incident_review_started", "date": "2018-01-05", "unit": "Collision Review Board"},
                {"type": "incident_review_completed", "date": "2018-04-01", "unit": "Force Review Board"},
            ],
            "events[1].unit",
        ),
        (
            [{"type": "incident_review_started", "date": "2018-01-05"}],
            "events[0].unit",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_event_and_field(
    tmp_path: Path, events: list[dict[str, object]], needle: str
) -> None:
    out = run("timeline", case_file(tmp_path, {"case_id": "X", "events": events}), "--today", "2018-03-01")
    assert out.returncode == 2
    assert out.stdout == ""
    assert len(out.stderr.splitlines()) == 1
    assert needle in out.stderr


def test_an_allegation_field_that_is_not_true_or_false(tmp_path: Path) -> None:
    case = {
        "allegations": [{"id": "A1", "category": "use_of_force", "type_iii_force": "yes"}],
        "events": [{"type": "complaint_received", "date": "2018-01-05"}],
    }
    out = run("timeline", case_file(tmp_path, case), "--today", "2018-03-01")
    assert out.returncode == 2 and out.stdout == "" and len(out.stderr.splitlines()) == 1
    assert "allegations[0].type_iii_force" in out.stderr


@pytest.mark.parametrize(
    ("content", "needle"),
    [("{not json", "not JSON"), ("[1, 2]", "case: must be a JSON object"), ('{"events": 3}', "events")],
)
def test_a_file_that_is_not_a_case(tmp_path: Path, content: str, needle: str) -> None:
    p = tmp_path / "bad.json"
    p.write_text(content)
    out = run("timeline", str(p))
    assert out.returncode == 2 and out.stdout == "" and len(out.stderr.splitlines()) == 1
    assert needle in out.stderr


def test_missing_file_and_bad_options(tmp_path: Path) -> None:
    for args, needle in [
        (["timeline", str(tmp_path / "nope.json")], "cannot read"),
        (["timeline", "-", "--today", "yesterday"], "--today"),
        (["timeline", "-", "--profile", "atlantis"], "atlantis"),
    ]:
        out = run(*args, stdin="{}")
        assert out.returncode == 2 and out.stdout == "" and len(out.stderr.splitlines()) == 1, args
        assert needle in out.stderr


def test_batch_one_result_a_line(tmp_path: Path) -> None:
    cases = [
        json.loads((SCENARIOS / name).read_text())["case"]
        for name in ("worked_example.json", "oig_review_lapsed.json", "chief_statement.json")
    ]
    lines = [json.dumps(c) for c in cases]
    lines.insert(1, json.dumps({"case_id": "BAD", "events": [{"type": "nonsense", "date": "2018-01-01"}]}))
    p = tmp_path / "cases.jsonl"
    p.write_text("\n".join(lines) + "\n")
    out = run("timeline", "--batch", str(p), "--today", "2018-09-01")
    assert out.returncode == 2
    results = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(results) == 4
    assert [r.get("case_id") for r in results] == ["worked_example", None, "oig_review_lapsed", "chief_statement"]
    assert results[1] == {"line": 2, "error": "events[0].type: unknown event type 'nonsense'"}
    assert "line 2" in out.stderr
    single = run("timeline", "-", "--today", "2018-09-01", stdin=lines[0])
    assert json.loads(single.stdout) == results[0]


def test_profile_check_names_every_problem(tmp_path: Path) -> None:
    ok = run("profile", "check", "seattle")
    assert ok.returncode == 0 and "sound" in ok.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[profile]\nname = "x"\ntitle = "x"\njurisdiction = "x"\nextends = "seattle"\n[limitation]\nyear = 3\n'
    )
    out = run("profile", "check", str(bad))
    assert out.returncode == 2 and out.stdout == ""
    assert f"{bad}: limitation.year: unknown key" in out.stderr
