"""Who could take a booking over: the choices a person sees before reassigning.

Read only. Each pool host is tried with the engine's own reassign rule (the
one `rota.service.reassign` applies when the choice is made), so "free" here
means exactly "a manual reassign to this host would be accepted now", and the
automatic choice named is the one an automatic reassign would make now.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from rota import engine
from rota.engine import board
from rota.engine.model import DAY, MINUTE
from rota.service import clock, lookup
from rota.store.db import Database
from rota.store.snapshot import load_snapshot
from rota.store.tables import Booking, BookingHost, from_us


@dataclass(frozen=True, slots=True)
class Candidate:
    host_id: str
    free: bool
    """Whether a manual reassign to this host would be accepted now."""
    on_booking: bool
    """Already one of the booking's hosts."""
    why_busy: str | None = None
    """Why a host who is not free is not, in words: "on time off", "outside working
    hours", "in Budget review" (a meeting's title), "in a booking", "in a meeting",
    "in a calendar event"; None for a free host or one on the booking."""
    at_daily_cap: bool = False
    """The host already holds the type's daily cap of bookings that day: a person may
    still choose them, the automatic choice passes them by."""


@dataclass(frozen=True, slots=True)
class Options:
    team: bool
    """False for a solo booking type or an internal meeting (nobody to move it to), or a
    cancelled booking."""
    candidates: list[Candidate]
    next_fair_host_id: str | None
    """Whom an automatic reassign would choose now (None: nobody is free)."""
    leaving_host_id: str | None
    """The host who would hand the booking over (None when there are no choices)."""


def reassign_options(
    db: Database, org_id: str, booking_id: str, *, from_host_id: str | None = None
) -> Options:
    """The pool of the booking's type, each host free or not at the booking's time.
    `from_host_id` names the host who would leave (needed when several hold it)."""
    with db.read() as session:
        booking = lookup.booking(session, org_id, booking_id)
        row = booking.booking_type
        if row is None or row.host_mode == engine.HostMode.SOLO or booking.status != "confirmed":
            return Options(team=False, candidates=[], next_fair_host_id=None, leaving_host_id=None)
        start, end = clock.epoch(booking.start_at), clock.epoch(booking.end_at)
        snapshot = load_snapshot(
            session,
            row,
            start,
            start + 1,
            now=clock.epoch(clock.now()),
            exclude_booking_id=booking.id,
        )
        holders = tuple(booking.host_ids)
        meeting = engine.Meeting(start, end, holders, booking.rotating_host_id)
        leaving = (
            from_host_id if from_host_id in holders else booking.rotating_host_id or holders[0]
        )

    def choose(to_host_id: str | None) -> str | None:
        try:
            choice = engine.reassign(
                snapshot.booking_type,
                snapshot.schedules,
                snapshot.ledger,
                meeting,
                from_host_id=leaving,
                to_host_id=to_host_id,
            )
        except (engine.HostUnavailable, engine.NoHostAvailable):
            return None
        return choice.to_host_ids[0]

    duty = {
        m.host_id: _duty_of(snapshot.booking_type, snapshot.schedules[m.host_id], start, end)
        for m in snapshot.booking_type.hosts
        if m.host_id not in holders and m.host_id in snapshot.schedules
    }
    free = {h for h in duty if choose(h) is not None}
    why = {h: reason for h, (reason, _) in duty.items() if h not in free}
    lo, hi = _widened(snapshot.booking_type, start, end)
    if None in why.values():  # on duty, and busy: with what
        with db.read() as session:
            for host_id, reason in why.items():
                why[host_id] = reason or _busy_with(session, host_id, lo, hi)
    candidates = [
        Candidate(
            host_id=m.host_id,
            free=m.host_id in free,
            on_booking=m.host_id in holders,
            why_busy=None
            if m.host_id in free or m.host_id in holders
            else why.get(m.host_id) or "not available",
            at_daily_cap=m.host_id in free and duty[m.host_id][1],
        )
        for m in snapshot.booking_type.hosts
    ]
    return Options(
        team=True,
        candidates=candidates,
        next_fair_host_id=choose(None),
        leaving_host_id=leaving,
    )


def _widened(booking_type: engine.BookingType, start: int, end: int) -> tuple[int, int]:
    """The meeting with the type's buffers, as the reassign checks it."""
    before, after = booking_type.buffer_before_minutes, booking_type.buffer_after_minutes
    return start - before * MINUTE, end + after * MINUTE


def _duty_of(
    booking_type: engine.BookingType, schedule: engine.HostSchedule, start: int, end: int
) -> tuple[str | None, bool]:
    """Why the host is off duty for the meeting (None: on duty), and whether it is at
    the type's daily cap; the engine's own tests (`board.duty`), one at a time."""
    starts = np.array([start], dtype=np.int64)
    shape = board.Shape(
        duration=end - start,
        before=booking_type.buffer_before_minutes * MINUTE,
        after=booking_type.buffer_after_minutes * MINUTE,
    )
    capped = not board.under_cap([schedule], starts, booking_type.max_bookings_per_host_per_day)[
        0, 0
    ]
    if not board.clear([schedule.time_off], starts, shape)[0, 0]:
        return "on time off", capped
    working = board.working([schedule], start - DAY, end + DAY)
    if not board.inside(working, starts, shape)[0, 0]:
        return "outside working hours", capped
    return None, capped


def _busy_with(session: Session, host_id: str, lo: int, hi: int) -> str:
    """What keeps an on-duty host who is not free busy over ``[lo, hi)``: another booking
    it holds (a meeting by its title), else an event of its calendar, the only other
    busy time there is. Only hosts not on the booking are asked, so the booking being
    moved is never the answer."""
    first, last = from_us(lo * 1_000_000), from_us(hi * 1_000_000)
    other = session.scalars(
        select(Booking)
        .join(BookingHost, BookingHost.booking_id == Booking.id)
        .where(
            BookingHost.host_id == host_id,
            BookingHost.active.is_(True),
            BookingHost.busy_start < last,
            BookingHost.busy_end > first,
        )
        .order_by(BookingHost.busy_start)
        .limit(1)
    ).first()
    if other is None:
        return "in a calendar event"
    if other.booking_type_id is not None:
        return "in a booking"
    return f"in {other.title}" if other.title else "in a meeting"
