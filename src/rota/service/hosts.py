"""Hosts and their time: working hours, date overrides, time off, busy blocks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from rota.service import clock, lookup
from rota.service.errors import Conflict, NotFound
from rota.service.ids import new_id
from rota.store.db import Database
from rota.store.tables import Booking, BookingHost, BusyBlock, Host, PoolMember, TimeOff

DEFAULT_WORKING_HOURS: list[dict[str, Any]] = [
    {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"}
]
EDITABLE = ("name", "email", "timezone", "working_hours", "date_overrides")


def working_hours_or_default(hours: Sequence[Mapping[str, Any]] | None) -> list[Any]:
    """A host's weekly hours as stored: those given (an empty list is never free), or
    weekdays nine to five when none are given."""
    return list(DEFAULT_WORKING_HOURS if hours is None else hours)


Span = TimeOff | BusyBlock


def create_host(
    db: Database,
    org_id: str,
    *,
    name: str,
    email: str,
    timezone: str,
    working_hours: Sequence[Mapping[str, Any]] | None = None,
    date_overrides: Sequence[Mapping[str, Any]] = (),
) -> Host:
    with db.write() as session:
        row = Host(
            id=new_id("host"),
            org_id=org_id,
            name=name,
            email=email,
            timezone=timezone,
            working_hours=working_hours_or_default(working_hours),
            date_overrides=list(date_overrides),
            created_at=clock.now(),
        )
        session.add(row)
        return row


def list_hosts(db: Database, org_id: str) -> list[Host]:
    with db.read() as session:
        query = (
            select(Host)
            .where(Host.org_id == org_id, Host.deleted_at.is_(None))
            .order_by(Host.created_at, Host.id)
        )
        return list(session.scalars(query))


def host_names(db: Database, org_id: str) -> dict[str, str]:
    """Every host's name by id, deleted hosts included: past bookings still name them."""
    with db.read() as session:
        rows = session.execute(select(Host.id, Host.name).where(Host.org_id == org_id))
        return {host_id: name for host_id, name in rows}


def get_host(db: Database, org_id: str, host_id: str) -> Host:
    with db.read() as session:
        return lookup.host(session, org_id, host_id)


def update_host(db: Database, org_id: str, host_id: str, changes: Mapping[str, Any]) -> Host:
    """Change only the fields named in `changes`; `working_hours` None restores the default."""
    with db.write() as session:
        row = lookup.host(session, org_id, host_id)
        for field in EDITABLE:
            if field in changes:
                value = changes[field]
                if field == "working_hours":
                    value = working_hours_or_default(value)
                setattr(row, field, list(value) if isinstance(value, list) else value)
        return row


def delete_host(db: Database, org_id: str, host_id: str) -> None:
    """Remove a host from the organization and from every pool.

    The row stays (marked deleted) so that past bookings still name their host.
    """
    with db.write() as session:
        row = lookup.host(session, org_id, host_id)
        now = clock.now()
        upcoming = session.scalar(
            select(Booking.id)
            .join(BookingHost, BookingHost.booking_id == Booking.id)
            .where(BookingHost.host_id == host_id, BookingHost.active, Booking.end_at > now)
            .limit(1)
        )
        if upcoming is not None:
            raise Conflict(
                "The host still has confirmed upcoming bookings; reassign or cancel them first.",
                code="host_has_bookings",
            )
        session.execute(delete(PoolMember).where(PoolMember.host_id == host_id))
        row.deleted_at = now


def add_span(
    db: Database,
    org_id: str,
    host_id: str,
    kind: type[Span],
    *,
    start: datetime,
    end: datetime,
    label: str | None,
) -> Span:
    """Add time off (label = reason) or a busy block (label = title) to a host."""
    with db.write() as session:
        lookup.host(session, org_id, host_id)
        if kind is TimeOff:
            return insert_time_off(session, host_id, start, end, label)
        row = BusyBlock(
            id=new_id("busy"),
            host_id=host_id,
            start_at=start,
            end_at=end,
            title=label,
            source="api",
            created_at=clock.now(),
        )
        session.add(row)
        return row


def insert_time_off(
    session: Session, host_id: str, start: datetime, end: datetime, reason: str | None
) -> TimeOff:
    """Add time off to a host in `session`'s transaction."""
    row = TimeOff(
        id=new_id("off"),
        host_id=host_id,
        start_at=start,
        end_at=end,
        reason=reason,
        created_at=clock.now(),
    )
    session.add(row)
    return row


@dataclass(frozen=True, slots=True)
class TimeOffAdded:
    time_off: TimeOff
    conflicts: list[str]
    """The confirmed bookings of the host that the time off overlaps, in start order:
    they stay where they are until handed over."""


def add_time_off(
    db: Database, org_id: str, host_id: str, *, start: datetime, end: datetime, reason: str | None
) -> TimeOffAdded:
    """Add time off to a host and say which of its bookings it overlaps."""
    with db.write() as session:
        lookup.host(session, org_id, host_id)
        row = insert_time_off(session, host_id, start, end, reason)
        return TimeOffAdded(row, overlapping_bookings(session, host_id, start, end))


def time_off_conflicts(db: Database, org_id: str, host_id: str, item_id: str) -> list[str]:
    """The host's confirmed bookings that its time off `item_id` overlaps now."""
    with db.read() as session:
        lookup.host(session, org_id, host_id)
        row = session.get(TimeOff, item_id)
        if row is None or row.host_id != host_id:
            raise NotFound(f"No time off with id {item_id!r} for this host.")
        return overlapping_bookings(session, host_id, row.start_at, row.end_at)


def overlapping_bookings(
    session: Session, host_id: str, start: datetime, end: datetime
) -> list[str]:
    """The ids of the host's confirmed bookings that overlap ``[start, end)``."""
    return list(
        session.scalars(
            select(Booking.id)
            .join(BookingHost, BookingHost.booking_id == Booking.id)
            .where(
                BookingHost.host_id == host_id,
                BookingHost.active,
                Booking.start_at < end,
                Booking.end_at > start,
            )
            .order_by(Booking.start_at, Booking.id)
        )
    )


def list_spans(db: Database, org_id: str, host_id: str, kind: type[Span]) -> list[Span]:
    with db.read() as session:
        lookup.host(session, org_id, host_id)
        query = select(kind).where(kind.host_id == host_id).order_by(kind.start_at, kind.id)
        return list(session.scalars(query))


def delete_span(db: Database, org_id: str, host_id: str, kind: type[Span], item_id: str) -> None:
    with db.write() as session:
        lookup.host(session, org_id, host_id)
        deleted = session.execute(delete(kind).where(kind.id == item_id, kind.host_id == host_id))
        if getattr(deleted, "rowcount", 0) == 0:
            raise NotFound(f"No item with id {item_id!r} for this host.")
