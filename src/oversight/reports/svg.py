"""Charts drawn on the server as SVG: horizontal bars for categories, columns for a series in
time. Every chart is labelled (its title, each bar's label and value); a withheld value is
drawn as no bar with the word "withheld". The same SVG goes into the HTML page and the PDF."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

FONT = "font-family:DejaVu Sans,Arial,sans-serif"
BAR = "#1f5f8b"


def _num(v: float) -> str:
    return f"{v:g}" if isinstance(v, float) and not v.is_integer() else f"{int(v):,}"


def bars(title: str, labels: Sequence[str], values: Sequence[float | None], *, width: int = 640, unit: str = "") -> str:
    """Horizontal bars, one per label, the value written at the bar's end."""
    n = len(labels)
    label_w = min(260, max(80, 7 * max((len(lbl) for lbl in labels), default=8)))
    row_h, top = 22, 30
    height = top + n * row_h + 12
    shown = [v for v in values if v is not None]
    peak = max(shown, default=0) or 1
    span = width - label_w - 80
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" style="{FONT};font-size:12px">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" style="font-weight:bold;font-size:13px">{escape(title)}</text>',
    ]
    for i, (lbl, v) in enumerate(zip(labels, values, strict=True)):
        y = top + i * row_h
        short = lbl if len(lbl) <= 40 else lbl[:39] + "…"
        out.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{escape(short)}</text>')
        if v is None:
            out.append(f'<text x="{label_w + 4}" y="{y + 14}" fill="#666" font-style="italic">withheld</text>')
            continue
        w = max(1.0, span * float(v) / peak) if v else 0.0
        out.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 7}" fill="{BAR}"/>')
        out.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 14}">{escape(_num(v))}{escape(unit)}</text>')
    out.append(f'<line x1="{label_w}" y1="{top - 2}" x2="{label_w}" y2="{height - 8}" stroke="#333"/>')
    out.append("</svg>")
    return "".join(out)


def columns(
    title: str, labels: Sequence[str], values: Sequence[float | None], *, width: int = 640, unit: str = ""
) -> str:
    """Vertical columns in order (months, years), each labelled below and valued above."""
    n = max(1, len(labels))
    height, top, bottom, left = 230, 34, 46, 40
    plot_h = height - top - bottom
    step = (width - left - 10) / n
    shown = [v for v in values if v is not None]
    peak = max(shown, default=0) or 1
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" style="{FONT};font-size:11px">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" style="font-weight:bold;font-size:13px">{escape(title)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" stroke="#333"/>',
        f'<text x="{left - 4}" y="{top + 8}" text-anchor="end">{escape(_num(peak))}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>',
    ]
    rotate = n > 8
    for i, (lbl, v) in enumerate(zip(labels, values, strict=True)):
        x = left + i * step
        cx = x + step / 2
        if rotate:
            out.append(
                f'<text x="{cx:.1f}" y="{top + plot_h + 12}" text-anchor="end" '
                f'transform="rotate(-45 {cx:.1f} {top + plot_h + 12})">{escape(lbl)}</text>'
            )
        else:
            out.append(f'<text x="{cx:.1f}" y="{top + plot_h + 14}" text-anchor="middle">{escape(lbl)}</text>')
        if v is None:
            out.append(f'<text x="{cx:.1f}" y="{top + plot_h - 4}" text-anchor="middle" fill="#666">withheld</text>')
            continue
        h = plot_h * float(v) / peak
        out.append(
            f'<rect x="{x + step * 0.15:.1f}" y="{top + plot_h - h:.1f}" width="{step * 0.7:.1f}" '
            f'height="{h:.1f}" fill="{BAR}"/>'
        )
        y = top + plot_h - h - 3
        out.append(f'<text x="{cx:.1f}" y="{y:.1f}" text-anchor="middle">{escape(_num(v))}{escape(unit)}</text>')
    out.append("</svg>")
    return "".join(out)


def chart_for(table: object) -> str:
    """The chart a table asks for (``table.chart``), drawn from its rows (not the total)."""
    kind = getattr(table, "chart", "")
    if not kind:
        return ""
    col = getattr(table, "chart_column", 0)
    rows = [r for r in table.rows if not r.total]  # type: ignore[attr-defined]
    labels = [r.label for r in rows]
    values = [r.cells[col] if isinstance(r.cells[col], int | float) or r.cells[col] is None else None for r in rows]
    title = table.title  # type: ignore[attr-defined]
    if not rows:
        return ""
    if kind == "column":
        return columns(title, labels, values)
    return bars(title, labels, values)
