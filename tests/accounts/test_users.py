"""Users and roles, managed by the administrator in the app (issue 11, item 5): create a
person, give and take roles, deactivate; every change audited; everyone else refused.

Written from what the office needs: the administrator can bring a new investigator in
without touching the database, the investigator then opens what an investigator may and
nothing else, a deactivated person can no longer sign in, the office can never be left
without an administrator, and no one else can change who holds which role.
"""

from __future__ import annotations

import html
import re
import socket
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.utils.html import escape

from oversight import access
from oversight.accounts import actions
from oversight.cases.models import AuditEntry
from oversight.rules import access as R

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^/\s]+(/people/password/[^\s]+/)")
PASSWORD = "a-long-enough-Passphrase-42"


@pytest.fixture
def admin(make_user: Callable[..., User]) -> User:
    return make_user("casey", R.ADMINISTRATOR)


@pytest.fixture
def as_admin(admin: User) -> Client:
    c = Client()
    c.force_login(admin)
    return c


def _client(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _entries(action: str, person: User | None = None) -> list[AuditEntry]:
    qs = AuditEntry.objects.filter(action=action, case__isnull=True)
    if person is not None:
        qs = qs.filter(detail__user_id=person.pk)
    return list(qs.order_by("at", "pk"))


def _new(client: Client, **over: Any) -> Any:
    data: dict[str, Any] = {
        "username": "sokafor",
        "full_name": "Sam Okafor",
        "email": "sam.okafor@opa.example.org",
        "roles": [R.INVESTIGATOR],
        "send_link": "on",
    }
    data.update(over)
    return client.post("/people/new/", {k: v for k, v in data.items() if v is not None})


def _set_password_through(link_path: str, password: str = PASSWORD) -> Client:
    """Follow the mailed link as the new person would, in a browser of their own."""
    c = Client()
    r = c.get(link_path)
    assert r.status_code == 302, "Django's confirm view trades the token for a session and redirects"
    form_url = r["Location"]
    r = c.get(form_url)
    assert r.status_code == 200 and b"Set your password" in r.content
    r = c.post(form_url, {"new_password1": password, "new_password2": password})
    assert r.status_code == 302 and r["Location"] == "/people/password/done/"
    assert b"Your password is set" in c.get(r["Location"]).content
    return c


def _mailed_link(to: str) -> str:
    msg = next(m for m in reversed(mail.outbox) if m.to == [to])
    found = LINK.search(msg.body)
    assert found, msg.body
    return found.group(1)


def _text(response: Any) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


# --------------------------------------------------------------------------
# The administrator brings a person in; they open what their role allows
# --------------------------------------------------------------------------


def test_admin_creates_an_investigator_who_sets_a_password_and_opens_an_investigators_pages(as_admin, admin):
    r = _new(as_admin)
    person = User.objects.get(username="sokafor")
    assert r.status_code == 302 and r["Location"] == f"/people/{person.pk}/"
    assert person.get_full_name() == "Sam Okafor" and person.email == "sam.okafor@opa.example.org"
    assert access.roles_of(person) == {R.INVESTIGATOR}
    assert not person.has_usable_password(), "no password until they set one through the link"

    (created,) = _entries("user_created", person)
    assert created.user == admin
    assert created.detail["username"] == "sokafor" and created.detail["roles"] == [R.INVESTIGATOR]
    (sent,) = _entries("password_link_sent", person)
    assert sent.detail["email"] == "sam.okafor@opa.example.org"

    # the person's page says what was done, in labels
    page = _text(as_admin.get(f"/people/{person.pk}/"))
    assert "Account created" in page and "Roles: Investigator" in page and "Set-password link sent" in page
    assert "Not set yet" in page

    # before setting a password there is none to sign in with
    assert not Client().login(username="sokafor", password="")

    (msg,) = mail.outbox
    assert msg.to == ["sam.okafor@opa.example.org"] and "password" in msg.subject.lower()
    assert "sokafor" in msg.body
    link = _mailed_link("sam.okafor@opa.example.org")
    _set_password_through(link)

    person.refresh_from_db()
    assert person.has_usable_password()
    (set_entry,) = _entries("password_set", person)
    assert set_entry.user == person

    c = Client()
    assert c.login(username="sokafor", password=PASSWORD)
    board = c.get("/board/")
    assert board.status_code == 200, "an investigator opens OPA's deadline board"
    assert b"Investigator" in board.content and b'href="/people/"' not in board.content
    for path in ("/people/", "/oig/queue/", "/intake/"):
        assert c.get(path).status_code == 403, path

    # the link worked once
    dead = Client().get(link, follow=True)
    assert b"This link no longer works" in dead.content


def test_the_administrator_opens_users_and_roles_from_their_home_page(as_admin):
    home = as_admin.get("/")
    assert b'href="/people/"' in home.content and b"Users and roles" in home.content
    assert as_admin.get("/people/").status_code == 200
    assert as_admin.get("/people/new/").status_code == 200


def test_a_person_created_without_a_link_gets_one_later_from_their_page(as_admin):
    _new(as_admin, send_link=None, roles=[R.OIG_AUDITOR])
    person = User.objects.get(username="sokafor")
    assert mail.outbox == [] and _entries("password_link_sent", person) == []
    r = as_admin.post(f"/people/{person.pk}/password-link/")
    assert r.status_code == 302
    _set_password_through(_mailed_link(person.email))
    c = Client()
    assert c.login(username="sokafor", password=PASSWORD)
    assert c.get("/oig/queue/").status_code == 200, "an OIG auditor opens OIG's review queue"
    assert c.get("/board/").status_code == 403


# --------------------------------------------------------------------------
# Roles given and taken, audited
# --------------------------------------------------------------------------


def test_roles_given_and_taken_are_audited_and_take_effect(as_admin, admin, make_user):
    person = make_user("lee", R.INVESTIGATOR)
    c = _client(person)
    assert c.get("/intake/").status_code == 403, "an investigator does not take in complaints"

    r = as_admin.post(f"/people/{person.pk}/roles/", {"roles": [R.INVESTIGATOR, R.SUPERVISOR]})
    assert r.status_code == 302
    assert access.roles_of(User.objects.get(pk=person.pk)) == {R.INVESTIGATOR, R.SUPERVISOR}
    assert c.get("/intake/").status_code == 200, "a supervisor takes in complaints (open_case)"

    r = as_admin.post(f"/people/{person.pk}/roles/", {"roles": [R.SUPERVISOR]})
    assert r.status_code == 302
    assert access.roles_of(User.objects.get(pk=person.pk)) == {R.SUPERVISOR}

    given, taken = _entries("roles_changed", person)
    assert given.user == admin and given.detail["given"] == [R.SUPERVISOR] and given.detail["taken"] == []
    assert taken.detail["given"] == [] and taken.detail["taken"] == [R.INVESTIGATOR]
    assert taken.detail["username"] == "lee"

    page = _text(as_admin.get(f"/people/{person.pk}/"))
    assert "Given: Investigation supervisor" in page and "Taken: Investigator" in page
    for code in (R.SUPERVISOR, "oig_auditor", "cpc_staff", "city_attorney"):
        assert code not in page, f"raw code {code} on the page"

    # the same roles again change nothing and record nothing
    as_admin.post(f"/people/{person.pk}/roles/", {"roles": [R.SUPERVISOR]})
    assert len(_entries("roles_changed", person)) == 2


def test_the_role_checkboxes_are_grouped_by_office_with_labels(as_admin, make_user):
    person = make_user("lee", R.INVESTIGATOR)
    markup = as_admin.get(f"/people/{person.pk}/").content.decode()
    for office in (R.OPA, R.OIG, R.CPC, R.SPD, R.LAW):
        assert f"<legend>{escape(office)}</legend>" in markup
    assert re.search(r'value="investigator" checked> Investigator</label>', markup)
    assert re.search(r'value="investigation_supervisor"> Investigation supervisor</label>', markup)


def test_taking_the_administrator_role_from_a_superuser_takes_it_whichever_way_it_was_held(admin, make_user):
    other = User.objects.create_superuser("root", "root@example.org", "pw")
    assert access.roles_of(other) == {R.ADMINISTRATOR}
    actions.set_roles(admin, other, [R.DIRECTOR])
    other = User.objects.get(pk=other.pk)
    assert access.roles_of(other) == {R.DIRECTOR} and not other.is_superuser


def test_name_and_email_corrections_are_audited(as_admin, make_user):
    person = make_user("lee", R.INVESTIGATOR)
    r = as_admin.post(f"/people/{person.pk}/details/", {"full_name": "Lee Marchetti", "email": "lee.m@opa.example.org"})
    assert r.status_code == 302
    person.refresh_from_db()
    assert person.get_full_name() == "Lee Marchetti" and person.email == "lee.m@opa.example.org"
    (e,) = _entries("user_details_changed", person)
    assert e.detail["changed"]["email"] == ["lee@opa.example.org", "lee.m@opa.example.org"]
    assert "Email: lee@opa.example.org → lee.m@opa.example.org" in _text(as_admin.get(f"/people/{person.pk}/"))


# --------------------------------------------------------------------------
# Deactivation
# --------------------------------------------------------------------------


def test_deactivation_stops_sign_in_ends_the_session_and_takes_every_role(as_admin, admin, make_user):
    person = make_user("lee", R.INVESTIGATOR)  # password "pw"
    session = _client(person)
    assert session.get("/board/").status_code == 200

    r = as_admin.post(f"/people/{person.pk}/deactivate/", {"reason": "Left OPA"})
    assert r.status_code == 302
    person.refresh_from_db()
    assert not person.is_active and access.roles_of(person) == frozenset()

    assert session.get("/board/").status_code == 302, "the open session no longer counts"
    assert not Client().login(username="lee", password="pw")
    login = Client().post("/accounts/login/", {"username": "lee", "password": "pw"})
    assert login.status_code == 200 and b"did not match" in login.content

    (e,) = _entries("user_deactivated", person)
    assert e.user == admin and e.detail["reason"] == "Left OPA" and e.detail["roles_kept"] == [R.INVESTIGATOR]
    listing = _text(as_admin.get("/people/?status=inactive"))
    assert "lee" in listing and "Deactivated" in listing and "not held while deactivated" in listing

    # a deactivated person gets no link
    assert as_admin.post(f"/people/{person.pk}/password-link/").status_code == 400
    assert mail.outbox == []

    r = as_admin.post(f"/people/{person.pk}/reactivate/")
    assert r.status_code == 302
    assert _entries("user_reactivated", person)[0].detail["roles"] == [R.INVESTIGATOR]
    c = Client()
    assert c.login(username="lee", password="pw") and c.get("/board/").status_code == 200


def test_a_link_sent_before_deactivation_no_longer_works(admin, make_user):
    person = make_user("lee", R.INVESTIGATOR)
    actions.send_password_link(admin, person, base_url="http://testserver/")
    link = _mailed_link(person.email)
    actions.deactivate(admin, person)
    r = Client().get(link, follow=True)
    assert b"This link no longer works" in r.content and b"new_password1" not in r.content


def test_a_tampered_link_does_not_work(admin, make_user):
    person = make_user("lee", R.INVESTIGATOR)
    actions.send_password_link(admin, person, base_url="http://testserver/")
    uid, token = _mailed_link(person.email).strip("/").split("/")[-2:]
    r = Client().get(f"/people/password/{uid}/{token[:-2]}xx/", follow=True)
    assert b"This link no longer works" in r.content


# --------------------------------------------------------------------------
# The guards, each naming its field; nothing written
# --------------------------------------------------------------------------


def test_a_taken_username_is_refused_and_the_form_keeps_what_was_typed(as_admin, make_user):
    make_user("sokafor", R.INTAKE)
    before = AuditEntry.objects.count()
    r = _new(as_admin, username="SOkafor", roles=[R.INVESTIGATOR, R.SUPERVISOR])
    assert r.status_code == 400
    page = _text(r)
    assert "Nothing was saved" in page and "Username: 'SOkafor' is already taken" in page
    markup = r.content.decode()
    for typed in ("SOkafor", "Sam Okafor", "sam.okafor@opa.example.org"):
        assert f'value="{typed}"' in markup, typed
    assert 'value="investigator" checked' in markup and 'value="investigation_supervisor" checked' in markup
    assert 'value="director" checked' not in markup
    assert User.objects.filter(username__iexact="sokafor").count() == 1
    assert AuditEntry.objects.count() == before and mail.outbox == []


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"email": "not-an-address"}, "Email"),
        ({"email": ""}, "Email"),
        ({"username": ""}, "Username"),
        ({"username": "has space"}, "Username"),
        ({"full_name": "  "}, "Full name"),
        ({"roles": ["chief_of_everything"]}, "Roles"),
    ],
)
def test_bad_input_to_create_names_the_field_and_saves_nothing(as_admin, over, field):
    before = (User.objects.count(), AuditEntry.objects.count())
    r = _new(as_admin, **over)
    assert r.status_code == 400
    assert f"{field}:" in _text(r)
    assert (User.objects.count(), AuditEntry.objects.count()) == before and mail.outbox == []


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"username": "lee", "email": "lee@example.org"}, "username"),
        ({"email": "lee@"}, "email"),
        ({"email": ""}, "email"),
        ({"roles": ["investigator", "overlord"]}, "roles"),
        ({"full_name": ""}, "full_name"),
    ],
)
def test_the_action_itself_guards_create(admin, make_user, kwargs, field):
    make_user("lee")
    args = {"username": "sam", "full_name": "Sam Okafor", "email": "sam@opa.example.org", "roles": []} | kwargs
    with pytest.raises(actions.ActionError) as e:
        actions.create_user(admin, **args)
    assert e.value.field == field
    assert not User.objects.filter(username="sam").exists() and AuditEntry.objects.count() == 0


