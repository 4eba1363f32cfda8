"""Databases for tests: a fresh SQLite file per test (a copy of one file migrated
once per test session), and one fresh PostgreSQL database per test session
(created in the server at ROTA_TEST_POSTGRES_URL, dropped at the end, emptied
between tests).

Use the ``database_url`` fixture: it is parametrized over both backends, so a
test written once runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from rota.store.db import Database
from rota.store.tables import Base
from tests.services import unavailable

POSTGRES_URL = os.environ.get(
    "ROTA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A migrated database of its own on the test PostgreSQL server, for this session."""
    admin_url = make_url(POSTGRES_URL)
    name = f"rota_test_{os.getpid()}_{secrets.token_hex(4)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:
        admin.dispose()
        unavailable(f"PostgreSQL at {admin_url.render_as_string()} is unreachable: {error}")
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    database = Database(url)
    database.upgrade()
    database.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def empty_postgres(url: str) -> None:
    engine = create_engine(url)
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@cache
def _sqlite_template(folder: Path) -> Path:
    """A SQLite file migrated in ``folder``, once per test session (each session, and each
    xdist worker, has a base folder of its own)."""
    path = folder / "template.db"
    database = Database(f"sqlite:///{path}")
    database.upgrade()
    database.dispose()
    # Closing the last connection folds the write-ahead log back into the file.
    assert not path.with_name(f"{path.name}-wal").exists()
    return path


def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The URL of a new, migrated SQLite database file: a copy of the session's template,
    which is far quicker than running the migrations again."""
    template = _sqlite_template(tmp_path_factory.getbasetemp())
    path = tmp_path_factory.mktemp("db") / "rota.db"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated, empty database on each backend in turn."""
    if request.param == "sqlite":
        return migrated_sqlite(tmp_path_factory)
    url: str = request.getfixturevalue("postgres_url")
    empty_postgres(url)
    return url


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()
