"""Write the June or December status reports (SMC 3.29.305.J, 3.29.030.F) as documents (HTML) and CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.utils import timezone

from oversight.discipline.reports import REPORTS, ReportError


class Command(BaseCommand):
    help = "Write the status reports of appealed cases and of criminal referrals for a June or December."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--year", type=int, default=timezone.localdate().year)
        parser.add_argument("--month", type=int, default=6, help="6 (June) or 12 (December)")
        parser.add_argument("--out", default="reports", help="folder to write into (created if missing)")

    def handle(self, *args: Any, year: int, month: int, out: str, **opts: Any) -> None:
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        for kind, make in REPORTS.items():
            try:
                report = make(year, month)
            except ReportError as e:
                raise CommandError(str(e)) from None
            stem = folder / f"{kind}-status-{year}-{month:02d}"
            stem.with_suffix(".csv").write_text(report.csv(), encoding="utf-8")
            html = render_to_string(
                "discipline/report_document.html", {"report": report, "generated": timezone.localdate()}
            )
            stem.with_suffix(".html").write_text(html, encoding="utf-8")
            self.stdout.write(
                f"{stem}.html, {stem}.csv: {len(report.rows)} cases, {report.missing_count} fields marked MISSING"
            )
