"""Revoking the API key a test holds, through the same use case as `rota keys revoke`."""

from __future__ import annotations

from rota.service import orgs
from rota.store.db import Database
from rota.store.tables import Organization


def revoke_key(db: Database, key: str) -> None:
    valid = orgs.check_key(db, key)
    assert valid is not None, "the key is not valid to begin with"
    with db.read() as session:
        org = session.get_one(Organization, valid.org_id)
    orgs.revoke_key(db, org.slug, valid.id)
