"""Start the daily deadline-reminder job on the tasks queue (a worker runs it: db_worker)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from oversight.cases.reminders import ensure_scheduled


class Command(BaseCommand):
    help = "Enqueue the deadline-reminder task unless a run is already waiting; run `db_worker` to process it."

    def handle(self, *args: Any, **opts: Any) -> None:
        if ensure_scheduled():
            self.stdout.write("Deadline reminders scheduled: run `oversight manage db_worker` to send them.")
        else:
            self.stdout.write("Deadline reminders already scheduled.")
