"""A recommendation's status from its dated events (SMC 3.29.305.A-B), with the citation of
each step; the period for the answer comes from the profile."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.rules import get_profile
from oversight.rules import recommendations as rr

ISSUED = dt.date(2026, 3, 2)
PERIOD = get_profile("seattle").at(ISSUED).periods["spd_response_to_recommendations"]
DAYS, CITE = int(PERIOD.value), PERIOD.cite


def at(day: int, *events: tuple[int, str]) -> rr.Status:
    evs = [(ISSUED + dt.timedelta(days=d), k) for d, k in events]
    return rr.status(ISSUED, evs, ISSUED + dt.timedelta(days=day), DAYS, CITE)


def test_the_answer_is_due_thirty_days_after_release():
    assert DAYS == 30 and "3.29.305.A" in CITE  # "within 30 days following the release of the recommendations"
    assert at(30).status == "issued" and at(30).answer_due == ISSUED + dt.timedelta(days=30)
    late = at(31)
    assert late.status == "overdue" and late.steps[-1].cite == CITE


def test_an_answer_on_time_or_late_and_what_follows():
    assert at(40, (10, "accepted")).status == "accepted"
    assert not at(40, (10, "accepted")).answered_late
    s = at(60, (45, "not_accepted"))
    assert s.status == "not_accepted" and s.answered_late and "15 days after it was due" in s.steps[-1].text
    assert at(90, (10, "accepted"), (50, "progress_report")).status == "in_progress"
    assert at(200, (10, "accepted"), (50, "progress_report"), (180, "implemented")).status == "implemented"
    assert at(40, (10, "answered")).status == "answered"  # under consideration: answered, not decided
    assert at(40, (35, "withdrawn")).status == "withdrawn"
    assert at(9, (10, "accepted")).status == "issued"  # a later-dated answer is not yet


@pytest.mark.parametrize(
    ("events", "words"),
    [
        (((10, "progress_report"),), "before the recommendation was accepted"),
        (((10, "not_accepted"), (20, "implemented")), "before the recommendation was accepted"),
        (((10, "withdrawn"), (20, "accepted")), "nothing follows a withdrawal"),
        (((10, "issued"),), "not an event"),
        (((-1, "accepted"),), "before the recommendation was issued"),
    ],
)
def test_events_that_tell_no_story_are_refused(events, words):
    with pytest.raises(rr.RecommendationError, match=words):
        at(400, *events)


def test_no_period_no_overdue():
    """3.29.305.A-B give SPD and OPA 30 days; the chapter sets none for the Council or the state."""
    s = rr.status(ISSUED, [], ISSUED + dt.timedelta(days=400), None, "SMC 3.29.305.A-B")
    assert s.status == "issued" and s.answer_due is None and "no period" in s.steps[0].text
    s = rr.status(ISSUED, [(ISSUED + dt.timedelta(days=200), "accepted")], ISSUED + dt.timedelta(days=400), None, "")
    assert s.status == "accepted" and not s.answered_late
