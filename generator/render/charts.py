"""Small SVG charts drawn on the server: no script, no image request, sharp in print.

A chart says in its `aria-label` what it shows; the numbers are always also in a table next to
it, so the chart is never the only place a reader finds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup


@dataclass(frozen=True)
class Bar:
    label: str
    share: float | None  # 0..1; None: nothing to measure (drawn empty, labelled "—")
    text: str = ""  # what is written at the bar's end, e.g. "9/10"


def bar_chart(bars: list[Bar], title: str, target: float | None = None, width: int = 320) -> Markup:
    """Horizontal bars, one a row, labels on the left; a dashed line marks `target`."""
    row, label_width = 18, 72
    track = width - label_width - 44
    height = row * len(bars) + 4
    parts = [f'<svg class="vp-chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">']
    for index, bar in enumerate(bars):
        y = index * row + 2
        share = max(0.0, min(1.0, bar.share)) if bar.share is not None else 0.0
        low = target is not None and bar.share is not None and bar.share < target
        parts.append(f'<text x="{label_width - 4}" y="{y + 12}" text-anchor="end" font-size="12">'
                     f'{escape(bar.label[:6])}</text>'
                     f'<rect x="{label_width}" y="{y + 2}" width="{track}" height="12" fill="#eee"/>'
                     f'<rect x="{label_width}" y="{y + 2}" width="{share * track:.1f}" height="12" '
                     f'fill="{"#c62828" if low else "#2e7d32"}"/>'
                     f'<text x="{label_width + track + 4}" y="{y + 12}" font-size="11">'
                     f'{escape(bar.text or ("—" if bar.share is None else f"{bar.share:.0%}"))}</text>')
    if target is not None:
        x = label_width + target * track
        parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" stroke="#333" stroke-dasharray="3 2"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def progress(label: str, share: float | None, target: float, title: str, text: str = "") -> Markup:
    """One bar against a target (a dashed line): e.g. the households a year's 红黑榜 reached."""
    return bar_chart([Bar(label, share, text)], title, target=target)


@dataclass(frozen=True)
class Month:
    label: str  # short, e.g. "10月"
    income: float
    spending: float
    balance: float | None = None


# Blue and orange, not red and green: in China red marks a rise as often as a loss, and about one
# man in twelve tells red from green badly.
_INCOME, _SPENDING, _LINE = "#1565c0", "#e65100", "#222"


def month_chart(months: list[Month], title: str, legend: tuple[str, str, str]) -> Markup:
    """Income and spending as two bars a month, on one scale from zero, and the balance at each
    month's end as a line on a scale of its own (its first and last points marked), under a
    legend (`legend`: the words for income, spending, balance)."""
    width, top, plot, bottom = 320, 40, 150, 20
    height = top + plot + bottom
    slot = (width - 8) / max(1, len(months))
    bar = max(2.0, slot * 0.36)
    peak = max([m.income for m in months] + [m.spending for m in months] + [1.0])
    balances = [m.balance for m in months if m.balance is not None]
    low, high = (min(balances), max(balances)) if balances else (0.0, 1.0)
    span = (high - low) or 1.0
    parts = [f'<svg class="vp-chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" font-size="13">']
    for index, (word, colour) in enumerate(zip(legend, (_INCOME, _SPENDING, _LINE))):
        x = 4 + index * 92
        mark = (f'<rect x="{x}" y="6" width="14" height="12" fill="{colour}"/>' if index < 2 else
                f'<line x1="{x}" y1="12" x2="{x + 14}" y2="12" stroke="{colour}" stroke-width="2.5"/>')
        parts.append(f'{mark}<text x="{x + 18}" y="17">{escape(word)}</text>')
    base = top + plot
    parts.append(f'<line x1="4" y1="{base}" x2="{width - 4}" y2="{base}" stroke="#999"/>')
    points = []
    label_size = max(9, min(13, int(slot * 0.42)))  # 13 for ten months or fewer; twelve still fit
    for index, month in enumerate(months):
        x = 4 + index * slot + slot / 2
        for offset, value, colour in ((-bar, month.income, _INCOME), (0.0, month.spending, _SPENDING)):
            tall = value / peak * (plot - 24)
            parts.append(f'<rect x="{x + offset:.1f}" y="{base - tall:.1f}" width="{bar:.1f}" '
                         f'height="{tall:.1f}" fill="{colour}"/>')
        parts.append(f'<text x="{x:.1f}" y="{base + 15}" text-anchor="middle" font-size="{label_size}">'
                     f'{escape(month.label)}</text>')
        if month.balance is not None:
            points.append((x, top + 4 + (high - month.balance) / span * 20, month.balance))
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{_LINE}" stroke-width="2.5"/>')
        for x, y, value in (points[0], points[-1]) if len(points) > 1 else points[:1]:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{_LINE}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
