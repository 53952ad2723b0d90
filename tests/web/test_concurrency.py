"""No lost write under concurrency: members of the public submitting the complaint form at the
same moment, and staff posting events to one case at the same moment, against a live server
(threads, one database file on SQLite; row locks on PostgreSQL). Every submission is saved,
none answers 500, and the chain still verifies."""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client

from oversight.cases.actions.chain import verify_chain
from oversight.cases.models import Case, CaseEvent
from oversight.public.models import WebComplaint
from oversight.rules import access as R

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CSRF = "concurrencytestcsrftoken000000000"[:32]
SUBMITTERS = 8
POSTERS = 20


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _post(url: str, body: bytes, content_type: str, session: str | None = None) -> int:
    cookies = f"csrftoken={CSRF}" + (f"; sessionid={session}" if session else "")
    req = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": content_type, "Cookie": cookies, "X-CSRFToken": CSRF, "Referer": url},
    )
    opener = urllib.request.build_opener(_NoRedirect, urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    try:
        with opener.open(req, timeout=120) as r:
            return int(r.status)
    except urllib.error.HTTPError as e:
        return int(e.code)


def _at_once(n: int, work: Callable[[int], int]) -> list[int]:
    """Run ``work(i)`` in ``n`` threads released together; their HTTP statuses."""
    barrier = threading.Barrier(n)
    results: list[int] = [0] * n

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception:  # a connection the server dropped counts as a failure, not a crash of the test
            results[i] = -1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return results


@pytest.fixture
def groups() -> None:
    for name in R.ROLES:
        Group.objects.get_or_create(name=name)


def test_simultaneous_complaints_are_all_saved(live_server: Any, settings: Any, groups: None) -> None:
    settings.OVERSIGHT_RATE_LIMITS = {**settings.OVERSIGHT_RATE_LIMITS, "complaint": (1000, 3600)}
    url = live_server.url + "/public/complaint/"

    def submit(i: int) -> int:
        form = {
            "what_happened": f"Complaint number {i}: an officer pushed me at the bus stop.",
            "in_person_interview": "undecided",
            "anonymous": "on",
        }
        return _post(url, urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded")

    statuses = _at_once(SUBMITTERS, submit)
    assert statuses == [302] * SUBMITTERS, statuses  # each sent on to its tracking code
    saved = {w.case.summary for w in WebComplaint.objects.select_related("case")}
    assert len(saved) == SUBMITTERS
    assert all(any(f"Complaint number {i}:" in s for s in saved) for i in range(SUBMITTERS))
    numbers = list(Case.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == SUBMITTERS  # no number issued twice
    checked, broken, why = verify_chain()
    assert broken is None and not why, why


def test_simultaneous_api_events_on_one_case_are_all_recorded(
    live_server: Any, settings: Any, groups: None, staff: dict[str, Any], investigation: Case
) -> None:
    client = Client()
    client.force_login(staff[R.INVESTIGATOR])
    session = client.cookies["sessionid"].value
    url = f"{live_server.url}/api/cases/{investigation.number}/events"
    before = investigation.events.count()
    today = dt.date.today().isoformat()

    def post(i: int) -> int:
        body = {"type": "interview_postponed", "date": today, "days": 1, "reason": f"representative away ({i})"}
        return _post(url, json.dumps(body).encode(), "application/json", session=session)

    statuses = _at_once(POSTERS, post)
    assert statuses == [201] * POSTERS, statuses
    events = list(CaseEvent.objects.filter(case=investigation).order_by("seq"))
    assert len(events) == before + POSTERS
    assert [e.seq for e in events] == list(range(1, len(events) + 1))  # no seq taken twice, none skipped
    reasons = {e.data.get("reason") for e in events if e.type == "interview_postponed"}
    assert {f"representative away ({i})" for i in range(POSTERS)} <= reasons
    checked, broken, why = verify_chain()
    assert broken is None and not why, why
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("PRAGMA journal_mode")
            assert cur.fetchone()[0] == "wal"
