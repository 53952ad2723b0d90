"""Fixtures for the web app's database tests: a user for each OPA role, a case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from oversight.cases import actions
from oversight.cases.models import Case
from oversight.rules import access as R


@pytest.fixture
def staff(make_user: Callable[..., User]) -> dict[str, User]:
    """One user per role, keyed by role name; plus 'nobody' with no role."""
    users = {role: make_user(role, role) for role in R.ROLES}
    users["nobody"] = make_user("nobody")
    return users


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


def intake_kwargs(today: dt.date, **over: Any) -> dict[str, Any]:
    kw: dict[str, Any] = {
        "channel": "web",
        "received_on": today - dt.timedelta(days=20),
        "incident_date": today - dt.timedelta(days=25),
        "incident_place": "3rd Ave and Pine St",
        "precinct": "west",
        "sector": "K",
        "beat": "K2",
        "shift": "second",
        "summary": "Taylor Brightwater of 12 Yarrow Ave said the officer pushed them to the ground.",
        "complainants": [
            {
                "name": "Taylor Brightwater",
                "address": "12 Yarrow Ave",
                "phone": "206-555-0100",
                "race": "Black",
                "in_person_interview": "yes",
            },
            {"anonymous": True, "name": "should be dropped"},
        ],
        "named_employees": [
            {
                "name": "Kai Ironside",
                "rank": "Officer",
                "serial": "7421",
                "unit": "West Precinct Patrol",
                "assignment": "Patrol",
                "shift": "second",
                "years_of_service": 6,
                "supervisor_name": "Sgt. Vale",
                "captain": "Capt. Oakhurst",
                "bargaining_unit": "SPOG",
            },
        ],
        "witnesses": [{"kind": "civilian", "name": "Jules Northcott"}],
        "allegations": [{"employee": 0, "category": "use_of_force"}],
    }
    kw.update(over)
    return kw


@pytest.fixture
def force_case(staff: dict[str, User], today: dt.date) -> Case:
    return actions.open_case(staff[R.INTAKE], **intake_kwargs(today))


@pytest.fixture
def investigation(force_case: Case, staff: dict[str, User]) -> Case:
    """The force case classified as Investigation with an approved plan."""
    actions.classify(staff[R.SUPERVISOR], force_case, "investigation", "Force alleged.")
    actions.assign(staff[R.SUPERVISOR], force_case, staff[R.INVESTIGATOR], staff[R.SUPERVISOR])
    plan = actions.submit_plan(
        staff[R.INVESTIGATOR],
        force_case,
        priority="High",
        witnesses="W",
        perishable_evidence="BWV",
        other_evidence="CAD",
        approach="Each allegation: video first.",
    )
    actions.approve_plan(staff[R.DIRECTOR], plan)
    force_case.refresh_from_db()
    return force_case
