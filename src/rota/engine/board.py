"""The board: candidate starts (columns) by hosts (rows), answered in bulk with numpy.

A start ``s`` of a meeting of ``duration`` with buffers ``before``/``after`` is
free for a host when ``[s - before, s + duration + after)`` lies inside one of
the host's working spans and overlaps none of its busy spans. Both tests are
turned around: each working span opens a run of columns and each busy span
closes one, found with ``searchsorted`` on the sorted starts, and a cumulative
sum over a difference array marks the runs. The cost grows with the number of
spans plus hosts x starts, with no Python loop over either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from rota.engine.availability import day_spans, local_midnights, working_spans
from rota.engine.model import HostSchedule, SpanArray

Mask = npt.NDArray[np.bool_]
Starts = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Shape:
    """The shape of the meeting being placed, in seconds."""

    duration: int
    before: int = 0
    after: int = 0


def grid(days: Sequence[SpanArray], step: int, lo: int, hi: int) -> Starts:
    """Candidate starts in ``[lo, hi)``: every ``step`` from the start of each day's
    working span (``availability.day_spans``) until its end; whether the meeting fits is
    for ``duty`` to say. Hosts with the same hours share the same starts, so a pool is
    offered one tidy grid per zone."""
    if not days:
        return np.empty(0, dtype=np.int64)
    # Hosts with the same hours share one array object: look at each distinct one once.
    distinct = {id(d): d for d in days}
    spans = np.concatenate(list(distinct.values()))
    if len(spans) == 0:
        return np.empty(0, dtype=np.int64)
    counts = np.clip((spans[:, 1] - spans[:, 0] - 1) // step + 1, 0, None)
    total = int(counts.sum())
    offsets = np.repeat(np.cumsum(counts) - counts, counts)
    starts = np.repeat(spans[:, 0], counts) + step * (np.arange(total, dtype=np.int64) - offsets)
    starts = starts[(starts >= lo) & (starts < hi)]
    return np.unique(starts)


def _runs(
    rows: int, columns: int, host: Starts, first: Starts, stop: Starts
) -> npt.NDArray[np.int32]:
    """How many of the given column runs ``[first, stop)`` of each row cover each column."""
    keep = stop > first
    host, first, stop = host[keep], first[keep], stop[keep]
    width = columns + 1
    diff = np.bincount(host * width + first, minlength=rows * width)
    diff -= np.bincount(host * width + stop, minlength=rows * width)
    return np.cumsum(diff.reshape(rows, width)[:, :columns], axis=1, dtype=np.int32)


def _stack(arrays: Sequence[SpanArray]) -> tuple[Starts, SpanArray]:
    sizes = np.array([len(a) for a in arrays], dtype=np.int64)
    host = np.repeat(np.arange(len(arrays), dtype=np.int64), sizes)
    if sizes.sum() == 0:
        return host, np.empty((0, 2), dtype=np.int64)
    return host, np.concatenate(arrays)


def inside(working: Sequence[SpanArray], starts: Starts, meeting: Shape) -> Mask:
    """``inside[h, i]``: the meeting starting at ``starts[i]`` (with its buffers) lies in
    one of host ``h``'s working spans."""
    rows, columns = len(working), len(starts)
    if rows == 0 or columns == 0:
        return np.zeros((rows, columns), dtype=bool)
    host, spans = _stack(working)
    runs = _runs(
        rows,
        columns,
        host,
        np.searchsorted(starts, spans[:, 0] + meeting.before, "left"),
        np.searchsorted(starts, spans[:, 1] - meeting.duration - meeting.after, "right"),
    )
    result: Mask = runs > 0
    return result


def clear(blocked: Sequence[SpanArray], starts: Starts, meeting: Shape) -> Mask:
    """``clear[h, i]``: the meeting starting at ``starts[i]`` (with its buffers) overlaps
    none of host ``h``'s ``blocked`` spans."""
    rows, columns = len(blocked), len(starts)
    if rows == 0 or columns == 0:
        return np.ones((rows, columns), dtype=bool)
    host, spans = _stack(blocked)
    runs = _runs(
        rows,
        columns,
        host,
        np.searchsorted(starts, spans[:, 0] - meeting.duration - meeting.after, "right"),
        np.searchsorted(starts, spans[:, 1] + meeting.before, "left"),
    )
    result: Mask = runs == 0
    return result


@dataclass(frozen=True, slots=True)
class Duty:
    """Who is working at each start (DESIGN.md, Routing), rows by columns."""

    on_duty: Mask
    """The meeting lies in the host's hours, outside its time off, under its daily cap."""
    free: Mask
    """On duty and not busy (calendar events, other bookings)."""


def duty(
    schedules: Sequence[HostSchedule],
    working: Sequence[SpanArray],
    starts: Starts,
    meeting: Shape,
    cap: int | None,
) -> Duty:
    """Each host's duty and freedom at every start of ``starts``."""
    on_duty = (
        inside(working, starts, meeting)
        & clear([s.time_off for s in schedules], starts, meeting)
        & under_cap(schedules, starts, cap)
    )
    return Duty(on_duty, on_duty & clear([s.busy for s in schedules], starts, meeting))


def under_cap(schedules: Sequence[HostSchedule], starts: Starts, cap: int | None) -> Mask:
    """``ok[h, i]``: host ``h`` holds fewer than ``cap`` bookings of the type on the
    local day (in the host's own zone) of ``starts[i]``."""
    rows, columns = len(schedules), len(starts)
    ok = np.ones((rows, columns), dtype=bool)
    if cap is None or columns == 0:
        return ok
    lo, hi = int(starts[0]), int(starts[-1])
    for row, schedule in enumerate(schedules):
        if len(schedule.booked_starts) < cap:
            continue
        midnights, _ = local_midnights(schedule.timezone, lo, hi)
        booked = np.asarray(schedule.booked_starts, dtype=np.int64)
        day_of_booking = np.searchsorted(midnights, booked, "right")
        per_day = np.bincount(day_of_booking, minlength=len(midnights) + 1)
        ok[row] = per_day[np.searchsorted(midnights, starts, "right")] < cap
    return ok


def working(schedules: Sequence[HostSchedule], lo: int, hi: int) -> list[SpanArray]:
    """Each host's working spans over the local days touching ``[lo, hi)``."""
    return [working_spans(s, lo, hi) for s in schedules]


def days(schedules: Sequence[HostSchedule], lo: int, hi: int) -> list[SpanArray]:
    """Each host's working hours day by day over the local days touching ``[lo, hi)``."""
    return [day_spans(s, lo, hi) for s in schedules]
