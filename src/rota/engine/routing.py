"""Who hosts a booking: the slot listing and the assignment of a new booking.

Both run the same code, so the host a slot shows is exactly the host a booking
at that slot gets. Solo and collective: every host must be free. Round-robin
(DESIGN.md, Routing): the fixed hosts must all be free; the candidates are the
free rotating hosts of the top priority among the free, narrowed to positive
weights, and the credited set is that tier's hosts on duty, free or busy
(`rota.engine.fairness`). ``availability`` rotation gives the slot to the
fairest candidate, ``strict`` rotation offers only the times of the one host
next in line regardless of who is free.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from rota.engine import board
from rota.engine.errors import SlotUnavailable
from rota.engine.fairness import NOBODY, Floats, Ints, Mask, Pool
from rota.engine.model import (
    DAY,
    MINUTE,
    Assignment,
    BookingType,
    HostMode,
    HostSchedule,
    Ledger,
    Rotation,
    Slot,
    SlotTable,
    SpanArray,
)


def shape(booking_type: BookingType) -> board.Shape:
    return board.Shape(
        duration=booking_type.duration_minutes * MINUTE,
        before=booking_type.buffer_before_minutes * MINUTE,
        after=booking_type.buffer_after_minutes * MINUTE,
    )


def pool_schedules(
    booking_type: BookingType, schedules: Mapping[str, HostSchedule]
) -> list[HostSchedule]:
    """The schedules of the pool in pool order (rotating hosts, then fixed ones)."""
    missing = [m.host_id for m in booking_type.hosts if m.host_id not in schedules]
    if missing:
        raise ValueError(f"no schedule for pool hosts {missing}")
    members = booking_type.rotating + booking_type.fixed
    return [schedules[m.host_id] for m in members]


@dataclass(frozen=True, slots=True)
class Routes:
    """The decision for every candidate start at once."""

    starts: Ints
    offered: Mask
    chosen: Ints
    """Row of the rotating host per start (round-robin), else NOBODY."""
    credits: Floats
    """Credit of each rotating row per start (round-robin), before the catch-up cut."""
    pool: Pool
    """The rotating hosts with their standing in the ledger."""


def route(
    booking_type: BookingType,
    hosts: list[HostSchedule],
    working: list[SpanArray],
    ledger: Ledger,
    starts: Ints,
) -> Routes:
    """Decide every start of ``starts`` for the pool's ``hosts`` (in pool order)."""
    duty = board.duty(
        hosts, working, starts, shape(booking_type), booking_type.max_bookings_per_host_per_day
    )
    none = np.full(len(starts), NOBODY, dtype=np.int64)
    pool = Pool(booking_type.rotating, ledger)
    if booking_type.host_mode != HostMode.ROUND_ROBIN:
        everyone_free: Mask = np.all(duty.free, axis=0)
        return Routes(starts, everyone_free, none, np.zeros((0, len(starts))), pool)
    rotating = len(booking_type.rotating)
    fixed_free: Mask = np.all(duty.free[rotating:], axis=0)
    free, on_duty = duty.free[:rotating], duty.on_duty[:rotating]
    if booking_type.rotation == Rotation.STRICT:
        # The next host in line is chosen as if everyone were free, once for all starts;
        # at each start it is the only candidate, and the on-duty hosts of its tier earn.
        everyone = np.ones((rotating, 1), dtype=bool)
        nxt = int(pool.choose(*pool.decide(everyone, everyone))[0])
        if nxt == NOBODY:
            nowhere = np.zeros(len(starts), dtype=bool)
            return Routes(starts, nowhere, none, np.zeros(free.shape), pool)
        only_next = np.zeros_like(free)
        only_next[nxt] = free[nxt]
        candidates, credits = pool.decide(only_next, on_duty)
        offered = fixed_free & free[nxt]
        return Routes(starts, offered, np.where(offered, nxt, NOBODY), credits, pool)
    candidates, credits = pool.decide(free, on_duty)
    chosen = pool.choose(candidates, credits)
    offered = fixed_free & (chosen != NOBODY)
    return Routes(starts, offered, np.where(offered, chosen, NOBODY), credits, pool)


