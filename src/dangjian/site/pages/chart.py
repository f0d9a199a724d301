"""A horizontal bar chart as SVG, drawn on the server: no JavaScript, readable in any browser."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

FONT = "'Noto Sans CJK SC', 'WenQuanYi Zen Hei', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif"


@dataclass(frozen=True)
class Bar:
    label: str  # the place, and what is measured
    low: Decimal  # equal to high for a single value
    high: Decimal
    text: str  # the value as shown at the bar's end
    href: str | None = None
    computed: bool = False  # drawn hatched: not stated, computed from a stated amount


def bar_chart(bars: list[Bar], title: str, width: int = 760, label_width: int = 300, row: int = 30) -> str:
    top, right = 34, 120
    height = top + row * len(bars) + 24
    scale_width = width - label_width - right
    largest = max((b.high for b in bars), default=Decimal(1)) or Decimal(1)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title" class="chart" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="{escape(FONT)}" font-size="14">',
        f'<title id="chart-title">{escape(title)}</title>',
        '<defs><pattern id="computed" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="3" height="6" fill="#b03a2e"/></pattern></defs>',
        f'<text x="0" y="20" font-size="15" font-weight="bold">{escape(title)}</text>',
    ]
    for i, bar in enumerate(bars):
        y = top + i * row
        x0 = label_width + float(bar.low / largest) * scale_width if bar.low != bar.high else label_width
        x1 = label_width + float(bar.high / largest) * scale_width
        fill = "url(#computed)" if bar.computed else "#b03a2e"
        label = f'<text x="{label_width - 8}" y="{y + 19}" text-anchor="end">{escape(bar.label)}</text>'
        if bar.href:
            label = f'<a href="{escape(bar.href)}">{label}</a>'
        out.append(label)
        out.append(f'<rect x="{x0:.1f}" y="{y + 5}" width="{max(x1 - x0, 1):.1f}" height="{row - 10}" fill="{fill}"/>')
        out.append(f'<text x="{x1 + 6:.1f}" y="{y + 19}">{escape(bar.text)}</text>')
    axis_y = top + row * len(bars) + 4
    out.append(f'<line x1="{label_width}" y1="{top}" x2="{label_width}" y2="{axis_y}" stroke="#333"/>')
    out.append("</svg>")
    return "\n".join(out)
