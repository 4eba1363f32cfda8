from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from rota.notify.errors import DeliveryError, PermanentDeliveryError
from rota.notify.outbox import Delivery, SqlOutbox
from rota.notify.worker import Backoff, Periodic, Worker
from rota.store.db import Database
from rota.store.tables import Organization
from rota.store.tables import OutboxMessage as Row
from tests.databases import database_url, postgres_url

__all__ = ["database_url", "postgres_url"]

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """The store's migrated outbox table, on SQLite and on PostgreSQL."""
    database = Database(database_url)
    with database.write() as session:
        session.add(Organization(id="org_1", slug="acme", name="Acme", created_at=T0))
    yield database
    database.dispose()


def enqueue(db: Database, *ids: str, kind: str = "email") -> None:
    with db.write() as session:
        for message_id in ids:
            session.add(
                Row(
                    id=message_id,
                    org_id="org_1",
                    kind=kind,
                    payload=json.dumps({"n": message_id}),
                    status="pending",
                    attempts=0,
                    next_attempt_at=T0,
                    created_at=T0,
                )
            )


def rows(db: Database) -> dict[str, Row]:
    with db.read() as session:
        return {row.id: row for row in session.scalars(select(Row))}


def worker(
    db: Database, handler: Callable[[Delivery], None], clock: Clock, **options: object
) -> Worker:
    return Worker(SqlOutbox(db.engine), {"email": handler}, clock=clock, **options)  # type: ignore[arg-type]


def test_due_messages_are_delivered_and_marked_sent(db: Database) -> None:
    enqueue(db, "ob_1", "ob_2")
    seen: list[Delivery] = []
    clock = Clock()
    assert worker(db, seen.append, clock).run_once() == 2
    assert sorted(d.payload["n"] for d in seen) == ["ob_1", "ob_2"]
    assert all(d.attempts == 1 and d.org_id == "org_1" for d in seen)
    assert {r.status for r in rows(db).values()} == {"sent"}
    assert rows(db)["ob_1"].sent_at == T0
    assert worker(db, seen.append, clock).run_once() == 0


def test_a_failure_is_retried_later_with_growing_waits(db: Database) -> None:
    enqueue(db, "ob_1")
    clock = Clock()
    calls: list[datetime] = []

    def flaky(delivery: Delivery) -> None:
        calls.append(clock.now)
        if len(calls) < 3:
            raise DeliveryError("451 try again later")

    w = worker(db, flaky, clock, backoff=Backoff(base=timedelta(seconds=10)))
    w.run_once()
    first_retry = rows(db)["ob_1"].next_attempt_at
    assert rows(db)["ob_1"].status == "pending"
    assert rows(db)["ob_1"].last_error == "451 try again later"
    assert T0 + timedelta(seconds=5) <= first_retry <= T0 + timedelta(seconds=10)
    assert w.run_once() == 0  # not due yet
    clock.now = first_retry
    w.run_once()
    second_wait = rows(db)["ob_1"].next_attempt_at - clock.now
    assert timedelta(seconds=10) <= second_wait <= timedelta(seconds=20)
    clock.now = rows(db)["ob_1"].next_attempt_at
    w.run_once()
    row = rows(db)["ob_1"]
    assert (row.status, row.attempts, row.last_error) == ("sent", 3, None)


def test_after_max_attempts_a_message_fails_for_good(db: Database) -> None:
    enqueue(db, "ob_1")
    clock = Clock()

    def down(delivery: Delivery) -> None:
        raise DeliveryError("connection refused")

    w = worker(db, down, clock, backoff=Backoff(max_attempts=3))
    for _ in range(5):
        w.run_once()
        clock.now += timedelta(days=1)
    row = rows(db)["ob_1"]
    assert (row.status, row.attempts, row.last_error) == ("failed", 3, "connection refused")


def test_a_permanent_error_fails_at_once(db: Database) -> None:
    enqueue(db, "ob_1")

    def refused(delivery: Delivery) -> None:
        raise PermanentDeliveryError("550 no such user")

    worker(db, refused, Clock()).run_once()
    assert (rows(db)["ob_1"].status, rows(db)["ob_1"].attempts) == ("failed", 1)


