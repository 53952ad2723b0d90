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
