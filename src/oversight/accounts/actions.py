"""The one door for writes to accounts: the administrator's, each in one transaction.

Every function checks ``manage_users`` in the one access model (``oversight.access``),
changes the account, and writes an audit entry (``oversight.cases.actions.audit``, with
no case) whose detail names the person and what changed, never a password. A refused or
failed write leaves nothing behind. Bad input raises ``ActionError`` naming the field.

A role is a Django group named by the role's code (``rules.access.ROLES``); a superuser
counts as an administrator. A deactivated person cannot sign in and holds no role
(``oversight.access.roles_of``); the roles they were given are kept, and held again if
they are reactivated. A new person has an unusable password until they set one through
the link (Django's ``PasswordResetForm`` and ``default_token_generator``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template import loader

from oversight import access
from oversight.cases.actions import ActionError, audit
from oversight.rules import access as A

from .roles import assigned

__all__ = [
    "ActionError",
    "create_user",
    "set_roles",
    "update_details",
    "deactivate",
    "reactivate",
    "send_password_link",
    "set_password_from_link",
]

MANAGE = "manage_users"
NAME_MAX = 150  # first_name and last_name are 150 characters each in Django's User


def _require(actor: Any) -> None:
    access.require(actor, MANAGE)


def _forget_roles(*users: Any) -> None:
    """Drop ``roles_of``'s cache on these user objects: their roles just changed."""
    for u in users:
        if u is not None and hasattr(u, "_oversight_roles"):
            del u._oversight_roles


def _who(person: Any) -> dict[str, Any]:
    return {"username": person.get_username(), "user_id": person.pk}


# --------------------------------------------------------------------------
# Checks of input (the forms ask them too, so that every error shows at once)
# --------------------------------------------------------------------------


def check_username(value: str | None) -> str:
    User = get_user_model()
    name = (value or "").strip()
    if not name:
        raise ActionError("username", "is required")
    field = User._meta.get_field(User.USERNAME_FIELD)
    if field.max_length and len(name) > field.max_length:
        raise ActionError("username", f"is longer than {field.max_length} characters")
    try:
        User.username_validator(name)  # type: ignore[attr-defined]
    except ValidationError:
        raise ActionError("username", "may hold only letters, digits and @ . + - _") from None
    if User._default_manager.filter(**{f"{User.USERNAME_FIELD}__iexact": name}).exists():
        raise ActionError("username", f"{name!r} is already taken")
    return name


def check_full_name(value: str | None) -> tuple[str, str]:
    """First and last name from a full name: the first word, and the rest."""
    full = " ".join((value or "").split())
    if not full:
        raise ActionError("full_name", "is required")
    first, _, last = full.partition(" ")
    if len(first) > NAME_MAX or len(last) > NAME_MAX:
        raise ActionError("full_name", f"is too long (at most {NAME_MAX} characters a part)")
    return first, last


def check_email(value: str | None) -> str:
    email = (value or "").strip()
    if not email:
        raise ActionError("email", "is required: the set-password link goes there")
    try:
        validate_email(email)
    except ValidationError:
        raise ActionError("email", f"{email!r} is not a valid email address") from None
    return get_user_model()._default_manager.normalize_email(email)  # type: ignore[attr-defined]


def _roles(codes: Iterable[str]) -> frozenset[str]:
    wanted = frozenset(c for c in codes if c)
    unknown = sorted(wanted - set(A.ROLES))
    if unknown:
        raise ActionError("roles", f"{', '.join(repr(c) for c in unknown)} is not a role")
    return wanted


# --------------------------------------------------------------------------
# The last active administrator
# --------------------------------------------------------------------------


def _lock_administrators() -> None:
    """Serialize every change that could leave no active administrator: the administrator
    group's row is the lock (a no-op on SQLite, whose writers are serialized anyway)."""
    group, _ = Group.objects.get_or_create(name=A.ADMINISTRATOR)
    Group.objects.select_for_update().filter(pk=group.pk).first()


def _active_administrators() -> set[int]:
    User = get_user_model()
    q = Q(groups__name=A.ADMINISTRATOR) | Q(is_superuser=True)
    return set(User._default_manager.filter(q, is_active=True).values_list("pk", flat=True))


