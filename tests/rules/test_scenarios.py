"""Each scenario file under tests/scenarios is one rule, written from the ordinance's text."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from oversight.rules import compute, get_profile, parse_case

SCENARIOS = sorted((Path(__file__).parent.parent / "scenarios").glob("*.json"))


def _without_text(result: dict[str, Any]) -> dict[str, Any]:
    out = json.loads(json.dumps(result))
    for d in out["deadlines"]:
        d["explanation"] = [{"days": s["days"], "cite": s["cite"]} for s in d["explanation"]]
    return out


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario(path: Path) -> None:
    scenario = json.loads(path.read_text())
    today = dt.date.fromisoformat(scenario["today"])
    result = compute(parse_case(scenario["case"]), get_profile("seattle"), today)
    assert _without_text(dict(result)) == scenario["expected"], scenario["rule"]


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_every_day_is_explained(path: Path) -> None:
    """The steps of each deadline add up to exactly the days between its start and its due date."""
    scenario = json.loads(path.read_text())
    result = compute(parse_case(scenario["case"]), get_profile("seattle"), dt.date.fromisoformat(scenario["today"]))
    for d in result["deadlines"]:
        for step in d["explanation"]:
            assert step["text"].strip()
            assert step["cite"].startswith("SMC 3.29.")
        if d["status"] == "not_applicable":
            # no due date to explain: one step says why the deadline does not apply (3.29.400.B or F)
            assert d["due"] is None and d["days_remaining"] is None
            assert [s["days"] for s in d["explanation"]] == [0]
            assert d["explanation"][0]["cite"] in ("SMC 3.29.400.F", "SMC 3.29.400.B")
            continue
        span = (dt.date.fromisoformat(d["due"]) - dt.date.fromisoformat(d["start"])).days
        assert sum(s["days"] for s in d["explanation"]) == span


def test_scenarios_cover_every_deadline_and_flag() -> None:
    """Every row of the spec's tables appears in at least one scenario's expected output."""
    seen_deadlines: set[str] = set()
    seen_flags: set[str] = set()
    seen_events: set[str] = set()
    statuses: set[str] = set()
    for path in SCENARIOS:
        s = json.loads(path.read_text())
        seen_events.update(e["type"] for e in s["case"]["events"])
        for d in s["expected"]["deadlines"]:
            numbered = d["id"].startswith(("oig_review_", "additional_investigation_", "incident_review_"))
            seen_deadlines.add(d["id"].rstrip("0123456789").rstrip("_") if numbered else d["id"])
            statuses.add(d["status"])
        seen_flags.update(f["id"] for f in s["expected"]["flags"])
    assert seen_deadlines == {
        "named_employee_notice",
        "investigation",
        "oig_review",
        "chief_statement",
        "timeline_statement",
        "additional_investigation",
        "appeal_notice",
        "incident_review",
    }
    assert seen_flags == {"limitation_barred", "oig_review_lapsed", "discipline_barred_timeline", "oig_review_required"}
    assert statuses == {"met", "missed", "open", "overdue", "tolled", "not_applicable"}
    from oversight.rules.events import EVENT_TYPES

    missing = set(EVENT_TYPES) - seen_events - {"oig_not_certified", "timeline_statement_issued"}
    assert not missing, f"event types no scenario uses: {sorted(missing)}"
