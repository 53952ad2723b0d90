"""Events of one type on one day: the result does not depend on the order the input lists them in."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from oversight.rules import compute, get_profile, parse_case

PROFILE = get_profile("seattle")
TODAY = dt.date(2018, 3, 1)


def _all_orders(case: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(case, events=list(p)) for p in itertools.permutations(case["events"])]


def _results(case: dict[str, Any]) -> list[Any]:
    return [compute(parse_case(c), PROFILE, TODAY) for c in _all_orders(case)]


def test_a_referral_date_given_and_the_same_date_set_by_a_review() -> None:
    # Found by test_the_order_events_are_listed_in_never_changes_the_result: the investigation's
    # first step named the review or not, depending on which of the two was listed first.
    case = {
        "case_id": "P",
        "events": [
            {"type": "complaint_received", "date": "2017-08-31"},
            {"type": "should_have_been_referred", "date": "2017-08-30"},
            {"type": "incident_review_started", "date": "2017-08-30", "unit": "Force Review Board"},
            {"type": "review_found_potential_misconduct", "date": "2017-08-30", "unit": "Force Review Board"},
        ],
    }
    results = _results(case)
    assert all(r == results[0] for r in results)
    inv = next(d for d in results[0]["deadlines"] if d["id"] == "investigation")
    assert inv["explanation"][0]["text"] == "180 days from the date the complaint should have been referred to OPA"


def test_two_incident_reviews_begun_the_same_day() -> None:
    case = {
        "case_id": "P",
        "events": [
            {"type": "complaint_received", "date": "2017-09-01"},
            {"type": "incident_review_started", "date": "2017-08-20", "unit": "Force Review Board"},
            {"type": "incident_review_started", "date": "2017-08-20", "unit": "Collision Review"},
            {"type": "incident_review_completed", "date": "2017-09-10", "unit": "Force Review Board"},
        ],
    }
    results = _results(case)
    assert all(r == results[0] for r in results)
    reviews = [d for d in results[0]["deadlines"] if d["id"].startswith("incident_review_")]
    assert [d["explanation"][0]["text"].split(" by ")[1].split(" (")[0] for d in reviews] == [
        "Collision Review",
        "Force Review Board",
    ]
    assert [d["status"] for d in reviews] == ["overdue", "met"]


def test_two_postponements_the_same_day() -> None:
    case = {
        "case_id": "P",
        "events": [
            {"type": "complaint_received", "date": "2017-09-01"},
            {"type": "interview_postponed", "date": "2017-10-01", "days": 5, "reason": "b"},
            {"type": "interview_postponed", "date": "2017-10-01", "days": 5, "reason": "a"},
            {"type": "interview_postponed", "date": "2017-10-01", "days": 3},
        ],
    }
    results = _results(case)
    assert all(r == results[0] for r in results)
