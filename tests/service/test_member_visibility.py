"""What a member of the team sees (API.md, People), on SQLite and PostgreSQL: the live
booking types whose pool they are in, by title, and no others; the bookings of those
types and the meetings they host, and not the bookings of a type they are not in."""

from __future__ import annotations

from datetime import timedelta

from rota.actor import SYSTEM
from rota.service import booking_types, bookings, meetings, visibility
from rota.store.db import Database
from tests.teams import make_team, monday

TITLES = ("Zebra review", "Apple tasting", "Mango sync", "Kiwi planning", "Banana chat")


def test_a_member_sees_the_live_types_of_their_pools_by_title(db: Database) -> None:
    team = make_team(db)
    make_team(db, "globex")
    ids = {}
    # Ids are random: add types until their ids do not sort like their titles.
    for n, title in enumerate(TITLES * 3):
        if len(ids) >= len(TITLES) and sorted(ids) != sorted(ids, key=ids.__getitem__):
            break
        ids[team.add_type(f"grace-{n}", f"{title} {n:02}", [team.grace, team.linus])] = title
    team.add_type("ada-only", "Aardvark hour", [team.ada])
    team.add_type("gone", "A type since deleted", [team.grace])
    booking_types.delete_booking_type(db, team.org_id, "gone", actor=SYSTEM)
    titles = [t.title for t in visibility.pool_types(db, team.org_id, team.grace)]
    assert "Intro call" in titles and len(titles) == len(ids) + 1
    assert titles == sorted(titles)
    assert "Aardvark hour" not in titles and "A type since deleted" not in titles
    ada = [t.slug for t in visibility.pool_types(db, team.org_id, team.ada)]
    assert ada == ["ada-only", "intro", "office-hours"]


def test_a_member_sees_the_meetings_they_host_and_not_the_types_they_are_not_in(
    db: Database,
) -> None:
    team = make_team(db)
    start = monday() + timedelta(hours=10)
    request = meetings.MeetingRequest(
        title="Grace's sync", host_ids=[team.grace], start=start, end=start + timedelta(hours=1)
    )
    meeting = meetings.create_meeting(db, team.org_id, request, actor=SYSTEM)
    solo = team.book(monday() + timedelta(days=1, hours=9), slug="office-hours")
    shared = team.book(monday() + timedelta(days=2, hours=9))
    assert visibility.may_see(db, team.org_id, team.grace, meeting.id)
    assert visibility.may_see(db, team.org_id, team.grace, shared.id)
    assert not visibility.may_see(db, team.org_id, team.grace, solo.id)
    assert not visibility.may_see(db, team.org_id, team.linus, meeting.id)
    assert visibility.may_see(db, team.org_id, team.ada, solo.id)
    listed = bookings.list_bookings(db, team.org_id, seen_by_host=team.grace).bookings
    assert {b.id for b in listed} == {meeting.id, shared.id}
    everyone = bookings.list_bookings(db, team.org_id).bookings
    assert {b.id for b in everyone} == {meeting.id, shared.id, solo.id}