def _not_last_administrator(person: Any, field: str, what: str) -> None:
    others = _active_administrators() - {person.pk}
    if not others:
        raise ActionError(
            field,
            f"{person.get_username()} is the last active administrator; {what} would leave no one "
            "to manage users. Give the Administrator role to someone else first.",
        )


def _locked(person: Any) -> Any:
    """The person's row, locked, as the database has it now (no cached groups)."""
    return get_user_model()._default_manager.select_for_update().get(pk=person.pk)


# --------------------------------------------------------------------------
# The actions
# --------------------------------------------------------------------------


def create_user(actor: Any, *, username: str, full_name: str, email: str, roles: Iterable[str] = ()) -> Any:
    """A new person with ``roles`` and an unusable password (they set one through the link)."""
    _require(actor)
    name = check_username(username)
    first, last = check_full_name(full_name)
    address = check_email(email)
    wanted = _roles(roles)
    User = get_user_model()
    with transaction.atomic():
        person = User._default_manager.create_user(name, address, None)  # type: ignore[attr-defined]
        person.first_name, person.last_name = first, last
        person.save(update_fields=["first_name", "last_name"])
        for code in sorted(wanted):
            person.groups.add(Group.objects.get_or_create(name=code)[0])
        audit(
            actor,
            "user_created",
            None,
            **_who(person),
            full_name=person.get_full_name(),
            email=address,
            roles=sorted(wanted),
        )
    return person


def set_roles(actor: Any, person: Any, roles: Iterable[str]) -> tuple[list[str], list[str]]:
    """Give ``person`` exactly ``roles``: the ones not held are given, the others taken.
    Returns (given, taken), as codes; nothing is written when nothing changes."""
    _require(actor)
    wanted = _roles(roles)
    with transaction.atomic():
        _lock_administrators()
        _forget_roles(actor)
        _require(actor)  # again, under the lock: the actor may just have lost the role
        locked = _locked(person)
        before = assigned(locked)
        given = sorted(wanted - before)
        taken = sorted(before - wanted)
        if not given and not taken:
            return [], []
        if A.ADMINISTRATOR in taken and locked.is_active:
            _not_last_administrator(locked, "roles", "taking the Administrator role from them")
        for code in given:
            locked.groups.add(Group.objects.get_or_create(name=code)[0])
        if taken:
            locked.groups.remove(*Group.objects.filter(name__in=taken))
        if A.ADMINISTRATOR in taken and locked.is_superuser:
            # the role is taken whichever way it was held
            locked.is_superuser = False
            locked.save(update_fields=["is_superuser"])
        audit(
            actor,
            "roles_changed",
            None,
            **_who(locked),
            given=given,
            taken=taken,
            roles=sorted(wanted),
        )
    _forget_roles(person, actor)
    return given, taken


def update_details(actor: Any, person: Any, *, full_name: str, email: str) -> dict[str, list[str]]:
    """Correct a person's name or email address. Returns what changed: {field: [old, new]}."""
    _require(actor)
    first, last = check_full_name(full_name)
    address = check_email(email)
    with transaction.atomic():
        locked = _locked(person)
        changed: dict[str, list[str]] = {}
        old_name = locked.get_full_name()
        locked.first_name, locked.last_name = first, last
        if locked.get_full_name() != old_name:
            changed["full_name"] = [old_name, locked.get_full_name()]
        if address != locked.email:
            changed["email"] = [locked.email, address]
            locked.email = address
        if not changed:
            return {}
        locked.save(update_fields=["first_name", "last_name", "email"])
        audit(actor, "user_details_changed", None, **_who(locked), changed=changed)
    return changed


def deactivate(actor: Any, person: Any, *, reason: str = "") -> None:
    """The person can no longer sign in and holds no role; their roles are kept for a
    reactivation. An administrator cannot deactivate themselves, nor the last active one."""
    _require(actor)
    if actor is not None and person.pk == actor.pk:
        raise ActionError("user", "you cannot deactivate your own account; ask another administrator")
    with transaction.atomic():
        _lock_administrators()
        _forget_roles(actor)
        _require(actor)  # again, under the lock: the actor may just have lost the role
        locked = _locked(person)
        if not locked.is_active:
            raise ActionError("user", f"{locked.get_username()} is already deactivated")
        if A.ADMINISTRATOR in assigned(locked):
            _not_last_administrator(locked, "user", "deactivating them")
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        audit(
            actor,
            "user_deactivated",
            None,
            **_who(locked),
            reason=" ".join((reason or "").split()),
            roles_kept=sorted(assigned(locked)),
        )
    person.is_active = False
    _forget_roles(person)


