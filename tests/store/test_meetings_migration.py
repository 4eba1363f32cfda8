"""Migration 0008 (internal meetings) on a database that already holds bookings, on
SQLite (a batch copy of ``bookings``, which other tables refer to) and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from rota.actor import SYSTEM
from rota.service import bookings, meetings
from rota.store.db import Database
from rota.store.migrate import alembic_config
from tests.teams import make_team, monday


def test_upgrading_keeps_every_booking_its_hosts_history_and_references(db: Database) -> None:
    team = make_team(db)
    start = monday() + timedelta(hours=10)
    kept = [team.book(start), team.book(start + timedelta(hours=1))]
    bookings.cancel(db, team.org_id, kept[1].id, "no longer", actor=SYSTEM)
    request = meetings.MeetingRequest(
        title="Planning",
        host_ids=[team.ada],
        start=start + timedelta(hours=3),
        end=start + timedelta(hours=4),
    )
    meetings.create_meeting(db, team.org_id, request, actor=SYSTEM)

    config = alembic_config(db.engine)
    command.downgrade(config, "0007")  # a database from before meetings (they go)
    with db.engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM bookings")).scalar_one()
        assert count == 2
    command.upgrade(config, "head")

    for before in kept:
        after = bookings.get_booking(db, team.org_id, before.id)
        assert after.booking_type is not None and after.booking_type.slug == "intro"
        assert after.host_ids == before.host_ids
        assert after.attendee_email == "alan.turing@example.com" and after.title is None
    cancelled = bookings.get_booking(db, team.org_id, kept[1].id)
    assert cancelled.status == "cancelled"
    assert [h.action for h in cancelled.history] == ["created", "cancelled"]
    # The booking still blocks its host; a meeting can be booked again.
    again = meetings.create_meeting(db, team.org_id, request, actor=SYSTEM)
    assert again.booking_type_id is None
    with pytest.raises(Exception, match="Not free"):
        meetings.create_meeting(
            db,
            team.org_id,
            meetings.MeetingRequest(
                title="Clash",
                host_ids=kept[0].host_ids,
                start=start,
                end=start + timedelta(minutes=30),
            ),
            actor=SYSTEM,
        )
    # References are whole and enforced again afterwards.
    with db.engine.connect() as connection:
        if db.engine.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
    with pytest.raises(IntegrityError), db.write() as session:
        session.execute(
            text(
                "INSERT INTO booking_hosts (booking_id, host_id, position, busy_start,"
                " busy_end, active) VALUES ('bk_missing', :host, 0, 0, 1, false)"
            ),
            {"host": team.ada},
        )
