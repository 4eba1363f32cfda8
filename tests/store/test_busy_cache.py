"""Slot listings keep what they read of each host's busy time, and see every change to
it at once, whoever makes it: the database raises the host's busy version itself."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Connection, create_engine, delete, event, insert, update

from rota.actor import SYSTEM
from rota.service import bookings, slots
from rota.store.db import Database
from rota.store.tables import BusyBlock, TimeOff
from tests.teams import Team, make_team, monday

MONDAY = monday()
TEN = MONDAY + timedelta(hours=10)


def offered(team: Team, slug: str = "office-hours") -> set[datetime]:
    """The starts Ada's solo type offers on Monday, as a visitor's listing shows them."""
    listed = slots.list_slots(team.db, team.org_id, slug, MONDAY, MONDAY + timedelta(days=1))
    return {datetime.fromtimestamp(slot.start, UTC) for slot in listed}


@pytest.fixture
def other(db: Database) -> Iterator[Connection]:
    """Another process's connection to the same database, writing rows directly."""
    engine = create_engine(db.url)
    with engine.connect() as connection:
        yield connection
    engine.dispose()


def busy_row(host_id: str, start: datetime, **extra: object) -> dict[str, object]:
    return {
        "host_id": host_id,
        "start_at": start,
        "end_at": start + timedelta(hours=1),
        "created_at": datetime.now(UTC),
        **extra,
    }


def test_a_listing_sees_busy_time_another_process_adds_moves_and_removes(
    db: Database, other: Connection
) -> None:
    team = make_team(db)
    assert TEN in offered(team)

    other.execute(insert(BusyBlock).values(id="busy_x", **busy_row(team.ada, TEN)))
    other.commit()
    assert TEN not in offered(team)

    other.execute(update(BusyBlock).values(host_id=team.grace).where(BusyBlock.id == "busy_x"))
    other.commit()
    assert TEN in offered(team)

    other.execute(update(BusyBlock).values(host_id=team.ada).where(BusyBlock.id == "busy_x"))
    other.commit()
    assert TEN not in offered(team)

    other.execute(delete(BusyBlock).where(BusyBlock.id == "busy_x"))
    other.commit()
    assert TEN in offered(team)


def test_a_listing_sees_time_off_another_process_adds_and_removes(
    db: Database, other: Connection
) -> None:
    team = make_team(db)
    assert TEN in offered(team)
    other.execute(
        insert(TimeOff).values(
            id="off_x",
            **busy_row(team.ada, TEN - timedelta(hours=1), end_at=TEN + timedelta(hours=2)),
        )
    )
    other.commit()
    assert not {TEN, TEN + timedelta(minutes=30)} & offered(team)
    other.execute(delete(TimeOff).where(TimeOff.id == "off_x"))
    other.commit()
    assert TEN in offered(team)


def test_a_listing_sees_bookings_made_and_cancelled_by_another_process(db: Database) -> None:
    team = make_team(db)
    assert TEN in offered(team)
    elsewhere = Database(db.url)  # another server process: a cache of its own
    try:
        made = Team(elsewhere, team.org_id, team.ada, team.grace, team.linus).book(
            TEN, "office-hours"
        )
        assert TEN not in offered(team)
        bookings.cancel(elsewhere, team.org_id, made.id, None, actor=SYSTEM)
        assert TEN in offered(team)
    finally:
        elsewhere.dispose()


def test_a_listing_reads_busy_time_again_only_for_the_hosts_that_changed(
    db: Database, other: Connection
) -> None:
    team = make_team(db)
    read: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "busy_blocks" in statement:
            read.append(statement)

    offered(team, "intro")
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        offered(team, "intro")
        assert read == []  # nobody changed: nothing read again
        other.execute(insert(BusyBlock).values(id="busy_y", **busy_row(team.grace, TEN)))
        other.commit()
        offered(team, "intro")
        assert len(read) == 1
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
