"""The batch path (rules resolved once into a plan) answers exactly what the per-case clock answers.

Thousands of generated cases, every event type of the spec (version 2) among them, cases
begun before the chapter (not applicable) and the answers that refuse a case: the bytes of
``oversight timeline --batch``'s loop are the bytes of ``compute`` case by case.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import orjson
import pytest

from oversight.rules import CaseError, compute, get_profile, parse_case
from oversight.rules.batch import run_batch
from oversight.rules.events import EVENT_TYPES
from oversight.rules.plan import Plan

PROFILE = get_profile("seattle")
SCENARIOS = sorted((Path(__file__).parent.parent / "scenarios").glob("*.json"))
CHAPTER = dt.date(2017, 7, 1).toordinal()
UNITS = ("Force Review Board", "Collision Review", "Firearms Review Board")
CATEGORIES = ("use_of_force", "courtesy", "type_iii_force", "honesty", "bias", "other")


def _iso(o: int) -> str:
    return dt.date.fromordinal(o).isoformat()


def _case(rng: random.Random, i: int) -> dict[str, Any]:
    """A case of any shape: events of every type, near each other, often on the same day."""
    r = rng.randint(CHAPTER - 400, CHAPTER + 3000)
    events: list[dict[str, Any]] = [
        {"type": rng.choice(["complaint_received", "complaint_initiated"]), "date": _iso(r)}
    ]

    def at(lo: int, hi: int) -> str:
        return _iso(r + rng.randint(lo, hi))

    def some(p: float) -> bool:
        return rng.random() < p

    if some(0.15):
        events.append({"type": "should_have_been_referred", "date": at(-60, 0)})
    if some(0.15):
        unit = rng.choice(UNITS)
        seen = r - rng.randint(0, 40)
        events.append({"type": "incident_review_started", "date": _iso(seen - rng.randint(0, 20)), "unit": unit})
        if some(0.7):
            events.append({"type": "review_found_potential_misconduct", "date": _iso(seen), "unit": unit})
        if some(0.5):
            events.append({"type": "incident_review_completed", "date": _iso(seen + rng.randint(0, 60)), "unit": unit})
    if some(0.8):
        events.append({"type": "notice_sent", "date": at(0, 45)})
    if some(0.15):
        events.append({"type": "failure_to_refer_determined", "date": at(0, 40), "underlying_due": at(-200, 80)})
    for _ in range(rng.choice([0, 0, 1, 2, 3])):
        e = {"type": "interview_postponed", "date": at(0, 200), "days": rng.randint(0, 20)}
        if some(0.5):
            e["reason"] = rng.choice(["union representative unavailable", "illness", ""])
        events.append(e)
    if some(0.3):
        a = r + rng.randint(-30, 150)
        events.append({"type": "criminal_pause_started", "date": _iso(a)})
        if some(0.7):
            events.append({"type": "criminal_pause_ended", "date": _iso(a + rng.randint(0, 120))})
    for _ in range(rng.choice([0, 0, 1, 2])):
        events.append(
            {"type": "administrative_step", "date": at(0, 250), "what": rng.choice(["an interview", "a plan"])}
        )
    for _ in range(rng.choice([0, 0, 0, 1, 2])):
        events.append({"type": "director_vacancy", "date": at(0, 200)})
    for _ in range(rng.choice([0, 0, 1, 2])):
        e = {"type": "additional_investigation", "date": at(0, 260)}
        if some(0.5):
            e["reason"] = "directed by OIG"
        events.append(e)
    sub = r + rng.randint(60, 260)
    for _ in range(rng.choice([0, 1, 1, 2])):
        events.append({"type": "submitted_to_oig", "date": _iso(sub)})
        if some(0.7):
            sub += rng.randint(0, 20)
            events.append({"type": rng.choice(["oig_certified", "oig_not_certified"]), "date": _iso(sub)})
        sub += rng.randint(0, 30)
    for _ in range(rng.choice([0, 1, 1, 2])):
        f = r + rng.randint(30, 420)
        events.append({"type": "proposed_findings_issued", "date": _iso(f)})
        if some(0.3):
            events.append({"type": "additional_investigation", "date": _iso(f + rng.randint(0, 60))})
        if some(0.3):
            events.append({"type": "timeline_statement_issued", "date": _iso(f + rng.randint(0, 40))})
        if some(0.6):
            c = f + rng.randint(0, 80)
            events.append({"type": "chief_decision", "date": _iso(c), "follows_recommendation": some(0.7)})
            if some(0.4):
                events.append({"type": "chief_statement_issued", "date": _iso(c + rng.randint(0, 40))})
            if some(0.5):
                events.append({"type": "discipline_determination_received", "date": _iso(c + 1)})
                if some(0.5):
                    events.append({"type": "appeal_notice_filed", "date": _iso(c + 1 + rng.randint(0, 20))})
    if some(0.03):  # refused: an answer with no submission before it
        events.append({"type": "oig_certified", "date": at(-20, -1)})
    if some(0.03):  # refused: a pause's end with no start before it
        events.append({"type": "criminal_pause_ended", "date": at(-20, -1)})
    rng.shuffle(events)
    allegations = [
        {
            "id": f"A{k + 1}",
            "category": rng.choice(CATEGORIES),
            "criminal": some(0.1),
            "concealment": some(0.05),
            "type_iii_force": some(0.15),
        }
        for k in range(rng.choice([0, 1, 1, 2, 3]))
    ]
    case: dict[str, Any] = {"case_id": f"G-{i}", "events": events}
    if allegations or some(0.5):
        case["allegations"] = allegations
    if some(0.8):
        case["incident_date"] = _iso(r - rng.choice([0, 3, 30, 400, 1200, 2000]))
    return case


def _cases(n: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [_case(rng, i) for i in range(n)]


def _reference_line(case: dict[str, Any], today: int, lineno: int) -> bytes:
    try:
        return orjson.dumps(compute(parse_case(case), PROFILE, today))
    except CaseError as e:
        return orjson.dumps({"line": lineno, "error": str(e)})


def test_the_generated_cases_reach_every_event_type_and_status() -> None:
    cases = _cases(3000, 1)
    types = {e["type"] for c in cases for e in c["events"]}
    assert types == set(EVENT_TYPES)
    today = dt.date(2020, 6, 1).toordinal()
    statuses: set[str] = set()
    refused = 0
    for c in cases:
        try:
            statuses.update(d["status"] for d in compute(parse_case(c), PROFILE, today)["deadlines"])
        except CaseError:
            refused += 1
    assert statuses == {"met", "missed", "open", "overdue", "tolled", "not_applicable"}
    assert 0 < refused < len(cases) // 4


@pytest.mark.parametrize("seed,today", [(1, "2020-06-01"), (2, "2018-01-15"), (3, "2026-11-22")])
def test_the_batch_loop_writes_the_bytes_of_compute_case_by_case(seed: int, today: str) -> None:
    day = dt.date.fromisoformat(today).toordinal()
    cases = _cases(3000, seed)
    lines = [orjson.dumps(c) for c in cases]
    lines.insert(7, b"")  # a blank line is answered by a blank line
    lines.insert(11, b"{not json")
    expected: list[bytes] = []
    for lineno, line in enumerate(lines, 1):
        if not line:
            expected.append(b"")
        elif line == b"{not json":
            expected.append(b"")  # compared below by its shape
        else:
            expected.append(_reference_line(orjson.loads(line), day, lineno))
    written: list[bytes] = []
    errors: list[tuple[int, str]] = []
    bad = run_batch((line + b"\n" for line in lines), written.append, PROFILE, day, lambda n, m: errors.append((n, m)))
    got = b"".join(written).split(b"\n")
    assert got[-1] == b""
    got = got[:-1]
    assert len(got) == len(lines)
    assert json.loads(got[11])["error"].startswith("not JSON: ") and json.loads(got[11])["line"] == 12
    got[11] = b""
    for lineno, (g, e) in enumerate(zip(got, expected, strict=True), 1):
        assert g == e, f"line {lineno}: {lines[lineno - 1]!r}"
    assert bad == len(errors) == sum(1 for e in expected if e.startswith(b'{"line":')) + 1


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_the_plan_answers_every_scenario_as_compute(path: Path) -> None:
    spec = json.loads(path.read_text())
    plan = Plan(PROFILE)
    for today in (spec.get("today", "2018-09-01"), "2017-01-01", "2019-06-30", "2030-01-01"):
        day = dt.date.fromisoformat(today)
        try:
            expected = orjson.dumps(compute(parse_case(spec["case"]), PROFILE, day))
        except CaseError as e:
            with pytest.raises(CaseError) as refused:
                plan.compute(parse_case(spec["case"]), day)
            assert str(refused.value) == str(e)
        else:
            assert orjson.dumps(plan.compute(parse_case(spec["case"]), day)) == expected


@pytest.mark.parametrize("n", [2, 9, 64, 65, 200])
def test_events_are_taken_by_date_and_of_one_day_in_the_input_order(n: int) -> None:
    """parse_case orders a few events by insertion and many by a sort: either way by date, and
    the events of one day as the input lists them."""
    rng = random.Random(n)
    start = dt.date(2019, 3, 1).toordinal()
    raw = [{"type": "complaint_received", "date": _iso(start)}]
    raw += [{"type": "administrative_step", "date": _iso(start + rng.randint(0, 9)), "what": f"s{k}"} for k in range(n)]
    rng.shuffle(raw)
    case = parse_case({"case_id": "O", "events": raw})
    expected = sorted(range(len(raw)), key=lambda k: (raw[k]["date"], k))
    assert [e.index for e in case.events] == expected
    assert [e.index for e in case.by_type["administrative_step"]] == [
        k for k in expected if raw[k]["type"] == "administrative_step"
    ]
    day = dt.date(2019, 6, 1).toordinal()
    assert orjson.dumps(Plan(PROFILE).compute(case, day)) == orjson.dumps(compute(case, PROFILE, day))