def test_an_unknown_role_is_refused_and_nothing_changes(as_admin, make_user):
    person = make_user("lee", R.INVESTIGATOR)
    r = as_admin.post(f"/people/{person.pk}/roles/", {"roles": [R.DIRECTOR, "superhero"]})
    assert r.status_code == 400 and "Roles: 'superhero' is not a role" in _text(r)
    assert 'value="director" checked' in r.content.decode(), "what was ticked is kept"
    assert access.roles_of(User.objects.get(pk=person.pk)) == {R.INVESTIGATOR}
    assert _entries("roles_changed") == []


def test_an_administrator_cannot_deactivate_themselves(as_admin, admin):
    r = as_admin.post(f"/people/{admin.pk}/deactivate/", {"reason": "testing"})
    assert r.status_code == 400 and "Account: you cannot deactivate your own account" in _text(r)
    admin.refresh_from_db()
    assert admin.is_active and _entries("user_deactivated") == []
    with pytest.raises(actions.ActionError) as e:
        actions.deactivate(admin, admin)
    assert e.value.field == "user"


def test_the_last_active_administrators_role_cannot_be_taken(as_admin, admin, make_user):
    r = as_admin.post(f"/people/{admin.pk}/roles/", {"roles": [R.DIRECTOR]})
    assert r.status_code == 400 and "the last active administrator" in _text(r)
    assert access.roles_of(User.objects.get(pk=admin.pk)) == {R.ADMINISTRATOR}
    assert _entries("roles_changed") == []

    # a deactivated administrator does not count
    second = make_user("robin", R.ADMINISTRATOR)
    actions.deactivate(admin, second)
    with pytest.raises(actions.ActionError, match="last active administrator") as e:
        actions.set_roles(admin, admin, [])
    assert e.value.field == "roles"

    # with another active administrator the role can be handed over
    actions.reactivate(admin, second)
    actions.set_roles(admin, admin, [R.DIRECTOR])
    assert access.roles_of(User.objects.get(pk=admin.pk)) == {R.DIRECTOR}
    with pytest.raises(actions.ActionError, match="last active administrator"):
        actions.set_roles(second, second, [])


