"""Properties of the clock that must hold for every case, not just the ones we thought of."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.rules import compute, get_profile, parse_case

PROFILE = get_profile("seattle")
FIRST = dt.date(2017, 7, 1).toordinal()
LAST = dt.date(2026, 12, 31).toordinal()


def _iso(o: int) -> str:
    return dt.date.fromordinal(o).isoformat()


@st.composite
def cases(draw: Any, early_adjustments_only: bool = False) -> dict[str, Any]:
    """A plausible case: a complaint and any mix of the events that follow it."""
    r = draw(st.integers(FIRST, LAST))
    horizon = 100 if early_adjustments_only else 400
    day = st.integers(0, horizon)
    events: list[dict[str, Any]] = [{"type": "complaint_received", "date": _iso(r)}]
    if draw(st.booleans()):
        events.append({"type": "should_have_been_referred", "date": _iso(r - draw(st.integers(0, 60)))})
    if draw(st.booleans()):
        events.append({"type": "notice_sent", "date": _iso(r + draw(st.integers(0, 60)))})
    for _ in range(draw(st.integers(0, 3))):
        events.append(
            {
                "type": "interview_postponed",
                "date": _iso(r + draw(day)),
                "days": draw(st.integers(0, 30)),
                "reason": "x",
            }
        )
    if draw(st.booleans()):
        a = r + draw(day)
        events.append({"type": "criminal_pause_started", "date": _iso(a)})
        if draw(st.integers(0, 3)):
            events.append({"type": "criminal_pause_ended", "date": _iso(a + draw(st.integers(0, 90)))})
    if draw(st.integers(0, 4)) == 0:
        events.append({"type": "director_vacancy", "date": _iso(r + draw(day))})
    for _ in range(draw(st.integers(0, 2))):
        events.append({"type": "additional_investigation", "date": _iso(r + draw(day)), "reason": "y"})
    if not early_adjustments_only:
        sub = r + draw(st.integers(30, 300))
        for _ in range(draw(st.integers(0, 2))):
            events.append({"type": "submitted_to_oig", "date": _iso(sub)})
            if draw(st.booleans()):
                sub += draw(st.integers(0, 20))
                events.append(
                    {"type": draw(st.sampled_from(["oig_certified", "oig_not_certified"])), "date": _iso(sub)}
                )
            sub += draw(st.integers(0, 40))
        if draw(st.booleans()):
            f = r + draw(st.integers(0, 400))
            events.append({"type": "proposed_findings_issued", "date": _iso(f)})
            if draw(st.booleans()):
                events.append({"type": "timeline_statement_issued", "date": _iso(f + draw(st.integers(0, 45)))})
            if draw(st.booleans()):
                c = f + draw(st.integers(0, 90))
                events.append(
                    {"type": "chief_decision", "date": _iso(c), "follows_recommendation": draw(st.booleans())}
                )
                if draw(st.booleans()):
                    events.append({"type": "chief_statement_issued", "date": _iso(c + draw(st.integers(0, 45)))})
                if draw(st.booleans()):
                    events.append({"type": "discipline_determination_received", "date": _iso(c + 1)})
                    if draw(st.booleans()):
                        events.append({"type": "appeal_notice_filed", "date": _iso(c + 1 + draw(st.integers(0, 20)))})
    category = draw(st.sampled_from(["use_of_force", "courtesy", "type_iii_force", "honesty", "other"]))
    return {
        "case_id": "P",
        "incident_date": _iso(r - draw(st.integers(0, 1500))),
        "allegations": [{"id": "A1", "category": category, "criminal": draw(st.booleans()), "concealment": False}],
        "events": events,
    }


def _run(case: dict[str, Any], today: int) -> dict[str, Any]:
    return dict(compute(parse_case(case), PROFILE, today))


def _deadline(result: dict[str, Any], dl_id: str) -> dict[str, Any]:
    return next(d for d in result["deadlines"] if d["id"] == dl_id)


def _days(iso: str) -> int:
    return dt.date.fromisoformat(iso).toordinal()


@settings(max_examples=300, deadline=None)
@given(cases(), st.integers(0, 700), st.randoms(use_true_random=False))
def test_the_order_events_are_listed_in_never_changes_the_result(
    case: dict[str, Any], offset: int, rnd: random.Random
) -> None:
    today = _days(case["events"][0]["date"]) + offset
    expected = _run(case, today)
    shuffled = dict(case, events=list(case["events"]))
    rnd.shuffle(shuffled["events"])
    assert _run(shuffled, today) == expected


@settings(max_examples=300, deadline=None)
@given(cases(early_adjustments_only=True), st.integers(1, 60), st.integers(0, 170), st.integers(0, 700))
def test_postponing_n_days_moves_the_due_date_exactly_n_days(
    case: dict[str, Any], n: int, at: int, offset: int
) -> None:
    r = _days(case["events"][0]["date"])
    today = r + offset
    before = _deadline(_run(case, today), "investigation")
    start = _days(before["start"])  # a postponement inside the 180 days, whatever else happened
    postponed = dict(
        case, events=[*case["events"], {"type": "interview_postponed", "date": _iso(start + at), "days": n}]
    )
    after = _deadline(_run(postponed, today), "investigation")
    assert _days(after["due"]) - _days(before["due"]) == n


@settings(max_examples=300, deadline=None)
@given(cases(), st.integers(0, 400), st.integers(0, 120), st.integers(0, 700))
def test_a_pause_never_shortens_a_deadline(case: dict[str, Any], at: int, length: int, offset: int) -> None:
    if any(e["type"].startswith("criminal_pause") for e in case["events"]):
        case = dict(case, events=[e for e in case["events"] if not e["type"].startswith("criminal_pause")])
    r = _days(case["events"][0]["date"])
    today = r + offset
    before = _run(case, today)
    paused = dict(
        case,
        events=[
            *case["events"],
            {"type": "criminal_pause_started", "date": _iso(r + at)},
            {"type": "criminal_pause_ended", "date": _iso(r + at + length)},
        ],
    )
    after = _run(paused, today)
    for d in before["deadlines"]:
        if d["id"] in ("investigation",):
            assert _days(_deadline(after, d["id"])["due"]) >= _days(d["due"])
    # and a pause left running never shortens it either
    running = dict(case, events=[*case["events"], {"type": "criminal_pause_started", "date": _iso(r + at)}])
    assert _days(_deadline(_run(running, today), "investigation")["due"]) >= _days(
        _deadline(before, "investigation")["due"]
    )


@settings(max_examples=400, deadline=None)
@given(cases(), st.integers(-30, 900))
def test_status_agrees_with_the_dates(case: dict[str, Any], offset: int) -> None:
    today = _days(case["events"][0]["date"]) + offset
    result = _run(case, today)
    names = [d["id"] for d in result["deadlines"]]
    assert len(names) == len(set(names))
    for d in result["deadlines"]:
        due = _days(d["due"])
        status = d["status"]
        done = d["completed_on"]
        assert _days(d["start"]) <= due
        if status == "met":
            assert done is not None and _days(done) <= due and d["days_remaining"] is None
        elif status == "missed":
            assert done is not None and _days(done) > due and d["days_remaining"] is None
        elif status == "open":
            assert done is None and today <= due and d["days_remaining"] == due - today
        elif status == "overdue":
            assert done is None and today > due and d["days_remaining"] is None
        elif status == "tolled":
            assert done is None and d["id"] == "investigation" and d["days_remaining"] == due - today
        else:
            raise AssertionError(f"unexpected status {status!r}")
        assert sum(s["days"] for s in d["explanation"]) == due - _days(d["start"])
    flags = {f["id"] for f in result["flags"]}
    assert ("discipline_barred_timeline" in flags) == (_deadline(result, "investigation")["status"] == "missed")
    assert any(d["id"] == "timeline_statement" for d in result["deadlines"]) == ("discipline_barred_timeline" in flags)
