"""Fixtures of the page tests: a team on a fresh SQLite database, the app on it
through `TestClient`, and a Hub session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from rota.api import create_app
from rota.service import orgs
from rota.store.db import Database
from tests.teams import Team, make_team
from tests.web.pages import sign_in


@pytest.fixture
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'rota.db'}"
    database = Database(url)
    database.upgrade()
    database.dispose()
    return url


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def team(db: Database) -> Team:
    return make_team(db)


@pytest.fixture
def client(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("ROTA_SECRET_KEY", "a secret for the page tests")
    with TestClient(create_app(database_url), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def hub(client: TestClient, team: Team) -> str:
    """Signs `client` in to the Hub as the team's organization; the CSRF token."""
    return sign_in(client, orgs.create_key(team.db, "acme"))
