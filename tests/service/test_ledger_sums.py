"""The ledger's running sums always equal a recount from the bookings themselves, whatever
sequence of bookings, cancellations and reassignments made them (DESIGN.md, Fairness)."""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from datetime import datetime, timedelta

import pytest
import time_machine
from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from rota import engine
from rota.actor import SYSTEM
from rota.service import (
    booking_types,
    bookings,
    distribution,
    hosts,
    lookup,
    reassign,
    reschedule,
)
from rota.service.errors import ServiceError
from rota.store.db import Database
from rota.store.ledger import day_of, load_ledger
from rota.store.migrate import alembic_config
from rota.store.tables import (
    ALL_TIME_DAY,
    Booking,
    BusyBlock,
    FairnessCredit,
    LedgerDay,
    TimeOff,
    to_us,
)
from tests.databases import database_url, db, postgres_url
from tests.teams import Team, make_team, monday

__all__ = ["database_url", "db", "postgres_url"]

Sums = dict[tuple[int, str], tuple[int, float]]


def recount(db: Database, type_id: str) -> Sums:
    """(day, host) -> (bookings held, credits earned), from the confirmed bookings."""
    out: dict[tuple[int, str], list[float]] = defaultdict(lambda: [0, 0.0])
    counted = (Booking.booking_type_id == type_id, Booking.status == "confirmed")
    with db.read() as session:
        for booking in session.scalars(select(Booking).where(*counted)):
            if booking.rotating_host_id is not None:
                out[day_of(to_us(booking.created_at)), booking.rotating_host_id][0] += 1
        credits = (
            select(FairnessCredit.host_id, Booking.created_at, FairnessCredit.credit)
            .join(Booking, Booking.id == FairnessCredit.booking_id)
            .where(*counted)
        )
        for host_id, made, credit in session.execute(credits):
            out[day_of(to_us(made)), host_id][1] += credit
    return {key: (int(held), credit) for key, (held, credit) in out.items()}


def kept(db: Database, type_id: str) -> tuple[Sums, Sums]:
    """The running sums as stored: per (day, host), and all time per host."""
    days: Sums = {}
    total: Sums = {}
    with db.read() as session:
        for row in session.scalars(select(LedgerDay).where(LedgerDay.booking_type_id == type_id)):
            if row.day == ALL_TIME_DAY:
                total[ALL_TIME_DAY, row.host_id] = (row.bookings, row.expected)
            else:
                days[row.day, row.host_id] = (row.bookings, row.expected)
    return days, total


def assert_same(kept_sums: Sums, counted: Sums) -> None:
    def nonzero(sums: Sums) -> Sums:
        return {k: v for k, v in sums.items() if v[0] or abs(v[1]) > 1e-9}

    kept_sums, counted = nonzero(kept_sums), nonzero(counted)
    assert kept_sums.keys() == counted.keys()
    for key, (held, credit) in counted.items():
        assert kept_sums[key][0] == held, key
        assert kept_sums[key][1] == pytest.approx(credit, abs=1e-9), key


def check(db: Database, type_id: str) -> None:
    counted = recount(db, type_id)
    days, total = kept(db, type_id)
    assert_same(days, counted)
    per_host: dict[tuple[int, str], list[float]] = defaultdict(lambda: [0, 0.0])
    for (_, host_id), (held, credit) in counted.items():
        per_host[ALL_TIME_DAY, host_id][0] += held
        per_host[ALL_TIME_DAY, host_id][1] += credit
    assert_same(total, {k: (int(v[0]), v[1]) for k, v in per_host.items()})


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(
            ["book", "book", "book", "cancel", "reassign", "reschedule", "busy", "time_off"]
        ),
        st.integers(0, 10_000),
    ),
    min_size=1,
    max_size=25,
)


