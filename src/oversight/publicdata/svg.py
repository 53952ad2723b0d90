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


PALETTE = ("#1b5e9b", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#555555")


def trend_lines(
    series: list[tuple[str, list[tuple[int, float | None, list[float] | None]]]], title: str, width: int = 640
) -> str:
    """A rate by year, one line per group (label, [(year, rate, [low, high])]), each point with
    its interval as a thin bar; a withheld year is a gap. Rates are shares from 0 to 1."""
    years = sorted({y for _, pts in series for y, _, _ in pts})
    left, right, top, height = 44, 170, 28, 240
    plot_w, plot_h = width - left - right, height - top - 30
    top_rate = max([hi for _, pts in series for _, v, ci in pts if v is not None for hi in ((ci or [v, v])[1],)] or [1])
    scale = min(1.0, max(0.05, round(top_rate * 1.1 + 0.049, 1)))

    def x(y: int) -> float:
        return left + (0 if len(years) < 2 else (y - years[0]) / (years[-1] - years[0]) * plot_w)

    def yv(v: float) -> float:
        return top + plot_h - v / scale * plot_h

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" font-family="system-ui, sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-weight="600">{escape(title)}</text>',
    ]
    for i in range(5):
        v = scale * i / 4
        out.append(f'<line x1="{left}" y1="{yv(v):.1f}" x2="{left + plot_w}" y2="{yv(v):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 4}" y="{yv(v) + 4:.1f}" text-anchor="end" fill="#555">{v:.0%}</text>')
    for y in years:
        out.append(f'<text x="{x(y):.1f}" y="{height - 10}" text-anchor="middle" fill="#555">{y}</text>')
    for k, (name, pts) in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        path: list[str] = []
        for y, v, ci in pts:
            if v is None:
                path.append("")  # a gap where the year is withheld
                continue
            path.append(f"{x(y):.1f},{yv(v):.1f}")
            if ci:
                out.append(
                    f'<line x1="{x(y):.1f}" y1="{yv(ci[0]):.1f}" x2="{x(y):.1f}" y2="{yv(ci[1]):.1f}" '
                    f'stroke="{colour}" stroke-opacity="0.5"/>'
                )
            out.append(
                f'<circle cx="{x(y):.1f}" cy="{yv(v):.1f}" r="3" fill="{colour}">'
                f"<title>{escape(name)} {y}: {v:.1%}</title></circle>"
            )
        for run in " ".join(path).split("  "):
            if run.strip().count(",") > 1:
                out.append(f'<polyline points="{run.strip()}" fill="none" stroke="{colour}" stroke-width="1.5"/>')
        ly = top + 14 + k * 18
        short = name if len(name) <= 22 else name[:21] + "…"
        out.append(f'<rect x="{left + plot_w + 12}" y="{ly - 9}" width="10" height="10" fill="{colour}"/>')
        out.append(f'<text x="{left + plot_w + 26}" y="{ly}">{escape(short)}</text>')
    out.append("</svg>")
    return "\n".join(out)
