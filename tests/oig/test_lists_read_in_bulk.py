"""The lists that read OIG's review for many cases (the Director's findings to recommend,
OIG's queue) read it in a fixed number of queries, however many cases they list: a home page
must not grow slower with every case that waits."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oversight.cases.waiting import findings_to_recommend
from oversight.oig import actions as oa
from oversight.oig.models import CERTIFIED
from oversight.oig.review import queue
from oversight.rules import access as R

from .conftest import open_investigation, submit

pytestmark = pytest.mark.django_db


def _queries(fn) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        n = len(list(fn()))
    return n, len(ctx.captured_queries)


def test_findings_to_recommend_and_the_queue_read_in_bulk(people, today):
    director = people[R.DIRECTOR]
    cases = []
    per_size = {}
    for total in (2, 5):
        while len(cases) < total:
            case = open_investigation(people, received=60 + len(cases))
            submit(people, case, 3)
            cases.append(case)
        listed, per_size[total] = _queries(lambda: queue(today))
        assert listed == total
    assert per_size[5] == per_size[2], f"OIG's queue: {per_size[2]} queries for 2 cases, {per_size[5]} for 5"
    for case in cases:
        oa.record_determination(people[R.OIG_AUDITOR], case, CERTIFIED, criteria={"a": "Thorough."})
    n5, q5 = _queries(lambda: findings_to_recommend(director, today))
    assert n5 == 5
    extra = open_investigation(people, received=80)
    submit(people, extra, 3)
    oa.record_determination(people[R.OIG_AUDITOR], extra, CERTIFIED, criteria={"a": "Thorough."})
    n6, q6 = _queries(lambda: findings_to_recommend(director, today))
    assert n6 == 6
    assert q6 == q5, f"findings to recommend: {q5} queries for 5 cases, {q6} for 6"


def test_plans_to_approve_lists_the_last_version_submitted_and_no_decided_one(people, today):
    """The Director's plans to approve: a plan submitted and not yet decided, by its latest
    version; a returned plan leaves the list until its next version is submitted."""
    from oversight.cases import actions as ca
    from oversight.cases.waiting import plans_to_approve

    director = people[R.DIRECTOR]
    fields = dict(priority="High", witnesses="W", perishable_evidence="BWV", other_evidence="CAD", approach="Look.")

    def listed() -> list[str]:
        return [w.title for w in plans_to_approve(director, today)]

    approved = open_investigation(people)  # its plan approved
    case = ca.open_case(
        people[R.INTAKE],
        channel="web",
        received_on=today,
        summary="s",
        complainants=[{"name": "C"}],
        named_employees=[{"name": "E", "rank": "Officer", "serial": "1"}],
        allegations=[{"employee": 0, "category": "courtesy"}],
    )
    ca.classify(people[R.SUPERVISOR], case, "investigation", "r", on=today)
    ca.assign(people[R.SUPERVISOR], case, people[R.INVESTIGATOR], people[R.SUPERVISOR])
    first = ca.submit_plan(people[R.INVESTIGATOR], case, **fields)
    assert listed() == [f"{case.number}: plan version 1"]
    ca.return_plan(director, first, "Name the witnesses.")
    assert listed() == []
    second = ca.submit_plan(people[R.INVESTIGATOR], case, **fields)
    assert listed() == [f"{case.number}: plan version {second.version}"] and second.version == 2
    ca.approve_plan(director, second)
    assert listed() == [] and approved.number not in " ".join(listed())
