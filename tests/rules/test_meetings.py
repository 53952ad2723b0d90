import datetime as dt

from oversight.rules import get_profile
from oversight.rules.meetings import met, period_of

D = dt.date


def test_monthly_and_quarterly_periods():
    monthly = list(range(1, 13))
    assert period_of(monthly, D(2026, 2, 14)) == (D(2026, 2, 1), D(2026, 2, 28))
    quarterly = [3, 6, 9, 12]
    assert period_of(quarterly, D(2026, 4, 1)) == (D(2026, 4, 1), D(2026, 6, 30))
    assert period_of(quarterly, D(2026, 12, 31)) == (D(2026, 10, 1), D(2026, 12, 31))
    assert period_of([1, 4, 7, 10], D(2026, 11, 5)) == (D(2026, 11, 1), D(2027, 1, 31))
    assert period_of([6], D(2026, 8, 1)) == (D(2026, 7, 1), D(2027, 6, 30))


def test_a_month_without_a_public_meeting_is_not_met():
    rules = get_profile("seattle").at(D(2026, 1, 1))
    months = list(rules.schedules["cpc_public_meetings"].value)
    assert "3.29.225.C" in rules.schedules["cpc_public_meetings"].cite
    assert met(months, D(2026, 5, 20), [D(2026, 5, 2)]) and not met(months, D(2026, 5, 20), [D(2026, 4, 30)])
    quarterly = list(rules.schedules["cpc_meetings_with_director_and_ig"].value)
    assert met(quarterly, D(2026, 5, 20), [D(2026, 4, 9)]) and not met(quarterly, D(2026, 5, 20), [D(2026, 3, 31)])
