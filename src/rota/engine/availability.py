"""Working time per host: weekly hours and date overrides, expanded in the host's zone.

Wall-clock times are turned into instants day by day with ``zoneinfo``, so a
daylight-saving change moves the UTC times and keeps 09:00 at 09:00. Two wall
times need a rule, applied everywhere (PEP 495, ``fold=0``):

- a time that does not exist (skipped by spring forward) is read with the
  offset before the change, so it lands as far past the gap as it was into it
  (02:30 on a 02:00->03:00 night is 03:30);
- a time that happens twice (fall back) is its first occurrence.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np

from rota.engine.model import DAY, DateOverride, HostSchedule, SpanArray, WeeklyHours, as_spans


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def wall_to_instant(day: date, minute: int, tz: ZoneInfo) -> int:
    """The instant of ``minute`` minutes after local midnight of ``day`` (1440 is 24:00)."""
    day = day + timedelta(days=minute // 1440)
    minute %= 1440
    return int(
        datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=tz).timestamp()
    )


def local_date(instant: int, tz: ZoneInfo) -> date:
    return datetime.fromtimestamp(instant, tz).date()


def merge(spans: SpanArray) -> SpanArray:
    """Sorted, disjoint spans; overlapping or touching spans become one."""
    if len(spans) == 0:
        return spans
    spans = spans[np.argsort(spans[:, 0], kind="stable")]
    reach = np.maximum.accumulate(spans[:, 1])
    opens = np.ones(len(spans), dtype=bool)
    opens[1:] = spans[1:, 0] > reach[:-1]
    group = np.cumsum(opens) - 1
    starts = spans[opens, 0]
    ends = np.zeros(len(starts), dtype=np.int64)
    np.maximum.at(ends, group, spans[:, 1])
    return np.stack([starts, ends], axis=1)


def _day_spans(
    day: date, intervals: tuple[tuple[int, int], ...], tz: ZoneInfo
) -> list[tuple[int, int]]:
    return [
        (wall_to_instant(day, start, tz), wall_to_instant(day, end, tz))
        for start, end in intervals
        if end > start
    ]


@lru_cache(maxsize=4096)
def _weekly(
    timezone: str, hours: tuple[WeeklyHours, ...], first: int, last: int
) -> tuple[SpanArray, tuple[int, ...]]:
    """Weekly hours over local dates ``first..last`` (ordinals): spans and each span's date.

    Cached: a team of a thousand shares a handful of (zone, hours) pairs.
    """
    tz = zone(timezone)
    spans: list[tuple[int, int]] = []
    days: list[int] = []
    for ordinal in range(first, last + 1):
        day = date.fromordinal(ordinal)
        weekday = day.weekday()
        todays = tuple((h.start, h.end) for h in hours if weekday in h.days)
        for span in _day_spans(day, todays, tz):
            spans.append(span)
            days.append(ordinal)
    array = as_spans(spans)
    array.setflags(write=False)
    return array, tuple(days)


@lru_cache(maxsize=4096)
def _weekly_merged(
    timezone: str, hours: tuple[WeeklyHours, ...], first: int, last: int
) -> SpanArray:
    merged = merge(_weekly(timezone, hours, first, last)[0])
    merged.setflags(write=False)
    return merged


@lru_cache(maxsize=1024)
def _local_days(timezone: str, lo: int, hi: int) -> tuple[int, int]:
    """Ordinals of the local dates from the day before ``lo`` to the day after ``hi``.

    Cached: a pool asks it once per host with the same range, over a handful of zones.
    """
    tz = zone(timezone)
    return local_date(lo, tz).toordinal() - 1, local_date(hi, tz).toordinal() + 1


def _days(schedule: HostSchedule, lo: int, hi: int) -> tuple[int, int, list[DateOverride]]:
    """The local days touching ``[lo, hi)`` (with one either side) and their overrides."""
    first, last = _local_days(schedule.timezone, lo, hi)
    overrides = [o for o in schedule.date_overrides if first <= o.date.toordinal() <= last]
    return first, last, overrides


def day_spans(schedule: HostSchedule, lo: int, hi: int) -> SpanArray:
    """The host's working hours (after date overrides) day by day, as written: each local
    day's own spans, not joined to the next day's. Slot grids start from these, so a day's
    times never depend on the range asked for."""
    first, last, overrides = _days(schedule, lo, hi)
    spans, days = _weekly(schedule.timezone, schedule.working_hours, first, last)
    if not overrides:
        # The cached array itself: hosts with the same hours share one object.
        return spans
    tz = zone(schedule.timezone)
    replaced = {o.date.toordinal() for o in overrides}
    keep = np.array([d not in replaced for d in days], dtype=bool)
    extra = [span for o in overrides for span in _day_spans(o.date, o.intervals, tz)]
    joined = np.concatenate([spans[keep] if len(spans) else spans, as_spans(extra)])
    return joined[np.argsort(joined[:, 0], kind="stable")]


def working_spans(schedule: HostSchedule, lo: int, hi: int) -> SpanArray:
    """The host's working time (after date overrides) on every local day touching ``[lo, hi)``,
    merged so that back-to-back hours (or 24:00 and the next 00:00) form one span."""
    first, last, overrides = _days(schedule, lo, hi)
    if not overrides:
        return _weekly_merged(schedule.timezone, schedule.working_hours, first, last)
    return merge(day_spans(schedule, lo, hi))


def local_midnights(timezone: str, lo: int, hi: int) -> tuple[SpanArray, int]:
    """Instants of the local midnights from the day before ``lo`` to the day after ``hi``,
    and the ordinal of the first of those days (for counting per local day)."""
    first, last = _local_days(timezone, lo, hi)
    return _midnights(timezone, first, last), first


@lru_cache(maxsize=1024)
def _midnights(timezone: str, first: int, last: int) -> SpanArray:
    tz = zone(timezone)
    out = np.array(
        [wall_to_instant(date.fromordinal(o), 0, tz) for o in range(first, last + 2)],
        dtype=np.int64,
    )
    out.setflags(write=False)
    return out


__all__ = [
    "DAY",
    "day_spans",
    "local_date",
    "local_midnights",
    "merge",
    "wall_to_instant",
    "working_spans",
    "zone",
]
