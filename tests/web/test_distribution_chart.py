"""The distribution chart: one row per host, bars on one scale, text escaped."""

from __future__ import annotations

import re

from rota.web.distribution_chart import PLOT_LEFT, PLOT_WIDTH, Bar, render


def test_bars_share_one_scale_and_names_are_escaped() -> None:
    svg = str(render([Bar("Ada <&>", 4, 2.0), Bar("Grace", 2, 4.0)], title="T & co"))
    assert '<title id="chart-title">T &amp; co</title>' in svg
    assert "Ada &lt;&amp;&gt;" in svg and "Ada <&>" not in svg
    found = re.findall(rf'<rect x="{PLOT_LEFT}" y="\d+" width="([\d.]+)"', svg)
    # the legend's swatch, then bookings and expected of Ada, then of Grace, on one scale
    full, half = float(PLOT_WIDTH), PLOT_WIDTH / 2
    assert [float(w) for w in found[1:]] == [full, half, half, full]


def test_an_empty_distribution_still_draws_an_axis() -> None:
    svg = str(render([], title="Nothing yet"))
    assert svg.startswith("<svg") and svg.endswith("</svg>") and ">0</text>" in svg
