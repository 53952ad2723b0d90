"""After seed_demo: the demo's recommendations and their answers."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from oversight.recommendations.seed import seed


class Command(BaseCommand):
    help = "After seed_demo: recommendations of OPA, OIG and CPC with their answers (invented)."

    def handle(self, *args: Any, **opts: Any) -> None:
        self.stdout.write(f"Recommendations demo: {seed(timezone.localdate())} recommendations.")