def run(team: Team, operations: list[tuple[str, int]], start: datetime) -> bool:
    """Carry out the operations with the clock moving three hours at each; True when
    only bookings were made (no cancel or reassign took a count back)."""
    made: list[str] = []
    people = [team.ada, team.grace, team.linus]
    only_booked = True
    for step, (kind, n) in enumerate(operations):
        with time_machine.travel(start + timedelta(hours=3 * step), tick=False):
            at = monday() + timedelta(days=n % 7, hours=8, minutes=30 * (n % 19))
            try:
                if kind == "book":
                    made.append(team.book(at).id)
                elif kind == "cancel" and made:
                    bookings.cancel(team.db, team.org_id, made[n % len(made)], None, actor=SYSTEM)
                    only_booked = False
                elif kind == "reassign" and made:
                    reassign.reassign(
                        team.db,
                        team.org_id,
                        made[n % len(made)],
                        to_host_id=None,
                        from_host_id=None,
                        reason=None,
                        actor=SYSTEM,
                    )
                    only_booked = False
                elif kind == "reschedule" and made:
                    # To another time of the week: the rotating host keeps it when free,
                    # else the next fair free host takes it (the count moves).
                    moved_to = monday() + timedelta(days=(n // 7) % 7, hours=8 + (n // 3) % 9)
                    reschedule.reschedule(
                        team.db,
                        team.org_id,
                        made[n % len(made)],
                        start=moved_to,
                        reason=None,
                        actor=SYSTEM,
                    )
                    only_booked = False
                elif kind in ("busy", "time_off"):
                    span = TimeOff if kind == "time_off" else BusyBlock
                    hosts.add_span(
                        team.db,
                        team.org_id,
                        people[n % 3],
                        span,
                        start=at,
                        end=at + timedelta(hours=n % 5 + 1),
                        label=None,
                    )
            except (engine.RoutingError, ServiceError):
                pass
    return only_booked


def type_id(team: Team) -> str:
    with team.db.read() as session:
        return lookup.booking_type(session, team.org_id, "intro").id


@pytest.mark.parametrize("seed", range(3))
def test_running_sums_equal_a_recount_after_a_random_day_of_changes(
    db: Database, seed: int
) -> None:
    team = make_team(db)
    rng = random.Random(seed)
    kinds = ["book"] * 5 + ["cancel", "reassign", "reschedule", "reschedule", "busy", "time_off"]
    operations = [(rng.choice(kinds), rng.randrange(10_000)) for _ in range(40)]
    run(team, operations, monday() - timedelta(days=4))
    check(db, type_id(team))
    shown = distribution.distribution(db, team.org_id, "intro").hosts
    counted = recount(db, type_id(team))
    assert sum(s.bookings for s in shown) == sum(held for held, _ in counted.values())


ORGS = itertools.count()


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    weights=st.lists(st.integers(0, 300), min_size=3, max_size=3),
    limit=st.integers(0, 4),
    operations=OPERATIONS,
)
def test_running_sums_equal_a_recount_for_any_pool_and_changes(
    db: Database, weights: list[int], limit: int, operations: list[tuple[str, int]]
) -> None:
    team = make_team(db, f"org{next(ORGS)}")  # each example in an organization of its own
    pool = [
        {"host_id": h, "weight": w}
        for h, w in zip([team.ada, team.grace, team.linus], weights, strict=True)
    ]
    booking_types.update_booking_type(
        db, team.org_id, "intro", {"hosts": pool, "catch_up_limit": limit}
    )
    only_booked = run(team, operations, monday() - timedelta(days=4))
    check(db, type_id(team))
    if only_booked:
        with db.read() as session:
            ledger = load_ledger(session, type_id(team), None)
        assert all(s.lag >= -limit - 1e-9 for s in ledger.values())


def test_the_migration_builds_the_sums_from_the_bookings_already_made(db: Database) -> None:
    team = make_team(db)
    rng = random.Random(7)
    kinds = ["book"] * 5 + ["cancel", "reassign", "reschedule"]
    run(team, [(rng.choice(kinds), rng.randrange(10_000)) for _ in range(25)], monday())
    before = kept(db, type_id(team))
    command.downgrade(alembic_config(db.engine), "0002")  # as a database of the last release
    command.upgrade(alembic_config(db.engine), "head")
    check(db, type_id(team))
    days, total = kept(db, type_id(team))
    assert_same(days, before[0])
    assert_same(total, before[1])
    assert recount(db, type_id(team))
