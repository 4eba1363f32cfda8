"""Moving a booking on PostgreSQL waits for the writes that hold its row or the hosts of
its pool, then sees what they wrote: it never moves a booking cancelled meanwhile, nor
hands it to a host made busy meanwhile."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from sqlalchemy import select

from rota import engine
from rota.actor import SYSTEM
from rota.service import bookings, hosts, reassign, reschedule
from rota.service.errors import Conflict
from rota.service.ids import new_id
from rota.store.db import Database
from rota.store.locking import lock_hosts
from rota.store.tables import Booking, BusyBlock
from tests.databases import empty_postgres, postgres_url
from tests.store.test_locking import blocked_on_a_lock, booked, cancelling, queued_behind_hosts
from tests.teams import Team, make_team, monday

__all__ = ["booked", "postgres_url"]

THREE = monday() + timedelta(hours=15)


def moving(db: Database, team: Team, made: Booking, start: datetime) -> partial[Booking]:
    return partial(
        reschedule.reschedule, db, team.org_id, made.id, start=start, reason=None, actor=SYSTEM
    )


def planning(db: Database, team: Team, host_id: str) -> reassign.HostReassignment:
    """The dry run of handing over the host's bookings of next Monday."""
    return reassign.reassign_host_bookings(
        db,
        team.org_id,
        host_id,
        monday(),
        monday() + timedelta(days=1),
        None,
        actor=SYSTEM,
        dry_run=True,
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


@pytest.mark.postgres
def test_a_dry_run_waits_for_a_cancellation_of_its_bookings_before_holding_any_host(
    postgres_url: str,
) -> None:
    """A cancellation locks its booking's row, then its hosts. The dry run of handing a
    host's bookings over holds them all, so it locks every booking's row before any
    host: a cancellation of the second booking under way then finishes, and the plan
    leaves it out. Locking the rows one move at a time would hold the hosts for the
    first move while waiting for the second row: a deadlock, and one of the two fails."""
    empty_postgres(postgres_url)
    db = Database(postgres_url)
    team = make_team(db)
    first = team.held_by(team.ada, monday() + timedelta(hours=10))
    second = team.held_by(team.ada, monday() + timedelta(hours=11))
    with ThreadPoolExecutor(1) as pool:
        with db.write() as session:
            session.execute(select(Booking.id).where(Booking.id == second).with_for_update())
            plan = pool.submit(planning, db, team, team.ada)
            assert blocked_on_a_lock(postgres_url, plan)
            lock_hosts(session, [team.ada, team.grace, team.linus])
            session.get_one(Booking, second).status = "cancelled"
        outcome = plan.result(timeout=30)
    assert [move.booking_id for move in outcome.plan] == [first]
    db.dispose()


@pytest.mark.postgres
def test_a_dry_run_over_two_pools_waits_for_a_booking_holding_hosts_in_id_order(
    postgres_url: str,
) -> None:
    """Every writer locks hosts in id order. The dry run's moves lock one pool after the
    other, so it locks every host up front: a write holding the first host and then
    taking the last one finishes, and both bookings are planned. Locking pool by pool
    would hold the last host (first pool) while waiting for the first (second pool):
    a deadlock with that write, and one of the two fails."""
    empty_postgres(postgres_url)
    db = Database(postgres_url)
    team = make_team(db)
    first_id, leaving, last_id = sorted([team.ada, team.grace, team.linus])
    team.add_type("last", "With the last host", [leaving, last_id])
    team.add_type("first", "With the first host", [leaving, first_id])
    ten = team.held_by(leaving, monday() + timedelta(hours=10), slug="last")
    eleven = team.held_by(leaving, monday() + timedelta(hours=11), slug="first")
    with ThreadPoolExecutor(1) as pool:
        with db.write() as session:
            lock_hosts(session, [first_id])
            plan = pool.submit(planning, db, team, leaving)
            assert blocked_on_a_lock(postgres_url, plan)
            lock_hosts(session, [last_id])
        outcome = plan.result(timeout=30)
    assert [(m.booking_id, m.to_host_ids) for m in outcome.plan] == [
        (ten, (last_id,)),
        (eleven, (first_id,)),
    ]
    db.dispose()


@pytest.mark.postgres
def test_reading_a_booking_never_waits_for_a_write_holding_it(
    postgres_url: str, booked: tuple[Database, Team, Booking]
) -> None:
    """A look at a booking answers at once with what is committed, while a move or a
    cancellation of it is under way."""
    db, team, made = booked
    with ThreadPoolExecutor(1) as pool, db.write() as session:
        session.execute(select(Booking.id).where(Booking.id == made.id).with_for_update())
        read = pool.submit(bookings.get_booking, db, team.org_id, made.id)
        assert not blocked_on_a_lock(postgres_url, read)
        assert read.result(timeout=30).status == "confirmed"
