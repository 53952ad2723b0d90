"""An imported case's page says where it came from: the dataset, the export's line, that it
never entered the clock, and the export's own words for its allegations (no name)."""

from __future__ import annotations

from oversight.cases.page import CasePage
from oversight.home import registry as reg

from .models import ImportedCase


def imported_section(page: CasePage) -> reg.Section | None:
    ic = ImportedCase.objects.filter(case=page.case).select_related("dataset").first()
    if ic is None:
        return None
    allegations = []
    if page.reader.reads["discipline"]:
        for a in page.case.allegations.select_related("imported").order_by("pk"):
            raw = getattr(a, "imported", None)
            if raw is not None:
                allegations.append(
                    {"raw": raw.raw, "line": raw.line, "rows": raw.rows, "recommended": raw.recommended_discipline}
                )
    return reg.Section(
        "imported",
        "Imported history",
        "history/sections/imported.html",
        {"ic": ic, "allegations": allegations},
        reg.SUMMARY + 1,
    )


def register() -> None:
    reg.register_section(imported_section)
