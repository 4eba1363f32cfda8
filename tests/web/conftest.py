"""Fixtures of the page tests: a team on a fresh SQLite database, the app on it
through `TestClient` or served over HTTP, a Hub session, and a browser tab."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, sync_playwright

from rota.api import create_app
from rota.service import orgs
from rota.store.db import Database
from tests.databases import migrated_sqlite
from tests.services import unavailable
from tests.teams import Team, make_team
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, serve
from tests.web.pages import sign_in


@pytest.fixture
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return migrated_sqlite(tmp_path_factory)


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


@pytest.fixture
def live_server(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app served over HTTP on a free port; its base URL."""
    monkeypatch.setenv("ROTA_SECRET_KEY", "a secret for the browser tests")
    with serve(database_url) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser tab (a visitor in New York); its last page is saved as a
    screenshot under test-output/screenshots/ when the test ends."""
    context = chromium.new_context(
        timezone_id="America/New_York", locale="en-US", viewport={"width": 1280, "height": 900}
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    folder = request.config.rootpath / "test-output" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=folder / f"{request.node.name}.png", full_page=True)
    context.close()
