"""How rota opens its database. SQLite: foreign keys enforced, readers beside a writer
(write-ahead log), writers queued on the lock from their first statement. PostgreSQL:
a connection the server dropped (a restart, an idle timeout) is replaced unnoticed."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from rota.store.db import Database
from rota.store.tables import BookingHost
from tests.databases import migrated_sqlite, postgres_url

__all__ = ["postgres_url"]


def count_hosts(db: Database) -> int:
    with db.read() as session:
        return session.execute(text("SELECT count(*) FROM hosts")).scalar_one()


@pytest.fixture
def sqlite_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = Database(migrated_sqlite(tmp_path_factory))
    yield database
    database.dispose()


def test_sqlite_refuses_a_row_pointing_at_nothing(sqlite_db: Database) -> None:
    with pytest.raises(IntegrityError, match="FOREIGN KEY"), sqlite_db.write() as session:
        session.add(
            BookingHost(
                booking_id="bk_none",
                host_id="host_none",
                position=0,
                busy_start=datetime(2026, 12, 1, 9, tzinfo=UTC),
                busy_end=datetime(2026, 12, 1, 10, tzinfo=UTC),
                active=True,
            )
        )


def test_sqlite_keeps_a_write_ahead_log_and_a_write_holds_the_lock_from_its_start(
    sqlite_db: Database,
) -> None:
    with sqlite_db.read() as session:
        assert session.connection().exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    with sqlite_db.write() as writing:
        # The write holds the lock from BEGIN on, before it has read or written
        # anything, so two writes never both read and then deadlock on upgrading.
        writing.connection()
        other = sqlite_db.engine.raw_connection()
        try:
            other.execute("PRAGMA busy_timeout=0")
            with pytest.raises(Exception, match="database is locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()
        # A read takes no lock: it reads beside the write instead of queueing behind it.
        with ThreadPoolExecutor(1) as pool:
            assert pool.submit(count_hosts, sqlite_db).result(timeout=30) == 0


@pytest.mark.postgres
def test_a_connection_postgres_dropped_is_replaced(postgres_url: str) -> None:
    db = Database(postgres_url)
    with db.read() as session:
        session.execute(text("SELECT 1"))
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    admin.dispose()
    with db.read() as session:
        assert session.execute(text("SELECT now()")).scalar() <= datetime.now(UTC)
    db.dispose()


def test_the_database_is_rota_database_url_else_rota_db_in_the_working_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    chosen = f"sqlite:///{tmp_path / 'chosen.db'}"
    for setting, url in (
        (chosen, chosen),
        ("", "sqlite:///./rota.db"),
        (None, "sqlite:///./rota.db"),
    ):
        if setting is None:
            monkeypatch.delenv("ROTA_DATABASE_URL", raising=False)
        else:
            monkeypatch.setenv("ROTA_DATABASE_URL", setting)
        db = Database()
        assert db.url == url
        db.dispose()
