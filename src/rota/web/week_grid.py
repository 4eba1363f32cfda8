"""A week of who is free, as the Hub's Find a Time draws it: one column a day, one row a
time of day, each cell the people free for the whole meeting starting then.

Built from `rota.service.find_a_time.free_grid` (each person's freedom at each start of
the week, in one read), laid out on the wall clock of the session's zone. A start
whose wall-clock time does not exist on a day (clock change) simply has no cell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from rota import engine


@dataclass(frozen=True, slots=True)
class Cell:
    start: datetime
    """Aware, in the session's zone."""
    free: tuple[str, ...]
    """The names of the people free for the whole meeting then, required ones first."""
    everyone: bool
    """Every required person is free: the time can be booked."""
    optional_free: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Row:
    at: time
    cells: tuple[Cell | None, ...]
    """One per day of the week; None where the time is past or not on the grid."""


@dataclass(frozen=True, slots=True)
class Week:
    days: tuple[date, ...]
    rows: tuple[Row, ...]
    """Only the times of day at which somebody is free on some day of the week."""

    def bookable(self, day: date) -> list[Cell]:
        """The day's times when everyone required is free (the phone's list)."""
        column = self.days.index(day)
        return [c for r in self.rows if (c := r.cells[column]) is not None and c.everyone]

    def find(self, moment: datetime) -> Cell | None:
        for row in self.rows:
            for cell in row.cells:
                if cell is not None and cell.start == moment:
                    return cell
        return None


def week(
    grid: engine.Grid,
    *,
    required: Sequence[str],
    optional: Sequence[str],
    names: Mapping[str, str],
    monday: date,
    zone: ZoneInfo,
) -> Week:
    """Lay `grid` (rows: `required` then `optional` host ids) out over the week."""
    days = tuple(monday + timedelta(days=i) for i in range(7))
    people = [*required, *optional]
    cells: dict[tuple[date, time], Cell] = {}
    for column, start in enumerate(grid.starts.tolist()):
        free_rows = [r for r in range(len(people)) if grid.free[r, column]]
        if not free_rows:
            continue
        local = datetime.fromtimestamp(start, zone)
        free = [people[r] for r in free_rows]
        cells[local.date(), local.time()] = Cell(
            start=local,
            free=tuple(names[h] for h in free),
            everyone=all(h in free for h in required),
            optional_free=tuple(names[h] for h in free if h in optional),
        )
    times = sorted({at for _, at in cells})
    rows = tuple(Row(at, tuple(cells.get((d, at)) for d in days)) for at in times)
    return Week(days, rows)
