from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from rota.api import create_app
from rota.service import orgs
from rota.store.db import Database
from tests.api.support import Api
from tests.databases import database_url, db, postgres_url

__all__ = ["database_url", "db", "postgres_url"]


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(database_url), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def api(client: TestClient, db: Database) -> Api:
    """The API as organization "acme"."""
    return Api(client, orgs.create_key(db, "acme"))


@pytest.fixture
def other_api(client: TestClient, db: Database) -> Api:
    """The API as another organization, "globex"."""
    return Api(client, orgs.create_key(db, "globex"))
