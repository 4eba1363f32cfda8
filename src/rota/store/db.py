"""Connecting to the database and running one transaction at a time.

`Database.write()` is the transaction of a use case that changes something. On
SQLite it starts with ``BEGIN IMMEDIATE``: the write lock is taken before the
use case reads, so what it read (a free slot) is still true when it writes.
pysqlite would otherwise open transactions lazily and on its own terms, so the
connection is put in autocommit mode and SQLAlchemy's ``begin`` event emits
the ``BEGIN`` (the recipe of SQLAlchemy's SQLite dialect documentation). On
PostgreSQL, writes lock the hosts they touch instead (see `locking`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.orm import Session, sessionmaker

from rota.store.busy_cache import BusyCache

DEFAULT_DATABASE_URL = "sqlite:///./rota.db"
_WRITE = "rota_write"


def database_url_from_env() -> str:
    return os.environ.get("ROTA_DATABASE_URL") or DEFAULT_DATABASE_URL


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
    # Writers queue on the database lock rather than failing at once.
    engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=60000")
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "memory":
        # WAL lets readers list slots while a booking is being written.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    mode = "IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "DEFERRED"
    conn.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """One database: its engine and the transactions of the use cases."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or database_url_from_env()
        self.engine = make_engine(self.url)
        self.busy_cache = BusyCache()
        """Busy time kept between slot listings (`rota.store.busy_cache`)."""
        self._reads = sessionmaker(self.engine, expire_on_commit=False)
        self._writes = sessionmaker(
            self.engine.execution_options(**{_WRITE: True}), expire_on_commit=False
        )

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A transaction that only reads (rolled back at the end)."""
        with self._reads() as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits when the block ends and rolls back if it raises."""
        with self._writes() as session, session.begin():
            yield session

    def upgrade(self) -> None:
        """Apply every migration not yet applied."""
        from rota.store.migrate import upgrade

        upgrade(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
