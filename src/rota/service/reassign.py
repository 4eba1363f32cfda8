"""Moving bookings to another host: one booking, or all of a host's over a range.

Each move is its own transaction: it locks the pool, reads a snapshot without
the moved booking (so it does not block its own new host), lets the engine
choose, then moves the holder and writes the history. The fairness credits
stay where they were earned (see DESIGN.md, Fairness).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from rota import engine
from rota.actor import Actor
from rota.service import bookings as booking_use_cases
from rota.service import clock, events, lookup
from rota.service.errors import Conflict, ServiceError
from rota.store import ledger
from rota.store.db import Database
from rota.store.locking import lock_hosts
from rota.store.snapshot import load_snapshot
from rota.store.tables import Booking, BookingHost, BookingType, HistoryEntry, to_us

MEETING_REFUSAL = (
    "An internal meeting has no pool to hand it over to: reschedule it, or cancel it and"
    " book the meeting again with the people who should attend."
)


def reassign(
    db: Database,
    org_id: str,
    booking_id: str,
    *,
    to_host_id: str | None,
    from_host_id: str | None,
    reason: str | None,
    actor: Actor,
    by: str | None = None,
) -> Booking:
    """Move the booking from one of its hosts to `to_host_id`, or to the next fair host.
    `by` names what moved it in the history (``"decline"``), else how the host was
    chosen (``"auto"``, ``"manual"``); `actor` is who asked for it."""
    with db.write() as session:
        booking = lookup.booking(session, org_id, booking_id, for_update=True)
        row = booking.booking_type
        if row is None:
            raise engine.NotATeamBooking(MEETING_REFUSAL)
        extra = set(booking.host_ids) | ({to_host_id} if to_host_id else set())
        lock_hosts(session, [m.host_id for m in row.pool] + sorted(extra))
        if booking.status == "cancelled":
            raise Conflict("The booking is cancelled.", code="booking_cancelled")
        moment = clock.now()
        start, end = clock.epoch(booking.start_at), clock.epoch(booking.end_at)
        snapshot = load_snapshot(
            session, row, start, start + 1, now=clock.epoch(moment), exclude_booking_id=booking.id
        )
        choice = engine.reassign(
            snapshot.booking_type,
            snapshot.schedules,
            snapshot.ledger,
            engine.Meeting(start, end, tuple(booking.host_ids), booking.rotating_host_id),
            from_host_id=from_host_id,
            to_host_id=to_host_id,
        )
        leaving = set(choice.from_host_ids)
        booking.hosts = [h for h in booking.hosts if h.host_id not in leaving]
        session.flush()
        booking_use_cases.hold(
            booking, choice.to_host_ids, session, first_position=len(booking.host_ids)
        )
        for held in booking.hosts:
            held.position = choice.host_ids.index(held.host_id)
        booking.hosts = sorted(booking.hosts, key=lambda held: held.position)
        if choice.rotating_host_id != booking.rotating_host_id:
            if booking.rotating_host_id is not None and choice.rotating_host_id is not None:
                ledger.apply(
                    session,
                    ledger.moved(
                        booking,
                        booking.rotating_host_id,
                        choice.rotating_host_id,
                        to_us(moment),
                    ),
                )
            booking.rotating_host_id = choice.rotating_host_id
            booking.assigned_at = moment
        booking.history.append(
            HistoryEntry(
                at=moment,
                action="reassigned",
                from_host_ids=list(choice.from_host_ids),
                host_ids=list(choice.host_ids),
                by=by or choice.by,
                reason=reason,
                actor=actor,
            )
        )
        session.flush()
        events.booking_changed(
            session,
            booking,
            "reassigned",
            from_host_ids=choice.from_host_ids,
            to_host_ids=choice.to_host_ids,
        )
        return booking


@dataclass(frozen=True, slots=True)
class Failure:
    booking_id: str
    error: ServiceError | engine.RoutingError


@dataclass(slots=True)
class HostReassignment:
    reassigned: list[Booking] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)


def reassign_host_bookings(
    db: Database,
    org_id: str,
    host_id: str,
    start: datetime,
    end: datetime,
    reason: str | None,
    *,
    actor: Actor,
) -> HostReassignment:
    """Move each confirmed team booking of the host starting in ``[start, end)`` to the
    next fair host, in start order; each move stands alone, failures are reported."""
    with db.read() as session:
        lookup.host(session, org_id, host_id)
        ids = list(
            session.scalars(
                select(Booking.id)
                .join(BookingHost, BookingHost.booking_id == Booking.id)
                .join(BookingType, BookingType.id == Booking.booking_type_id)
                .where(
                    Booking.org_id == org_id,
                    BookingHost.host_id == host_id,
                    BookingHost.active,
                    BookingType.host_mode != "solo",
                    Booking.start_at >= start,
                    Booking.start_at < end,
                )
                .order_by(Booking.start_at, Booking.id)
            )
        )
    outcome = HostReassignment()
    for booking_id in ids:
        try:
            moved = reassign(
                db,
                org_id,
                booking_id,
                to_host_id=None,
                from_host_id=host_id,
                reason=reason,
                actor=actor,
            )
        except (ServiceError, engine.RoutingError) as error:
            outcome.failed.append(Failure(booking_id, error))
        else:
            outcome.reassigned.append(moved)
    return outcome
