"""Find a Time: when several people are all free for an internal meeting.

Every candidate start on a grid of ``interval`` (whole multiples of it since the
epoch, so a 15-minute grid falls on the quarter hours of every zone) is checked
for every host at once with the board: the meeting must lie in the host's
working hours and clear of its time off, busy blocks and bookings. The times
offered are those where every required host is free, each with the optional
hosts who are free too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from rota.engine import board
from rota.engine.model import DAY, HostSchedule


@dataclass(frozen=True, slots=True)
class FreeTime:
    start: int
    end: int
    host_ids: tuple[str, ...]
    """The required hosts (all free)."""
    optional_free: tuple[str, ...]
    """The optional hosts free then too."""


@dataclass(frozen=True, slots=True)
class Grid:
    """Candidate starts (columns) and, for each host (rows, in the order given), whether
    the host is free for the whole meeting at each."""

    starts: npt.NDArray[np.int64]
    free: npt.NDArray[np.bool_]


def free_grid(
    hosts: Sequence[HostSchedule], *, duration: int, start: int, end: int, interval: int
) -> Grid:
    """Each host's freedom for a meeting of ``duration`` seconds at every start of the grid
    of ``interval`` seconds whose meeting lies inside ``[start, end]``."""
    first = -(-start // interval) * interval
    starts = np.arange(first, end - duration + 1, interval, dtype=np.int64)
    if len(starts) == 0 or not hosts:
        return Grid(starts, np.zeros((len(hosts), len(starts)), dtype=np.bool_))
    working = board.working(hosts, start - DAY, end + DAY)
    return Grid(starts, board.duty(hosts, working, starts, board.Shape(duration), None).free)


def find_a_time(
    required: Sequence[HostSchedule],
    optional: Sequence[HostSchedule],
    *,
    duration: int,
    start: int,
    end: int,
    interval: int,
) -> list[FreeTime]:
    """The meetings of ``duration`` seconds lying inside ``[start, end]`` on the grid of
    ``interval`` seconds when every one of ``required`` is free, ascending."""
    if not required:
        return []
    table = free_grid(
        [*required, *optional], duration=duration, start=start, end=end, interval=interval
    )
    starts, free = table.starts, table.free
    everyone = np.all(free[: len(required)], axis=0)
    ids = tuple(h.host_id for h in required)
    extra = [h.host_id for h in optional]
    found = []
    for column in np.flatnonzero(everyone).tolist():
        s = int(starts[column])
        rows = np.flatnonzero(free[len(required) :, column]).tolist()
        found.append(FreeTime(s, s + duration, ids, tuple(extra[r] for r in rows)))
    return found


def not_free(hosts: Sequence[HostSchedule], *, start: int, end: int) -> tuple[str, ...]:
    """The hosts who cannot hold the meeting ``[start, end)`` (epoch s): it does not lie
    in their working hours, or meets their time off, busy time or bookings."""
    if not hosts:
        return ()
    working = board.working(hosts, start - DAY, end + DAY)
    starts = np.array([start], dtype=np.int64)
    free = board.duty(hosts, working, starts, board.Shape(end - start), None).free
    return tuple(h.host_id for row, h in enumerate(hosts) if not free[row, 0])
