"""Verify the tamper-evident event log: every entry's hash and its link to the one before."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from oversight.cases.integrity import verify


class Command(BaseCommand):
    help = (
        "Verify the keyed hash chain of case events, the seals of every other record of a case "
        "(the case row, its people, allegations, findings, discipline, the audit and the read records) "
        "and the checkpoints in OVERSIGHT_CHECKPOINT_FILE; name the first record that fails (exit 1 if any)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--all", action="store_true", help="list every record that fails, not only the first")

    def handle(self, *args: Any, **opts: Any) -> None:
        v = verify(all_problems=opts.get("all", False))
        if v.broken_event is not None:
            b = v.broken_event
            raise CommandError(
                f"chain broken at entry {v.events} (event id {b.pk}, case {b.case.number}, "
                f"#{b.seq} {b.type} of {b.date}): {v.why}"
            )
        if v.record:
            more = "".join(f"\n  {p}" for p in v.problems[1:]) if opts.get("all") else ""
            raise CommandError(f"chain broken: {v.record}: {v.why}{more}")
        if v.why:
            raise CommandError(f"chain broken after entry {v.events}: {v.why}")
        self.stdout.write(
            f"chain intact: {v.events} entries verified; {v.records} records match their seals "
            f"({v.seals} seals); {v.checkpoints} checkpoints passed through"
        )
