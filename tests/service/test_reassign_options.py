"""The choices shown before a reassign: who is free, and whom "auto" would pick."""

from __future__ import annotations

from datetime import timedelta

from rota.actor import SYSTEM
from rota.service import booking_types, bookings, hosts, meetings, reassign, reassign_options
from rota.store.db import Database
from rota.store.tables import TimeOff
from tests.databases import database_url, db, postgres_url
from tests.teams import make_team, monday

__all__ = ["database_url", "db", "postgres_url"]


def test_free_means_a_manual_reassign_would_be_accepted(db: Database) -> None:
    team = make_team(db)
    start = monday() + timedelta(hours=10)
    booking = team.book(start)
    others = [h for h in (team.ada, team.grace, team.linus) if h not in booking.host_ids]
    away, free = others
    hosts.add_span(
        db, team.org_id, away, TimeOff, start=start, end=start + timedelta(hours=1), label="x"
    )
    options = reassign_options.reassign_options(db, team.org_id, booking.id)
    assert options.team
    by_id = {c.host_id: c for c in options.candidates}
    assert by_id[booking.host_ids[0]].on_booking and not by_id[booking.host_ids[0]].free
    assert not by_id[away].free and by_id[free].free
    assert options.next_fair_host_id == free
    moved = reassign.reassign(
        db, team.org_id, booking.id, to_host_id=None, from_host_id=None, reason=None, actor=SYSTEM
    )
    assert moved.host_ids == [free]


def test_solo_and_cancelled_bookings_have_no_choices(db: Database) -> None:
    team = make_team(db)
    solo = team.book(monday() + timedelta(hours=9), slug="office-hours")
    assert not reassign_options.reassign_options(db, team.org_id, solo.id).team
    booking = team.book(monday() + timedelta(hours=10))
    bookings.cancel(db, team.org_id, booking.id, None, actor=SYSTEM)
    options = reassign_options.reassign_options(db, team.org_id, booking.id)
    assert (options.team, options.candidates, options.next_fair_host_id) == (False, [], None)


def test_a_busy_host_says_why(db: Database) -> None:
    team = make_team(db)
    start = monday() + timedelta(hours=10)
    booking = team.book(start)
    away, meeting = [h for h in (team.ada, team.grace, team.linus) if h not in booking.host_ids]
    hosts.add_span(
        db, team.org_id, away, TimeOff, start=start, end=start + timedelta(hours=1), label="x"
    )
    request = meetings.MeetingRequest(
        title="Budget review", host_ids=[meeting], start=start, end=start + timedelta(minutes=30)
    )
    meetings.create_meeting(db, team.org_id, request, actor=SYSTEM)
    options = reassign_options.reassign_options(db, team.org_id, booking.id)
    why = {c.host_id: c.why_busy for c in options.candidates}
    assert why == {booking.host_ids[0]: None, away: "on time off", meeting: "in Budget review"}


def test_hours_another_booking_and_the_daily_cap_are_said(db: Database) -> None:
    team = make_team(db)
    late = monday() + timedelta(hours=17, minutes=30)
    booking = team.book(late)
    taken = team.book(late)
    [other] = {team.ada, team.grace, team.linus} - {*booking.host_ids, *taken.host_ids}
    hours = [{"days": ["mon"], "start": "08:00", "end": "17:00"}]
    hosts.update_host(db, team.org_id, other, {"working_hours": hours})
    options = reassign_options.reassign_options(db, team.org_id, booking.id)
    why = {c.host_id: c.why_busy for c in options.candidates}
    assert why[taken.host_ids[0]] == "in a booking"
    assert why[other] == "outside working hours"
    # With a cap of one a day, the host of the morning's booking may still be chosen,
    # but not by the automatic choice, and the page can say so.
    booking_types.update_booking_type(
        db, team.org_id, "intro", {"max_bookings_per_host_per_day": 1}
    )
    tuesday = monday() + timedelta(days=1)
    morning = team.book(tuesday + timedelta(hours=9))
    noon = team.book(tuesday + timedelta(hours=12))
    options = reassign_options.reassign_options(db, team.org_id, noon.id)
    by_id = {c.host_id: c for c in options.candidates}
    capped = by_id[morning.host_ids[0]]
    assert capped.free and capped.at_daily_cap and capped.why_busy is None
    assert options.next_fair_host_id not in (morning.host_ids[0], noon.host_ids[0])
    assert not any(c.at_daily_cap for c in options.candidates if c is not capped)
