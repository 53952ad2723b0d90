"""Fixtures every database-backed test folder shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: Any, tmp_path: Any) -> None:
    """Cheap password hashing, and uploaded files in a folder of the test's own."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    """A user in the named roles (Django groups, created by the apps' migrations)."""
    from django.contrib.auth.models import Group, User

    def make(username: str, *roles: str) -> User:
        user = User.objects.create_user(username, f"{username}@opa.example.org", "pw")
        for role in roles:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make
