"""Users and roles in Chromium: the administrator signs in, opens "Users and roles" from
the home page, is told plainly when a username is taken, creates an investigator, gives
them the supervisor role, and deactivates them; the new person sets their password
through the mailed link, signs in, and is signed out by the deactivation. axe-core checks
every page of it (no serious or critical violation)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail

from oversight.rules import access as R

from .axe import axe

pytestmark = pytest.mark.django_db(transaction=True)
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

PASSWORD = "a-long-enough-Passphrase-42"


def _sign_in(page: Any, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r".*/$"))


def test_admin_creates_an_investigator_gives_the_supervisor_role_and_deactivates(page: Any, browser: Any, live_server):
    admin = User.objects.create_user("casey", "casey@opa.example.org", "pw", first_name="Casey", last_name="Admin")
    admin.groups.add(Group.objects.get(name=R.ADMINISTRATOR))
    User.objects.create_user("sam", "someone@opa.example.org", "pw")

    _sign_in(page, "casey", "pw")
    page.locator("ul.links").get_by_role("link", name="Users and roles").click()
    expect(page.locator("h1")).to_have_text("Users and roles")
    expect(page.locator("#people")).to_contain_text("Casey Admin")
    expect(page.locator("tr[data-username='casey']")).to_contain_text("Administrator")
    axe(page)

    page.get_by_role("link", name="Add a person").click()
    expect(page.locator("h1")).to_have_text("Add a person")
    axe(page)

    # a taken username: told which field, what was typed kept
    page.get_by_label("Username").fill("Sam")
    page.get_by_label("Full name").fill("Sam Okafor")
    page.get_by_label("Email").fill("sam.okafor@opa.example.org")
    page.get_by_label("Investigator", exact=True).check()
    page.get_by_role("button", name="Create the account").click()
    expect(page.locator("#errors")).to_contain_text("Username: 'Sam' is already taken")
    expect(page.get_by_label("Full name")).to_have_value("Sam Okafor")
    expect(page.get_by_label("Email")).to_have_value("sam.okafor@opa.example.org")
    expect(page.get_by_label("Investigator", exact=True)).to_be_checked()
    axe(page)

    page.get_by_label("Username").fill("sokafor")
    page.get_by_role("button", name="Create the account").click()
    page.wait_for_url(re.compile(r".*/people/\d+/$"))
    expect(page.locator("h1")).to_have_text("Sam Okafor")
    expect(page.locator("[role=status]")).to_contain_text("mailed to sam.okafor@opa.example.org")
    expect(page.locator("#roles-text")).to_have_text("Investigator")
    expect(page.locator("#history")).to_contain_text("Account created")
    axe(page)

    # the new person sets their password through the link, in a browser of their own
    (msg,) = [m for m in mail.outbox if m.to == ["sam.okafor@opa.example.org"]]
    link = re.search(r"https?://\S+/people/password/\S+/", msg.body).group(0)
    assert link.startswith(live_server.url)
    theirs = browser.new_context(base_url=live_server.url).new_page()
    theirs.goto(link)
    expect(theirs.locator("h1")).to_have_text("Set your password")
    axe(theirs)
    theirs.get_by_label("New password:", exact=True).fill(PASSWORD)
    theirs.get_by_label("New password confirmation").fill(PASSWORD)
    theirs.get_by_role("button", name="Set my password").click()
    expect(theirs.locator("h1")).to_have_text("Your password is set")
    axe(theirs)
    _sign_in(theirs, "sokafor", PASSWORD)
    expect(theirs.locator("header")).to_contain_text("Investigator")

    # the administrator gives the supervisor role
    page.reload()
    page.get_by_label("Investigation supervisor").check()
    page.get_by_role("button", name="Save the roles").click()
    expect(page.locator("[role=status]")).to_contain_text("given Investigation supervisor")
    expect(page.locator("#roles-text")).to_have_text("Investigator, Investigation supervisor")
    expect(page.locator("#history")).to_contain_text("Given: Investigation supervisor")
    theirs.goto("/intake/")
    expect(theirs.locator("h1")).not_to_have_text("Not allowed")

    # and deactivates them: they are signed out and cannot sign in again
    page.get_by_label("Reason (optional)").fill("Left OPA")
    page.get_by_role("button", name="Deactivate sokafor").click()
    expect(page.locator("#status-text")).to_contain_text("Deactivated")
    expect(page.locator("#history")).to_contain_text("Reason: Left OPA")
    expect(page.get_by_role("button", name="Reactivate sokafor")).to_be_visible()
    axe(page)
    theirs.goto("/")
    theirs.wait_for_url(re.compile(r".*/accounts/login/.*"))
    theirs.get_by_label("Username").fill("sokafor")
    theirs.get_by_label("Password").fill(PASSWORD)
    theirs.get_by_role("button", name="Log in").click()
    expect(theirs.locator(".error")).to_contain_text("did not match")
    theirs.context.close()

    page.get_by_role("link", name="← Users and roles").click()
    page.get_by_label("Status").select_option(label="Deactivated only")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("tr[data-username='sokafor']")).to_contain_text("Deactivated")
    expect(page.locator("#count")).to_have_text("1 person shown.")
    axe(page)


def test_someone_without_the_administrator_role_gets_the_refusal_page(page: Any) -> None:
    person = User.objects.create_user("lee", "lee@opa.example.org", "pw")
    person.groups.add(Group.objects.get(name=R.DIRECTOR))
    _sign_in(page, "lee", "pw")
    expect(page.get_by_role("link", name="Users and roles")).to_have_count(0)
    page.goto("/people/")
    expect(page.locator("h1")).to_have_text("Not allowed")
    expect(page.locator("#refusal")).to_contain_text("Only Administrator may create users")
    axe(page)
