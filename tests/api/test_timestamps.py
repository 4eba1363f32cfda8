"""Instants written in a zone match what zoneinfo says, across DST changes."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from rota.api.timestamps import format_instants

ZONES = [
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "Africa/Casablanca",
    "Asia/Kolkata",
    "America/St_Johns",
]


@settings(max_examples=60, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    start=st.integers(1_700_000_000, 2_000_000_000),
    steps=st.lists(st.integers(60, 40_000), max_size=600),
)
def test_formatted_instants_equal_zoneinfo(zone: str, start: int, steps: list[int]) -> None:
    epochs = [start]
    for step in steps:
        epochs.append(epochs[-1] + step)
    tz = ZoneInfo(zone)
    expected = [datetime.fromtimestamp(e, tz).isoformat().replace("+00:00", "Z") for e in epochs]
    assert format_instants(epochs, tz) == expected
