"""What mutation testing of the store found unchecked (issue 14, docs/mutation.md).

Some statements are built once, when their module is imported (`snapshot.BUSY`,
`ledger._UPSERT`): mutmut cannot reach their builders through the statements, so
these tests build them again and run them, next to the statements the code uses.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select, union_all
from sqlalchemy.dialects import postgresql, sqlite

from rota import engine
from rota.actor import SYSTEM
from rota.service import (
    booking_types,
    bookings,
    clock,
    distribution,
    hosts,
    lookup,
    orgs,
    reassign,
    reschedule,
    slots,
)
from rota.store import ledger, retention, snapshot
from rota.store import tables as t
from rota.store.db import Database
from tests.teams import Team, make_team, monday

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


# Retention -----------------------------------------------------------------------------


def test_the_retention_period_is_read_from_the_environment_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ROTA_RETENTION_DAYS", "90")
    assert retention.retention_from_env({"ROTA_RETENTION_DAYS": "7"}) == timedelta(days=7)
    assert retention.retention_from_env({}) == timedelta(days=retention.DEFAULT_DAYS)
    assert retention.retention_from_env() == timedelta(days=90)


@pytest.mark.parametrize(
    ("days", "period"), [("1", timedelta(days=1)), ("0.5", timedelta(hours=12))]
)
def test_a_retention_of_a_day_or_less_is_allowed(days: str, period: timedelta) -> None:
    assert retention.retention_from_env({"ROTA_RETENTION_DAYS": days}) == period


@pytest.mark.parametrize("days", ["0", "-3", "soon"])
def test_a_retention_that_is_not_a_positive_number_is_refused(days: str) -> None:
    with pytest.raises(ValueError, match="must be a positive number of days"):
        retention.retention_from_env({"ROTA_RETENTION_DAYS": days})


def test_purge_keeps_what_is_exactly_as_old_as_the_period(db: Database) -> None:
    """ "Older than the period" is strict: a message sent or a key made exactly one period
    ago stays; a Hub session that expires right now is over and goes."""
    cutoff = NOW - timedelta(days=30)
    orgs.create_key(db, "acme")
    with db.write() as session:
        org_id = session.scalar(select(t.ApiKey.org_id))
        key_id = session.scalar(select(t.ApiKey.id))
        assert org_id is not None and key_id is not None

        def message(name: str, sent: datetime) -> t.OutboxMessage:
            return t.OutboxMessage(
                id=name,
                org_id=org_id,
                kind="webhook",
                payload="{}",
                status="sent",
                attempts=1,
                next_attempt_at=sent,
                created_at=sent,
                sent_at=sent,
            )

        def key(name: str, made: datetime) -> t.IdempotencyKey:
            return t.IdempotencyKey(
                org_id=org_id,
                key=name,
                request_hash="h",
                status_code=201,
                response_body="{}",
                created_at=made,
            )

        def hub_session(name: str, expires: datetime) -> t.HubSession:
            return t.HubSession(
                id_hash=name,
                org_id=org_id,
                api_key_id=key_id,
                csrf_token="c",
                timezone="UTC",
                created_at=cutoff,
                expires_at=expires,
                revoked_at=None,
            )

        session.add_all(
            [
                message("at-cutoff", cutoff),
                message("before", cutoff - timedelta(seconds=1)),
                key("at-cutoff", cutoff),
                key("before", cutoff - timedelta(seconds=1)),
                hub_session("ends-now", NOW),
                hub_session("ends-later", NOW + timedelta(seconds=1)),
            ]
        )
    purged = retention.purge(db, timedelta(days=30), now=NOW)
    assert purged == retention.Purged(sent_messages=1, idempotency_keys=1, hub_sessions=1)
    with db.read() as session:
        assert set(session.scalars(select(t.OutboxMessage.id))) == {"at-cutoff"}
        assert set(session.scalars(select(t.IdempotencyKey.key))) == {"at-cutoff"}
        assert set(session.scalars(select(t.HubSession.id_hash))) == {"ends-later"}


# The ledger ----------------------------------------------------------------------------


def _type_id(team: Team, slug: str = "intro") -> str:
    with team.db.read() as session:
        return lookup.booking_type(session, team.org_id, slug).id


def test_a_reassigned_booking_counts_as_the_new_hosts_latest_assignment(db: Database) -> None:
    """The host who takes a booking by reassignment waits behind the others at equal lag:
    the ledger records when it was given the booking."""
    team = make_team(db)
    with time_machine.travel(NOW, tick=False):
        booking = team.book(monday() + timedelta(hours=10))  # the Monday after NOW
    holder = booking.rotating_host_id
    other = next(h for h in (team.ada, team.grace, team.linus) if h != holder)
    moved_at = NOW + timedelta(hours=2)
    with time_machine.travel(moved_at, tick=False):
        reassign.reassign(
            db,
            team.org_id,
            booking.id,
            to_host_id=other,
            from_host_id=None,
            reason=None,
            actor=SYSTEM,
        )
    with db.read() as session:
        standings = ledger.load_ledger(session, _type_id(team), None)
    assert standings[other].bookings == 1 and standings[holder].bookings == 0
    assert standings[other].last_assigned == t.to_us(moved_at)


def test_a_booking_moved_to_a_host_free_then_counts_as_their_latest_assignment(
    db: Database,
) -> None:
    """The same when a booking moves to a time its host is busy and another takes it."""
    team = make_team(db)
    with time_machine.travel(NOW, tick=False):
        booking = team.book(monday() + timedelta(hours=10))
    holder = booking.rotating_host_id
    assert holder is not None
    three = monday() + timedelta(hours=15)
    team.time_off(holder, three, three + timedelta(hours=1), "dentist")
    moved_at = NOW + timedelta(hours=2)
    with time_machine.travel(moved_at, tick=False):
        moved = reschedule.reschedule(
            db, team.org_id, booking.id, start=three, reason=None, actor=SYSTEM
        )
    [taker] = moved.host_ids
    with db.read() as session:
        standings = ledger.load_ledger(session, _type_id(team), None)
    assert standings[taker].bookings == 1 and standings[holder].bookings == 0
    assert standings[taker].last_assigned == t.to_us(moved_at)


def _ledger_row(db: Database, type_id: str, host_id: str) -> tuple[int, float, int | None]:
    with db.read() as session:
        row = session.get(t.LedgerDay, (type_id, 7, host_id))
        assert row is not None
        return row.bookings, row.expected, row.last_assigned


def test_the_ledger_upsert_adds_to_the_sums_and_keeps_the_latest_assignment(
    db: Database,
) -> None:
    team = make_team(db)
    type_id = _type_id(team)
    # As `ledger._UPSERT` holds it for this database, built again here.
    upsert = ledger._upsert({"sqlite": sqlite, "postgresql": postgresql}[db.engine.dialect.name])

    def add(host_id: str, held: int, expected: float, last: int | None) -> None:
        with db.write() as session:
            session.execute(
                upsert,
                [
                    {
                        "booking_type_id": type_id,
                        "day": 7,
                        "host_id": host_id,
                        "bookings": held,
                        "expected": expected,
                        "last_assigned": last,
                    }
                ],
            )

    add(team.ada, 1, 0.5, None)
    assert _ledger_row(db, type_id, team.ada) == (1, 0.5, None)
    add(team.ada, 2, 0.25, 100)  # no assignment yet: this one
    assert _ledger_row(db, type_id, team.ada) == (3, 0.75, 100)
    add(team.ada, -1, -0.5, 50)  # an earlier one: the later stays
    assert _ledger_row(db, type_id, team.ada) == (2, 0.25, 100)
    add(team.ada, 0, 0.0, 200)  # a later one
    assert _ledger_row(db, type_id, team.ada) == (2, 0.25, 200)
    add(team.ada, 0, 0.0, None)  # none: kept
    assert _ledger_row(db, type_id, team.ada) == (2, 0.25, 200)
    add(team.grace, 1, 1.0, 5)  # another host's row of the same day
    assert _ledger_row(db, type_id, team.grace) == (1, 1.0, 5)
    assert _ledger_row(db, type_id, team.ada) == (2, 0.25, 200)


# Schedules ----------------------------------------------------------------------------


def test_working_hours_are_read_to_the_minute() -> None:
    [hours] = snapshot.working_hours([{"days": ["mon", "sun"], "start": "09:30", "end": "24:00"}])
    assert (hours.days, hours.start, hours.end) == (frozenset({0, 6}), 9 * 60 + 30, 24 * 60)
    [override] = snapshot.date_overrides(
        [{"date": "2026-12-24", "intervals": [{"start": "08:15", "end": "12:45"}]}]
    )
    assert override.intervals == ((8 * 60 + 15, 12 * 60 + 45),)


# Busy time of a snapshot -----------------------------------------------------------------

LO = datetime(2026, 12, 7, 8, tzinfo=UTC)
HI = LO + timedelta(hours=10)
HOUR = timedelta(hours=1)


def test_busy_time_is_read_for_the_pool_and_the_extra_hosts_overlapping_the_range(
    db: Database,
) -> None:
    """Time off and busy blocks that overlap ``[lo, hi)``, of the type's pool hosts and of
    the extra hosts asked for, each with its kind; not those that only touch the range,
    nor another host's."""
    team = make_team(db)  # office-hours: Ada alone
    spans = [
        (team.ada, t.BusyBlock, LO - HOUR, LO + HOUR),  # overlaps the start
        (team.ada, t.BusyBlock, LO - HOUR, LO),  # ends as the range starts
        (team.ada, t.TimeOff, HI - HOUR, HI + HOUR),  # overlaps the end
        (team.ada, t.TimeOff, HI, HI + HOUR),  # starts as the range ends
        (team.linus, t.BusyBlock, LO, LO + HOUR),  # an extra host
        (team.grace, t.BusyBlock, LO, LO + HOUR),  # neither
        (team.grace, t.TimeOff, LO, LO + HOUR),
    ]
    for host_id, kind, start, end in spans:
        hosts.add_span(db, team.org_id, host_id, kind, start=start, end=end, label=None)
    statement = union_all(
        snapshot._spans(t.TimeOff, snapshot.TIME_OFF),
        snapshot._spans(t.BusyBlock, snapshot.BUSY_BLOCK),
    )
    params = {
        "type": _type_id(team, "office-hours"),
        "extra": [team.linus],
        "lo": t.to_us(LO),
        "hi": t.to_us(HI),
        "exclude": "",
    }
    with db.read() as session:
        rows = {tuple(row) for row in session.connection().execute(statement, params)}
        used = {
            tuple(row)
            for row in session.connection().execute(snapshot.BUSY, params)
            if row[3] != snapshot.BOOKED_TIME
        }
    us = t.to_us
    assert rows == {
        (team.ada, us(LO - HOUR), us(LO + HOUR), snapshot.BUSY_BLOCK),
        (team.ada, us(HI - HOUR), us(HI + HOUR), snapshot.TIME_OFF),
        (team.linus, us(LO), us(LO + HOUR), snapshot.BUSY_BLOCK),
    }
    assert used == rows


