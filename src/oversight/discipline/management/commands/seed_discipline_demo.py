"""Demo logins for the Chief and the City Attorney, and demo cases taken through decisions and appeals."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from oversight.cases.seed import DEMO_PASSWORD
from oversight.discipline.seed import DEMO_USERS, seed, seed_history


class Command(BaseCommand):
    help = "After seed_demo: add the Chief's and the City Attorney's logins and take demo cases through appeals."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--cases", type=int, default=12)

    def handle(self, *args: Any, cases: int, **opts: Any) -> None:
        n = seed(timezone.localdate(), cases)
        self.stdout.write(f"Discipline demo: {n} cases taken through the Chief's decision.")
        h = seed_history()
        self.stdout.write(f"Discipline demo: the findings and decisions of {h} closed cases, as their history.")
        self.stdout.write(f"Logins (password {DEMO_PASSWORD!r}): " + ", ".join(f"{u} ({r})" for u, r, _ in DEMO_USERS))
