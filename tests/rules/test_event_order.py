"""Events of one day: the clock takes them in the order the input lists them.

shared/spec/timeline.md: "Events may come in any order; the engine orders them by date
(ties keep file order)." Events of different days may come in any order; events of one day
are taken as listed, whatever their types.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from oversight.rules import CaseError, compute, get_profile, parse_case

PROFILE = get_profile("seattle")
TODAY = dt.date(2018, 3, 1)


def _run(case: dict[str, Any], today: dt.date = TODAY) -> Any:
    return compute(parse_case(case), PROFILE, today)


def _deadline(result: Any, dl_id: str) -> Any:
    return next(d for d in result["deadlines"] if d["id"] == dl_id)


def _case(*events: dict[str, Any]) -> dict[str, Any]:
    return {"case_id": "P", "events": list(events)}


def test_the_days_may_come_in_any_order_and_each_days_listing_is_kept() -> None:
    day_one = [
        {"type": "interview_postponed", "date": "2017-10-01", "days": 5, "reason": "b"},
        {"type": "interview_postponed", "date": "2017-10-01", "days": 3, "reason": "a"},
    ]
    others = [
        {"type": "complaint_received", "date": "2017-09-01"},
        {"type": "notice_sent", "date": "2017-09-20"},
        {"type": "director_vacancy", "date": "2017-11-01"},
    ]
    results = []
    for order in itertools.permutations(others):
        for at in range(len(others) + 1):  # the day's two events together anywhere, in their order
            events = [*order[:at], *day_one, *order[at:]]
            results.append(_run(_case(*events)))
        results.append(_run(_case(day_one[0], *order, day_one[1])))  # and apart
    assert all(r == results[0] for r in results)
    steps = _deadline(results[0], "investigation")["explanation"]
    assert [s["text"] for s in steps[1:3]] == [
        "interview postponed on 2017-10-01 (b): 5 days added",
        "interview postponed on 2017-10-01 (a): 3 days added",
    ]


def test_two_postponements_the_same_day_are_steps_in_the_order_listed() -> None:
    a = {"type": "interview_postponed", "date": "2017-10-01", "days": 5, "reason": "a"}
    b = {"type": "interview_postponed", "date": "2017-10-01", "days": 5, "reason": "b"}
    received = {"type": "complaint_received", "date": "2017-09-01"}
    ab = _deadline(_run(_case(received, a, b)), "investigation")
    ba = _deadline(_run(_case(received, b, a)), "investigation")
    assert ab["due"] == ba["due"] == "2018-03-10"  # 180 + 5 + 5 days either way
    assert [s["text"].split(" (")[1][0] for s in ab["explanation"][1:]] == ["a", "b"]
    assert [s["text"].split(" (")[1][0] for s in ba["explanation"][1:]] == ["b", "a"]


def test_two_incident_reviews_begun_the_same_day_are_numbered_as_listed() -> None:
    board = {"type": "incident_review_started", "date": "2017-08-20", "unit": "Force Review Board"}
    collision = {"type": "incident_review_started", "date": "2017-08-20", "unit": "Collision Review"}
    received = {"type": "complaint_received", "date": "2017-09-01"}
    done = {"type": "incident_review_completed", "date": "2017-09-10", "unit": "Force Review Board"}
    for first, second in ((board, collision), (collision, board)):
        result = _run(_case(received, first, second, done))
        reviews = [d for d in result["deadlines"] if d["id"].startswith("incident_review_")]
        assert [d["id"] for d in reviews] == ["incident_review_1", "incident_review_2"]
        assert [d["explanation"][0]["text"].split(" by ")[1].split(" (")[0] for d in reviews] == [
            first["unit"],
            second["unit"],
        ]
        assert [d["status"] for d in reviews] == ["met" if r is board else "overdue" for r in (first, second)]


def test_a_referral_date_given_and_the_same_date_set_by_a_review_the_first_listed_starts_the_period() -> None:
    given = {"type": "should_have_been_referred", "date": "2017-08-30"}
    review = [
        {"type": "incident_review_started", "date": "2017-08-30", "unit": "Force Review Board"},
        {"type": "review_found_potential_misconduct", "date": "2017-08-30", "unit": "Force Review Board"},
    ]
    received = {"type": "complaint_received", "date": "2017-08-31"}
    plain = _deadline(_run(_case(received, given, *review)), "investigation")["explanation"][0]["text"]
    assert plain == "180 days from the date the complaint should have been referred to OPA"
    by_review = _deadline(_run(_case(received, *review, given)), "investigation")["explanation"][0]["text"]
    assert "potential misconduct found in the review by Force Review Board on 2017-08-30" in by_review


def test_a_complaint_and_a_referral_date_the_same_day_the_first_listed_starts_the_period() -> None:
    received = {"type": "complaint_received", "date": "2017-09-01"}
    referred = {"type": "should_have_been_referred", "date": "2017-09-01"}
    first_step = _deadline(_run(_case(received, referred)), "investigation")["explanation"][0]["text"]
    assert first_step == "180 days from the date the complaint was filed"
    first_step = _deadline(_run(_case(referred, received)), "investigation")["explanation"][0]["text"]
    assert first_step == "180 days from the date the complaint should have been referred to OPA"


def test_a_pause_end_and_start_the_same_day_are_taken_as_listed() -> None:
    received = {"type": "complaint_received", "date": "2017-09-01"}
    started = {"type": "criminal_pause_started", "date": "2017-10-01"}
    end = {"type": "criminal_pause_ended", "date": "2017-11-01"}
    again = {"type": "criminal_pause_started", "date": "2017-11-01"}
    # the running pause ends, then a new one begins: still paused today
    ended_then_began = _deadline(_run(_case(received, started, end, again)), "investigation")
    assert ended_then_began["status"] == "tolled"
    # the second start while paused changes nothing, then the end closes the pause: 31 days
    began_then_ended = _deadline(_run(_case(received, started, again, end)), "investigation")
    assert began_then_ended["status"] == "open"
    assert began_then_ended["due"] == "2018-03-31"  # 2017-09-01 + 180 + 31


def test_a_pause_end_listed_before_the_only_start_of_its_day_has_no_start() -> None:
    received = {"type": "complaint_received", "date": "2017-09-01"}
    started = {"type": "criminal_pause_started", "date": "2017-10-01"}
    end = {"type": "criminal_pause_ended", "date": "2017-10-01"}
    same_day = _deadline(_run(_case(received, started, end)), "investigation")
    assert same_day["due"] == "2018-02-28" and len(same_day["explanation"]) == 1  # a pause of no days
    refusal = r"events\[1\]\.type: criminal_pause_ended on 2017-10-01 has no criminal_pause_started"
    with pytest.raises(CaseError, match=refusal):
        _run(_case(received, end, started))
