"""A booking type's distribution as a server-rendered SVG bar chart.

One row per host: a solid bar for the bookings the host holds and an outlined
bar for its fair share (``expected``), on one shared scale, so a host above or
below its share stands out at a glance. Rows rather than columns keep long
host names readable without rotating text. The chart is an image with a text
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

_LABEL_WIDTH = 180
_PLOT_WIDTH = 440
_ROW_HEIGHT = 44
_BAR_HEIGHT = 14
_TOP = 34
_BOTTOM = 28


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
    width = _LABEL_WIDTH + _PLOT_WIDTH + 60
    height = _TOP + _ROW_HEIGHT * max(1, len(bars)) + _BOTTOM

    def x(value: float) -> float:
        return _LABEL_WIDTH + _PLOT_WIDTH * value / top

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="chart-title">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<g font-family="system-ui, sans-serif" font-size="13" fill="{TEXT_COLOUR}">',
        f'<rect x="{_LABEL_WIDTH}" y="6" width="14" height="12" fill="{BOOKED_COLOUR}"/>',
        f'<text x="{_LABEL_WIDTH + 20}" y="17">bookings</text>',
        f'<rect x="{_LABEL_WIDTH + 110}" y="7" width="13" height="11" fill="none" '
        f'stroke="{EXPECTED_COLOUR}" stroke-width="2" stroke-dasharray="4 2"/>',
        f'<text x="{_LABEL_WIDTH + 130}" y="17">expected (fair share)</text>',
    ]
    axis_y = _TOP + _ROW_HEIGHT * max(1, len(bars))
    for tick in _ticks(top):
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{_TOP}" x2="{x(tick):.1f}" y2="{axis_y}" '
            f'stroke="#d1d5db" stroke-width="1"/>'
            f'<text x="{x(tick):.1f}" y="{axis_y + 18}" text-anchor="middle">{tick}</text>'
        )
    for row, bar in enumerate(bars):
        y = _TOP + row * _ROW_HEIGHT + 6
        parts.append(
            f'<text x="{_LABEL_WIDTH - 10}" y="{y + _BAR_HEIGHT + 4}" text-anchor="end">'
            f"{escape(bar.label)}</text>"
            f'<rect x="{_LABEL_WIDTH}" y="{y}" width="{x(bar.bookings) - _LABEL_WIDTH:.1f}" '
            f'height="{_BAR_HEIGHT}" fill="{BOOKED_COLOUR}"/>'
            f'<text x="{x(bar.bookings) + 6:.1f}" y="{y + _BAR_HEIGHT - 2}">{bar.bookings}</text>'
            f'<rect x="{_LABEL_WIDTH}" y="{y + _BAR_HEIGHT + 3}" '
            f'width="{x(bar.expected) - _LABEL_WIDTH:.1f}" height="{_BAR_HEIGHT - 2}" '
            f'fill="none" stroke="{EXPECTED_COLOUR}" stroke-width="2" stroke-dasharray="4 2"/>'
            f'<text x="{x(bar.expected) + 6:.1f}" y="{y + 2 * _BAR_HEIGHT}">'
            f"{_number(bar.expected)}</text>"
        )
    parts.append("</g></svg>")
    return Markup("".join(parts))
