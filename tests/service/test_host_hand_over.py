"""Handing over a host's bookings (the coverage swap): what the admin gave (the host,
the reason, blocking the host) is what every moved booking and its history carry,
and a dry run names the same moves the real run then makes."""

from __future__ import annotations

from datetime import timedelta

from rota.actor import SYSTEM
from rota.service import bookings, hosts, reassign
from rota.store.db import Database
from rota.store.tables import TimeOff
from tests.teams import make_team, monday

WEEK = monday()


def test_a_hand_over_moves_each_booking_off_the_host_with_the_reason_given(
    db: Database,
) -> None:
    team = make_team(db)
    made = [team.book(WEEK + timedelta(days=d, hours=10)) for d in range(6)]
    adas = [b.id for b in made if b.host_ids == [team.ada]]
    assert adas

    def hand_over(*, dry_run: bool) -> reassign.HostReassignment:
        """Ada's bookings of the week, for flu, blocking her."""
        week = (WEEK, WEEK + timedelta(days=7))
        return reassign.reassign_host_bookings(
            db, team.org_id, team.ada, *week, "flu", actor=SYSTEM, time_off=True, dry_run=dry_run
        )

    planned = hand_over(dry_run=True)
    assert [m.booking_id for m in planned.plan] == adas
    assert hosts.list_spans(db, team.org_id, team.ada, TimeOff) == []  # a dry run adds none

    done = hand_over(dry_run=False)
    assert [b.id for b in done.reassigned] == adas and done.failed == []
    assert [tuple(b.host_ids) for b in done.reassigned] == [m.to_host_ids for m in planned.plan]
    for booking_id in adas:
        moved = bookings.get_booking(db, team.org_id, booking_id)
        assert team.ada not in moved.host_ids
        last = moved.history[-1]
        assert last.action == "reassigned" and last.reason == "flu"
        assert last.from_host_ids == [team.ada]
    (off,) = hosts.list_spans(db, team.org_id, team.ada, TimeOff)
    assert isinstance(off, TimeOff) and off.reason == "flu"
    assert off.start_at == WEEK and off.end_at == WEEK + timedelta(days=7)
