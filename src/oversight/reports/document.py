"""A report as data: sections, each with its text, tables and chart; nothing rendered yet.

The same document renders as an HTML page, a PDF and one CSV per table (``render``), so the
three always carry the same numbers. Counts published in a table pass the public data's one
small-cell suppression (``oversight.public.suppression``: a group smaller than the profile's
``publication.min_cell`` is withheld, and complementary cells with it so that no withheld
count can be worked out from the totals).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from oversight.public.suppression import suppress

WITHHELD = "withheld"  # what a suppressed cell says
NOT_RECORDED = "Not recorded in this system yet"


@dataclass
class Row:
    key: str  # the code behind the row ("" for the total): what the dashboards link by
    label: str
    cells: list[int | float | str | None]  # None: withheld (a small group, or so that one cannot be worked out)
    total: bool = False


@dataclass
class Table:
    id: str  # unique within the report; the CSV's file name
    title: str
    columns: list[str]  # the first is the rows' heading
    rows: list[Row] = field(default_factory=list)
    col_keys: list[str] = field(default_factory=list)  # the code behind each value column
    chart: str = ""  # "bar" | "column" | "" (no chart)
    chart_column: int = 0  # which value column the chart draws
    note: str = ""
    suppressed: bool = False  # some cell is withheld

    def value(self, key: str, column: int = 0) -> int | float | str | None:
        """The cell of the row ``key`` (the total row: ``""``) in value column ``column``."""
        for r in self.rows:
            if r.key == key and (key or r.total):
                return r.cells[column]
        raise KeyError(key)

    def csv_rows(self) -> list[list[str]]:
        out = [list(self.columns)]
        for r in self.rows:
            out.append([r.label, *[WITHHELD if c is None else _fmt(c) for c in r.cells]])
        return out


@dataclass
class Section:
    id: str
    heading: str
    cite: str
    text: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # what the records do not hold, said plainly


@dataclass
class Report:
    kind: str
    title: str
    cite: str
    author: str
    recipients: list[str]
    start: dt.date
    end: dt.date
    generated: dt.date
    min_cell: int
    sections: list[Section] = field(default_factory=list)

    @property
    def period(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat()}"

    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]

    def table(self, id: str) -> Table:
        for t in self.tables():
            if t.id == id:
                return t
        raise KeyError(id)


def _fmt(c: int | float | str) -> str:
    if isinstance(c, float):
        return f"{c:.1f}"
    return str(c)


def pct(n: int | None, d: int | None) -> float | None:
    if n is None or not d:
        return None
    return round(100.0 * n / d, 1)


def _share(n: int | None, d: int | None) -> float | str | None:
    """A count's percent: withheld with the count, a dash where there is nothing to divide by."""
    if n is None:
        return None
    return "—" if not d else round(100.0 * n / d, 1)


def count_table(
    id: str,
    title: str,
    heading: str,
    rows: Sequence[tuple[str, str]],
    counts: Mapping[str, int],
    threshold: int,
    *,
    unit: str = "Number",
    percent_of: int | None = None,
    chart: str = "bar",
    keep_empty: bool = False,
    note: str = "",
) -> Table:
    """A one-column table of counts (and their percent of ``percent_of``, or of the total),
    with a total row; small cells suppressed with their complements."""
    used = [(k, lbl) for k, lbl in rows if keep_empty or counts.get(k)]
    keys = [k for k, _ in used]
    sup = suppress({(k, "n"): counts.get(k, 0) for k in keys}, keys, ["n"], threshold)
    total = sup.shown(len(keys), 0)
    denom = percent_of if percent_of is not None else sup.values[(len(keys), 0)]
    t = Table(id, title, [heading, unit, "Percent"], col_keys=["n", "percent"], chart=chart, note=note)
    for i, (k, lbl) in enumerate(used):
        n = sup.shown(i, 0)
        t.rows.append(Row(k, lbl, [n, _share(n, denom)]))
    whole = _share(total, denom) if percent_of is not None else (None if total is None else 100.0 if total else "—")
    t.rows.append(Row("", "Total", [total, whole], True))
    t.suppressed = bool(sup.hidden)
    return t


def cross_table(
    id: str,
    title: str,
    heading: str,
    rows: Sequence[tuple[str, str]],
    cols: Sequence[tuple[str, str]],
    counts: Mapping[tuple[str, str], int],
    threshold: int,
    *,
    chart: str = "bar",
    note: str = "",
) -> Table:
    """Rows by columns, with row and column totals; small cells suppressed with their complements."""
    used_rows = [(k, lbl) for k, lbl in rows if any(counts.get((k, c)) for c, _ in cols)]
    used_cols = [(k, lbl) for k, lbl in cols if any(counts.get((r, k)) for r, _ in used_rows)]
    rk = [k for k, _ in used_rows]
    ck = [k for k, _ in used_cols]
    sup = suppress(counts, rk, ck, threshold)
    t = Table(
        id,
        title,
        [heading, *[lbl for _, lbl in used_cols], "Total"],
        col_keys=[*ck, ""],
        chart=chart,
        chart_column=len(ck),
        note=note,
    )
    for i, (k, lbl) in enumerate([*used_rows, ("", "Total")]):
        t.rows.append(Row(k, lbl, [sup.shown(i, j) for j in range(len(ck) + 1)], total=not k))
    t.suppressed = bool(sup.hidden)
    return t


def value_table(
    id: str,
    title: str,
    heading: str,
    columns: Sequence[str],
    rows: Sequence[tuple[str, str, list[int | float | str | None]]],
    *,
    chart: str = "",
    chart_column: int = 0,
    note: str = "",
) -> Table:
    """A table of measures that are not counts of people (rates, medians, days): nothing to suppress."""
    t = Table(id, title, [heading, *columns], chart=chart, chart_column=chart_column, note=note)
    for k, lbl, cells in rows:
        t.rows.append(Row(k, lbl, ["—" if c is None else c for c in cells]))  # nothing to measure
    return t
