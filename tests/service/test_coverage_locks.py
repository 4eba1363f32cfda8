"""A coverage dry run on PostgreSQL takes its locks in the order every other writer
takes them (a booking's row, then hosts), so it waits for a cancellation in progress
instead of deadlocking with it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select

from rota.actor import SYSTEM
from rota.service import reassign
from rota.store.db import Database
from rota.store.locking import lock_hosts
from rota.store.tables import Booking
from tests.databases import empty_postgres
from tests.store.test_locking import blocked_on_a_lock
from tests.teams import make_team, monday


@pytest.mark.postgres
def test_a_dry_run_waits_for_a_write_holding_a_booking_then_its_hosts(postgres_url: str) -> None:
    empty_postgres(postgres_url)
    db = Database(postgres_url)
    try:
        team = make_team(db)
        start = monday() + timedelta(hours=9)
        while (booking := team.book(start)).host_ids != [team.ada]:
            start += timedelta(minutes=30)
        day = monday()
        with ThreadPoolExecutor(1) as pool, db.write() as session:
            # As a cancellation or a reassign of the booking does: its row, then hosts.
            session.execute(select(Booking.id).where(Booking.id == booking.id).with_for_update())
            plan = pool.submit(
                reassign.reassign_host_bookings,
                db,
                team.org_id,
                team.ada,
                day,
                day + timedelta(days=1),
                None,
                actor=SYSTEM,
                dry_run=True,
            )
            assert blocked_on_a_lock(postgres_url, plan)  # type: ignore[arg-type]
            # With the dry run holding the hosts already, this would deadlock.
            lock_hosts(session, [team.ada, team.grace, team.linus])
        outcome = plan.result(timeout=30)
        assert [m.booking_id for m in outcome.plan] == [booking.id]
    finally:
        db.dispose()
