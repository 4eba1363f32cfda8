"""Moving a booking keeps to the type's rules, at their exact edges, and says why in
words when it cannot: the notice, the window, the buffers, the daily cap, the past; a
moved booking holds its new time, and a round-robin one goes to the next fair host when
its own is busy then. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine

from rota import engine
from rota.actor import SYSTEM
from rota.service import (
    booking_types,
    bookings,
    clock,
    distribution,
    hosts,
    meetings,
    reschedule,
    slots,
)
from rota.store.db import Database
from rota.store.tables import Booking, BusyBlock
from tests.databases import database_url, db, postgres_url
from tests.teams import Team, make_team, monday

__all__ = ["database_url", "db", "postgres_url"]

NINE = monday() + timedelta(hours=9)


def move(team: Team, booking: Booking, start: datetime) -> Booking:
    return reschedule.reschedule(
        team.db, team.org_id, booking.id, start=start, reason=None, actor=SYSTEM
    )


def refusal(team: Team, booking: Booking, start: datetime) -> str:
    with pytest.raises(engine.SlotUnavailable) as refused:
        move(team, booking, start)
    return str(refused.value)


def office_hours(team: Team, **settings: int) -> None:
    booking_types.update_booking_type(team.db, team.org_id, "office-hours", settings)


def test_the_notice_and_the_window_hold_to_the_minute(db: Database) -> None:
    team = make_team(db)
    office_hours(team, minimum_notice_minutes=120, booking_window_days=10)
    booking = team.book(NINE + timedelta(hours=5), slug="office-hours")
    with time_machine.travel(NINE, tick=False):
        too_soon = refusal(team, booking, NINE + timedelta(minutes=119))
        assert too_soon == "That time is too soon to move the booking to."
        assert move(team, booking, NINE + timedelta(minutes=120)).start_at == NINE + timedelta(
            minutes=120
        )
        too_far = refusal(team, booking, NINE + timedelta(days=10))
        assert too_far == "That time is beyond the booking window."
        last = NINE + timedelta(days=10, minutes=-40)
        assert move(team, booking, last).start_at == last


def test_a_moved_booking_holds_its_new_time_with_its_buffers(db: Database) -> None:
    team = make_team(db)
    office_hours(team, buffer_before_minutes=15, buffer_after_minutes=15)
    booking = team.book(NINE + timedelta(hours=1), slug="office-hours")  # 10:00, 20 minutes
    for start, end in ((120, 150), (295, 330)):  # calendar events 11:00-11:30, 13:55-14:30
        hosts.add_span(
            db,
            team.org_id,
            team.ada,
            BusyBlock,
            start=NINE + timedelta(minutes=start),
            end=NINE + timedelta(minutes=end),
            label="x",
        )
    # 11:40 and 13:30 are free for 20 minutes, but not with 15 minutes before and after.
    for minutes in (160, 270):
        assert refusal(team, booking, NINE + timedelta(minutes=minutes)) == (
            "A host of this booking is not free at that time."
        )
    moved = move(team, booking, NINE + timedelta(hours=4))  # 13:00
    [held] = bookings.get_booking(db, team.org_id, moved.id).hosts
    assert (held.busy_start, held.busy_end) == (
        NINE + timedelta(hours=3, minutes=45),
        NINE + timedelta(hours=4, minutes=35),
    )
    offered = {
        s.start
        for s in slots.list_slots(db, team.org_id, "office-hours", NINE, NINE + timedelta(hours=9))
    }
    old, new = clock.epoch(NINE + timedelta(hours=1)), clock.epoch(NINE + timedelta(hours=4))
    assert old in offered and new not in offered


def test_a_move_onto_a_full_day_is_refused(db: Database) -> None:
    team = make_team(db)
    office_hours(team, max_bookings_per_host_per_day=1)
    team.book(NINE + timedelta(hours=1), slug="office-hours")
    tuesday = team.book(NINE + timedelta(days=1, hours=1), slug="office-hours")
    assert refusal(team, tuesday, NINE + timedelta(hours=5)) == (
        "A host of this booking is not free at that time."
    )


def test_a_round_robin_booking_goes_to_the_next_fair_host_when_its_own_is_busy(
    db: Database,
) -> None:
    team = make_team(db)
    booking = team.book(NINE + timedelta(hours=1))
    [held] = booking.host_ids
    three = NINE + timedelta(hours=6)
    hosts.add_span(
        db, team.org_id, held, BusyBlock, start=three, end=three + timedelta(hours=1), label="x"
    )
    moved = move(team, booking, three)
    [taker] = moved.host_ids
    assert taker != held
    shares = {
        s.host_id: s.bookings for s in distribution.distribution(db, team.org_id, "intro").hosts
    }
    assert (shares[held], shares[taker]) == (0, 1)
    four = NINE + timedelta(hours=7)
    for host_id in (team.ada, team.grace, team.linus):
        hosts.add_span(
            db,
            team.org_id,
            host_id,
            BusyBlock,
            start=four,
            end=four + timedelta(hours=1),
            label="x",
        )
    assert refusal(team, moved, four) == "Nobody of the pool is free at that time."


def test_a_meeting_moves_to_now_but_not_to_the_past(db: Database) -> None:
    team = make_team(db)
    request = meetings.MeetingRequest(
        title="Sync",
        host_ids=[team.ada],
        start=NINE + timedelta(hours=5),
        end=NINE + timedelta(hours=5, minutes=30),
    )
    made = meetings.create_meeting(db, team.org_id, request, actor=SYSTEM)
    with time_machine.travel(NINE, tick=False):
        assert refusal(team, made, NINE - timedelta(minutes=1)) == "That time has already passed."
        assert move(team, made, NINE).start_at == NINE


def test_a_fixed_host_stays_second_when_the_rotating_host_is_replaced(db: Database) -> None:
    team = make_team(db)
    pool = [{"host_id": team.ada}, {"host_id": team.grace}, {"host_id": team.linus, "fixed": True}]
    booking_types.update_booking_type(db, team.org_id, "intro", {"hosts": pool})
    booking = team.book(NINE + timedelta(hours=1))
    rotating, lead = booking.host_ids
    three = NINE + timedelta(hours=6)
    hosts.add_span(
        db, team.org_id, rotating, BusyBlock, start=three, end=three + timedelta(hours=1), label="x"
    )
    [other] = {team.ada, team.grace} - {rotating}
    assert move(team, booking, three).host_ids == [other, lead]


def test_a_round_robin_booking_whose_host_is_free_keeps_it_and_says_no_one_left(
    db: Database,
) -> None:
    team = make_team(db)
    booking = team.book(NINE + timedelta(hours=1))
    moved = move(team, booking, NINE + timedelta(hours=6))
    assert moved.host_ids == booking.host_ids
    last = bookings.get_booking(db, team.org_id, moved.id).history[-1]
    assert (last.action, last.from_host_ids, last.host_ids) == (
        "rescheduled",
        None,
        booking.host_ids,
    )


def test_a_booking_whose_host_left_the_pool_since_keeps_the_host_while_free(
    db: Database,
) -> None:
    team = make_team(db)
    booking = team.book(NINE + timedelta(hours=1))
    [held] = booking.host_ids
    stay = [{"host_id": h} for h in (team.ada, team.grace, team.linus) if h != held]
    booking_types.update_booking_type(db, team.org_id, "intro", {"hosts": stay})
    moved = move(team, booking, NINE + timedelta(hours=6))
    assert moved.host_ids == [held]
    three = NINE + timedelta(hours=3)
    hosts.add_span(
        db, team.org_id, held, BusyBlock, start=three, end=three + timedelta(hours=1), label="x"
    )
    [taker] = move(team, moved, three).host_ids
    assert taker in {s["host_id"] for s in stay}
