"""The choices shown before a reassign: who is free, and whom "auto" would pick."""

from __future__ import annotations

from datetime import timedelta

from rota.actor import SYSTEM
from rota.service import bookings, hosts, reassign, reassign_options
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
