"""The schema: migrations, instants, and the database's own guard against double booking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import inspect, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError

from rota.actor import SYSTEM, Actor
from rota.service import bookings, reschedule
from rota.store.db import Database
from rota.store.migrate import alembic_config
from rota.store.tables import (
    Base,
    Booking,
    BookingHost,
    BookingType,
    Host,
    Instant,
    Organization,
    from_us,
    to_us,
)
from tests.teams import make_team, monday

T0 = datetime(2026, 12, 1, 9, tzinfo=UTC)


def test_migrations_create_every_table_and_run_twice(db: Database) -> None:
    db.upgrade()
    tables = set(inspect(db.engine).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} <= tables
    assert {"outbox", "webhooks", "host_calendars", "alembic_version"} <= tables


def test_instants_round_trip_as_aware_utc() -> None:
    moment = datetime(2026, 3, 29, 1, 30, 0, 123456, tzinfo=UTC)
    assert from_us(to_us(moment)) == moment
    berlin = datetime.fromisoformat("2026-03-29T03:30:00.123456+02:00")
    assert from_us(to_us(berlin)) == moment
    # To the microsecond at the ends of time too, where a float of seconds is too coarse.
    for edge in (datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)):
        assert from_us(to_us(edge)) == edge


def test_a_naive_datetime_is_refused_before_it_is_stored() -> None:
    with pytest.raises(ValueError, match=r"^naive datetimes are not stored; attach a timezone$"):
        Instant().process_bind_param(datetime(2026, 12, 1, 9), sqlite.dialect())


def _team(db: Database) -> None:
    with db.write() as session:
        session.add(Organization(id="o", slug="o", name="O", created_at=T0))
        session.flush()
        session.add(
            Host(
                id="h",
                org_id="o",
                name="H",
                email="h@x",
                timezone="UTC",
                working_hours=[],
                date_overrides=[],
                created_at=T0,
            )
        )
        session.add(
            BookingType(
                id="t",
                org_id="o",
                slug="t",
                title="T",
                duration_minutes=30,
                host_mode="solo",
                created_at=T0,
            )
        )


def _booking(booking_id: str, start: datetime, *, active: bool = True) -> Booking:
    booking = Booking(
        id=booking_id,
        org_id="o",
        booking_type_id="t",
        status="confirmed" if active else "cancelled",
        start_at=start,
        end_at=start + timedelta(minutes=30),
        buffer_before_minutes=0,
        buffer_after_minutes=0,
        attendee_name="A",
        attendee_email="a@x",
        created_at=T0,
        assigned_at=T0,
        sequence=0,
        manage_token=f"token-{booking_id}",
    )
    booking.hosts.append(
        BookingHost(
            host_id="h",
            position=0,
            busy_start=start,
            busy_end=start + timedelta(minutes=30),
            active=active,
        )
    )
    return booking


@pytest.mark.postgres
def test_postgres_refuses_overlapping_active_bookings_of_one_host(postgres_url: str) -> None:
    from tests.databases import empty_postgres

    empty_postgres(postgres_url)
    db = Database(postgres_url)
    _team(db)
    with db.write() as session:
        session.add(_booking("a", T0))
        session.add(_booking("cancelled", T0 + timedelta(minutes=15), active=False))
        session.add(_booking("after", T0 + timedelta(minutes=30)))
    with pytest.raises(IntegrityError, match="booking_hosts_no_overlap"), db.write() as session:
        session.add(_booking("b", T0 + timedelta(minutes=29)))
    with db.read() as session:
        assert set(session.scalars(select(Booking.id))) == {"a", "cancelled", "after"}
    db.dispose()


def test_history_written_before_actors_gets_the_closest_actor(db: Database) -> None:
    """Migration 0006: entries from before it name the attendee for the attendee's own
    changes, an (unknown) API key for manual ones and the system for the rest."""
    team = make_team(db)
    booking = team.book(monday() + timedelta(hours=10))
    someone = Actor("user", "usr_1", "Somebody")
    reschedule.reschedule(
        db,
        team.org_id,
        booking.id,
        start=monday() + timedelta(hours=14),
        reason=None,
        by="attendee",
        actor=someone,
    )
    bookings.cancel(db, team.org_id, booking.id, None, actor=someone)
    config = alembic_config(db.engine)
    command.downgrade(config, "0005")
    command.upgrade(config, "head")
    history = bookings.get_booking(db, team.org_id, booking.id).history
    assert [(h.by, h.actor) for h in history] == [
        ("auto", SYSTEM),
        ("attendee", Actor("attendee", None, "Alan Turing")),
        ("manual", Actor("api_key", None, "API key")),
    ]
