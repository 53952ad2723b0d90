"""Server-rendered SVG charts: horizontal bars for rates with their interval as whiskers."""

from __future__ import annotations

from html import escape


def rate_bars(rows: list[tuple[str, float | None, list[float] | None]], title: str, width: int = 640) -> str:
    """One bar per (label, rate, [low, high]); rates are shares from 0 to 1."""
    label_w, bar_w, row_h, top = 230, width - 300, 22, 28
    height = top + row_h * max(1, len(rows)) + 24
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" '
        f'aria-label="{escape(title)}" font-family="system-ui, sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-weight="600">{escape(title)}</text>',
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        x = label_w + tick * bar_w
        out.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 20}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" fill="#555">{tick:.0%}</text>')
    for i, (label, value, ci) in enumerate(rows):
        y = top + i * row_h
        short = label if len(label) <= 34 else label[:33] + "…"
        out.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{escape(short)}</text>')
        if value is None:
            out.append(f'<text x="{label_w + 4}" y="{y + 14}" fill="#777">withheld (small group)</text>')
            continue
        out.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{value * bar_w:.1f}" height="{row_h - 8}" fill="#4a78a8">'
            f"<title>{escape(label)}: {value:.1%}</title></rect>"
        )
        if ci is not None:
            x1, x2 = label_w + ci[0] * bar_w, label_w + ci[1] * bar_w
            ym = y + row_h / 2
            out.append(f'<line x1="{x1:.1f}" y1="{ym}" x2="{x2:.1f}" y2="{ym}" stroke="#111"/>')
            out.append(f'<line x1="{x1:.1f}" y1="{ym - 5}" x2="{x1:.1f}" y2="{ym + 5}" stroke="#111"/>')
            out.append(f'<line x1="{x2:.1f}" y1="{ym - 5}" x2="{x2:.1f}" y2="{ym + 5}" stroke="#111"/>')
        out.append(f'<text x="{label_w + bar_w + 8}" y="{y + 14}">{value:.1%}</text>')
    out.append("</svg>")
    return "\n".join(out)
