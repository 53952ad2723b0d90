"""Restore a backup written by `backup`, then verify the chain."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from oversight.backup import BackupError, restore


class Command(BaseCommand):
    help = "Replace the database with a backup's, add its media files, then verify the chain (exit 1 if broken)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", help="the backup archive (.tar.gz)")
        parser.add_argument("--force", action="store_true", help="replace a database that already holds cases")

    def handle(self, *args: Any, archive: str, force: bool = False, **opts: Any) -> None:
        try:
            m, v = restore(Path(archive), force=force)
        except BackupError as e:
            raise CommandError(str(e)) from None
        self.stdout.write(f"restored the backup of {m['taken_at']} ({m['media_files']} media files)")
        if not v.ok:
            raise CommandError(f"restored, but the chain does not verify: {v.record + ': ' if v.record else ''}{v.why}")
        self.stdout.write(
            f"chain intact: {v.events} entries verified; {v.records} records match their seals ({v.seals} seals)"
        )
