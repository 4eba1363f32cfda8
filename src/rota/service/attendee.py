"""The attendee's side of a booking, reached through the private manage link.

The link carries the booking's manage token (256 random bits, given only to
the attendee): holding it is what lets someone see the booking, cancel it or
move it to another time, as with the links in the invitations people receive.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime

from sqlalchemy import select

from rota.notify import invite, messages
from rota.service import bookings, clock
from rota.service.errors import Conflict, NotFound
from rota.store.db import Database
from rota.store.tables import Booking

MAX_TOKEN_LENGTH = 64


def by_token(db: Database, token: str) -> Booking:
    """The booking whose manage link carries `token`, or NotFound."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise NotFound("No booking has this link.")
    with db.read() as session:
        booking = session.scalar(select(Booking).where(Booking.manage_token == token))
    if booking is None:
        raise NotFound("No booking has this link.")
    return booking


def calendar_file(db: Database, token: str) -> bytes:
    """The booking as an iCalendar file for "Add to calendar": the same event (UID,
    SEQUENCE, participants) as the invitations, so importing it and then receiving an
    update leaves one meeting in the calendar, not two."""
    with db.read() as session:
        booking = session.scalar(select(Booking).where(Booking.manage_token == token))
        if booking is None or len(token) > MAX_TOKEN_LENGTH:
            raise NotFound("No booking has this link.")
        audience = messages.load_audience(session, booking.org_id, booking.host_ids)
        event = messages.meeting(booking, audience, clock.now())
    ics: bytes = invite.calendar(event).to_ical()
    return ics


def cancel(db: Database, token: str, reason: str | None) -> Booking:
    booking = by_token(db, token)
    return bookings.cancel(db, booking.org_id, booking.id, reason or "Cancelled by the attendee.")


def reschedule(db: Database, token: str, start: datetime) -> Booking:
    """Move the booking to `start`: book the new time first, then cancel the old one,
    so that a time taken meanwhile leaves the attendee with the booking they had.

    The new time is routed like any new booking (the hosts may change) and gets its
    own manage link; the old booking's history says where it went.
    """
    old = by_token(db, token)
    if old.status != "confirmed":
        raise Conflict("This booking is cancelled.", code="booking_cancelled")
    new = bookings.book(
        db,
        old.org_id,
        booking_type=old.booking_type.slug,
        start=start,
        attendee=bookings.Attendee(old.attendee_name, old.attendee_email, old.attendee_timezone),
    )
    if isinstance(new, bookings.Replay):  # only requests with an idempotency key replay
        raise TypeError("a booking without an idempotency key is never a replay")
    # Cancelled meanwhile (another tab): then the new booking simply stands alone.
    with suppress(Conflict):
        bookings.cancel(db, old.org_id, old.id, f"Moved by the attendee to booking {new.id}.")
    return new
