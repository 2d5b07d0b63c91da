"""Server-rendered SVG charts: no JavaScript and no style attributes (the CSP forbids inline styles).

Colours are SVG presentation attributes (fill="..."), which the CSP allows. Every chart has role="img", a <title>
and a <desc>, and the page always shows the same figures in a table, so colour is never the only signal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from markupsafe import Markup, escape

from portal.domain.scoring import display

# GOV.UK palette colours with enough contrast against white and against each other's neighbours.
PALETTE = ("#1d70b8", "#00703c", "#f47738", "#4c2c92", "#d4351c", "#28a197", "#912b88", "#505a5f")
LABEL_WIDTH, BAR_WIDTH, ROW_HEIGHT, BAR_HEIGHT, TOP, LEGEND_ROW = 220, 480, 28, 18, 30, 22
LABEL_CHARS = 26  # longer bidder names are shortened on the chart (the full name is in its <title> and the table)


@dataclass(frozen=True)
class Bar:
    label: str
    segments: Sequence[tuple[str, Fraction | None]]  # (group name, weighted subtotal out of 100) in group order
    note: str = ""  # e.g. "Disqualified"


def stacked_bars(title: str, description: str, series: Sequence[str], bars: Sequence[Bar], chart_id: str) -> Markup:
    """Horizontal stacked bars of scores out of 100, one bar per bid, one segment per group."""
    legend_height = LEGEND_ROW * ((len(series) + 2) // 3)
    height = TOP + legend_height + ROW_HEIGHT * max(len(bars), 1) + 30
    width = LABEL_WIDTH + BAR_WIDTH + 70
    scale = Fraction(BAR_WIDTH, 100)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" width="100%" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="Helvetica, Arial, sans-serif" font-size="14">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for i, name in enumerate(series):
        x, y = LABEL_WIDTH + (i % 3) * 170, 10 + (i // 3) * LEGEND_ROW
        out.append(
            f'<rect x="{x}" y="{y}" width="14" height="14" fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{x + 20}" y="{y + 12}" fill="#0b0c0c">{escape(name)}</text>'
        )
    top = TOP + legend_height
    for tick in range(0, 101, 20):
        x = LABEL_WIDTH + tick * BAR_WIDTH // 100
        out.append(
            f'<line x1="{x}" y1="{top - 6}" x2="{x}" y2="{top + ROW_HEIGHT * len(bars)}" stroke="#b1b4b6" '
            f'stroke-width="1"/><text x="{x}" y="{top + ROW_HEIGHT * len(bars) + 18}" text-anchor="middle" '
            f'fill="#505a5f">{tick}</text>'
        )
    for row, bar in enumerate(bars):
        y = top + row * ROW_HEIGHT
        label = (
            bar.label
            if len(bar.label) <= LABEL_CHARS
            else bar.label[: LABEL_CHARS - 1].rstrip() + "\N{HORIZONTAL ELLIPSIS}"
        )
        out.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 14}" text-anchor="end" fill="#0b0c0c">{escape(label)}'
            f"<title>{escape(bar.label)}</title></text>"
        )
        left = Fraction(LABEL_WIDTH)
        total = Fraction(0)
        for i, (name, value) in enumerate(bar.segments):
            if not value:
                continue
            w = value * scale
            out.append(
                f'<rect x="{float(left):.2f}" y="{y}" width="{float(w):.2f}" height="{BAR_HEIGHT}" '
                f'fill="{PALETTE[i % len(PALETTE)]}" stroke="#ffffff" stroke-width="1">'
                f"<title>{escape(bar.label)}: {escape(name)} {display(value)}</title></rect>"
            )
            left += w
            total += value
        text = bar.note or str(display(total))
        out.append(f'<text x="{float(left) + 6:.2f}" y="{y + 14}" fill="#0b0c0c">{escape(text)}</text>')
    out.append("</svg>")
    # Every piece of text above went through escape(); the rest is numbers and fixed markup.
    return Markup("".join(out))  # noqa: S704


def results_chart(outcome) -> Markup | None:
    """Each bid's weighted score by group (a services.results.Results), or None when there is nothing to draw."""
    if outcome.result is None or not outcome.rows:
        return None
    series = [group.name for group in outcome.groups]
    bars = [
        Bar(
            label=row.bid.supplier.short_name,
            segments=[(g.name, row.result.group_subtotals.get(g.key)) for g in outcome.groups],
            note="" if row.result.compliant else "Disqualified",
        )
        for row in outcome.rows
    ]
    description = "; ".join(
        f"{row.bid.supplier.short_name}: "
        + (
            ", ".join(f"{g.name} {row.subtotals[i]}" for i, g in enumerate(outcome.groups)) + f", total {row.total}"
            if row.result.compliant
            else "disqualified"
        )
        for row in outcome.rows
    )
    return stacked_bars(
        "Weighted score by group for each bid, out of 100",
        description,
        series,
        bars,
        chart_id="results-chart",
    )