def test_taking_ones_own_administrator_role_lands_on_the_home_page(as_admin, admin, make_user):
    make_user("robin", R.ADMINISTRATOR)
    r = as_admin.post(f"/people/{admin.pk}/roles/", {"roles": [R.DIRECTOR]})
    assert r.status_code == 302 and r["Location"] == "/"
    assert as_admin.get("/people/").status_code == 403


def test_an_administrator_may_deactivate_another_administrator(admin, make_user):
    second = make_user("robin", R.ADMINISTRATOR)
    actions.deactivate(admin, second)
    second = User.objects.get(pk=second.pk)
    assert not second.is_active and access.roles_of(second) == frozenset()
    assert access.roles_of(User.objects.get(pk=admin.pk)) == {R.ADMINISTRATOR}


# --------------------------------------------------------------------------
# Everyone else is refused, and nothing is written
# --------------------------------------------------------------------------


@pytest.mark.parametrize("role", [R.INVESTIGATOR, R.DIRECTOR, R.INSPECTOR_GENERAL, R.CHIEF, None])
def test_everyone_but_the_administrator_is_refused_and_nothing_is_written(make_user, admin, role):
    person = make_user("lee", R.INVESTIGATOR)
    actor = make_user("other", *([role] if role else []))
    c = _client(actor)
    before = (User.objects.count(), AuditEntry.objects.count())
    for path in ("/people/", "/people/new/", f"/people/{person.pk}/", "/people/?role=administrator"):
        r = c.get(path)
        assert r.status_code == 403, path
        page = _text(r)
        assert "Not allowed" in page and "Only Administrator may create users, give and take roles" in page
        assert "Your home page" in page and "ask them if yours are not right" in page
    posts = [
        ("/people/new/", {"username": "x", "full_name": "X Y", "email": "x@example.org", "roles": [R.DIRECTOR]}),
        (f"/people/{person.pk}/roles/", {"roles": [R.DIRECTOR, R.ADMINISTRATOR]}),
        (f"/people/{actor.pk}/roles/", {"roles": [R.ADMINISTRATOR]}),
        (f"/people/{person.pk}/deactivate/", {"reason": "no"}),
        (f"/people/{person.pk}/reactivate/", {}),
        (f"/people/{person.pk}/details/", {"full_name": "Changed", "email": "changed@example.org"}),
        (f"/people/{person.pk}/password-link/", {}),
    ]
    for path, data in posts:
        assert c.post(path, data).status_code == 403, path
    assert (User.objects.count(), AuditEntry.objects.count()) == before and mail.outbox == []
    person = User.objects.get(pk=person.pk)
    assert access.roles_of(person) == {R.INVESTIGATOR} and person.is_active and person.get_full_name() == ""
    assert access.roles_of(User.objects.get(pk=actor.pk)) == ({role} if role else frozenset())


