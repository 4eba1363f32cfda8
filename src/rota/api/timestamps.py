"""Writing many instants as RFC 3339 strings in one timezone, fast.

A 30-day listing holds thousands of slots; building a zoned datetime for each
costs more than routing them. A zone's offset changes only at its transitions,
so the offsets are found by bisecting the (sorted) instants between equal
offsets, and the strings are made by numpy in bulk.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

# Two offset changes less than a week apart (a change and its reversal) do not occur in
# the tz database; segments at most this long with equal ends hold one offset.
SETTLED = 7 * 86_400


def _offset(epoch: int, zone: ZoneInfo) -> int:
    offset = datetime.fromtimestamp(epoch, UTC).astimezone(zone).utcoffset()
    return int((offset or timedelta()).total_seconds())


def _suffix(offset: int) -> str:
    if offset == 0:
        return "Z"
    sign = "+" if offset > 0 else "-"
    hours, rest = divmod(abs(offset), 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{sign}{hours:02d}:{minutes:02d}"
    return text if seconds == 0 else f"{text}:{seconds:02d}"


def offsets(epochs: Sequence[int], zone: ZoneInfo) -> list[int]:
    """The zone's UTC offset (seconds) at each of the ascending `epochs`."""
    out = [0] * len(epochs)

    def fill(lo: int, hi: int, first: int, last: int) -> None:
        # Indices lo..hi inclusive; first and last are the offsets at both ends.
        if first == last and epochs[hi] - epochs[lo] <= SETTLED:
            out[lo : hi + 1] = [first] * (hi - lo + 1)
            return
        if hi - lo <= 1:
            out[lo], out[hi] = first, last
            return
        mid = (lo + hi) // 2
        middle = _offset(epochs[mid], zone)
        fill(lo, mid, first, middle)
        fill(mid, hi, middle, last)

    if epochs:
        fill(0, len(epochs) - 1, _offset(epochs[0], zone), _offset(epochs[-1], zone))
    return out


def format_instants(epochs: Sequence[int], zone: ZoneInfo) -> list[str]:
    """RFC 3339 strings of the ascending `epochs` (seconds), with the zone's offsets."""
    shifts = offsets(epochs, zone)
    local = np.asarray(epochs, dtype=np.int64) + np.asarray(shifts, dtype=np.int64)
    texts = np.datetime_as_string(local.astype("datetime64[s]"), unit="s").tolist()
    return [text + _suffix(shift) for text, shift in zip(texts, shifts, strict=True)]
