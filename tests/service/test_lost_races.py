"""A request that loses a race the host locks do not cover gets the answer it would
have had after the winner: a retry of the same key replays the winner's response, and,
on PostgreSQL, a booking that the exclusion constraint refuses is a plain
"slot unavailable". Each race is played in one process by showing the loser the
database as it was before the winner committed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from rota import engine
from rota.actor import SYSTEM
from rota.service import bookings, meetings
from rota.service.errors import Conflict
from rota.store.db import Database
from rota.store.tables import Booking
from tests.databases import database_url, db, empty_postgres, postgres_url
from tests.teams import Team, make_team, monday

__all__ = ["database_url", "db", "postgres_url"]


def book(team: Team, start: datetime, key: str | None = None, body: str = "a") -> Any:
    idempotency = None if key is None else bookings.Idempotency(key, body, lambda b: b.id)
    attendee = bookings.Attendee("Alan Turing", "alan@example.com", "UTC")
    request = bookings._Request(start, attendee, idempotency)
    return bookings._book_alone((team.db, team.org_id, "intro"), request)


def confirmed(team: Team) -> list[Booking]:
    return list(bookings.list_bookings(team.db, team.org_id, status="confirmed").bookings)


def not_yet_stored(monkeypatch: pytest.MonkeyPatch) -> None:
    """The loser looks up the key before the winner's transaction commits: it sees no
    first response, decides, and only its insert of the key finds the winner's."""
    looked: list[bool] = []
    first_responses = bookings._first_responses

    def once_empty(*args: Any) -> dict[str, Any]:
        if not looked:
            looked.append(True)
            return {}
        return first_responses(*args)

    monkeypatch.setattr(bookings, "_first_responses", once_empty)


def test_a_retry_that_lost_the_race_replays_the_first_response(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = make_team(db)
    nine = monday() + timedelta(hours=9)
    first = book(team, nine, key="k1")
    assert isinstance(first, Booking)
    not_yet_stored(monkeypatch)
    assert book(team, nine, key="k1") == bookings.Replay(201, first.id)
    assert len(confirmed(team)) == 1


def test_another_body_that_lost_the_race_for_a_key_is_refused(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = make_team(db)
    nine = monday() + timedelta(hours=9)
    book(team, nine, key="k1")
    not_yet_stored(monkeypatch)
    with pytest.raises(Conflict) as refused:
        book(team, nine + timedelta(hours=1), key="k1", body="another body")
    assert refused.value.code == "idempotency_key_reused"
    assert refused.value.message == (
        "This Idempotency-Key was already used with another request body."
    )
    assert len(confirmed(team)) == 1


@pytest.mark.postgres
@pytest.mark.parametrize("key", [None, "k2"])
def test_a_double_booking_the_constraint_refuses_is_slot_unavailable(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch, key: str | None
) -> None:
    """The exclusion constraint is the last line: if the check ever read stale busy time,
    the insert is refused and the person hears the time was taken, with or without a key
    (a key that never got a response is no reason to replay)."""
    empty_postgres(postgres_url)
    db = Database(postgres_url)
    try:
        team = make_team(db)
        nine = monday() + timedelta(hours=9)
        load_snapshot = bookings.load_snapshot
        stale = []

        def before_the_winner(*args: Any, **kwargs: Any) -> Any:
            if not stale:
                stale.append(load_snapshot(*args, **kwargs))
            return stale[0]

        monkeypatch.setattr(bookings, "load_snapshot", before_the_winner)
        winner = book(team, nine, key="k1")
        with pytest.raises(engine.SlotUnavailable) as refused:
            book(team, nine, key=key)
        assert str(refused.value) == "That time was just taken; pick another."
        assert [b.id for b in confirmed(team)] == [winner.id]
    finally:
        db.dispose()


@pytest.mark.postgres
def test_a_meeting_the_constraint_refuses_is_slot_unavailable(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As for a booking: a meeting whose check read stale busy time is refused by the
    exclusion constraint, and the person hears the time was taken."""
    empty_postgres(postgres_url)
    db = Database(postgres_url)
    try:
        team = make_team(db)
        nine = monday() + timedelta(hours=9)
        request = meetings.MeetingRequest(
            title="Sync", host_ids=[team.ada], start=nine, end=nine + timedelta(minutes=30)
        )
        meetings.create_meeting(db, team.org_id, request, actor=SYSTEM)
        monkeypatch.setattr(meetings, "check_free", lambda *args, **kwargs: None)
        with pytest.raises(engine.SlotUnavailable) as refused:
            meetings.create_meeting(db, team.org_id, request, actor=SYSTEM)
        assert str(refused.value) == "That time was just taken; pick another."
    finally:
        db.dispose()
