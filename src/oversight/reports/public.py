"""The annual report's public figures by year, for the public statistics page (SMC 3.29.030.H):
complaints, investigations, allegations decided and sustained, each full year, counts under the
profile's ``publication.min_cell`` withheld."""

from __future__ import annotations

import datetime as dt

from oversight.cases.clock import rules_for

from . import records as Q
from .document import Row, Table, pct


def figures_by_year(today: dt.date, years: int = 5) -> Table:
    mc = rules_for(today).publication.min_cell
    cols = [
        ("complaints", "Complaints received"),
        ("investigations", "Investigations"),
        ("decided", "Allegations decided"),
        ("sustained", "Allegations sustained"),
    ]
    counts: dict[tuple[str, str], int] = {}
    labels = []
    for y in range(today.year - years, today.year):
        a, b = dt.date(y, 1, 1), dt.date(y, 12, 31)
        cases = Q.cases_received(a, b)
        if not cases:
            continue
        fs = Q.final_findings(a, b)
        labels.append(str(y))
        counts[(str(y), "complaints")] = len(cases)
        counts[(str(y), "investigations")] = sum(1 for c in cases if c.classification == "investigation")
        counts[(str(y), "decided")] = len(fs)
        counts[(str(y), "sustained")] = sum(1 for f in fs if f.finding == "sustained")
    t = Table(
        "public_figures",
        "Complaints and findings, by year",
        ["Year", *[lbl for _, lbl in cols], "Sustained %"],
        col_keys=[k for k, _ in cols] + ["sustained_pct"],
        chart="column",
    )
    for year in labels:
        # each measure stands alone (no total is shown that a withheld count is part of)
        cells: list[int | float | str | None] = []
        for k, _ in cols:
            v = counts[(year, k)]
            cells.append(None if 0 < v < mc else v)
        decided, sustained = cells[2], cells[3]
        cells.append(pct(sustained, decided) if isinstance(sustained, int) and isinstance(decided, int) else None)
        t.rows.append(Row(year, year, cells))
    return t
