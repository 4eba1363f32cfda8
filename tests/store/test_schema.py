"""The tables the migrations make are the tables the code maps: every column, type,
key, foreign key and index of `rota.store.tables` (and the assistant's plans) is in
the migrated database, and nothing else is, on SQLite and PostgreSQL. A change to
one without the other fails here, not on a user's first write."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import rota.store.assistant_plans  # noqa: F401  (maps its table into Base.metadata)
from rota.store.db import Database
from rota.store.tables import Base
from tests.databases import database_url, db, postgres_url

__all__ = ["database_url", "db", "postgres_url"]


def test_the_migrated_schema_is_the_mapped_one(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
