"""Back up the database, the media files and the chain's checkpoints to one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from oversight.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write a backup (.tar.gz): the database (pg_dump, or SQLite's online backup), media files, checkpoints."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("out", help="the archive to write, e.g. oversight-2026-12-01.tar.gz")

    def handle(self, *args: Any, out: str, **opts: Any) -> None:
        try:
            m = backup(Path(out))
        except BackupError as e:
            raise CommandError(str(e)) from None
        self.stdout.write(
            f"backup written to {out}: {m['database']} database, {m['chain']['events']} events, "
            f"{m['chain']['seals']} seals, {m['media_files']} media files"
        )
