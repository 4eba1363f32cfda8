"""Booking a slot, reading bookings, cancelling one.

Booking is check-then-insert inside one write transaction that first takes
the locks of `rota.store.locking` (PostgreSQL) or holds the database write lock
(SQLite): whoever books second reads the first booking and gets
`slot_unavailable`. The exclusion constraint on PostgreSQL would refuse a
double booking even if that reasoning had a hole; its refusal is reported the
same way.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from rota import engine
from rota.notify import messages
from rota.service import clock, events, lookup
from rota.service.errors import Conflict, Invalid
from rota.service.ids import new_id, new_token
from rota.store.db import Database
from rota.store.locking import lock_hosts
from rota.store.snapshot import load_hours, load_snapshot
from rota.store.tables import (
    Booking,
    BookingHost,
    FairnessCredit,
    HistoryEntry,
    IdempotencyKey,
    from_us,
    to_us,
)


@dataclass(frozen=True, slots=True)
class Attendee:
    name: str
    email: str
    timezone: str | None = None


@dataclass(frozen=True, slots=True)
class Idempotency:
    """An ``Idempotency-Key`` with a digest of the request it came with, and how to
    render the response that a retry gets back."""

    key: str
    request_hash: str
    render: Callable[[Booking], str]


@dataclass(frozen=True, slots=True)
class Replay:
    """The stored first response to a retried request."""

    status_code: int
    body: str


def hold(booking: Booking, host_ids: Iterable[str], *, first_position: int = 0) -> None:
    """Give the booking to `host_ids`: each loses the meeting widened by its buffers."""
    busy_start, busy_end = engine.widen(
        to_us(booking.start_at) // 1_000_000,
        to_us(booking.end_at) // 1_000_000,
        booking.buffer_before_minutes,
        booking.buffer_after_minutes,
    )
    for position, host_id in enumerate(host_ids, start=first_position):
        booking.hosts.append(
            BookingHost(
                host_id=host_id,
                position=position,
                busy_start=from_us(busy_start * 1_000_000),
                busy_end=from_us(busy_end * 1_000_000),
                active=booking.status == "confirmed",
            )
        )


def _replay(session: Session, org_id: str, idempotency: Idempotency) -> Replay | None:
    stored = session.get(IdempotencyKey, (org_id, idempotency.key))
    if stored is None:
        return None
    if stored.request_hash != idempotency.request_hash:
        raise Conflict(
            "This Idempotency-Key was already used with another request body.",
            code="idempotency_key_reused",
        )
    return Replay(stored.status_code, stored.response_body)


def book(
    db: Database,
    org_id: str,
    *,
    booking_type: str,
    start: datetime,
    attendee: Attendee,
    idempotency: Idempotency | None = None,
) -> Booking | Replay:
    """Book `start` of the type for the attendee, with the hosts the listing offers now."""
    try:
        return _book(db, org_id, booking_type, start, attendee, idempotency)
    except IntegrityError as error:
        # Lost a race the locks do not cover: a concurrent retry with the same key
        # (replay its response) or, as a last line, the exclusion constraint.
        if idempotency is not None:
            with db.read() as session:
                replay = _replay(session, org_id, idempotency)
            if replay is not None:
                return replay
        raise engine.SlotUnavailable("That time was just taken; pick another.") from error


def _book(
    db: Database,
    org_id: str,
    slug: str,
    start: datetime,
    attendee: Attendee,
    idempotency: Idempotency | None,
) -> Booking | Replay:
    with db.write() as session:
        row = lookup.booking_type(session, org_id, slug)
        if idempotency is not None and (replay := _replay(session, org_id, idempotency)):
            return replay
        moment = clock.now()
        now, at = clock.epoch(moment), clock.epoch(start)
        # What does not depend on other bookings (who is told, the hosts' hours) is read
        # before the pool's lock: under it, only busy time and the ledger are read and
        # then the rows written, and the shorter that is, the more bookings a second.
        pool = [m.host_id for m in row.pool]
        audience = messages.load_audience(session, org_id, pool)
        hours = load_hours(session, row.id)
        lock_hosts(session, pool)
        # A concurrent retry with the same key that gets past this check is caught by
        # the key's primary key at commit and answered with the first response.
        snapshot = load_snapshot(session, row, at, at + 1, now=now, hours=hours)
        assignment = engine.assign(
            snapshot.booking_type, snapshot.schedules, snapshot.ledger, now=now, start=at
        )
        booking = Booking(
            id=new_id("bk"),
            org_id=org_id,
            booking_type_id=row.id,
            status="confirmed",
            start_at=from_us(assignment.start * 1_000_000),
            end_at=from_us(assignment.end * 1_000_000),
            buffer_before_minutes=row.buffer_before_minutes,
            buffer_after_minutes=row.buffer_after_minutes,
            rotating_host_id=assignment.rotating_host_id,
            attendee_name=attendee.name,
            attendee_email=attendee.email,
            attendee_timezone=attendee.timezone,
            created_at=moment,
            assigned_at=moment,
            sequence=0,
            manage_token=new_token(),
        )
        booking.booking_type = row
        hold(booking, assignment.host_ids)
        booking.history.append(
            HistoryEntry(at=moment, action="created", host_ids=list(assignment.host_ids), by="auto")
        )
        session.add(booking)
        session.flush()  # the booking first: its credits and messages refer to it
        if assignment.credits:  # plain rows, one statement: nothing reads them back here
            session.execute(
                insert(FairnessCredit),
                [
                    {"booking_id": booking.id, "host_id": host_id, "credit": credit}
                    for host_id, credit in assignment.credits.items()
                ],
            )
        events.booking_changed(
            session, booking, "created", to_host_ids=assignment.host_ids, audience=audience
        )
        if idempotency is not None:
            session.add(
                IdempotencyKey(
                    org_id=org_id,
                    key=idempotency.key,
                    request_hash=idempotency.request_hash,
                    status_code=201,
                    response_body=idempotency.render(booking),
                    created_at=moment,
                )
            )
        return booking


def get_booking(db: Database, org_id: str, booking_id: str) -> Booking:
    with db.read() as session:
        return lookup.booking(session, org_id, booking_id)


def cancel(db: Database, org_id: str, booking_id: str, reason: str | None) -> Booking:
    """Cancel a booking: its hosts are free again and it no longer counts for fairness."""
    with db.write() as session:
        booking = lookup.booking(session, org_id, booking_id, for_update=True)
        if booking.status == "cancelled":
            raise Conflict("The booking is already cancelled.", code="booking_cancelled")
        moment = clock.now()
        booking.status = "cancelled"
        booking.cancelled_at = moment
        for held in booking.hosts:
            held.active = False
        booking.history.append(
            HistoryEntry(
                at=moment, action="cancelled", host_ids=booking.host_ids, by="manual", reason=reason
            )
        )
        session.flush()
        events.booking_changed(session, booking, "cancelled", from_host_ids=booking.host_ids)
        return booking


@dataclass(frozen=True, slots=True)
class Page:
    bookings: Sequence[Booking]
    next_cursor: str | None


def _cursor(booking: Booking) -> str:
    raw = json.dumps([to_us(booking.start_at), booking.id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _after(cursor: str) -> tuple[int, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        start_us, booking_id = json.loads(raw)
        if isinstance(start_us, int) and isinstance(booking_id, str):
            return start_us, booking_id
    except (ValueError, binascii.Error, TypeError):
        pass
    raise Invalid("The cursor is not one this server gave.", details={"cursor": "invalid"})


def list_bookings(
    db: Database,
    org_id: str,
    *,
    booking_type: str | None = None,
    host_id: str | None = None,
    status: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int = 100,
    cursor: str | None = None,
    newest_first: bool = False,
) -> Page:
    """Bookings by start (then id), filtered; `cursor` continues after a previous page.
    `newest_first` reverses the order (the Hub's table shows the latest first)."""
    query = select(Booking).where(Booking.org_id == org_id)
    if status is not None:
        query = query.where(Booking.status == status)
    if start is not None:
        query = query.where(Booking.start_at >= start)
    if end is not None:
        query = query.where(Booking.start_at < end)
    if cursor is not None:
        start_us, last_id = _after(cursor)
        after = from_us(start_us)
        if newest_first:
            past, past_id = Booking.start_at < after, Booking.id < last_id
        else:
            past, past_id = Booking.start_at > after, Booking.id > last_id
        query = query.where(or_(past, and_(Booking.start_at == after, past_id)))
    with db.read() as session:
        if booking_type is not None:
            type_id = lookup.booking_type(session, org_id, booking_type).id
            query = query.where(Booking.booking_type_id == type_id)
        if host_id is not None:
            lookup.host(session, org_id, host_id)
            query = query.where(
                exists().where(BookingHost.booking_id == Booking.id, BookingHost.host_id == host_id)
            )
        order = (Booking.start_at, Booking.id)
        if newest_first:
            query = query.order_by(*(column.desc() for column in order))
        else:
            query = query.order_by(*order)
        rows = list(session.scalars(query.limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, _cursor(rows[-1]) if more else None)