# Holdings of solo and collective types ---------------------------------------------------


def test_a_solo_types_distribution_counts_its_confirmed_bookings_of_the_window(
    db: Database,
) -> None:
    """Solo and collective types count the bookings each host holds (their ledger is not
    kept): confirmed ones only, made in the fairness window, which starts at the
    beginning of its first UTC day, as the round-robin ledger counts."""
    team = make_team(db)  # office-hours: Ada alone, a window of 30 days
    today = datetime(2026, 12, 1, 12, tzinfo=UTC)
    first_day = today - timedelta(days=30)  # the window starts on this day, at 00:00

    def book(made: datetime, days_later: int) -> str:
        start = (made + timedelta(days=days_later)).replace(hour=10, minute=0)
        with time_machine.travel(made, tick=False):
            return team.book(start, slug="office-hours").id

    book(first_day - timedelta(hours=13), 2)  # the day before the window: not counted
    book(first_day - timedelta(hours=2), 3)  # the window's first day, before its hour
    book(today - timedelta(days=1), 2)
    gone = book(today - timedelta(days=1), 3)
    with time_machine.travel(today, tick=False):
        bookings.cancel(db, team.org_id, gone, None, actor=SYSTEM)
        shares = distribution.distribution(db, team.org_id, "office-hours")
    assert shares.window_days == 30
    assert [(s.host_id, s.bookings, s.expected) for s in shares.hosts] == [(team.ada, 2, 2.0)]
    with time_machine.travel(today, tick=False):
        booking_types.update_booking_type(
            db, team.org_id, "office-hours", {"fairness_window_days": 0}
        )
        shares = distribution.distribution(db, team.org_id, "office-hours")
    assert [(s.host_id, s.bookings) for s in shares.hosts] == [(team.ada, 3)]  # all time


