"""A booking type's distribution as a server-rendered SVG bar chart.

One row per host: a solid bar for the bookings the host holds and an outlined
bar for its fair share (``expected``), on one shared scale, so a host above or
below its share stands out at a glance. Rows rather than columns, with each
name above its bars, keep long host names readable without rotating text, on a
phone too. The chart is an image with a text
title; the page shows the same numbers in a table for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

BOOKED_COLOUR = "#1d4ed8"
EXPECTED_COLOUR = "#b45309"
TEXT_COLOUR = "#1f2937"

# Narrow on purpose: each host's name sits above its bars rather than beside them, so
# the chart is 400 units wide and its 16-unit text stays about 13 px tall when a
# phone shrinks it to fit (rota.css caps it at its own size on wider screens).
WIDTH = 400
PLOT_LEFT = 8
PLOT_WIDTH = WIDTH - PLOT_LEFT - 52  # room for the value after a full bar
_FONT = 16
_LEGEND = 30
_ROW_HEIGHT = 70
_BAR_HEIGHT = 16
_BOTTOM = 30


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    bookings: int
    expected: float


def _scale_max(bars: Sequence[Bar]) -> int:
    """The axis end: the largest value rounded up to a whole number, at least 1."""
    highest = max((max(b.bookings, b.expected) for b in bars), default=0.0)
    return max(1, math.ceil(highest))


def _ticks(top: int) -> list[int]:
    step = max(1, math.ceil(top / 5))
    return list(range(0, top + 1, step))


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def render(bars: Sequence[Bar], *, title: str) -> Markup:
    """The SVG markup; ``title`` is the chart's accessible name."""
    top = _scale_max(bars)
    rows = max(1, len(bars))
    height = _LEGEND + _ROW_HEIGHT * rows + _BOTTOM

    def x(value: float) -> float:
        return PLOT_LEFT + PLOT_WIDTH * value / top

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="chart-title">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<g font-family="system-ui, sans-serif" font-size="{_FONT}" fill="{TEXT_COLOUR}">',
        f'<rect x="{PLOT_LEFT}" y="5" width="16" height="14" fill="{BOOKED_COLOUR}"/>',
        f'<text x="{PLOT_LEFT + 22}" y="18">bookings</text>',
        f'<rect x="{PLOT_LEFT + 112}" y="6" width="15" height="12" fill="none" '
        f'stroke="{EXPECTED_COLOUR}" stroke-width="2" stroke-dasharray="4 2"/>',
        f'<text x="{PLOT_LEFT + 134}" y="18">expected (fair share)</text>',
    ]
    axis_y = _LEGEND + _ROW_HEIGHT * rows
    for tick in _ticks(top):
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{_LEGEND}" x2="{x(tick):.1f}" y2="{axis_y}" '
            f'stroke="#d1d5db" stroke-width="1"/>'
            f'<text x="{x(tick):.1f}" y="{axis_y + 20}" text-anchor="middle">{tick}</text>'
        )
    for row, bar in enumerate(bars):
        label_y = _LEGEND + row * _ROW_HEIGHT + 20
        y = label_y + 6
        expected_y = y + _BAR_HEIGHT + 4
        parts.append(
            f'<text x="{PLOT_LEFT}" y="{label_y}" font-weight="600">{escape(bar.label)}</text>'
            f'<rect x="{PLOT_LEFT}" y="{y}" width="{x(bar.bookings) - PLOT_LEFT:.1f}" '
            f'height="{_BAR_HEIGHT}" fill="{BOOKED_COLOUR}"/>'
            f'<text x="{x(bar.bookings) + 6:.1f}" y="{y + _BAR_HEIGHT - 3}">{bar.bookings}</text>'
            f'<rect x="{PLOT_LEFT}" y="{expected_y}" '
            f'width="{x(bar.expected) - PLOT_LEFT:.1f}" height="{_BAR_HEIGHT - 2}" '
            f'fill="none" stroke="{EXPECTED_COLOUR}" stroke-width="2" stroke-dasharray="4 2"/>'
            f'<text x="{x(bar.expected) + 6:.1f}" y="{expected_y + _BAR_HEIGHT - 4}">'
            f"{_number(bar.expected)}</text>"
        )
    parts.append("</g></svg>")
    return Markup("".join(parts))
