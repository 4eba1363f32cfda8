"""Hub sessions: opened with a valid key, ended by signing out, by time, or by
revoking the key; the database keeps nothing a stolen copy could replay."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from rota.service import clock, hub_sessions, orgs
from rota.store.db import Database
from rota.store.tables import HubSession
from tests.databases import database_url, db, postgres_url
from tests.keys import revoke_key

__all__ = ["database_url", "db", "postgres_url"]


def _stop_clock(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(clock, "now", lambda: moment)


def test_a_valid_key_opens_a_session_of_its_organization(db: Database) -> None:
    key = orgs.create_key(db, "acme")
    session_id = hub_sessions.open_session(db, key, "Europe/Berlin")
    assert session_id is not None
    session = hub_sessions.lookup(db, session_id)
    assert session is not None
    assert session.org_id == orgs.find_org(db, "acme").id
    assert session.timezone == "Europe/Berlin"
    assert session.csrf_token and session.csrf_token != session_id
    # Each sign-in is a session of its own, with a CSRF token of its own.
    another = hub_sessions.open_session(db, key, "UTC")
    assert another is not None and another != session_id
    other = hub_sessions.lookup(db, another)
    assert other is not None and other.csrf_token != session.csrf_token


def test_a_wrong_or_revoked_key_opens_nothing(db: Database) -> None:
    key = orgs.create_key(db, "acme")
    revoke_key(db, key)
    for wrong in ("", "rota_wrong", key[:-1], key):
        assert hub_sessions.open_session(db, wrong, "UTC") is None
    with db.read() as session:
        assert session.scalars(select(HubSession)).all() == []


def test_the_database_keeps_only_a_hash_of_the_session_id(db: Database) -> None:
    session_id = hub_sessions.open_session(db, orgs.create_key(db, "acme"), "UTC")
    assert session_id is not None
    with db.read() as session:
        (row,) = session.scalars(select(HubSession))
    assert session_id not in {row.id_hash, row.csrf_token}
    assert hub_sessions.lookup(db, row.id_hash) is None
    for wrong in ("", session_id[:-1], session_id + "x"):
        assert hub_sessions.lookup(db, wrong) is None


def test_signing_out_ends_the_session_and_only_it(db: Database) -> None:
    key = orgs.create_key(db, "acme")
    mine, theirs = (hub_sessions.open_session(db, key, "UTC") for _ in range(2))
    assert mine is not None and theirs is not None
    hub_sessions.revoke(db, mine)
    assert hub_sessions.lookup(db, mine) is None
    assert hub_sessions.lookup(db, theirs) is not None
    hub_sessions.revoke(db, mine)  # signing out twice is harmless
    assert hub_sessions.lookup(db, mine) is None


def test_a_session_ends_twelve_hours_after_sign_in_however_busy(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    signed_in_at = clock.now()
    _stop_clock(monkeypatch, signed_in_at)
    session_id = hub_sessions.open_session(db, orgs.create_key(db, "acme"), "UTC")
    assert session_id is not None
    _stop_clock(monkeypatch, signed_in_at + hub_sessions.LIFETIME / 2)
    assert hub_sessions.lookup(db, session_id) is not None
    _stop_clock(monkeypatch, signed_in_at + hub_sessions.LIFETIME)
    assert hub_sessions.lookup(db, session_id) is None


def test_revoking_the_key_ends_the_sessions_opened_with_it(db: Database) -> None:
    old, new = orgs.create_key(db, "acme"), orgs.create_key(db, "acme")
    on_old = hub_sessions.open_session(db, old, "UTC")
    on_new = hub_sessions.open_session(db, new, "UTC")
    assert on_old is not None and on_new is not None
    revoke_key(db, old)
    assert hub_sessions.lookup(db, on_old) is None
    assert hub_sessions.lookup(db, on_new) is not None


def test_signing_in_sweeps_away_sessions_that_are_over(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = orgs.create_key(db, "acme")
    start = clock.now()
    _stop_clock(monkeypatch, start)
    hub_sessions.open_session(db, key, "UTC")
    _stop_clock(monkeypatch, start + hub_sessions.LIFETIME / 2)
    live = hub_sessions.open_session(db, key, "UTC")
    _stop_clock(monkeypatch, start + hub_sessions.LIFETIME)
    latest = hub_sessions.open_session(db, key, "UTC")
    assert live is not None and latest is not None
    with db.read() as session:
        kept = set(session.scalars(select(HubSession.id_hash)))
    assert kept == {orgs.hash_key(live), orgs.hash_key(latest)}
