"""Several booking requests decided in one transaction get exactly what they would have
got one by one: the same hosts, the same refusals, the same ledger, the same replays."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from rota import engine
from rota.service import bookings, clock, distribution, lookup
from rota.service.errors import Conflict
from rota.store.db import Database
from rota.store.snapshot import Snapshot, load_snapshot
from rota.store.tables import Booking, to_us
from tests.databases import database_url, db, postgres_url
from tests.teams import Team, make_team, monday

__all__ = ["database_url", "db", "postgres_url"]


def request(
    start: datetime, name: str = "Alan Turing", key: str | None = None, body: str = "a"
) -> bookings._Request:
    idempotency = None if key is None else bookings.Idempotency(key, body, lambda b: b.id)
    attendee = bookings.Attendee(name, f"{name.split()[0].lower()}@example.com", "UTC")
    return bookings._Request(start, attendee, idempotency)


def batch(team: Team, requests: list[bookings._Request]) -> list[bookings.Outcome | Exception]:
    """Decide `requests` in one transaction, as a leader does with what it takes."""
    return bookings._book_all((team.db, team.org_id, "intro"), lambda: requests)


def rank(team: Team, host_id: str) -> int:
    """A host's place among the team's ids: ties of fairness go to the smallest id, so
    this is what names the same host in two teams."""
    return sorted(team.names).index(host_id)


def hosts(team: Team, outcome: bookings.Outcome | Exception) -> list[int] | str:
    if isinstance(outcome, Booking):
        return [rank(team, h) for h in outcome.host_ids]
    return type(outcome).__name__


def test_a_batch_decides_like_one_request_after_another(db: Database) -> None:
    together, one_by_one = make_team(db, "acme"), make_team(db, "beta")
    nine, ten = monday() + timedelta(hours=9), monday() + timedelta(hours=10)
    starts = [nine, nine, ten, nine, nine, ten, ten]

    decided = batch(together, [request(s) for s in starts])
    alone: list[bookings.Outcome | Exception] = []
    for start in starts:
        try:
            alone.append(one_by_one.book(start))
        except engine.SlotUnavailable as refusal:
            alone.append(refusal)

    assert [hosts(together, o) for o in decided] == [hosts(one_by_one, o) for o in alone]
    assert [hosts(together, o) for o in decided].count("SlotUnavailable") == 1

    def shares(team: Team) -> list[tuple[int, int, float]]:
        shares = distribution.distribution(db, team.org_id, "intro").hosts
        return sorted((rank(team, s.host_id), s.bookings, round(s.expected, 9)) for s in shares)

    assert shares(together) == shares(one_by_one)


def test_a_batch_breaks_ties_by_who_was_assigned_least_recently_counting_its_own(
    db: Database,
) -> None:
    # Each team's first booking, made alone, goes to its first host; then a host the
    # batch itself assigns is more recent than that one when their lags tie again.
    together, one_by_one = make_team(db, "acme"), make_team(db, "beta")
    eight = monday() + timedelta(hours=8)
    starts = [eight + timedelta(hours=h) for h in range(1, 7)]
    for team in (together, one_by_one):
        team.book(eight)
    decided = batch(together, [request(s) for s in starts])
    alone = [one_by_one.book(s) for s in starts]
    assert [hosts(together, o) for o in decided] == [hosts(one_by_one, o) for o in alone]


def test_a_retry_in_the_same_batch_replays_the_first_response(db: Database) -> None:
    team = make_team(db)
    nine = monday() + timedelta(hours=9)
    first, retry, reused = batch(
        team,
        [
            request(nine, key="k1"),
            request(nine, key="k1"),
            request(nine + timedelta(hours=1), key="k1", body="another body"),
        ],
    )
    assert isinstance(first, Booking)
    assert retry == bookings.Replay(201, first.id)
    assert isinstance(reused, Conflict)
    assert reused.code == "idempotency_key_reused"
    # And in a later batch, from what the first one stored.
    assert batch(team, [request(nine, key="k1")]) == [bookings.Replay(201, first.id)]


def test_a_snapshot_after_a_booking_is_the_snapshot_read_again(db: Database) -> None:
    team = make_team(db)
    nine = monday() + timedelta(hours=9)
    team.book(nine)  # some busy time and ledger to start from
    at = clock.epoch(nine + timedelta(minutes=30))

    def snapshot() -> Snapshot:
        with db.read() as session:
            row = lookup.booking_type(session, team.org_id, "intro")
            return load_snapshot(session, row, at, at + 1, now=clock.epoch(clock.now()))

    before = snapshot()
    made = team.book(nine + timedelta(minutes=30))
    assignment = engine.assign(
        before.booking_type,
        before.schedules,
        before.ledger,
        now=clock.epoch(clock.now()),
        start=at,
    )
    assert list(assignment.host_ids) == made.host_ids
    predicted, fresh = before.after(assignment, at=to_us(made.assigned_at)), snapshot()
    assert predicted.ledger.keys() == fresh.ledger.keys()
    for host_id, standing in fresh.ledger.items():
        guess = predicted.ledger[host_id]
        assert (guess.bookings, guess.last_assigned) == (standing.bookings, standing.last_assigned)
        assert guess.expected == pytest.approx(standing.expected)
    for host_id, schedule in fresh.schedules.items():
        guess_busy = sorted(map(tuple, predicted.schedules[host_id].busy.tolist()))
        assert guess_busy == sorted(map(tuple, schedule.busy.tolist()))
        assert predicted.schedules[host_id].booked_starts == schedule.booked_starts
