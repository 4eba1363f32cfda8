"""Small builders for engine tests: readable instants, hosts and pools."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from rota.engine import (
    Assignment,
    BookingType,
    HostMode,
    HostSchedule,
    PoolMember,
    Rotation,
    Standing,
    WeeklyHours,
    as_spans,
)

ALWAYS = (WeeklyHours(frozenset(range(7)), 0, 1440),)


def at(text: str) -> int:
    """An instant from an RFC 3339 string (``Z`` or an offset)."""
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def iso(instant: int) -> str:
    return datetime.fromtimestamp(instant, UTC).strftime("%Y-%m-%dT%H:%MZ")


@cache
def clock_changes(tz: str, start: str, end: str) -> tuple[int, ...]:
    """The instants in ``[start, end)`` at which ``tz`` moves its clocks (every change is on
    a quarter hour of UTC)."""
    zone = ZoneInfo(tz)
    found = []
    offset = datetime.fromtimestamp(at(start), zone).utcoffset()
    for instant in range(at(start), at(end), 15 * 60):
        now = datetime.fromtimestamp(instant, zone).utcoffset()
        if now != offset:
            found.append(instant)
        offset = now
    return tuple(found)


def host(
    host_id: str,
    tz: str = "UTC",
    *,
    hours: tuple[WeeklyHours, ...] | None = None,
    busy: Iterable[tuple[str, str]] = (),
    **kwargs: Any,
) -> HostSchedule:
    spans = as_spans([(at(a), at(b)) for a, b in busy])
    if hours is not None:
        kwargs["working_hours"] = hours
    return HostSchedule(host_id, tz, busy=spans, **kwargs)


def round_robin(
    *members: PoolMember | str,
    duration: int = 30,
    rotation: Rotation = Rotation.AVAILABILITY,
    **kwargs: Any,
) -> BookingType:
    pool = tuple(m if isinstance(m, PoolMember) else PoolMember(m) for m in members)
    return BookingType(
        "rr",
        duration,
        HostMode.ROUND_ROBIN,
        pool,
        rotation=rotation,
        **kwargs,  # type: ignore[arg-type]
    )


def team(mode: HostMode, host_ids: Sequence[str], duration: int = 30, **kwargs: Any) -> BookingType:
    pool = tuple(PoolMember(h) for h in host_ids)
    return BookingType("t", duration, mode, pool, **kwargs)


class Book:
    """Bookings kept the way the store keeps them (holder, credits, time), folded into a
    ledger on demand; cancel drops one, reassign changes its holder only."""

    def __init__(self) -> None:
        self.rows: list[dict[str, object]] = []

    def add(self, assignment: Assignment, made_at: int) -> int:
        self.rows.append(
            {
                "holder": assignment.rotating_host_id,
                "credits": dict(assignment.credits),
                "at": made_at,
            }
        )
        return len(self.rows) - 1

    def cancel(self, index: int) -> None:
        self.rows[index]["cancelled"] = True

    def move(self, index: int, to_host: str, made_at: int) -> None:
        self.rows[index]["holder"] = to_host
        self.rows[index]["at"] = made_at

    def ledger(self) -> dict[str, Standing]:
        out: dict[str, Standing] = {}
        for row in self.rows:
            if row.get("cancelled"):
                continue
            credits = row["credits"]
            assert isinstance(credits, dict)
            for h, c in credits.items():
                s = out.get(h, Standing())
                out[h] = Standing(s.bookings, s.expected + c, s.last_assigned)
            holder = row["holder"]
            assert isinstance(holder, str) and isinstance(row["at"], int)
            s = out.get(holder, Standing())
            last = max(s.last_assigned or 0, row["at"])
            out[holder] = Standing(s.bookings + 1, s.expected, last)
        return out