def reactivate(actor: Any, person: Any) -> None:
    """The person can sign in again and holds the roles they were given."""
    _require(actor)
    with transaction.atomic():
        locked = _locked(person)
        if locked.is_active:
            raise ActionError("user", f"{locked.get_username()} is already active")
        locked.is_active = True
        locked.save(update_fields=["is_active"])
        audit(actor, "user_reactivated", None, **_who(locked), roles=sorted(assigned(locked)))
    person.is_active = True
    _forget_roles(person)


def has_second_factor(person: Any) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=person, confirmed=True).exists()


def reset_second_factor(actor: Any, person: Any) -> None:
    """A person who lost their phone and their recovery codes: their authenticator app and
    recovery codes stop working, and they set up a new one at their next sign-in."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _require(actor)
    with transaction.atomic():
        locked = _locked(person)
        if (
            not TOTPDevice.objects.filter(user=locked).exists()
            and not StaticDevice.objects.filter(user=locked).exists()
        ):
            raise ActionError("user", f"{locked.get_username()} has no second factor set up")
        TOTPDevice.objects.filter(user=locked).delete()
        StaticDevice.objects.filter(user=locked).delete()
        audit(actor, "second_factor_reset", None, **_who(locked))


# --------------------------------------------------------------------------
# The set-password link: Django's PasswordResetForm, token generator and confirm view
# --------------------------------------------------------------------------

SUBJECT_TEMPLATE = "accounts/password_set_subject.txt"
EMAIL_TEMPLATE = "accounts/password_set_email.txt"


class _LinkForm(PasswordResetForm):
    """Django's form, aimed at the one person the administrator chose (not everyone who
    shares the address, and also while the password is still unusable), and letting a
    failed send fail the action instead of only logging it."""

    def __init__(self, person: Any) -> None:
        super().__init__({"email": person.email})
        self.person = person

    def get_users(self, email: str) -> Iterable[Any]:
        return [self.person] if self.person.is_active else []

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        EmailMultiAlternatives(subject, body, from_email, [to_email]).send()


def link_days() -> int:
    """How many days a set-password link works (Django's PASSWORD_RESET_TIMEOUT)."""
    return max(1, int(settings.PASSWORD_RESET_TIMEOUT) // 86400)


def send_password_link(actor: Any, person: Any, *, base_url: str | None = None) -> str:
    """Mail ``person`` a one-use link to set their password, to the address on their
    account; the link opens this site at ``base_url``. Returns the address."""
    _require(actor)
    with transaction.atomic():
        locked = _locked(person)
        if not locked.is_active:
            raise ActionError("user", f"{locked.get_username()} is deactivated; reactivate them first")
        if not locked.email:
            raise ActionError("email", f"{locked.get_username()} has no email address; add one first")
        form = _LinkForm(locked)
        if not form.is_valid():
            raise ActionError("email", f"{locked.email!r} is not a valid email address")
        parts = urlsplit(base_url or settings.OVERSIGHT_PUBLIC_BASE_URL)
        audit(actor, "password_link_sent", None, **_who(locked), email=locked.email)
        try:
            form.save(
                domain_override=parts.netloc or "127.0.0.1:8000",
                use_https=parts.scheme == "https",
                subject_template_name=SUBJECT_TEMPLATE,
                email_template_name=EMAIL_TEMPLATE,
                extra_email_context={"days": link_days(), "had_password": locked.has_usable_password()},
            )
        except OSError as e:  # smtplib's errors among them: the entry above is rolled back
            raise ActionError("email", f"the mail to {locked.email} could not be sent ({e})") from e
    return str(locked.email)


def set_password_from_link(form: SetPasswordForm) -> Any:
    """The person set their password through a valid link (Django's confirm view checked
    the token): save it and record that they did, never what it is."""
    with transaction.atomic():
        person = form.save()
        audit(person, "password_set", None, **_who(person))
    return person
