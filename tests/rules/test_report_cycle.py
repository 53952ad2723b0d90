"""OIG's draft cycle (SMC 3.29.115.E): ten days to comment, nothing released meanwhile, the
final report ten days after the comments. The days come from the profile."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.rules.profile import get_profile
from oversight.rules.report_cycle import draft_cycle

D = dt.date(2026, 3, 2)
RULES = get_profile("seattle").at(D)
C = int(RULES.periods["oig_report_comment"].value)
F = int(RULES.periods["oig_report_final"].value)
CITE = RULES.periods["oig_report_comment"].cite


def day(n: int) -> dt.date:
    return D + dt.timedelta(days=n)


def test_the_profile_says_ten_and_ten_and_cites_the_section() -> None:
    assert (C, F) == (10, 10)
    assert "3.29.115.E" in CITE


def test_in_review_until_the_comments_are_in_or_the_period_ends() -> None:
    c = draft_cycle(D, 2, [day(3)], C, F, day(C), CITE)
    assert c.in_review and c.final_due is None and c.comment_due == day(C)
    assert "release it to nobody" in c.steps[-1]


def test_the_final_report_is_due_ten_days_after_the_last_comment() -> None:
    c = draft_cycle(D, 2, [day(2), day(6)], C, F, day(7), CITE)
    assert not c.in_review
    assert c.final_due == day(6 + F)
    assert c.status == "final_due"


def test_a_reviewer_who_does_not_comment_does_not_hold_the_report_back() -> None:
    c = draft_cycle(D, 2, [day(4)], C, F, day(C + 1), CITE)
    assert not c.in_review
    assert c.final_due == day(C + F)
    assert draft_cycle(D, 2, [day(4)], C, F, day(C + F + 1), CITE).status == "final_overdue"


def test_bad_input_is_named() -> None:
    with pytest.raises(ValueError, match="reviewers"):
        draft_cycle(D, 0, [], C, F, D, CITE)
    with pytest.raises(ValueError, match="comments"):
        draft_cycle(D, 2, [day(-1)], C, F, D, CITE)
