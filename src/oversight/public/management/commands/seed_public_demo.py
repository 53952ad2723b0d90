"""Demo web complaints filed through the public form, with files and later additions."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from oversight.public.seed import seed


class Command(BaseCommand):
    help = "File the demo web complaints (once)."

    def handle(self, *args: Any, **opts: Any) -> None:
        n = seed(timezone.localdate())
        self.stdout.write(f"Demo web complaints: {n} filed." if n else "Demo web complaints: already there.")
