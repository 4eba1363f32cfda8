"""Alembic environment: migrates the engine handed over by `rota.store.migrate`.

SQLite changes a column's constraints by copying its table (batch mode), and a
table others refer to can only be dropped and replaced with foreign keys off.
So on SQLite the migrations run with them off (set on the driver's connection
before any transaction, where SQLite honours it), every reference is checked
before the commit, and they are on again afterwards: SQLite's own procedure for
such changes (https://www.sqlite.org/lang_altertable.html, "Making Other Kinds
Of Table Schema Changes").
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from alembic import context
from alembic.runtime.migration import MigrationContext, MigrationInfo
from sqlalchemy import Connection, Engine, create_engine

from rota.store.db import database_url_from_env
from rota.store.tables import Base

config = context.config
engine: Engine = config.attributes.get("engine") or create_engine(database_url_from_env())


def _foreign_keys(connection: Connection, on: bool) -> None:
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def _check_references(
    ctx: MigrationContext, step: MigrationInfo, heads: Collection[Any], run_args: Mapping[str, Any]
) -> None:
    assert ctx.connection is not None
    broken = ctx.connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"a migration left references to missing rows: {broken[:5]}")


with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        _foreign_keys(connection, on=False)
    try:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=sqlite,
            transaction_per_migration=True,
            on_version_apply=_check_references if sqlite else None,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
    finally:
        if sqlite:
            connection.rollback()
            _foreign_keys(connection, on=True)
