"""Demo logins for OIG: an auditor and the Inspector General (the demo password of the OPA logins)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from oversight.cases.seed import DEMO_PASSWORD
from oversight.oig import roles as OR

OIG_DEMO_USERS = [("auditor", OR.OIG_AUDITOR, "Robin Auditor"), ("ig", OR.INSPECTOR_GENERAL, "Avery Inspector")]


class Command(BaseCommand):
    help = "Create the OIG demo logins (auditor, ig)."

    def handle(self, *args: Any, **opts: Any) -> None:
        User = get_user_model()
        for username, role, full in OIG_DEMO_USERS:
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.first_name, _, user.last_name = full.partition(" ")
                user.email = f"{username}@oig.example.org"
                user.password = make_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(Group.objects.get_or_create(name=role)[0])
        self.stdout.write("OIG demo logins: " + ", ".join(f"{u} ({r})" for u, r, _ in OIG_DEMO_USERS))
