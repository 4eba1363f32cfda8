"""Finding an organization's resources by id or slug, or refusing with 404.

Another organization's resource is answered exactly like a missing one.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from rota.service.errors import NotFound
from rota.store.tables import Booking, BookingType, Host


def host(session: Session, org_id: str, host_id: str) -> Host:
    row = session.get(Host, host_id)
    if row is None or row.org_id != org_id or row.deleted_at is not None:
        raise NotFound(f"No host with id {host_id!r}.")
    return row


def booking_type(session: Session, org_id: str, slug: str) -> BookingType:
    row = session.scalar(
        select(BookingType).where(
            BookingType.org_id == org_id, BookingType.slug == slug, BookingType.deleted_at.is_(None)
        )
    )
    if row is None:
        raise NotFound(f"No booking type with slug {slug!r}.")
    return row


def booking(session: Session, org_id: str, booking_id: str, *, for_update: bool = False) -> Booking:
    """`for_update` locks the booking's row (PostgreSQL) for a change of its state."""
    if for_update:
        session.execute(select(Booking.id).where(Booking.id == booking_id).with_for_update())
    row = session.get(Booking, booking_id)
    if row is None or row.org_id != org_id:
        raise NotFound(f"No booking with id {booking_id!r}.")
    return row
