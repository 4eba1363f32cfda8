"""Booking types and their host pools."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rota.actor import Actor
from rota.service import bookings, clock, lookup
from rota.service.errors import Conflict, Invalid
from rota.service.ids import new_id
from rota.store.db import Database
from rota.store.locking import lock_hosts
from rota.store.tables import Booking, BookingType, Host, PoolMember

SETTINGS = (
    "slug",
    "title",
    "duration_minutes",
    "host_mode",
    "slot_interval_minutes",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "minimum_notice_minutes",
    "booking_window_days",
    "rotation",
    "fairness_window_days",
    "max_bookings_per_host_per_day",
    "catch_up_limit",
    "description",
    "on_host_decline",
)


def _set_location(row: BookingType, location: Mapping[str, str] | None) -> None:
    """``{"kind", "value"}`` or None (no location) into the row's two columns."""
    row.location_kind = None if location is None else location["kind"]
    row.location_value = None if location is None else location["value"]


def _check_pool(
    session: Session, org_id: str, host_mode: str, pool: Sequence[Mapping[str, Any]]
) -> None:
    ids = [member["host_id"] for member in pool]
    known = set(
        session.scalars(
            select(Host.id).where(
                Host.id.in_(ids), Host.org_id == org_id, Host.deleted_at.is_(None)
            )
        )
    )
    unknown = {f"hosts.{i}.host_id": "no such host" for i, h in enumerate(ids) if h not in known}
    if unknown:
        raise Invalid("Some hosts of the pool do not exist.", details=unknown)
    if len(set(ids)) != len(ids):
        raise Invalid("A host appears twice in the pool.", details={"hosts": "duplicate host_id"})
    if host_mode == "solo":
        if len(ids) != 1:
            raise Invalid(
                "A solo booking type takes exactly one host.", details={"hosts": "one host"}
            )
    elif len(ids) < 2:
        raise Invalid(
            f"A {host_mode} booking type needs two or more hosts.", code="team_needs_more_hosts"
        )
    fixed = [m for m in pool if m.get("fixed")]
    if fixed and host_mode != "round_robin":
        raise Invalid("Only round-robin pools have fixed hosts.", details={"hosts": "fixed"})
    if host_mode == "round_robin" and len(fixed) == len(pool):
        raise Invalid("A round-robin pool needs a rotating host.", details={"hosts": "all fixed"})


def _check_slug_free(session: Session, org_id: str, slug: str, own_id: str | None) -> None:
    taken = session.scalar(
        select(BookingType.id).where(
            BookingType.org_id == org_id, BookingType.slug == slug, BookingType.deleted_at.is_(None)
        )
    )
    if taken is not None and taken != own_id:
        raise Conflict(f"A booking type with slug {slug!r} already exists.", code="slug_taken")


def _pool_rows(pool: Sequence[Mapping[str, Any]]) -> list[PoolMember]:
    return [
        PoolMember(
            host_id=m["host_id"],
            position=i,
            weight=m.get("weight", 100),
            priority=m.get("priority", 2),
            fixed=bool(m.get("fixed", False)),
        )
        for i, m in enumerate(pool)
    ]


def create_booking_type(db: Database, org_id: str, fields: Mapping[str, Any]) -> BookingType:
    """`fields` holds the settings of API.md and ``hosts``: the pool."""
    with db.write() as session:
        return add_booking_type(session, org_id, fields)


def add_booking_type(session: Session, org_id: str, fields: Mapping[str, Any]) -> BookingType:
    """Create a booking type inside the caller's transaction (used by team import)."""
    _check_slug_free(session, org_id, fields["slug"], None)
    _check_pool(session, org_id, fields["host_mode"], fields["hosts"])
    row = BookingType(
        id=new_id("type"),
        org_id=org_id,
        created_at=clock.now(),
        **{k: fields[k] for k in SETTINGS if k in fields},
    )
    _set_location(row, fields.get("location"))
    row.pool = _pool_rows(fields["hosts"])
    session.add(row)
    session.flush()
    return row


def list_booking_types(db: Database, org_id: str) -> list[BookingType]:
    with db.read() as session:
        query = (
            select(BookingType)
            .where(BookingType.org_id == org_id, BookingType.deleted_at.is_(None))
            .order_by(BookingType.created_at, BookingType.id)
        )
        return list(session.scalars(query))


def get_booking_type(db: Database, org_id: str, slug: str) -> BookingType:
    with db.read() as session:
        return lookup.booking_type(session, org_id, slug)


def update_booking_type(
    db: Database, org_id: str, slug: str, changes: Mapping[str, Any]
) -> BookingType:
    """Change the named settings; a ``hosts`` list replaces the whole pool."""
    with db.write() as session:
        row = lookup.booking_type(session, org_id, slug)
        if "slug" in changes:
            _check_slug_free(session, org_id, changes["slug"], row.id)
        host_mode = changes.get("host_mode", row.host_mode)
        pool: Sequence[Mapping[str, Any]] = (
            changes["hosts"]
            if "hosts" in changes
            else [
                {"host_id": m.host_id, "weight": m.weight, "priority": m.priority, "fixed": m.fixed}
                for m in row.pool
            ]
        )
        _check_pool(session, org_id, host_mode, pool)
        for key in SETTINGS:
            if key in changes:
                setattr(row, key, changes[key])
        if "location" in changes:
            _set_location(row, changes["location"])
        if "hosts" in changes:
            row.pool.clear()
            session.flush()
            row.pool.extend(_pool_rows(pool))
        session.flush()
        return row


CANCELLED_WITH_TYPE = "This meeting is no longer offered."


def delete_booking_type(
    db: Database, org_id: str, slug: str, *, actor: Actor, cancel_bookings: bool = False
) -> None:
    """Retire the type: it is no longer offered and its slug is free again, while its
    past bookings keep pointing at it.

    A type with confirmed bookings still to come is refused (409
    ``type_has_bookings``), since deleting it would leave meetings nobody can
    reach. With `cancel_bookings` they are cancelled first, each through
    `bookings.cancel`, so everyone is told and the fairness ledger drops them.
    """
    if cancel_bookings:
        for booking_id in _upcoming(db, org_id, slug):
            try:
                bookings.cancel(db, org_id, booking_id, CANCELLED_WITH_TYPE, actor=actor)
            except Conflict as error:  # cancelled meanwhile by someone else: as wanted
                if error.code != "booking_cancelled":
                    raise
    with db.write() as session:
        row = lookup.booking_type(session, org_id, slug)
        # A booking of the type holds its pool's lock: none slips in past this check.
        lock_hosts(session, [member.host_id for member in row.pool])
        if _upcoming_of(session, row.id, clock.now()):
            raise Conflict(
                "The booking type has confirmed upcoming bookings; cancel or move them, "
                "or delete it with ?cancel_bookings=true to cancel them all.",
                code="type_has_bookings",
            )
        row.deleted_at = clock.now()


def _upcoming(db: Database, org_id: str, slug: str) -> list[str]:
    with db.read() as session:
        row = lookup.booking_type(session, org_id, slug)
        return _upcoming_of(session, row.id, clock.now())


def _upcoming_of(session: Session, booking_type_id: str, now: datetime) -> list[str]:
    """The type's confirmed bookings that have not ended, by start."""
    return list(
        session.scalars(
            select(Booking.id)
            .where(
                Booking.booking_type_id == booking_type_id,
                Booking.status == "confirmed",
                Booking.end_at > now,
            )
            .order_by(Booking.start_at, Booking.id)
        )
    )
