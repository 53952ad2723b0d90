"""The board never makes a person wait on the clock: each open case's projection is
recomputed as a write commits, and a new day recomputes only the cases whose projection
stopped holding (a due date passed, a criminal pause still running), never the whole
board. Whatever is kept must equal what a full recomputation gives, on every day."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.cases import actions
from oversight.cases.clock import board, refresh_board
from oversight.cases.models import Case
from oversight.cases.seed import demo_cases, ensure_demo_users
from oversight.rules import access as R

pytestmark = pytest.mark.django_db


def _rows(day: dt.date) -> list[tuple[str, str, str, str | None, int | None, list[str]]]:
    return [
        (r.number, r.stage, r.deadline["id"], r.deadline["due"], r.deadline["days_remaining"], r.flags)
        for r in board(day)
    ]


def test_a_new_day_recomputes_only_what_changed_and_agrees_with_a_full_recomputation(today):
    users = ensure_demo_users()
    start = today - dt.timedelta(days=40)
    cases = demo_cases(5, start, 300, users)
    for c in cases:  # an office's open caseload as of ``start``
        c["closed_on"] = None
        c["events"] = [e for e in c["events"] if e["type"] != "case_closed"]
    actions.import_cases(users["admin"], cases)
    open_cases = Case.objects.filter(closed_on__isnull=True, routed_to="").count()
    assert refresh_board(start) == open_cases
    recomputed = []
    for n in range(1, 41, 3):
        day = start + dt.timedelta(days=n)
        # what the board kept, moved on to ``day`` ...
        recomputed.append(refresh_board(day))
        kept = _rows(day)
        # ... against every case computed afresh for ``day``
        Case.objects.update(board_day=None)
        assert refresh_board(day) == open_cases
        assert kept == _rows(day), day
        # and back to what the board would have kept (the next step moves on from it)
        Case.objects.update(board_day=None)
        refresh_board(start)
        refresh_board(day)
    # a day turn recomputes some cases (deadlines falling due, pauses running), not all
    assert 0 < max(recomputed) < open_cases / 2, recomputed


def test_a_write_recomputes_its_case_as_it_commits(staff, today, force_case, django_capture_on_commit_callbacks):
    refresh_board(today)
    force_case.refresh_from_db()
    assert force_case.board_day == today and force_case.board_stage == "Intake"
    with django_capture_on_commit_callbacks(execute=True):
        actions.classify(staff[R.SUPERVISOR], force_case, "investigation", "Force alleged.")
    force_case.refresh_from_db()
    # recomputed without a board read, once for the write's several events
    assert force_case.board_day == today
    assert force_case.board_stage == "Classified: Investigation"
    assert force_case.board_until is not None and force_case.board_until >= today