def _window(booking_type: BookingType, now: int, start: int, end: int) -> tuple[int, int]:
    """Starts within ``[start, end)``, after the minimum notice, inside the booking window."""
    lo = max(start, now + booking_type.minimum_notice_minutes * MINUTE)
    hi = min(end, now + booking_type.booking_window_days * DAY)
    return lo, hi


def _plan(
    booking_type: BookingType, schedules: Mapping[str, HostSchedule], lo: int, hi: int
) -> tuple[list[HostSchedule], list[SpanArray], Ints]:
    """The pool's schedules, their working spans and the candidate starts in ``[lo, hi)``."""
    hosts = pool_schedules(booking_type, schedules)
    working = board.working(hosts, lo - DAY, hi + DAY)
    # Fixed hosts join every booking but do not shape the grid: the rotating hosts do.
    shaping = len(booking_type.rotating) if booking_type.host_mode == HostMode.ROUND_ROBIN else None
    step = booking_type.step_minutes * MINUTE
    starts = board.grid(board.days(hosts[:shaping], lo, hi), step, lo, hi)
    return hosts, working, starts


def _hosts_by_row(booking_type: BookingType) -> list[tuple[str, ...]]:
    """The host ids of a booking given to each rotating row (round-robin), or the one
    list of everyone (solo, collective)."""
    if booking_type.host_mode != HostMode.ROUND_ROBIN:
        return [tuple(m.host_id for m in booking_type.hosts)]
    fixed = tuple(m.host_id for m in booking_type.fixed)
    return [(m.host_id, *fixed) for m in booking_type.rotating]


def slot_table(
    booking_type: BookingType,
    schedules: Mapping[str, HostSchedule],
    ledger: Ledger,
    *,
    now: int,
    start: int,
    end: int,
) -> SlotTable:
    """The slots starting in ``[start, end)`` that a booker may take at ``now``, ascending,
    each with the hosts a booking made now would get, as columns."""
    duration = booking_type.duration_minutes * MINUTE
    by_row = tuple(_hosts_by_row(booking_type))
    lo, hi = _window(booking_type, now, start, end)
    if lo >= hi:
        nothing = np.empty(0, dtype=np.int64)
        return SlotTable(nothing, duration, nothing, by_row)
    hosts, working, starts = _plan(booking_type, schedules, lo, hi)
    routes = route(booking_type, hosts, working, ledger, starts)
    columns = np.flatnonzero(routes.offered)
    return SlotTable(starts[columns], duration, np.maximum(routes.chosen[columns], 0), by_row)


def list_slots(
    booking_type: BookingType,
    schedules: Mapping[str, HostSchedule],
    ledger: Ledger,
    *,
    now: int,
    start: int,
    end: int,
) -> list[Slot]:
    """The slots of `slot_table`, one value each."""
    return slot_table(booking_type, schedules, ledger, now=now, start=start, end=end).slots()


def assign(
    booking_type: BookingType,
    schedules: Mapping[str, HostSchedule],
    ledger: Ledger,
    *,
    now: int,
    start: int,
) -> Assignment:
    """The hosts of a new booking at ``start``, made at ``now``, with its fairness credits.
    Raises SlotUnavailable unless ``start`` is a slot the listing offers right now."""
    lo, hi = _window(booking_type, now, start, start + 1)
    if lo >= hi:
        raise SlotUnavailable(
            "That time is not offered: it is too soon or beyond the booking window."
        )
    hosts, working, starts = _plan(booking_type, schedules, lo, hi)
    if len(starts) == 0 or int(starts[0]) != start:
        raise SlotUnavailable("That time is not offered: it is outside the hosts' hours.")
    routes = route(booking_type, hosts, working, ledger, starts)
    if not routes.offered[0]:
        raise SlotUnavailable("That time is no longer available: the host is busy then.")
    end = start + booking_type.duration_minutes * MINUTE
    chosen = int(routes.chosen[0])
    by_row = _hosts_by_row(booking_type)
    if chosen == NOBODY:
        return Assignment(start, end, by_row[0], None, {})
    # `rotating` is a property that filters the pool: read it once, not once per row.
    members = booking_type.rotating
    stored = routes.pool.cut(routes.credits[:, 0], chosen, booking_type.catch_up_limit)
    credits = {
        members[row].host_id: float(stored[row]) for row in np.flatnonzero(stored > 0).tolist()
    }
    return Assignment(start, end, by_row[chosen], members[chosen].host_id, credits)
