"""The distribution counts only the bookings made within the booking type's fairness
window: for round-robin (the ledger) and for solo (each host's holdings) alike, on
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from rota.service import booking_types, distribution
from rota.store.db import Database
from tests.databases import database_url, db, postgres_url
from tests.teams import make_team, monday

__all__ = ["database_url", "db", "postgres_url"]


@pytest.mark.parametrize("slug", ["intro", "office-hours"])
def test_bookings_made_before_the_fairness_window_are_not_counted(db: Database, slug: str) -> None:
    team = make_team(db)
    booking_types.update_booking_type(db, team.org_id, slug, {"fairness_window_days": 7})
    with time_machine.travel(datetime.now(UTC) - timedelta(days=10), tick=True):
        for hour in (9, 10):
            team.book(monday(2) + timedelta(hours=hour), slug)
    made_now = team.book(monday(2) + timedelta(hours=11), slug)
    shares = distribution.distribution(db, team.org_id, slug).hosts
    counted = {s.host_id: (s.bookings, s.expected) for s in shares if s.bookings}
    [holder] = made_now.host_ids
    if slug == "office-hours":
        assert counted == {holder: (1, 1.0)}
    else:
        assert list(counted) == [holder] and counted[holder][0] == 1
        assert sum(s.expected for s in shares) == pytest.approx(1.0)
    booking_types.update_booking_type(db, team.org_id, slug, {"fairness_window_days": 0})
    everything = distribution.distribution(db, team.org_id, slug).hosts
    assert sum(s.bookings for s in everything) == 3
