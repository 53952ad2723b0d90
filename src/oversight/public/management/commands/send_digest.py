"""Send the monthly digest of the prior month's completed investigation summaries (SMC 3.29.030.C)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from oversight.public import actions


class Command(BaseCommand):
    help = "Send the monthly digest (default: the prior month's) to every confirmed subscriber, once."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--month", help="YYYY-MM (default: the prior month)")

    def handle(self, *args: Any, month: str | None = None, **options: Any) -> None:
        try:
            first = dt.date.fromisoformat(f"{month}-01") if month else None
        except ValueError:
            raise CommandError(f"--month: {month!r} is not YYYY-MM") from None
        try:
            digest = actions.send_monthly_digest(first)
        except actions.ActionError as e:
            raise CommandError(str(e)) from None
        self.stdout.write(
            f"digest {digest.month:%Y-%m}: {len(digest.publications)} summaries, {digest.recipients} recipients\n"
        )
