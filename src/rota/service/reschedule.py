"""Moving a booking to another time: the same booking (id, invite UID, manage link),
its SEQUENCE raised (API.md, Reschedule).

One write transaction that locks the booking's row (so concurrent moves of one
booking queue behind each other, and each one reads where the one before left
it), then the pool's hosts as booking does, and reads the snapshot without the
booking itself, so its own current time does not stand in its way.

An internal meeting (no type) keeps its hosts, who must all be free at the new
time; it has no notice or window of a type, only the past is refused.
Solo and collective bookings keep their hosts, who must all be free at the new
time. Round-robin: the fixed hosts must be free; the rotating host keeps the
booking when free then, otherwise the next fair free host takes it as a
reassignment does (the count moves in the ledger, the credits stay; the
booking keeps its day in the ledger, the day it was made).
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
from sqlalchemy.orm import Session

from rota import engine
from rota.actor import Actor
from rota.engine import board
from rota.engine.model import DAY, MINUTE
from rota.service import bookings as booking_use_cases
from rota.service import clock, events, lookup, meetings
from rota.service.errors import Conflict
from rota.store import ledger
from rota.store.db import Database
from rota.store.locking import lock_hosts
from rota.store.snapshot import Snapshot, load_snapshot
from rota.store.tables import Booking, BookingHost, BookingType, HistoryEntry, from_us, to_us


def _offered_window(routed: engine.BookingType, now: int, start: int) -> None:
    """The new start must respect the type's minimum notice and booking window."""
    if start < now + routed.minimum_notice_minutes * MINUTE:
        raise engine.SlotUnavailable("That time is too soon to move the booking to.")
    if start >= now + routed.booking_window_days * DAY:
        raise engine.SlotUnavailable("That time is beyond the booking window.")


def _free(snapshot: Snapshot, host_ids: list[str], start: int, end: int) -> dict[str, bool]:
    """Whether each host can take the meeting ``[start, end)`` (with the type's buffers):
    in its hours, outside time off and busy time, under the daily cap."""
    routed = snapshot.booking_type
    schedules = [snapshot.schedules[h] for h in host_ids]
    shape = board.Shape(
        duration=end - start,
        before=routed.buffer_before_minutes * MINUTE,
        after=routed.buffer_after_minutes * MINUTE,
    )
    working = board.working(schedules, start - DAY, end + DAY)
    starts = np.array([start], dtype=np.int64)
    duty = board.duty(schedules, working, starts, shape, routed.max_bookings_per_host_per_day)
    return {h: bool(duty.free[row, 0]) for row, h in enumerate(host_ids)}


def _move_hosts(
    session: Session, booking: Booking, leaving: str | None, joining: str | None
) -> None:
    """Hold the booking's new time; `joining` takes the place of `leaving` if given."""
    if leaving is not None and joining is not None:
        old: BookingHost = next(h for h in booking.hosts if h.host_id == leaving)
        booking.hosts.remove(old)
        booking_use_cases.hold(booking, [joining], session, first_position=old.position)
        booking.hosts.sort(key=lambda held: held.position)
    busy_start, busy_end = engine.widen(
        to_us(booking.start_at) // 1_000_000,
        to_us(booking.end_at) // 1_000_000,
        booking.buffer_before_minutes,
        booking.buffer_after_minutes,
    )
    for held in booking.hosts:
        held.busy_start = from_us(busy_start * 1_000_000)
        held.busy_end = from_us(busy_end * 1_000_000)


def _meeting_free(session: Session, booking: Booking, now: int, start: int, end: int) -> None:
    """An internal meeting moves when every one of its hosts is free at the new time."""
    if start < now:
        raise engine.SlotUnavailable("That time has already passed.")
    people = [held.host for held in booking.hosts]
    meetings.check_free(session, people, start, end, exclude_booking_id=booking.id)


def _typed_move(
    session: Session, booking: Booking, row: BookingType, now: int, start: int, end: int
) -> str | None:
    """Check that a typed booking may move to ``[start, end)``: inside the type's notice
    and window, its hosts free (round-robin: its fixed hosts). Returns the host who
    takes the rotating host's place when that one is not free then, else None."""
    snapshot = load_snapshot(
        session,
        row,
        start,
        start + 1,
        now=now,
        extra_host_ids=booking.host_ids,
        exclude_booking_id=booking.id,
    )
    _offered_window(snapshot.booking_type, now, start)
    free = _free(snapshot, booking.host_ids, start, end)
    rotating = booking.rotating_host_id
    if not all(ok for h, ok in free.items() if h != rotating):
        raise engine.SlotUnavailable("A host of this booking is not free at that time.")
    if rotating is None or free[rotating]:
        return None
    meeting = engine.Meeting(start, end, tuple(booking.host_ids), rotating)
    try:
        choice = engine.reassign(
            snapshot.booking_type,
            snapshot.schedules,
            snapshot.ledger,
            meeting,
            from_host_id=rotating,
            to_host_id=None,
        )
    except engine.RoutingError as refusal:
        raise engine.SlotUnavailable("Nobody of the pool is free at that time.") from refusal
    return choice.rotating_host_id


def reschedule(
    db: Database,
    org_id: str,
    booking_id: str,
    *,
    start: datetime,
    reason: str | None,
    actor: Actor,
    by: str = "manual",
) -> Booking:
    """Move the booking to `start`; raises `engine.SlotUnavailable` when its hosts (or,
    round-robin, any fair replacement of the rotating host) are not free then."""
    with db.write() as session:
        booking = lookup.booking(session, org_id, booking_id, for_update=True)
        row = booking.booking_type
        pool = [m.host_id for m in row.pool] if row is not None else []
        lock_hosts(session, pool + booking.host_ids)
        if booking.status == "cancelled":
            raise Conflict("The booking is cancelled.", code="booking_cancelled")
        moment = clock.now()
        new_start = clock.epoch(start)
        new_end = new_start + clock.epoch(booking.end_at) - clock.epoch(booking.start_at)
        rotating = booking.rotating_host_id
        if row is None:
            _meeting_free(session, booking, clock.epoch(moment), new_start, new_end)
            joining = None
        else:
            joining = _typed_move(session, booking, row, clock.epoch(moment), new_start, new_end)
        from_start = booking.start_at
        booking.start_at = from_us(new_start * 1_000_000)
        booking.end_at = from_us(new_end * 1_000_000)
        if row is not None:
            booking.buffer_before_minutes = row.buffer_before_minutes
            booking.buffer_after_minutes = row.buffer_after_minutes
        _move_hosts(session, booking, rotating, joining)
        if rotating is not None and joining is not None:
            ledger.apply(session, ledger.moved(booking, rotating, joining, to_us(moment)))
            booking.rotating_host_id = joining
            booking.assigned_at = moment
        leaving = [rotating] if rotating is not None and joining is not None else []
        booking.history.append(
            HistoryEntry(
                at=moment,
                action="rescheduled",
                from_host_ids=leaving or None,
                host_ids=list(booking.host_ids),
                by=by,
                reason=reason,
                from_start_at=from_start,
                start_at=booking.start_at,
                actor=actor,
            )
        )
        session.flush()
        events.booking_changed(
            session,
            booking,
            "rescheduled",
            from_host_ids=leaving,
            to_host_ids=[joining] if joining is not None else [],
            from_start=from_start,
        )
        return booking
