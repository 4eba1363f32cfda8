"""The choices shown before a reassign: who is free, and whom "auto" would pick."""

from __future__ import annotations

from datetime import datetime, timedelta

from rota.actor import SYSTEM
from rota.service import booking_types, bookings, hosts, meetings, reassign, reassign_options
from rota.service.hosts import Span
from rota.store.db import Database
from rota.store.tables import BusyBlock, TimeOff
from tests.databases import database_url, db, postgres_url
from tests.teams import Team, make_team, monday

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


def meeting_for(team: Team, host_id: str, title: str, start: datetime, minutes: int) -> str:
    request = meetings.MeetingRequest(
        title=title, host_ids=[host_id], start=start, end=start + timedelta(minutes=minutes)
    )
    return meetings.create_meeting(team.db, team.org_id, request, actor=SYSTEM).id


def with_buffers(team: Team) -> tuple[str, str, str]:
    """A 10:00 intro with 15 minutes either side (so 09:45 to 10:45 counts), its host,
    and the two others."""
    changes = {"buffer_before_minutes": 15, "buffer_after_minutes": 15}
    booking_types.update_booking_type(team.db, team.org_id, "intro", changes)
    booking = team.book(monday() + timedelta(hours=10))
    y, z = [h for h in (team.ada, team.grace, team.linus) if h not in booking.host_ids]
    return booking.id, y, z


def in_the_buffer_before(team: Team, host_id: str, kind: type[Span], label: str) -> None:
    """Time off or a calendar event from 09:46 to 09:56, inside the buffer of `with_buffers`."""
    ten = monday() + timedelta(hours=10)
    start, end = ten - timedelta(minutes=14), ten - timedelta(minutes=4)
    hosts.add_span(team.db, team.org_id, host_id, kind, start=start, end=end, label=label)


def test_what_keeps_a_host_busy_is_what_overlaps_the_meeting_and_its_buffers(
    db: Database,
) -> None:
    team = make_team(db)
    booking_id, y, z = with_buffers(team)
    ten = monday() + timedelta(hours=10)
    # Y: a calendar event in the buffer before; meetings touching the buffers, and a
    # cancelled one in the middle, do not count.
    in_the_buffer_before(team, y, BusyBlock, "Dentist")
    meeting_for(team, y, "Before", ten - timedelta(minutes=45), 30)  # ends at 09:45
    meeting_for(team, y, "Later", ten + timedelta(minutes=45), 30)  # starts at 10:45
    cancelled = meeting_for(team, y, "Cancelled", ten, 30)
    bookings.cancel(db, team.org_id, cancelled, None, actor=SYSTEM)
    # Z: two meetings reach into the buffers; the earlier one is named.
    meeting_for(team, z, "Late", ten + timedelta(minutes=40), 20)
    meeting_for(team, z, "Early", ten - timedelta(minutes=30), 20)
    options = reassign_options.reassign_options(db, team.org_id, booking_id)
    why = {c.host_id: c.why_busy for c in options.candidates}
    assert (why[y], why[z]) == ("in a calendar event", "in Early")


def test_a_meeting_in_the_buffer_after_is_what_keeps_a_host_busy(db: Database) -> None:
    team = make_team(db)
    booking_id, y, z = with_buffers(team)
    meeting_for(team, z, "Late", monday() + timedelta(hours=10, minutes=40), 20)
    meeting_for(team, y, "", monday() + timedelta(hours=10, minutes=40), 20)
    why = {c.host_id: c.why_busy for c in options_of(team, booking_id).candidates}
    assert (why[y], why[z]) == ("in a meeting", "in Late")


def test_time_off_and_working_hours_count_with_the_buffers(db: Database) -> None:
    team = make_team(db)
    booking_id, y, z = with_buffers(team)
    in_the_buffer_before(team, y, TimeOff, "x")
    hours = [{"days": ["mon"], "start": "09:00", "end": "10:40"}]
    hosts.update_host(db, team.org_id, z, {"working_hours": hours})
    options = reassign_options.reassign_options(db, team.org_id, booking_id)
    why = {c.host_id: c.why_busy for c in options.candidates}
    assert (why[y], why[z]) == ("on time off", "outside working hours")


def test_the_host_who_would_leave_is_the_one_named_else_the_rotating_or_first_host(
    db: Database,
) -> None:
    team = make_team(db)
    pool = [{"host_id": team.ada}, {"host_id": team.grace}, {"host_id": team.linus, "fixed": True}]
    booking_types.update_booking_type(db, team.org_id, "intro", {"hosts": pool})
    booking = team.book(monday() + timedelta(hours=10))
    rotating, lead = booking.host_ids
    assert lead == team.linus
    [other] = {team.ada, team.grace} - {rotating}

    assert options_of(team, booking.id).leaving_host_id == rotating
    assert options_of(team, booking.id).next_fair_host_id == other
    assert options_of(team, booking.id, from_host_id=lead).leaving_host_id == lead
    assert options_of(team, booking.id, from_host_id="h_nobody").leaving_host_id == rotating
    panel = {"slug": "panel", "title": "Panel", "duration_minutes": 30}
    booking_types.create_booking_type(
        db,
        team.org_id,
        {
            **panel,
            "host_mode": "collective",
            "hosts": [{"host_id": team.grace}, {"host_id": team.ada}],
        },
    )
    held = team.book(monday() + timedelta(hours=14), slug="panel")
    assert options_of(team, held.id).leaving_host_id == held.host_ids[0]


def options_of(team: Team, booking_id: str, **named: str) -> reassign_options.Options:
    return reassign_options.reassign_options(team.db, team.org_id, booking_id, **named)
