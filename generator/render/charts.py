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