def test_the_actions_refuse_a_non_administrator(make_user):
    director = make_user("jordan", R.DIRECTOR)
    person = make_user("lee", R.INVESTIGATOR)
    calls = [
        lambda: actions.create_user(director, username="x", full_name="X", email="x@example.org"),
        lambda: actions.set_roles(director, person, [R.ADMINISTRATOR]),
        lambda: actions.deactivate(director, person),
        lambda: actions.reactivate(director, person),
        lambda: actions.update_details(director, person, full_name="X", email="x@example.org"),
        lambda: actions.send_password_link(director, person),
    ]
    for call in calls:
        with pytest.raises(access.Refused):
            call()
    assert AuditEntry.objects.count() == 0 and mail.outbox == []


def test_a_deactivated_administrator_is_refused(admin, make_user):
    second = make_user("robin", R.ADMINISTRATOR)
    actions.deactivate(admin, second)
    with pytest.raises(access.Refused):
        actions.create_user(User.objects.get(pk=second.pk), username="x", full_name="X", email="x@example.org")


def test_signed_out_visitors_are_sent_to_sign_in(make_user):
    person = make_user("lee")
    for path in ("/people/", "/people/new/", f"/people/{person.pk}/"):
        r = Client().get(path)
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/?next=")


# --------------------------------------------------------------------------
# The list: filters, roles by label, last sign-in; the audit keeps no password
# --------------------------------------------------------------------------


