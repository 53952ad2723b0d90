"""Verify the tamper-evident event log: every entry's hash and its link to the one before."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from oversight.cases.actions import verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of case events; name the first broken entry (exit 1 if any)."

    def handle(self, *args: Any, **opts: Any) -> None:
        n, broken, why = verify_chain()
        if broken is not None:
            raise CommandError(
                f"chain broken at entry {n} (event id {broken.pk}, case {broken.case.number}, "
                f"#{broken.seq} {broken.type} of {broken.date}): {why}"
            )
        if why:
            raise CommandError(f"chain broken after entry {n}: {why}")
        self.stdout.write(f"chain intact: {n} entries verified")
