"""The attendee's manage link: see, cancel and move a booking with its token only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rota.engine import SlotUnavailable
from rota.service import attendee, bookings
from rota.service.errors import Conflict, NotFound
from rota.store.db import Database
from tests.databases import database_url, db, postgres_url
from tests.teams import make_team, monday

__all__ = ["database_url", "db", "postgres_url"]


def test_the_token_finds_the_booking_and_nothing_else(db: Database) -> None:
    team = make_team(db)
    booking = team.book(monday() + timedelta(hours=9))
    assert attendee.by_token(db, booking.manage_token).id == booking.id
    # A last character other than the token's own: one token in 16 ends in "A".
    token = booking.manage_token
    off_by_one = token[:-1] + ("B" if token.endswith("A") else "A")
    for wrong in ("", "x" * 500, off_by_one, booking.id):
        with pytest.raises(NotFound):
            attendee.by_token(db, wrong)


def test_cancelling_through_the_link_frees_the_time(db: Database) -> None:
    team = make_team(db)
    start = monday() + timedelta(hours=9)
    booking = team.book(start, slug="office-hours")
    cancelled = attendee.cancel(db, booking.manage_token, None)
    assert cancelled.status == "cancelled"
    assert cancelled.history[-1].reason == "Cancelled by the attendee."
    assert team.book(start, slug="office-hours").status == "confirmed"
    with pytest.raises(Conflict):
        attendee.cancel(db, booking.manage_token, None)


def test_moving_reschedules_the_same_booking_and_keeps_the_link(db: Database) -> None:
    team = make_team(db)
    booking = team.book(monday() + timedelta(hours=9), slug="office-hours")
    later = monday() + timedelta(hours=11)
    moved = attendee.reschedule(db, booking.manage_token, later)
    assert moved.start_at == later
    assert (moved.id, moved.manage_token) == (booking.id, booking.manage_token)
    assert moved.status == "confirmed"
    assert (moved.history[-1].action, moved.history[-1].by) == ("rescheduled", "attendee")
    assert len(bookings.list_bookings(db, team.org_id).bookings) == 1


def test_a_taken_time_leaves_the_booking_as_it_was(db: Database) -> None:
    team = make_team(db)
    booking = team.book(monday() + timedelta(hours=9), slug="office-hours")
    taken = monday() + timedelta(hours=12)
    team.book(taken, slug="office-hours", name="Someone Else")
    with pytest.raises(SlotUnavailable):
        attendee.reschedule(db, booking.manage_token, taken)
    assert bookings.get_booking(db, team.org_id, booking.id).status == "confirmed"


def test_the_calendar_file_is_the_invitations_event(db: Database) -> None:
    team = make_team(db)
    start = monday() + timedelta(hours=9)
    booking = team.book(start, slug="office-hours")
    ics = attendee.calendar_file(db, booking.manage_token).decode()
    assert f"UID:{booking.id}@rota" in ics
    assert f"DTSTART:{start:%Y%m%dT%H%M%SZ}" in ics
    assert "Ada Lovelace" in ics and "METHOD" not in ics
    with pytest.raises(NotFound):
        attendee.calendar_file(db, "nope")