def test_a_round_robin_ledger_counts_only_the_bookings_made_in_the_window(
    db: Database,
) -> None:
    team = make_team(db)  # intro: round-robin, a window of 30 days
    today = datetime(2026, 12, 1, 12, tzinfo=UTC)
    for made in (today - timedelta(days=40), today - timedelta(days=1)):
        with time_machine.travel(made, tick=False):
            team.book((made + timedelta(days=2)).replace(hour=10))
    with time_machine.travel(today, tick=False):
        shares = distribution.distribution(db, team.org_id, "intro")
    assert sum(s.bookings for s in shares.hosts) == 1
    assert sum(s.expected for s in shares.hosts) == pytest.approx(1.0)
    with db.read() as session:
        all_time = ledger.load_ledger(session, _type_id(team), None)
    assert sum(s.bookings for s in all_time.values()) == 2


def test_busy_time_ending_a_fraction_of_a_second_past_a_time_still_blocks_it(
    db: Database,
) -> None:
    """Stored times have microseconds, the engine whole seconds: a busy span's start is
    rounded down and its end up, never into the free time around it."""
    team = make_team(db)
    ten = monday() + timedelta(hours=10)
    half = timedelta(microseconds=500_000)
    hosts.add_span(
        db, team.org_id, team.ada, t.BusyBlock, start=ten - half, end=ten + half, label="x"
    )
    offered = slots.list_slots(db, team.org_id, "office-hours", ten, ten + timedelta(hours=1))
    assert offered[0].start == clock.epoch(ten + timedelta(minutes=20))  # not 10:00


