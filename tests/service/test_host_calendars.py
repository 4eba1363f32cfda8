"""Connecting a host's calendar, on SQLite and PostgreSQL: a new address drops the busy
time the old calendar gave that host (and nothing else: not busy time added by hand,
not another host's), the same address keeps it, disconnecting drops it; a CalDAV login
is kept only for CalDAV; `webcal://` addresses are taken."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rota.calendars.secrets import SecretBox
from rota.calendars.sync import CALENDAR_SOURCE
from rota.service import calendars
from rota.service.errors import NotFound
from rota.service.ids import new_id
from rota.store.db import Database
from rota.store.tables import BusyBlock
from tests.databases import database_url, db, postgres_url
from tests.teams import Team, make_team, monday

__all__ = ["database_url", "db", "postgres_url"]

BOX = SecretBox("a key for the calendar passwords of these tests")
ICS = calendars.CalendarSettings("ics", "https://calendar.example.com/ada.ics")


def busy(team: Team, host_id: str, source: str) -> str:
    start = monday() + timedelta(hours=9)
    with team.db.write() as session:
        row = BusyBlock(
            id=new_id("busy"),
            host_id=host_id,
            start_at=start,
            end_at=start + timedelta(hours=1),
            title=source,
            source=source,
            created_at=datetime.now(UTC),
        )
        session.add(row)
        return row.id


def busy_ids(team: Team) -> set[str]:
    with team.db.read() as session:
        return {row.id for row in session.query(BusyBlock)}


def test_a_new_calendar_address_drops_only_that_hosts_busy_time_from_the_old_one(
    db: Database,
) -> None:
    team = make_team(db)
    calendars.connect(db, team.org_id, team.ada, ICS, box=BOX)
    synced = busy(team, team.ada, CALENDAR_SOURCE)
    by_hand = busy(team, team.ada, "api")
    graces = busy(team, team.grace, CALENDAR_SOURCE)
    calendars.connect(db, team.org_id, team.ada, ICS, box=BOX)
    assert busy_ids(team) == {synced, by_hand, graces}  # the same calendar again
    moved = calendars.CalendarSettings("ics", "https://calendar.example.com/ada-2.ics")
    assert calendars.connect(db, team.org_id, team.ada, moved, box=BOX).url == moved.url
    assert busy_ids(team) == {by_hand, graces}
    again = busy(team, team.ada, CALENDAR_SOURCE)
    calendars.disconnect(db, team.org_id, team.ada)
    assert busy_ids(team) == {by_hand, graces} and again not in busy_ids(team)
    for gone in (calendars.disconnect, calendars.get):
        with pytest.raises(NotFound) as refused:
            gone(db, team.org_id, team.ada)
        assert refused.value.message == "This host has no calendar connected."


def test_a_caldav_login_is_kept_for_caldav_only_and_webcal_is_taken(db: Database) -> None:
    team = make_team(db)
    caldav = calendars.CalendarSettings(
        "caldav", "https://dav.example.com/ada/", username="ada", password="s3cret"
    )
    stored = calendars.connect(db, team.org_id, team.ada, caldav, box=BOX)
    assert stored.username == "ada" and stored.password_encrypted is not None
    assert BOX.decrypt(stored.password_encrypted) == "s3cret"
    feed = calendars.CalendarSettings(
        "ics", "webcal://calendar.example.com/ada.ics", username="ada", password="s3cret"
    )
    stored = calendars.connect(db, team.org_id, team.ada, feed, box=BOX)
    assert (stored.kind, stored.url) == ("ics", feed.url)
    assert (stored.username, stored.password_encrypted) == (None, None)
