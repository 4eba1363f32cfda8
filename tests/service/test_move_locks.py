"""Moving a booking on PostgreSQL waits for the writes that hold its row or the hosts of
its pool, then sees what they wrote: it never moves a booking cancelled meanwhile, nor
hands it to a host made busy meanwhile."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from rota import engine
from rota.actor import SYSTEM
from rota.service import bookings, hosts, reschedule
from rota.service.errors import Conflict
from rota.service.ids import new_id
from rota.store.db import Database
from rota.store.locking import lock_hosts
from rota.store.tables import Booking, BusyBlock
from tests.databases import postgres_url
from tests.store.test_locking import blocked_on_a_lock, booked, cancelling, queued_behind_hosts
from tests.teams import Team, monday

__all__ = ["booked", "postgres_url"]

THREE = monday() + timedelta(hours=15)


def moving(db: Database, team: Team, made: Booking, start: datetime) -> partial[Booking]:
    return partial(
        reschedule.reschedule, db, team.org_id, made.id, start=start, reason=None, actor=SYSTEM
    )


@pytest.mark.postgres
def test_a_move_that_waits_for_a_cancellation_is_told_the_booking_is_cancelled(
    postgres_url: str, booked: tuple[Database, Team, Booking]
) -> None:
    db, team, made = booked
    cancelled, refused = queued_behind_hosts(
        postgres_url, db, made.host_ids, [cancelling(db, team, made), moving(db, team, made, THREE)]
    )
    assert cancelled.status == "cancelled"
    assert isinstance(refused, Conflict) and refused.code == "booking_cancelled"
    after = bookings.get_booking(db, team.org_id, made.id)
    assert (after.status, after.start_at) == ("cancelled", made.start_at)


@pytest.mark.postgres
def test_a_move_waits_for_a_write_holding_the_pool_and_sees_its_busy_time(
    postgres_url: str, booked: tuple[Database, Team, Booking]
) -> None:
    db, team, made = booked
    [held] = made.host_ids
    others = [h for h in (team.ada, team.grace, team.linus) if h != held]
    hosts.add_span(
        db, team.org_id, held, BusyBlock, start=THREE, end=THREE + timedelta(hours=1), label="x"
    )
    with ThreadPoolExecutor(1) as pool, db.write() as session:
        # Another write holds the rest of the pool and, before it commits, fills their
        # afternoon: the move must wait for it, then find nobody free at 15:00.
        lock_hosts(session, others)
        for host_id in others:
            session.add(
                BusyBlock(
                    id=new_id("busy"),
                    host_id=host_id,
                    start_at=THREE,
                    end_at=THREE + timedelta(hours=1),
                    title="Offsite",
                    created_at=datetime.now(UTC),
                )
            )
        session.flush()
        move = pool.submit(moving(db, team, made, THREE))
        assert blocked_on_a_lock(postgres_url, move)
    with pytest.raises(engine.SlotUnavailable, match="Nobody of the pool is free"):
        move.result(timeout=30)
    assert bookings.get_booking(db, team.org_id, made.id).start_at == made.start_at
