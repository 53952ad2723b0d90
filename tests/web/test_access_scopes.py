"""The two computations of a scope agree (``oversight.access``).

A scope of ``rules.access`` is computed on one case (``facts_for`` then ``scope_holds``:
what a case page, a download or an action asks) and as a query over every case
(``scope_q``, ``cases_q``: what a list, the board, the API's list and search ask). For
cases at every stage of the world (built through the actions) and for generated cases in
any state the database can hold, and for every role, a user with no role, an inactive
user and an anonymous visitor, both give the same cases; and ``cases_q(user, part)``
holds a case exactly when ``reads(user, case, part)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oversight import access
from oversight.cases.actions import append_event
from oversight.cases.models import Allegation, Case, NamedEmployee
from oversight.discipline.models import CaseAccess
from oversight.rules import access as A

from .world import INVESTIGATOR_B, NOBODY, SUPERVISOR_B, build, make_users

pytestmark = pytest.mark.django_db

SCOPES = tuple(A.SCOPES)
PARTS = tuple(A.PARTS)


def _readers(users: dict[str, User]) -> dict[str, Any]:
    """Everyone who may ask: each role, one with none, an inactive Director, anonymous."""
    inactive = User.objects.create(username="inactive_director", is_active=False)
    inactive.groups.add(Group.objects.get(name=A.DIRECTOR))
    return {**users, "inactive_director": inactive, "anonymous": AnonymousUser()}


def _fresh(user: Any) -> Any:
    """The user as a new request sees it (roles are cached on the user object)."""
    return user if not getattr(user, "pk", None) else User.objects.get(pk=user.pk)


def check_agreement(readers: dict[str, Any], cases: Iterable[Case], each_read: bool = True) -> None:
    """Both computations for every reader, scope and part. ``each_read``: ask ``access.reads`` for
    every (case, part); else the ``Reader`` a page asks (one question of the database per case)."""
    cases = list(cases)
    pks = {c.pk for c in cases}
    for who, raw in readers.items():
        user = _fresh(raw)
        pages = {c.pk: access.Reader(user, c) for c in cases}  # each computes facts_for(user, case)
        facts = {pk: page.facts for pk, page in pages.items()}
        for scope in SCOPES:
            by_query = set(
                Case.objects.filter(pk__in=pks).filter(access.scope_q(scope, user)).values_list("pk", flat=True)
            )
            by_case = {pk for pk, f in facts.items() if A.scope_holds(scope, f)}
            assert by_query == by_case, f"{who}, scope {scope}: query {sorted(by_query)} != per case {sorted(by_case)}"
        for part in PARTS:
            listed = set(
                Case.objects.filter(pk__in=pks).filter(access.cases_q(user, part)).values_list("pk", flat=True)
            )
            if each_read:
                readable = {c.pk for c in cases if access.reads(user, c, part)}
            else:
                readable = {pk for pk, page in pages.items() if page.reads[part]}
            assert listed == readable, f"{who} reads {part}: cases_q {sorted(listed)} != reads {sorted(readable)}"


@pytest.fixture
def media(tmp_path: Path, settings: Any) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def test_at_every_stage_of_the_world(media: Path) -> None:
    world = build()
    cases = [world.case(s) for s in world.cases]
    check_agreement(_readers(world.users), cases)
    # the world's stages are not all alike: the check compared something
    director = world.users[A.DIRECTOR]
    assert {A.scope_holds(A.CLOSED, access.facts_for(director, c)) for c in cases} == {True, False}


# --------------------------------------------------------------------------
# Generated cases: any combination of the facts a scope reads, as the database holds them
# --------------------------------------------------------------------------

ASSIGNABLE = (None, A.INVESTIGATOR, A.SUPERVISOR, INVESTIGATOR_B, SUPERVISOR_B)
EVENTS = ("notice_sent", "proposed_findings_issued", "chief_decision")

case_states = st.fixed_dictionaries(
    {
        "classification": st.sampled_from(["", "investigation", "supervisor_action"]),
        "routed_to": st.sampled_from(["", "", "oig", "seeoc"]),
        "closed": st.booleans(),
        "investigator": st.sampled_from(ASSIGNABLE),
        "supervisor": st.sampled_from(ASSIGNABLE),
        "events": st.sets(st.sampled_from(EVENTS)),
        "criminal": st.sets(st.booleans(), min_size=0, max_size=2),  # the case's allegations, criminal or not
        "granted": st.sets(st.sampled_from([A.NAMED_EMPLOYEE, A.UNION, A.DIRECTOR, NOBODY])),
    }
)


def make_case(users: dict[str, User], i: int, state: dict[str, Any]) -> Case:
    today = timezone.localdate()
    case = Case.objects.create(
        number=f"2099OPA-{i:04d}",
        received_on=today - dt.timedelta(days=30),
        classification=state["classification"],
        routed_to=state["routed_to"],
        closed_on=today if state["closed"] else None,
        investigator=users[state["investigator"]] if state["investigator"] else None,
        supervisor=users[state["supervisor"]] if state["supervisor"] else None,
    )
    ne = NamedEmployee.objects.create(case=case, name=f"Officer {i}")
    for criminal in state["criminal"]:
        Allegation.objects.create(case=case, named_employee=ne, category="use_of_force", criminal=criminal)
    for type in sorted(state["events"]):
        append_event(case, type, today, None)
    for who in state["granted"]:
        role = A.UNION if who == A.UNION else A.NAMED_EMPLOYEE
        CaseAccess.objects.create(
            user=users[who],
            case=case,
            named_employee=ne,
            role=role,
            granted_by=users[A.DIRECTOR],
            granted_at=timezone.now(),
        )
    return case


@pytest.fixture
def readers(db: Any) -> dict[str, Any]:
    return _readers(make_users())


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(states=st.lists(case_states, min_size=1, max_size=8))
def test_on_generated_cases(readers: dict[str, Any], states: list[dict[str, Any]]) -> None:
    users = {k: v for k, v in readers.items() if isinstance(v, User)}
    with transaction.atomic():
        cases = [make_case(users, i, s) for i, s in enumerate(states, 1)]
        check_agreement(readers, cases, each_read=False)
        transaction.set_rollback(True)
