"""Rate limits on the public pages and Hub sign-in, in memory and in Redis, and
shared by server processes through Redis."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import ExitStack

import httpx
import pytest
import redis
from fastapi.testclient import TestClient

from rota.api import create_app
from rota.service import orgs
from rota.serving import serve
from rota.web import rate_limits
from tests.services import unavailable
from tests.teams import Team

REDIS = "127.0.0.1", 6379


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A Redis database of this test worker's own, emptied."""
    try:
        socket.create_connection(REDIS, timeout=2).close()
    except OSError:
        unavailable("no Redis at 127.0.0.1:6379")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    url = f"redis://{REDIS[0]}:{REDIS[1]}/{1 + int(worker) % 15}"
    store = redis.Redis.from_url(url)
    store.flushdb()
    yield url
    store.flushdb()
    store.close()


def limited_client(database_url: str, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("ROTA_SECRET_KEY", "a secret for the rate limit tests")
    monkeypatch.setenv("ROTA_RATE_LIMIT_PAGES", "3/minute")
    monkeypatch.setenv("ROTA_RATE_LIMIT_BOOKING", "2/minute")
    monkeypatch.setenv("ROTA_RATE_LIMIT_SIGN_IN", "2/minute")
    return TestClient(create_app(database_url), raise_server_exceptions=False)


@pytest.mark.parametrize("store", ["memory", "redis"])
def test_a_public_page_past_its_limit_is_429_with_retry_after(
    store: str,
    database_url: str,
    team: Team,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    if store == "redis":
        monkeypatch.setenv("ROTA_REDIS_URL", request.getfixturevalue("redis_url"))
    with limited_client(database_url, monkeypatch) as client:
        for _ in range(3):
            assert client.get("/book/acme/intro").status_code == 200
        page = client.get("/book/acme/intro", headers={"Accept": "text/html"})
        assert page.status_code == 429
        assert 1 <= int(page.headers["retry-after"]) <= 60
        assert "Too many requests" in page.text and "try again in" in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]
        # A script gets the API's envelope; the manage pages count in the same limit.
        answer = client.get("/manage/some-token", headers={"Accept": "application/json"})
        assert answer.status_code == 429
        assert answer.json()["error"]["code"] == "rate_limited"
        assert answer.headers["retry-after"].isdigit()
        # Booking has its own limit; the API, the Hub and static files have none here.
        assert client.post("/book/acme/intro", data={}).status_code != 429
        key = orgs.create_key(team.db, "acme")
        for _ in range(5):
            assert client.get("/v1/hosts", headers={"Authorization": f"Bearer {key}"}).is_success
            assert client.get("/hub/login").status_code == 200
            assert client.get("/healthz").status_code == 200
    if store == "redis":
        assert redis.Redis.from_url(os.environ["ROTA_REDIS_URL"]).keys("rota*") != []


def test_posting_bookings_is_limited_apart_from_reading(
    database_url: str, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    with limited_client(database_url, monkeypatch) as client:
        for _ in range(2):
            assert client.post("/book/acme/intro", data={}).status_code != 429
        assert client.post("/manage/some-token/cancel", data={}).status_code == 429
        assert client.get("/book/acme/intro").status_code == 200


def test_signing_in_is_limited(
    database_url: str, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    with limited_client(database_url, monkeypatch) as client:
        for _ in range(2):
            assert client.post("/hub/login", data={"api_key": "guess"}).status_code != 429
        refused = client.post("/hub/login", data={"api_key": "guess"})
        assert refused.status_code == 429
        assert refused.headers["x-frame-options"] == "DENY"


def test_without_settings_the_limits_are_the_documented_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for variable, _ in rate_limits.DEFAULTS.values():
        monkeypatch.delenv(variable, raising=False)
    rules = rate_limits.limits_from_env()
    assert [str(item) for item in rules["pages"]] == ["120 per 1 minute"]
    assert [str(item) for item in rules["sign_in"]] == ["10 per 1 minute", "100 per 1 hour"]
    monkeypatch.setenv("ROTA_RATE_LIMIT_PAGES", "often")
    with pytest.raises(ValueError, match="ROTA_RATE_LIMIT_PAGES='often' is not a rate limit"):
        rate_limits.limits_from_env()


def test_a_redis_that_does_not_answer_lets_requests_through(
    database_url: str, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setenv("ROTA_REDIS_URL", f"redis://127.0.0.1:{port}/0")
    with limited_client(database_url, monkeypatch) as client:
        for _ in range(5):
            assert client.get("/book/acme/intro").status_code == 200


def _count_until_refused(bases: tuple[str, str], tries: int) -> int:
    """Ask the two processes in turn; how many answers came before the first 429."""
    with httpx.Client(timeout=30) as client:
        for index in range(tries):
            if client.get(f"{bases[index % 2]}/book/acme/intro").status_code == 429:
                return index
    return tries


@pytest.mark.parametrize("store", ["memory", "redis"])
def test_two_server_processes_share_the_limit_through_redis(
    store: str,
    database_url: str,
    team: Team,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    monkeypatch.setenv("ROTA_RATE_LIMIT_PAGES", "4/minute")
    if store == "redis":
        monkeypatch.setenv("ROTA_REDIS_URL", request.getfixturevalue("redis_url"))
    else:
        monkeypatch.delenv("ROTA_REDIS_URL", raising=False)
    with ExitStack() as stack:
        bases = (
            stack.enter_context(serve(database_url, workers=1)),
            stack.enter_context(serve(database_url, workers=1)),
        )
        answered = _count_until_refused(bases, tries=12)
    # In Redis the two processes count together; in memory each counts its own.
    assert answered == (4 if store == "redis" else 8)


def test_asking_for_sign_in_links_is_limited(
    database_url: str, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    with limited_client(database_url, monkeypatch) as client:
        for _ in range(2):
            asked = client.post("/hub/sign-in", data={"email": "a@example.com"})
            assert asked.status_code != 429
        assert client.post("/hub/sign-in", data={"email": "a@example.com"}).status_code == 429
        # The one limit counts links used too (a guessed token costs the same).
        assert client.post("/hub/sign-in/guess").status_code == 429
