"""The issue's walk through the office, in a real browser:

staff intake of a force complaint; an attempt to classify it as Supervisor Action
refused with the citation; classification as Investigation; the notice generated
without the complainant's name; a plan approved; an interview postponed 7 days and
the due date moving 7 days on the board."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from oversight.rules import access as R

pytestmark = pytest.mark.django_db(transaction=True)


def _user(username: str, role: str) -> None:
    user = User.objects.create_user(username, f"{username}@opa.example.org", "pw")
    user.groups.add(Group.objects.get_or_create(name=role)[0])


def _login(page: Any, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))


def _logout(page: Any) -> None:
    page.click("header button:has-text('Log out')")
    page.wait_for_url(re.compile(r".*/accounts/login/$"))


def _board_due(page: Any, number: str) -> dt.date:
    page.goto("/board/")
    return dt.date.fromisoformat(page.inner_text(f"tr[data-case='{number}'] td.due").strip())


def test_intake_to_postponement_on_the_board(page: Any) -> None:
    _user("intake1", R.INTAKE)
    _user("director1", R.DIRECTOR)
    today = timezone.localdate()

    # Staff intake of a force complaint
    _login(page, "intake1")
    page.goto("/intake/")
    page.select_option("select[name=channel]", "in_person")
    page.fill("input[name=received_on]", (today - dt.timedelta(days=10)).isoformat())
    page.fill("input[name=incident_date]", (today - dt.timedelta(days=12)).isoformat())
    page.fill("input[name=incident_place]", "Westlake Park")
    page.fill("textarea[name=summary]", "Harper Quarry says the officer slammed Harper Quarry to the pavement.")
    page.fill("input[name=complainant-0-name]", "Harper Quarry")
    page.fill("input[name=complainant-0-address]", "77 Juniper Way")
    page.select_option("select[name=complainant-0-in_person_interview]", "yes")
    page.fill("input[name=employee-0-name]", "Wren Stillwater")
    page.fill("input[name=employee-0-rank]", "Officer")
    page.select_option("select[name=allegation-0-employee]", "0")
    page.select_option("select[name=allegation-0-category]", "use_of_force")
    page.click("button:has-text('Save the complaint')")
    page.wait_for_url(re.compile(r".*/cases/\d{4}OPA-\d{4}/$"))
    number = page.inner_text("h1").replace("Case ", "").strip()
    assert re.fullmatch(r"\d{4}OPA-0001", number)
    assert "Three-year limit" in page.inner_text("#limitation")
    _logout(page)

    # The Director: Supervisor Action refused with the citation, then Investigation
    _login(page, "director1")
    page.goto(f"/cases/{number}/")
    page.select_option("#classify select[name=classification]", "supervisor_action")
    page.fill("#classify textarea[name=rationale]", "Seems minor.")
    page.click("#classify button")
    error = page.inner_text("#error")
    assert "SMC 3.29.025.A" in error and "Supervisor Action" in error
    assert page.inner_text("#current-classification") == "not yet classified"
    page.select_option("#classify select[name=classification]", "investigation")
    page.fill("#classify textarea[name=rationale]", "Force alleged; body-worn video exists.")
    page.click("#classify button")
    page.wait_for_selector("text=Classified as Investigation.")
    assert page.inner_text("#current-classification") == "Investigation"

    # The notice, without the complainant's name or address
    page.click("#notice button")
    page.wait_for_selector("text=Notice generated and recorded as sent.")
    page.click("#notice a:has-text('Notice of')")
    notice = page.inner_text("body")
    assert "Wren Stillwater" in notice and number in notice
    assert "Harper" not in notice and "Quarry" not in notice and "Juniper" not in notice
    page.go_back()

    # A plan, approved
    page.goto(f"/cases/{number}/")
    page.locator("#submit-plan").evaluate("d => d.open = true")
    page.fill("#plan input[name=priority]", "High")
    page.fill("#plan textarea[name=witnesses]", "Complainant; the named employee; park staff.")
    page.fill("#plan textarea[name=perishable_evidence]", "Body-worn video; park cameras.")
    page.fill("#plan textarea[name=other_evidence]", "CAD log; use-of-force report.")
    page.fill("#plan textarea[name=approach]", "Force allegation: video first, then interviews.")
    page.click("#plan button:has-text('Submit the plan')")
    page.wait_for_selector("text=submitted for approval")
    page.click("#decide-plan button:has-text('Approve version 1')")
    page.wait_for_selector("text=approved.")

    # An interview postponed 7 days: the due date moves 7 days on the board
    before = _board_due(page, number)
    page.goto(f"/cases/{number}/")
    page.locator("#postpone").evaluate("d => d.open = true")
    page.fill("#postpone input[name=days]", "7")
    page.fill("#postpone input[name=reason]", "Labor representative unavailable")
    page.click("#postpone button")
    page.wait_for_selector("text=Interview postponement of 7 days recorded.")
    after = _board_due(page, number)
    assert after - before == dt.timedelta(days=7)
    page.click(f"tr[data-case='{number}'] summary")
    assert "SMC 3.29.026.D" in page.inner_text(f"tr[data-case='{number}'] details")
