"""Alembic environment: migrates the engine handed over by `rota.store.migrate`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine, create_engine

from rota.store.db import database_url_from_env
from rota.store.tables import Base

config = context.config
engine: Engine = config.attributes.get("engine") or create_engine(database_url_from_env())

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
