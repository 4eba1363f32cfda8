"""Listing bookings newest first (the Hub's table), page after page."""

from __future__ import annotations

from datetime import timedelta

from rota.service import bookings
from rota.store.db import Database
from tests.databases import database_url, db, postgres_url
from tests.teams import make_team, monday

__all__ = ["database_url", "db", "postgres_url"]


def test_pages_run_from_the_latest_start_back(db: Database) -> None:
    team = make_team(db)
    starts = [monday() + timedelta(hours=h) for h in (9, 10, 11, 12, 13)]
    for start in starts:
        team.book(start, slug="office-hours")
    seen, cursor = [], None
    while True:
        page = bookings.list_bookings(db, team.org_id, limit=2, cursor=cursor, newest_first=True)
        seen += [b.start_at for b in page.bookings]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == sorted(starts, reverse=True)
