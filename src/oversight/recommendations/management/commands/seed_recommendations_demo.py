"""After seed_demo: the demo's recommendations and their answers."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from oversight.recommendations.seed import seed


class Command(BaseCommand):
    help = "After seed_demo: recommendations with their answers, the OPA Manual's rounds, OIG's workplan (invented)."

    def handle(self, *args: Any, **opts: Any) -> None:
        from oversight.manual.seed import seed as seed_manual

        today = timezone.localdate()
        self.stdout.write(f"Recommendations demo: {seed(today)} recommendations.")
        self.stdout.write(f"OPA Manual and OIG workplan demo: {seed_manual(today)} records.")
