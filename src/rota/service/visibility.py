"""What a member of the team sees of its bookings (API.md, People): the bookings of the
booking types whose pool they are in, and those they host (an internal meeting has no
booking type, and its hosts see it). Admins see everything and do not come here."""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, or_, select

from rota.service import lookup
from rota.store.db import Database
from rota.store.tables import Booking, BookingHost, BookingType, PoolMember


def seen_by(host_id: str) -> ColumnElement[bool]:
    """The condition on `Booking` that the member who is `host_id` sees the booking."""
    in_pool = exists().where(
        PoolMember.booking_type_id == Booking.booking_type_id, PoolMember.host_id == host_id
    )
    hosting = exists().where(BookingHost.booking_id == Booking.id, BookingHost.host_id == host_id)
    return or_(in_pool, hosting)


def may_see(db: Database, org_id: str, host_id: str, booking_id: str) -> bool:
    """Whether the member who is `host_id` sees the booking; NotFound when the
    organization has no such booking."""
    with db.read() as session:
        lookup.booking(session, org_id, booking_id)
        seen = session.scalar(select(Booking.id).where(Booking.id == booking_id, seen_by(host_id)))
    return seen is not None


def pool_types(db: Database, org_id: str, host_id: str) -> list[BookingType]:
    """The booking types whose pool has the host, by title."""
    with db.read() as session:
        query = (
            select(BookingType)
            .join(PoolMember, PoolMember.booking_type_id == BookingType.id)
            .where(
                BookingType.org_id == org_id,
                BookingType.deleted_at.is_(None),
                PoolMember.host_id == host_id,
            )
            .order_by(BookingType.title, BookingType.id)
        )
        return list(session.scalars(query))
