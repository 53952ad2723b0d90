"""Checkpoint the tamper-evident chain's heads to an append-only file outside the database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from oversight.cases.integrity import ChainBroken, checkpoint, checkpoint_file


class Command(BaseCommand):
    help = (
        "Verify the chain, then append the heads of the event log and of the seals, with a timestamp, "
        "to OVERSIGHT_CHECKPOINT_FILE (append-only) and record the checkpoint for OIG. Run it from cron "
        "or with --schedule on the tasks queue (daily)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--file", help="the checkpoint file (default: OVERSIGHT_CHECKPOINT_FILE)")
        parser.add_argument("--schedule", action="store_true", help="enqueue the daily checkpoint task instead")

    def handle(self, *args: Any, **opts: Any) -> None:
        from pathlib import Path

        if opts["schedule"]:
            from oversight.cases.reminders import checkpoint_chain_task

            checkpoint_chain_task.enqueue()
            self.stdout.write("Chain checkpoint scheduled daily: run `oversight manage db_worker` to take it.")
            return
        path = Path(opts["file"]) if opts.get("file") else checkpoint_file()
        try:
            body = checkpoint(path)
        except ChainBroken as e:
            raise CommandError(f"chain broken, no checkpoint taken: {e}") from None
        self.stdout.write(
            f"checkpoint {body['at']}: {body['events']} events (head {body['events_head'][:16]}…), "
            f"{body['seals']} seals (head {body['seals_head'][:16]}…) appended to {path}"
        )
