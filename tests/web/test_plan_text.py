"""The investigation plan's text is part of the evidence (rules.access: EVIDENCE, "the plan's
text"): the case page shows it to those who read the evidence, and to a reader of the case who
does not (CPC on a closed case, the Chief before findings), only that a plan was approved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oversight.rules import access as A

from .world import Journey, People, closed_journey, findings_journey, make_users

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(tmp_path: Path, settings: Any) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _page(user: Any, number: str) -> str:
    c = Client()
    c.force_login(user)
    r = c.get(reverse("cases:detail", args=[number]))
    assert r.status_code == 200
    return r.content.decode()


@pytest.mark.usefixtures("media")
def test_the_plans_text_is_shown_to_the_readers_of_the_evidence_only() -> None:
    users = make_users()
    today = timezone.localdate()
    planned = Journey(users, People(), today).from_web().classified().noticed().planned().c
    at_findings = findings_journey(users, People(), today).c
    closed = closed_journey(users, People(), today).c
    plan_text = "Perishable evidence"  # the plan's fields, shown only with its text
    cases = {"planned": planned, "at findings": at_findings, "closed": closed}
    seen = {
        (who, stage): plan_text in _page(users[who], case.number)
        for who in (A.DIRECTOR, A.CHIEF, A.CPC_STAFF)
        for stage, case in cases.items()
        if not (who == A.CPC_STAFF and stage != "closed")  # CPC reads closed cases only
    }
    assert seen == {
        (A.DIRECTOR, "planned"): True,
        (A.DIRECTOR, "at findings"): True,
        (A.DIRECTOR, "closed"): True,
        (A.CHIEF, "planned"): False,  # noticed: the Chief reads the case, not yet its evidence
        (A.CHIEF, "at findings"): True,  # SMC 3.29.310.A
        (A.CHIEF, "closed"): True,
        (A.CPC_STAFF, "closed"): False,
    }
    assert "Version 1, submitted" in _page(users[A.CPC_STAFF], closed.number)  # that there was a plan
