"""Listing bookings as the Hub's table asks: by a text a person remembers, and what
is still to come (soonest first) apart from what is over."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rota.actor import SYSTEM
from rota.service import bookings, clock, meetings
from rota.store.db import Database
from tests.databases import database_url, db, postgres_url
from tests.teams import make_team, monday

__all__ = ["database_url", "db", "postgres_url"]


def test_search_finds_attendees_meeting_titles_and_guests_ignoring_case(db: Database) -> None:
    team = make_team(db)
    team.book(monday() + timedelta(hours=9), name="Ada Byron")
    team.book(monday() + timedelta(hours=10), name="Charles Babbage")
    request = meetings.MeetingRequest(
        title="Budget review",
        host_ids=[team.grace],
        start=monday() + timedelta(hours=11),
        end=monday() + timedelta(hours=12),
        guests=[meetings.Guest("Mary Somerville", "mary@science.example.org")],
    )
    meetings.create_meeting(db, team.org_id, request, actor=SYSTEM)

    def found(text: str) -> list[str]:
        page = bookings.list_bookings(db, team.org_id, search=text)
        return [b.attendee_name or b.title or "" for b in page.bookings]

    assert found("BYRON") == ["Ada Byron"]
    assert found("charles.babbage@") == ["Charles Babbage"]
    assert found("budget") == ["Budget review"]
    assert found("somerville") == found("SCIENCE.example") == ["Budget review"]
    # The stored JSON's keys and quotes are not text of a guest; % and _ are letters.
    assert found('"name"') == found("email") == found("%") == found("_") == []
    assert len(found("  ")) == 3
    assert found("by\x00ron") == ["Ada Byron"]  # PostgreSQL refuses a NUL in a query


def test_upcoming_runs_soonest_first_and_leaves_out_what_is_over(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = make_team(db)
    starts = [monday() + timedelta(hours=h) for h in (13, 9, 11)]
    for start in starts:
        team.book(start, slug="office-hours")
    # At 11:10 the 9:00 meeting is over and the 11:00 one (20 minutes) is under way.
    monkeypatch.setattr(clock, "now", lambda: monday() + timedelta(hours=11, minutes=10))
    upcoming = bookings.list_bookings(db, team.org_id, ended=False, limit=1)
    seen = [b.start_at for b in upcoming.bookings]
    while upcoming.next_cursor is not None:
        upcoming = bookings.list_bookings(
            db, team.org_id, ended=False, limit=1, cursor=upcoming.next_cursor
        )
        seen += [b.start_at for b in upcoming.bookings]
    assert seen == [starts[2], starts[0]]
    past = bookings.list_bookings(db, team.org_id, ended=True, newest_first=True)
    assert [b.start_at for b in past.bookings] == [starts[1]]


def test_a_members_search_keeps_to_what_they_see(db: Database) -> None:
    team = make_team(db)
    team.book(monday() + timedelta(hours=9), slug="office-hours", name="Secret Visitor")
    start = monday() + timedelta(hours=10)
    while (shared := team.book(start, name="Shared Visitor")).host_ids != [team.grace]:
        start += timedelta(hours=1)
    # Grace is in the intro pool, not in office hours (Ada's alone).
    page = bookings.list_bookings(db, team.org_id, search="visitor", seen_by_host=team.grace)
    seen = {b.attendee_name for b in page.bookings}
    assert shared.id in {b.id for b in page.bookings} and seen == {"Shared Visitor"}
    everyone = bookings.list_bookings(db, team.org_id, search="visitor")
    assert {b.attendee_name for b in everyone.bookings} == {"Shared Visitor", "Secret Visitor"}


def test_a_meeting_is_over_at_the_moment_it_ends(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = make_team(db)
    start = monday() + timedelta(hours=9)
    made = team.book(start, slug="office-hours")
    monkeypatch.setattr(clock, "now", lambda: made.end_at)
    assert bookings.list_bookings(db, team.org_id, ended=False).bookings == []
    assert [b.id for b in bookings.list_bookings(db, team.org_id, ended=True).bookings] == [made.id]


def test_paging_through_bookings_at_the_same_time_shows_each_once(db: Database) -> None:
    team = make_team(db)
    nine = monday() + timedelta(hours=9)
    made = {team.book(nine).id for _ in range(3)}  # the intro pool has three hosts
    page = bookings.list_bookings(db, team.org_id, limit=1)
    pages = [[b.id for b in page.bookings]]
    while page.next_cursor is not None:
        page = bookings.list_bookings(db, team.org_id, limit=1, cursor=page.next_cursor)
        pages.append([b.id for b in page.bookings])
    assert len(pages) == 3  # the last page is the last booking, with no empty one after it
    assert sorted(i for p in pages for i in p) == sorted(made)


def test_search_finds_an_attendee_by_a_name_their_email_does_not_hold(db: Database) -> None:
    team = make_team(db)
    bookings.book(
        db,
        team.org_id,
        booking_type="intro",
        start=monday() + timedelta(hours=9),
        attendee=bookings.Attendee("Ada Byron", "countess@example.org", "Europe/London"),
        actor=SYSTEM,
    )
    page = bookings.list_bookings(db, team.org_id, search="Byron")
    assert [b.attendee_email for b in page.bookings] == ["countess@example.org"]