def test_the_next_host_is_chosen_as_if_bookings_before_the_window_were_never_made(
    db: Database,
) -> None:
    team = make_team(db)  # intro: three hosts of equal weight, a window of 30 days
    today = datetime(2026, 12, 1, 12, tzinfo=UTC)
    old = today - timedelta(days=40)
    with time_machine.travel(old, tick=False):
        held = {team.book((old + timedelta(days=2)).replace(hour=h)).host_ids[0] for h in (10, 11)}
    with time_machine.travel(today, tick=False):
        fresh = team.book((today + timedelta(days=2)).replace(hour=10))
    # Counting the old two, the third host would be behind; in the window all are even,
    # and the tie goes to the smallest id.
    assert len(held) == 2
    assert fresh.host_ids == [min(team.ada, team.grace, team.linus)]


def test_a_cancelled_booking_leaves_nothing_but_when_its_host_was_given_it(
    db: Database,
) -> None:
    """Its count and credits go (bookings and expected back to zero, not dropped as if
    unknown), and the time its host was given it stays, for the tie between equals."""
    team = make_team(db)
    with time_machine.travel(NOW, tick=False):
        booking = team.book(monday() + timedelta(hours=10))
        bookings.cancel(db, team.org_id, booking.id, None, actor=SYSTEM)
        shares = distribution.distribution(db, team.org_id, "intro")
    assert {(s.bookings, s.expected) for s in shares.hosts} == {(0, 0.0)}
    with db.read() as session:
        standings = ledger.load_ledger(session, _type_id(team), None)
    holder = booking.rotating_host_id
    assert holder is not None
    assert standings[holder] == engine.Standing(0, 0.0, t.to_us(booking.assigned_at))


def test_a_snapshot_after_a_booking_counts_it_for_the_daily_cap(db: Database) -> None:
    """Several bookings decided in one transaction: the snapshot after each holds its start
    among its hosts' bookings of the day, as a snapshot read again would."""
    team = make_team(db)
    booking_types.update_booking_type(
        db, team.org_id, "intro", {"max_bookings_per_host_per_day": 5}
    )
    nine = monday() + timedelta(hours=9)
    at = clock.epoch(nine)

    def read() -> snapshot.Snapshot:
        with db.read() as session:
            row = lookup.booking_type(session, team.org_id, "intro")
            return snapshot.load_snapshot(session, row, at, at + 1, now=clock.epoch(clock.now()))

    before = read()
    made = team.book(nine)
    assignment = engine.assign(
        before.booking_type, before.schedules, before.ledger, now=clock.epoch(clock.now()), start=at
    )
    predicted, fresh = before.after(assignment, at=t.to_us(made.assigned_at)), read()
    for host_id in made.host_ids:
        assert predicted.schedules[host_id].booked_starts == (at,)
        assert fresh.schedules[host_id].booked_starts == (at,)
