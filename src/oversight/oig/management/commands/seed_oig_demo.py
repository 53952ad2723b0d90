"""Demo logins for OIG: an auditor and the Inspector General (the demo logins of every office)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from oversight.cases.seed import DEMO_USERS, ensure_demo_users
from oversight.rules import access as A


class Command(BaseCommand):
    help = "Create the demo logins, OIG's among them (auditor, ig)."

    def handle(self, *args: Any, **opts: Any) -> None:
        ensure_demo_users()
        oig = [(u, r) for u, r, _ in DEMO_USERS if r in A.OIG_STAFF]
        self.stdout.write("OIG demo logins: " + ", ".join(f"{u} ({r})" for u, r in oig))
