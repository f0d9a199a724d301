"""A horizontal bar chart, laid out as data for the ``chart.html`` template: a table whose rows
each draw their value as a bar (HTML and CSS, no script, no SVG), so that it reflows to any
width and every value stays written out beside its bar."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Bar:
    label: str  # the place, and what is measured
    low: Decimal  # equal to high for a single value
    high: Decimal
    text: str  # the value as shown beside the bar
    href: str | None = None
    computed: bool = False  # drawn hatched: not stated, computed from a stated amount


@dataclass(frozen=True)
class Chart:
    title: str
    rows: list[dict]  # bar, left and width (percent of the row, as text for the style attribute)


def bar_chart(bars: list[Bar], title: str) -> Chart:
    """Each bar placed on a scale from 0 to the largest value; a range runs from low to high."""
    largest = max((b.high for b in bars), default=Decimal(1)) or Decimal(1)
    rows = []
    for bar in bars:
        left = bar.low / largest * 100 if bar.low != bar.high else Decimal(0)
        width = max(bar.high / largest * 100 - left, Decimal("0.5"))
        rows.append({"bar": bar, "left": f"{left:.1f}", "width": f"{width:.1f}"})
    return Chart(title, rows)
