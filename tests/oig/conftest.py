"""Fixtures for OIG's tests: a user for each OPA and OIG role, an honesty investigation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from oversight.cases import actions as ca
from oversight.cases.models import Case
from oversight.rules import access as R


@pytest.fixture
def people(make_user: Callable[..., User]) -> dict[str, User]:
    """One user per OPA role and per OIG role, keyed by role; plus 'nobody'."""
    users = {role: make_user(role, role) for role in R.ROLES}
    users["nobody"] = make_user("nobody")
    return users


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def open_investigation(people: dict[str, User], category: str = "honesty", received: int = 90) -> Case:
    """A case with one allegation of ``category``, classified Investigation, with an approved plan."""
    case = ca.open_case(
        people[R.INTAKE],
        channel="web",
        received_on=days_ago(received),
        incident_date=days_ago(received + 3),
        summary="The complainant said Officer Quinn Larchmont wrote a false report.",
        complainants=[{"name": "Reese Dunmore", "address": "40 Elm St", "phone": "206-555-0199"}],
        named_employees=[{"name": "Quinn Larchmont", "rank": "Officer", "serial": "8812"}],
        allegations=[{"employee": 0, "category": category}],
    )
    ca.classify(people[R.SUPERVISOR], case, "investigation", "An allegation of dishonesty.", on=days_ago(received - 2))
    ca.assign(people[R.SUPERVISOR], case, people[R.INVESTIGATOR], people[R.SUPERVISOR])
    plan = ca.submit_plan(
        people[R.INVESTIGATOR],
        case,
        priority="High",
        witnesses="W",
        perishable_evidence="BWV",
        other_evidence="CAD",
        approach="Compare the report with the video.",
    )
    ca.approve_plan(people[R.DIRECTOR], plan)
    case.refresh_from_db()
    return case


def submit(people: dict[str, User], case: Case, n: int) -> None:
    ca.record_clock_event(people[R.SUPERVISOR], case, "submitted_to_oig", days_ago(n))


@pytest.fixture
def honesty(people: dict[str, User]) -> Case:
    return open_investigation(people)


CRITERIA = {"a": "Two civilian witnesses were never contacted.", "d": "The summary omits the video's timestamps."}


def recommend(user: User, case: Case, on: dt.date | None = None) -> Case:
    """The one door for findings: the Director recommends a finding on every allegation,
    which issues the proposed findings (oversight.discipline.actions.recommend_findings)."""
    from oversight.discipline import actions as da

    da.recommend_findings(
        user, case, on=on or timezone.localdate(), findings={a.pk: "sustained" for a in case.allegations.all()}
    )
    case.refresh_from_db()
    return case
