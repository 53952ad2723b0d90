"""Fixtures: a user for every role that takes part, and a case ready for findings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from oversight.cases import actions as case_actions
from oversight.cases.models import Case
from oversight.rules import access as R

ROLES = [
    "intake",
    "investigator",
    "investigation_supervisor",
    "director",
    "administrator",
    "cpc_staff",
    R.CHIEF,
    R.CITY_ATTORNEY,
    R.OIG_AUDITOR,
    R.NAMED_EMPLOYEE,
    R.UNION,
]


@pytest.fixture
def people(make_user: Callable[..., User]) -> dict[str, User]:
    users = {role: make_user(role, role) for role in ROLES}
    users["nobody"] = make_user("nobody")
    return users


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


def ago(today: dt.date, days: int) -> dt.date:
    return today - dt.timedelta(days=days)


# Allegations OIG need not review (SMC 3.29.112.A), for cases whose findings are recorded
# straight through OPA's clock without an OIG certification.
NO_OIG_REVIEW = [{"employee": 0, "category": "courtesy"}, {"employee": 1, "category": "standards_and_duties"}]


def open_case(intake: User, today: dt.date, received_days_ago: int = 150, **over: Any) -> Case:
    kw: dict[str, Any] = {
        "channel": "web",
        "received_on": ago(today, received_days_ago),
        "incident_date": ago(today, received_days_ago + 5),
        "summary": "Taylor Brightwater said the officer pushed them and lied in the report.",
        "complainants": [{"name": "Taylor Brightwater", "address": "12 Yarrow Ave", "phone": "206-555-0100"}],
        "named_employees": [
            {"name": "Kai Ironside", "rank": "Officer", "serial": "7421", "bargaining_unit": "SPOG"},
            {"name": "Robin Quarry", "rank": "Sergeant", "serial": "5310", "bargaining_unit": "SPMA"},
        ],
        "witnesses": [{"name": "Jules Northcott"}],
        "allegations": [
            {"employee": 0, "category": "use_of_force"},
            {"employee": 0, "category": "honesty"},
            {"employee": 1, "category": "courtesy"},
        ],
    }
    kw.update(over)
    case = case_actions.open_case(intake, **kw)
    if {a["category"] for a in kw["allegations"]} & REVIEWED:
        _submitted_to_oig(case, kw["received_on"])
    return case


REVIEWED = {"use_of_force", "honesty", "law", "bias", "type_iii_force"}


def _submitted_to_oig(case: Case, received: dt.date) -> None:
    """The path the law sets before proposed findings on a case OIG must review (SMC 3.29.112):
    classified, plan approved, submitted to OIG; OIG's ten days then pass without a word (G),
    so the Director may certify from received + 31 days on."""
    staff = {
        u.username: u
        for u in User.objects.filter(username__in=["investigator", "investigation_supervisor", "director"])
    }
    sup, inv, director = staff["investigation_supervisor"], staff["investigator"], staff["director"]
    case_actions.classify(sup, case, "investigation", "Force and honesty allegations.", on=received)
    case_actions.assign(sup, case, inv, sup)
    plan = case_actions.submit_plan(
        inv,
        case,
        priority="High",
        witnesses="W",
        perishable_evidence="BWV",
        other_evidence="CAD",
        approach="Compare the reports with the video.",
    )
    case_actions.approve_plan(director, plan, on=received)
    case_actions.record_clock_event(sup, case, "submitted_to_oig", received + dt.timedelta(days=20))
    case.refresh_from_db()


@pytest.fixture
def case(people: dict[str, User], today: dt.date) -> Case:
    return open_case(people["intake"], today)


def allegation_pks(case: Case) -> list[int]:
    return list(case.allegations.order_by("pk").values_list("pk", flat=True))


def employees(case: Case) -> list[Any]:
    return list(case.named_employees.order_by("pk"))
