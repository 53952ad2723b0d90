"""Fill the database with a working office: staff logins and a generated year of cases (no real people)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand

from oversight.cases import actions
from oversight.cases.models import Case
from oversight.cases.seed import DEMO_PASSWORD, DEMO_USERS, demo_cases, ensure_demo_users, history_cases


class Command(BaseCommand):
    help = "Create the demo staff logins and fill an empty database with a demo year of OPA cases at every stage."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--cases", type=int, default=240)
        parser.add_argument("--seed", type=int, default=3_29_026)
        parser.add_argument(
            "--history-years", type=int, default=0, help="full calendar years of history before this one"
        )
        parser.add_argument("--per-year", type=int, default=1500, help="complaints a year in the history")

    def handle(self, *args: Any, cases: int, seed: int, history_years: int, per_year: int, **opts: Any) -> None:
        users = ensure_demo_users()
        if Case.objects.exists():
            self.stdout.write("Demo cases already present; nothing added.")
        else:
            n = actions.import_cases(users["admin"], demo_cases(seed, dt.date.today(), cases, users))
            self.stdout.write(f"Demo data: {n} cases.")
            if history_years:
                h = actions.import_cases(
                    users["admin"], history_cases(seed + 7, dt.date.today(), history_years, per_year, users)
                )
                self.stdout.write(f"Demo history: {h} cases over {history_years} earlier years.")
        self.stdout.write(
            f"Demo logins (password {DEMO_PASSWORD!r}): " + ", ".join(f"{u} ({role})" for u, role, _ in DEMO_USERS)
        )
