"""A report document as an HTML page, a PDF (WeasyPrint) or CSV files (one per table, in a zip)."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

from django.template.loader import render_to_string

from .document import Report, Table


def html(report: Report, **context: Any) -> str:
    """The whole report as a standalone page (what the PDF is made from)."""
    return render_to_string("reports/print.html", {"report": report, **context})


def pdf(report: Report) -> bytes:
    from weasyprint import HTML  # imported here: the library loads Pango when imported

    return bytes(HTML(string=html(report)).write_pdf())


def table_csv(table: Table) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerows(table.csv_rows())
    return buf.getvalue()


def base_name(report: Report) -> str:
    return f"{report.kind}-{report.start.isoformat()}-{report.end.isoformat()}"


def csv_zip(report: Report) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for i, s in enumerate(report.sections, 1):
            for t in s.tables:
                z.writestr(f"{base_name(report)}/{i:02d}-{t.id}.csv", table_csv(t))
    return buf.getvalue()