def test_the_list_filters_by_role_and_status_and_shows_labels_and_last_sign_in(as_admin, admin, make_user):
    lee = make_user("lee", R.INVESTIGATOR, R.SUPERVISOR)
    make_user("kit", R.OIG_AUDITOR)
    gone = make_user("gone", R.INVESTIGATOR)
    actions.deactivate(admin, gone)
    Client().login(username="kit", password="pw")

    everyone = as_admin.get("/people/")
    markup = everyone.content.decode()
    for u in ("casey", "lee", "kit", "gone"):
        assert f'data-username="{u}"' in markup
    row = re.search(r'<tr data-username="lee">.*?</tr>', markup, re.S).group(0)
    assert "Investigator, Investigation supervisor" in row and "Never" in row and "Active" in row
    kit_row = re.search(r'<tr data-username="kit">.*?</tr>', markup, re.S).group(0)
    assert "OIG auditor" in kit_row and "Never" not in kit_row
    text = _text(everyone)
    for code in ("investigation_supervisor", "oig_auditor", "cpc_staff", "inspector_general"):
        assert code not in text, code

    inv = as_admin.get("/people/", {"role": R.INVESTIGATOR}).content.decode()
    assert 'data-username="lee"' in inv and 'data-username="gone"' in inv and 'data-username="kit"' not in inv
    active_inv = as_admin.get("/people/", {"role": R.INVESTIGATOR, "status": "active"}).content.decode()
    assert 'data-username="lee"' in active_inv and 'data-username="gone"' not in active_inv
    admins = as_admin.get("/people/", {"role": R.ADMINISTRATOR}).content.decode()
    assert 'data-username="casey"' in admins and 'data-username="lee"' not in admins
    assert lee.pk  # the link to each person's page
    assert f'href="/people/{lee.pk}/"' in markup


