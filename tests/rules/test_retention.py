"""SMC 3.29.320.E, as a rule: "All SPD personnel and OPA case files shall be retained as long as the
employee is employed by the City, plus either six years or as long as any action related to that
employee is ongoing, whichever is longer. [...] Records of written reprimands or other disciplinary
actions shall not be removed from employee personnel files." """

from __future__ import annotations

import datetime as dt

import pytest

from oversight.rules.profile import get_profile
from oversight.rules.retention import Action, Employee, Facts, add_years, earliest_disposal

D = dt.date
CLOSED = D(2018, 5, 1)


def _years() -> tuple[int, str]:
    period = get_profile("seattle").at(D(2018, 1, 1)).periods["retention_after_employment"]
    return int(period.value), period.cite


def _rule(facts: Facts):
    years, cite = _years()
    return earliest_disposal(facts, years, cite)


def test_the_period_is_the_profiles_six_years_cited():
    assert _years() == (6, "SMC 3.29.320.E")


def test_kept_as_long_as_the_employee_is_employed():
    r = _rule(Facts(CLOSED, (Employee("Named Employee #1", None),)))
    assert r.earliest is None
    assert any("employed by the City" in s.text for s in r.steps)
    assert not r.disposable_on(D(2099, 1, 1))


def test_plus_six_years_after_they_leave():
    r = _rule(Facts(CLOSED, (Employee("Named Employee #1", D(2019, 3, 15)),)))
    assert r.earliest == D(2025, 3, 15)
    assert r.disposable_on(D(2025, 3, 15)) and not r.disposable_on(D(2025, 3, 14))
    assert all(s.cite == "SMC 3.29.320.E" for s in r.steps)


def test_or_as_long_as_an_action_related_to_the_employee_is_ongoing():
    ongoing = Action("the appeal to the Public Safety Civil Service Commission", None)
    r = _rule(Facts(CLOSED, (Employee("Named Employee #1", D(2010, 1, 1)),), (ongoing,)))
    assert r.earliest is None and any("appeal" in s.text and "ongoing" in s.text for s in r.steps)


def test_whichever_is_longer_an_action_that_ended_after_the_six_years():
    ended = Action("case 2018OPA-0002, naming the same employee", D(2027, 6, 30))
    r = _rule(Facts(CLOSED, (Employee("Named Employee #1", D(2019, 3, 15)),), (ended,)))
    assert r.earliest == D(2027, 6, 30)
    assert any("ended later" in s.text for s in r.steps)


def test_whichever_is_longer_six_years_after_an_action_that_ended_sooner():
    ended = Action("the appeal", D(2020, 1, 1))
    r = _rule(Facts(CLOSED, (Employee("Named Employee #1", D(2019, 3, 15)),), (ended,)))
    assert r.earliest == D(2025, 3, 15)


def test_the_last_of_several_employees_to_leave_counts():
    emps = (Employee("Named Employee #1", D(2019, 1, 1)), Employee("Named Employee #2", D(2021, 7, 1)))
    assert _rule(Facts(CLOSED, emps)).earliest == D(2027, 7, 1)


def test_an_open_case_is_an_ongoing_action():
    assert _rule(Facts(None, (Employee("Named Employee #1", D(2019, 1, 1)),))).earliest is None


def test_a_legal_hold_keeps_the_file_whatever_the_dates():
    r = _rule(Facts(CLOSED, (Employee("Named Employee #1", D(2001, 1, 1)),), holds=("Claim for damages",)))
    assert r.earliest is None and any("legal hold" in s.text for s in r.steps)


def test_no_named_employee_counts_from_the_closing():
    assert _rule(Facts(CLOSED)).earliest == D(2024, 5, 1)


def test_discipline_records_are_never_disposed_of():
    r = _rule(Facts(CLOSED, (Employee("Named Employee #1", D(2019, 3, 15)),)))
    assert any("never removed" in s.text for s in r.steps)


def test_leap_day():
    assert add_years(D(2020, 2, 29), 6) == D(2026, 2, 28)


def test_a_negative_period_is_refused():
    with pytest.raises(ValueError, match="negative"):
        earliest_disposal(Facts(CLOSED), -1)
