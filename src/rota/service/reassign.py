"""Moving bookings to another host: one booking, or all of a host's over a range.

Each move is its own transaction: it locks the pool, reads a snapshot without
the moved booking (so it does not block its own new host), lets the engine
choose, then moves the holder and writes the history. The fairness credits
stay where they were earned (see DESIGN.md, Fairness).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from rota import engine
from rota.actor import Actor
from rota.service import bookings as booking_use_cases
from rota.service import clock, events, hosts, lookup
from rota.service.errors import Conflict, ServiceError
from rota.store import ledger
from rota.store.db import Database
from rota.store.locking import lock_hosts
from rota.store.snapshot import load_snapshot
from rota.store.tables import Booking, BookingHost, BookingType, HistoryEntry, Host, to_us

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
        return _move(
            session,
            org_id,
            booking_id,
            to_host_id=to_host_id,
            from_host_id=from_host_id,
            reason=reason,
            actor=actor,
            by=by,
        )


def _move(
    session: Session,
    org_id: str,
    booking_id: str,
    *,
    to_host_id: str | None,
    from_host_id: str | None,
    reason: str | None,
    actor: Actor,
    by: str | None = None,
) -> Booking:
    """`reassign` in the caller's transaction."""
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


@dataclass(frozen=True, slots=True)
class Move:
    """In a dry run: the booking that would move, and the hosts it would go to."""

    booking_id: str
    to_host_ids: tuple[str, ...]


@dataclass(slots=True)
class HostReassignment:
    reassigned: list[Booking] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    plan: list[Move] = field(default_factory=list)
    """A dry run's moves, in start order (nothing was changed)."""


class _DryRun(Exception):
    """Raised at the end of a dry run to roll its transaction back."""


def _host_booking_ids(
    session: Session,
    org_id: str,
    host_id: str,
    start: datetime,
    end: datetime,
    *,
    time_off: bool,
    reason: str | None,
) -> list[str]:
    """The confirmed team bookings of the host starting in ``[start, end)``, in start
    order; with `time_off`, time off over the range is added first.

    Both under the host's lock, in one transaction: a booking being made for the host
    right now either commits before (and is in the list) or reads the time off (and
    goes to someone else), so none lands on the host unseen."""
    lookup.host(session, org_id, host_id)
    if time_off:
        lock_hosts(session, [host_id])
        hosts.insert_time_off(session, host_id, start, end, reason)
    return list(
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


def reassign_host_bookings(
    db: Database,
    org_id: str,
    host_id: str,
    start: datetime,
    end: datetime,
    reason: str | None,
    *,
    actor: Actor,
    time_off: bool = False,
    dry_run: bool = False,
) -> HostReassignment:
    """Move each confirmed team booking of the host starting in ``[start, end)`` to the
    next fair host, in start order; each move stands alone, failures are reported.

    `time_off` adds time off over the range first (see `_host_booking_ids`), so the
    booking pages stop offering the host there. `dry_run` changes nothing and answers
    with the `plan` instead: who would take each booking."""
    if dry_run:
        return _plan(db, org_id, host_id, start, end, reason, actor=actor, time_off=time_off)
    with db.write() as session:
        ids = _host_booking_ids(
            session, org_id, host_id, start, end, time_off=time_off, reason=reason
        )
    return hand_over(db, org_id, host_id, ids, reason, actor=actor)


def hand_over(
    db: Database,
    org_id: str,
    host_id: str,
    booking_ids: Sequence[str],
    reason: str | None,
    *,
    actor: Actor,
) -> HostReassignment:
    """Move each of the bookings from the host to the next fair host, in the order
    given; each move stands alone, failures are reported."""
    outcome = HostReassignment()
    for booking_id in booking_ids:
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


def _plan(
    db: Database,
    org_id: str,
    host_id: str,
    start: datetime,
    end: datetime,
    reason: str | None,
    *,
    actor: Actor,
    time_off: bool,
) -> HostReassignment:
    """The moves of `reassign_host_bookings` made for real, one after another (each
    move's choice depends on the fairness left by the ones before), in a transaction
    that is then rolled back: the plan is what the same code would do, not a guess.

    The transaction holds all the moves, so it takes their locks up front in the
    order every writer takes them: the bookings' rows (in id order; a cancel or a
    reassign locks its booking's row before its hosts), then every host of the
    organization in id order (each move would lock its pool). The moves' own locks
    then never wait, and never in an order that could deadlock with another writer."""
    outcome = HostReassignment()
    try:
        with db.write() as session:
            found = _host_booking_ids(
                session, org_id, host_id, start, end, time_off=False, reason=None
            )
            session.execute(
                select(Booking.id)
                .where(Booking.id.in_(sorted(found)))
                .order_by(Booking.id)
                .with_for_update()
            )
            lock_hosts(session, session.scalars(select(Host.id).where(Host.org_id == org_id)))
            # Read again under the hosts' locks (with the time off added, if asked).
            ids = _host_booking_ids(
                session, org_id, host_id, start, end, time_off=time_off, reason=reason
            )
            for booking_id in ids:
                before = set(
                    session.scalars(
                        select(BookingHost.host_id).where(BookingHost.booking_id == booking_id)
                    )
                )
                try:
                    with session.begin_nested():
                        moved = _move(
                            session,
                            org_id,
                            booking_id,
                            to_host_id=None,
                            from_host_id=host_id,
                            reason=reason,
                            actor=actor,
                        )
                        gained = tuple(h for h in moved.host_ids if h not in before)
                        outcome.plan.append(Move(booking_id, gained))
                except (ServiceError, engine.RoutingError) as error:
                    outcome.failed.append(Failure(booking_id, error))
            raise _DryRun
    except _DryRun:
        pass
    return outcome
