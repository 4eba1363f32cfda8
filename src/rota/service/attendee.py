"""The attendee's side of a booking, reached through the private manage link.

The link carries the booking's manage token (256 random bits, given only to
the attendee): holding it is what lets someone see the booking, cancel it or
move it to another time, as with the links in the invitations people receive.
An internal meeting has no attendee and no such page: its hosts change it in the
Hub or the API, and no link finds it here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from rota import actor as actors
from rota.notify import invite, messages
from rota.service import bookings, clock
from rota.service import reschedule as reschedule_use_case
from rota.service.errors import NotFound
from rota.store.db import Database
from rota.store.tables import Booking

MAX_TOKEN_LENGTH = 64


def by_token(db: Database, token: str) -> Booking:
    """The booking whose manage link carries `token`, or NotFound."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise NotFound("No booking has this link.")
    with db.read() as session:
        booking = session.scalar(
            select(Booking).where(
                Booking.manage_token == token, Booking.booking_type_id.is_not(None)
            )
        )
    if booking is None:
        raise NotFound("No booking has this link.")
    return booking


def calendar_file(db: Database, token: str) -> bytes:
    """The booking as an iCalendar file for "Add to calendar": the same event (UID,
    SEQUENCE, participants) as the invitations, so importing it and then receiving an
    update leaves one meeting in the calendar, not two."""
    with db.read() as session:
        booking = session.scalar(
            select(Booking).where(
                Booking.manage_token == token, Booking.booking_type_id.is_not(None)
            )
        )
        if booking is None or len(token) > MAX_TOKEN_LENGTH:
            raise NotFound("No booking has this link.")
        audience = messages.load_audience(session, booking.org_id, booking.host_ids)
        event = messages.meeting(booking, audience, clock.now())
    ics: bytes = invite.calendar(event).to_ical()
    return ics


def cancel(db: Database, token: str, reason: str | None) -> Booking:
    booking = by_token(db, token)
    return bookings.cancel(
        db,
        booking.org_id,
        booking.id,
        reason or "Cancelled by the attendee.",
        actor=actors.attendee(booking.attendee_name or "the attendee"),
    )


def reschedule(db: Database, token: str, start: datetime) -> Booking:
    """Move the booking to `start`: the same booking, so this link, the invitations'
    UID and the hosts (where they are free) stay; a time taken meanwhile leaves the
    booking as it was (`rota.service.reschedule`)."""
    booking = by_token(db, token)
    return reschedule_use_case.reschedule(
        db,
        booking.org_id,
        booking.id,
        start=start,
        reason="Moved by the attendee.",
        by="attendee",
        actor=actors.attendee(booking.attendee_name or "the attendee"),
    )
