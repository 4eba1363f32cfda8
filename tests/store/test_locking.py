"""PostgreSQL host-row locks: a booking for a host waits for a write that holds the host,
then sees what it wrote (on SQLite the database's write lock does the same)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import pytest
from sqlalchemy import create_engine, text, update

from rota import engine
from rota.actor import SYSTEM
from rota.service import bookings, distribution, reassign
from rota.service.errors import Conflict
from rota.service.ids import new_id
from rota.store.db import Database
from rota.store.locking import lock_hosts
from rota.store.tables import Booking, BusyBlock, LedgerDay
from tests.databases import empty_postgres
from tests.teams import Team, make_team, monday


def blocked_on_a_lock(url: str, booking: Future[Any], waiting: int = 1) -> bool:
    """Wait until `booking` is done or `waiting` transactions (it among them) wait for a
    lock of another transaction; whether they wait."""
    watcher = create_engine(url)
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    try:
        deadline = time.monotonic() + 30
        while not booking.done():
            with watcher.connect() as connection:
                if connection.scalar(query) >= waiting:
                    return True
            assert time.monotonic() < deadline, "the booking neither finished nor waited"
            time.sleep(0.01)
        return False
    finally:
        watcher.dispose()


@pytest.mark.postgres
def test_a_booking_waits_for_the_write_holding_its_host_and_sees_its_busy_time(
    postgres_url: str,
) -> None:
    empty_postgres(postgres_url)
    db = Database(postgres_url)
    try:
        team: Team = make_team(db)
        start = monday() + timedelta(hours=10)
        with ThreadPoolExecutor(1) as pool, db.write() as session:
            # Another write holds Ada (as a booking or reassign of another type does)
            # and, before it commits, makes her busy at that time.
            lock_hosts(session, [team.ada])
            session.add(
                BusyBlock(
                    id=new_id("busy"),
                    host_id=team.ada,
                    start_at=start,
                    end_at=start + timedelta(hours=1),
                    title="Board meeting",
                    created_at=datetime.now(UTC),
                )
            )
            session.flush()
            booking = pool.submit(team.book, start, "office-hours")  # Ada's solo type
            waited = blocked_on_a_lock(postgres_url, booking)
        # The write has committed: the booking went on and found Ada busy.
        with pytest.raises(engine.SlotUnavailable):
            booking.result(timeout=30)
        assert waited
    finally:
        db.dispose()


@pytest.mark.postgres
def test_a_cancellation_takes_its_hosts_before_the_ledger_so_it_cannot_deadlock_a_booking(
    postgres_url: str,
) -> None:
    """A booking holds its hosts, then writes the ledger; a cancellation that wrote the
    ledger first and then freed its host (raising the host's busy version) would wait
    for the booking while the booking waits for it."""
    empty_postgres(postgres_url)
    db = Database(postgres_url)
    try:
        team: Team = make_team(db)
        made = team.book(monday() + timedelta(hours=10))
        held = made.host_ids[0]
        with ThreadPoolExecutor(1) as pool, db.write() as session:
            lock_hosts(session, [held])  # as a booking of the same type does first
            cancel = pool.submit(bookings.cancel, db, team.org_id, made.id, None, actor=SYSTEM)
            assert blocked_on_a_lock(postgres_url, cancel)
            # ... and then writes the ledger rows of the day the cancelled one was made.
            session.execute(
                update(LedgerDay)
                .where(LedgerDay.booking_type_id == made.booking_type_id)
                .values(bookings=LedgerDay.bookings)
            )
        assert cancel.result(timeout=30).status == "cancelled"
    finally:
        db.dispose()


def queued_behind_hosts(
    url: str, db: Database, host_ids: list[str], calls: list[Callable[[], Any]]
) -> list[Any]:
    """Hold the hosts (as a booking of them does), start each call in turn once the ones
    before it wait, then let go: what each call returned or raised, in order."""
    with ThreadPoolExecutor(len(calls)) as pool:
        with db.write() as session:
            lock_hosts(session, host_ids)
            started: list[Future[Any]] = []
            for call in calls:
                started.append(pool.submit(call))
                assert blocked_on_a_lock(url, started[-1], waiting=len(started))
        return [f.exception(timeout=30) or f.result() for f in started]


@pytest.fixture
def booked(postgres_url: str) -> Iterator[tuple[Database, Team, Booking]]:
    """A team on PostgreSQL with one round-robin booking made."""
    empty_postgres(postgres_url)
    db = Database(postgres_url)
    team = make_team(db)
    yield db, team, team.book(monday() + timedelta(hours=10))
    db.dispose()


def cancelling(db: Database, team: Team, made: Booking) -> Callable[[], Booking]:
    return partial(bookings.cancel, db, team.org_id, made.id, None, actor=SYSTEM)


@pytest.mark.postgres
def test_two_cancellations_of_one_booking_at_once_cancel_it_once(
    postgres_url: str, booked: tuple[Database, Team, Booking]
) -> None:
    """The second waits for the first to commit and is told the booking is already
    cancelled: it never reads the booking as confirmed and takes its credits off again."""
    db, team, made = booked
    cancel = cancelling(db, team, made)
    first, second = queued_behind_hosts(postgres_url, db, made.host_ids, [cancel, cancel])
    assert first.status == "cancelled"
    assert isinstance(second, Conflict) and second.code == "booking_cancelled"
    shares = distribution.distribution(db, team.org_id, "intro").hosts
    assert [(s.bookings, s.expected) for s in shares] == [(0, 0.0)] * len(shares)


@pytest.mark.postgres
def test_a_reassign_that_waits_for_a_cancellation_is_told_the_booking_is_cancelled(
    postgres_url: str, booked: tuple[Database, Team, Booking]
) -> None:
    """The reassign waits for the booking's row, so it never moves a booking cancelled
    meanwhile back onto someone's calendar."""
    db, team, made = booked
    move = partial(
        reassign.reassign,
        db,
        team.org_id,
        made.id,
        to_host_id=None,
        from_host_id=None,
        reason=None,
        actor=SYSTEM,
    )
    cancelled, refused = queued_behind_hosts(
        postgres_url, db, made.host_ids, [cancelling(db, team, made), move]
    )
    assert cancelled.status == "cancelled"
    assert isinstance(refused, Conflict) and refused.code == "booking_cancelled"
    after = bookings.get_booking(db, team.org_id, made.id)
    assert after.status == "cancelled" and not any(h.active for h in after.hosts)
