"""Revoking an API key in tests. rota has no use case for it yet (no CLI command, no
endpoint), so this sets the column that every key check and session lookup reads."""

from __future__ import annotations

from sqlalchemy import update

from rota.service import clock, orgs
from rota.store.db import Database
from rota.store.tables import ApiKey


def revoke_key(db: Database, key: str) -> None:
    with db.write() as session:
        session.execute(
            update(ApiKey)
            .where(ApiKey.key_hash == orgs.hash_key(key))
            .values(revoked_at=clock.now())
        )