def test_an_unknown_kind_fails_and_a_bug_is_retried(db: Database) -> None:
    enqueue(db, "ob_1", kind="pigeon")
    enqueue(db, "ob_2")

    def buggy(delivery: Delivery) -> None:
        raise KeyError("oops")

    worker(db, buggy, Clock()).run_once()
    assert rows(db)["ob_1"].status == "failed"
    assert rows(db)["ob_2"].status == "pending" and rows(db)["ob_2"].last_error == "'oops'"


def test_a_claimed_message_returns_when_its_worker_dies(db: Database) -> None:
    enqueue(db, "ob_1", "ob_2", "ob_3")
    outbox = SqlOutbox(db.engine)
    lease = timedelta(minutes=5)
    claimed = outbox.claim(T0, 2, lease)  # ... and the worker is killed before settling
    assert len(claimed) == 2
    [other] = outbox.claim(T0, 10, lease)  # a second worker takes only the third
    assert other.id not in {d.id for d in claimed}
    outbox.mark_sent(other.id, T0)
    assert outbox.claim(T0 + timedelta(minutes=4), 10, lease) == []
    again = outbox.claim(T0 + lease, 10, lease)
    assert {d.id for d in again} == {d.id for d in claimed}
    assert all(d.attempts == 2 for d in again)


def test_periodic_jobs_run_on_their_interval(db: Database) -> None:
    clock = Clock()
    runs: list[datetime] = []
    job = Periodic(timedelta(minutes=10), lambda: runs.append(clock.now), "sync")
    w = worker(db, lambda d: None, clock, periodic=[job])
    w.run_periodic()
    clock.now += timedelta(minutes=5)
    w.run_periodic()
    clock.now += timedelta(minutes=5)
    w.run_periodic()
    assert runs == [T0, T0 + timedelta(minutes=10)]


def test_backoff_doubles_up_to_the_cap() -> None:
    backoff = Backoff(base=timedelta(seconds=30), cap=timedelta(minutes=10))
    assert backoff.delay(1, rand=lambda: 1.0) == timedelta(seconds=30)
    assert backoff.delay(3, rand=lambda: 1.0) == timedelta(seconds=120)
    assert backoff.delay(3, rand=lambda: 0.0) == timedelta(seconds=60)
    assert backoff.delay(30, rand=lambda: 1.0) == timedelta(minutes=10)


def test_concurrent_workers_never_claim_the_same_message(db: Database) -> None:
    enqueue(db, *(f"ob_{n:02}" for n in range(40)))
    outbox = SqlOutbox(db.engine)
    with ThreadPoolExecutor(4) as pool:
        batches = list(pool.map(lambda _: outbox.claim(T0, 5, timedelta(minutes=5)), range(8)))
    claimed = [d.id for batch in batches for d in batch]
    assert len(claimed) == len(set(claimed)) == 40


def test_a_fair_claim_takes_organizations_in_turn(db: Database) -> None:
    with db.write() as session:
        session.add(Organization(id="org_2", slug="beta", name="Beta", created_at=T0))
    enqueue(db, *(f"ob_a{n}" for n in range(5)))  # org_1's five are due first
    with db.write() as session:
        session.add(
            Row(
                id="ob_b0",
                org_id="org_2",
                kind="email",
                payload="{}",
                status="pending",
                attempts=0,
                next_attempt_at=T0 + timedelta(seconds=1),
                created_at=T0,
            )
        )
    outbox, lease = SqlOutbox(db.engine), timedelta(minutes=5)
    now = T0 + timedelta(seconds=1)
    first = outbox.claim(now, 3, lease, per_org=2)
    assert sorted(d.id for d in first) == ["ob_a0", "ob_a1", "ob_b0"]
    # org_1 already has two on their way with this worker: none more of it.
    assert outbox.claim(now, 3, lease, per_org=2, busy={"org_1": 2}) == []
    assert [d.id for d in outbox.claim(now, 3, lease, per_org=2, busy={"org_1": 1})] == ["ob_a2"]


def test_a_lease_is_extended_only_while_the_claim_holds(db: Database) -> None:
    enqueue(db, "ob_1", "ob_2")
    outbox, lease = SqlOutbox(db.engine), timedelta(minutes=5)
    claimed = {d.id: d.attempts for d in outbox.claim(T0, 2, lease)}
    outbox.mark_sent("ob_2", T0)
    assert outbox.extend(claimed, T0 + timedelta(minutes=9)) == {"ob_1"}
    assert outbox.claim(T0 + lease, 10, lease) == []  # still held past the first lease
    assert outbox.extend({"ob_1": 0}, T0) == set()  # another attempt's token