def test_no_audit_entry_holds_a_password(as_admin, admin):
    _new(as_admin)
    person = User.objects.get(username="sokafor")
    _set_password_through(_mailed_link(person.email))
    person.refresh_from_db()
    entries = AuditEntry.objects.filter(case__isnull=True)
    assert {e.action for e in entries} == {"user_created", "password_link_sent", "password_set"}
    for e in entries:
        blob = repr(e.detail).lower()
        assert PASSWORD.lower() not in blob and person.password.lower() not in blob and "password" not in e.detail


def test_every_error_of_a_new_person_shows_at_once(as_admin, make_user):
    make_user("sokafor")
    r = _new(as_admin, email="sam@", full_name="")
    text = _text(r)
    assert r.status_code == 400
    assert "Username: 'sokafor' is already taken" in text and "Email: 'sam@' is not a valid email address" in text
    assert "Full name: This field is required" in text


def test_a_link_that_cannot_be_mailed_is_not_recorded_as_sent(as_admin, admin, settings):
    with socket.socket() as s:  # a port where no mail server listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }
    r = _new(as_admin)
    person = User.objects.get(username="sokafor")
    assert r.status_code == 302, "the account is made; the link can be sent again"
    assert "But no link was sent: the mail to sam.okafor@opa.example.org could not be sent" in _text(
        as_admin.get(r["Location"])
    )
    assert _entries("user_created", person) and _entries("password_link_sent", person) == []
    with pytest.raises(actions.ActionError) as e:
        actions.send_password_link(admin, person)
    assert e.value.field == "email" and _entries("password_link_sent", person) == []
