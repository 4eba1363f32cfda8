"""Booking Hub sessions, kept in the database so that the server can end them.

Signing in with an API key opens a session. Its random id travels in the Hub's
cookie; the table keeps only its SHA-256, the plain hash of API keys and for the
same reason (256 random bits leave nothing to brute-force), so a copy of the
table opens no session. A session counts until it is revoked (signed out), it
expires (`LIFETIME` after sign-in, however busy: a stolen cookie is worth that
long at most), or the API key it was opened with is revoked. `lookup` checks all
of that in one query, the only one the Hub adds to a request.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from rota.service import clock, orgs
from rota.store.db import Database
from rota.store.tables import ApiKey, HubSession

LIFETIME = timedelta(hours=12)


def open_session(db: Database, api_key: str, timezone: str) -> str | None:
    """A new session for the organization of `api_key`, showing times in `timezone`:
    its id, for the cookie only. None when the key is not valid or is revoked."""
    key = orgs.check_key(db, api_key)
    if key is None:
        return None
    with db.write() as session:
        return add_session(session, key.org_id, timezone, api_key_id=key.id)


def add_session(
    session: Session,
    org_id: str,
    timezone: str,
    *,
    api_key_id: str | None = None,
    user_id: str | None = None,
) -> str:
    """Open a session, in `session`'s transaction, for an API key or a user; its id."""
    session_id = secrets.token_urlsafe(32)
    now = clock.now()
    # Sweeping the sessions that are over here, rather than in a periodic job, keeps
    # the table to the last `LIFETIME` of sign-ins at the cost of one indexed delete
    # per sign-in.
    session.execute(delete(HubSession).where(HubSession.expires_at <= now))
    session.add(
        HubSession(
            id_hash=orgs.hash_key(session_id),
            org_id=org_id,
            api_key_id=api_key_id,
            user_id=user_id,
            csrf_token=secrets.token_urlsafe(32),
            timezone=timezone,
            created_at=now,
            expires_at=now + LIFETIME,
        )
    )
    return session_id


def lookup(db: Database, session_id: str) -> HubSession | None:
    """The session `session_id` if it still counts, else None."""
    now = clock.now()
    with db.read() as session:
        return session.scalar(
            select(HubSession)
            .outerjoin(ApiKey, ApiKey.id == HubSession.api_key_id)
            .where(
                HubSession.id_hash == orgs.hash_key(session_id),
                HubSession.revoked_at.is_(None),
                HubSession.expires_at > now,
                or_(HubSession.api_key_id.is_(None), ApiKey.revoked_at.is_(None)),
            )
        )


def revoke(db: Database, session_id: str) -> None:
    """End the session `session_id` (signing out), whoever holds a copy of its cookie."""
    with db.write() as session:
        session.execute(
            update(HubSession)
            .where(HubSession.id_hash == orgs.hash_key(session_id), HubSession.revoked_at.is_(None))
            .values(revoked_at=clock.now())
        )
