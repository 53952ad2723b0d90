"""After seed_demo: the oversight bodies' rosters, OPA's staffing, scene responses, referrals."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from oversight.institutions.seed import seed


class Command(BaseCommand):
    help = "After seed_demo: the bodies' seats and terms, OPA's staffing, the scene-response log (invented)."

    def handle(self, *args: Any, **opts: Any) -> None:
        self.stdout.write(f"Institutions demo: {seed(timezone.localdate())} appointments.")
