"""What the attendee's manage link leaves behind, as the hosts see it: a move is
recorded as the attendee's, with its reason and the attendee's name; a booking stored
with an empty name is changed by "the attendee"; an internal meeting's token opens neither
the booking nor its calendar file. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rota.actor import SYSTEM, Actor
from rota.service import attendee, meetings
from rota.service.errors import NotFound
from rota.store.db import Database
from rota.store.tables import Booking
from tests.databases import database_url, db, postgres_url
from tests.teams import make_team, monday

__all__ = ["database_url", "db", "postgres_url"]


def test_a_move_is_recorded_as_the_attendees_with_its_reason(db: Database) -> None:
    team = make_team(db)
    booking = team.book(monday() + timedelta(hours=9), slug="office-hours")
    moved = attendee.reschedule(db, booking.manage_token, monday() + timedelta(hours=11))
    entry = moved.history[-1]
    assert (entry.action, entry.reason) == ("rescheduled", "Moved by the attendee.")
    assert entry.actor == Actor("attendee", None, "Alan Turing")
    assert entry.actor.describe() == "Alan Turing (attendee)"


def _forget_the_name(db: Database, booking: Booking) -> None:
    with db.write() as session:
        row = session.get(Booking, booking.id)
        assert row is not None
        row.attendee_name = ""


def test_a_booking_with_an_empty_name_is_changed_by_the_attendee(db: Database) -> None:
    team = make_team(db)
    kept = team.book(monday() + timedelta(hours=9), slug="office-hours")
    dropped = team.book(monday() + timedelta(hours=10), slug="office-hours", name="Bo Peep")
    for booking in (kept, dropped):
        _forget_the_name(db, booking)
    moved = attendee.reschedule(db, kept.manage_token, monday() + timedelta(hours=11))
    cancelled = attendee.cancel(db, dropped.manage_token, "ill")
    for changed in (moved, cancelled):
        assert changed.history[-1].actor.describe() == "the attendee (attendee)"
    assert (cancelled.status, cancelled.history[-1].reason) == ("cancelled", "ill")


def test_an_internal_meetings_token_opens_nothing(db: Database) -> None:
    team = make_team(db)
    request = meetings.MeetingRequest(
        title="Sync",
        host_ids=[team.ada],
        start=monday() + timedelta(hours=9),
        end=monday() + timedelta(hours=9, minutes=30),
    )
    meeting = meetings.create_meeting(db, team.org_id, request, actor=SYSTEM)
    with pytest.raises(NotFound):
        attendee.by_token(db, meeting.manage_token)
    with pytest.raises(NotFound):
        attendee.calendar_file(db, meeting.manage_token)
