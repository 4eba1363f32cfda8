"""Operations (API.md): health, readiness, metrics, and an OpenAPI page that needs
no other site."""

from __future__ import annotations

import json
import logging
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from rota.api import create_app
from rota.store.db import Database
from tests.api.support import Api, monday


def test_healthz_answers_while_the_process_runs(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ok_on_a_migrated_database(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ok"}


def test_readyz_is_503_when_migrations_are_behind(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'behind.db'}"
    db = Database(url)
    db.upgrade()
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    db.dispose()
    with TestClient(create_app(url), raise_server_exceptions=False) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "not migrated"


def test_readyz_is_503_when_the_database_does_not_answer() -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2"
    with TestClient(create_app(url), raise_server_exceptions=False) as client:
        assert client.get("/healthz").status_code == 200
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def sample(metrics: str, name: str, labels: str = "") -> float:
    pattern = rf"^{re.escape(name)}{re.escape(labels)} (\S+)$"
    found = re.search(pattern, metrics, re.MULTILINE)
    assert found, f"{name}{labels} not in the metrics"
    return float(found.group(1))


def test_metrics_count_requests_bookings_and_the_outbox(api: Api, client: TestClient) -> None:
    before = sample(client.get("/metrics").text, "rota_bookings_made_total")
    ada = api.host("Ada")
    api.booking_type("call", [ada["id"]], host_mode="solo")
    booked = api.book("call", monday() + timedelta(days=1, hours=10))
    assert booked.status_code == 201, booked.text
    api.get(f"/v1/bookings/{booked.json()['id']}")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    body = response.text
    assert sample(body, "rota_bookings_made_total") == before + 1
    route = '{method="GET",route="/v1/bookings/{booking_id}",status="200"}'
    assert sample(body, "rota_http_request_duration_seconds_count", route) >= 1
    assert sample(body, "rota_outbox_backlog") >= 1  # the invitations of the booking
    assert sample(body, "rota_outbox_oldest_pending_age_seconds") >= 0
    assert sample(body, "rota_calendars_failing") == 0
    assert "rota_calendar_sync_failures_total" in body


class Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]


def test_the_openapi_page_loads_nothing_from_another_site(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    parser = Assets()
    parser.feed(page.text)
    assert parser.urls, "the page names its assets"
    for url in parser.urls:
        assert url.startswith(("/", "data:")) and not url.startswith("//"), url
        if url.startswith("/"):
            assert client.get(url).status_code == 200, url
    assert not re.search(r"https?://|//cdn|jsdelivr|unpkg", page.text)
    assert client.get("/redoc").status_code == 404


def test_requests_are_logged_as_json_lines_without_ids_or_tokens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite:///{tmp_path / 'rota.db'}"
    Database(url).upgrade()
    monkeypatch.setenv("ROTA_LOG_FORMAT", "json")
    with (
        TestClient(create_app(url), raise_server_exceptions=False) as client,
        caplog.at_level(logging.INFO, logger="rota.requests"),
    ):
        client.get("/healthz")
        client.get("/manage/a-secret-manage-token")
        client.get("/v1/hosts/host_123")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "rota.requests"]
    assert [(x["method"], x["route"], x["status"]) for x in lines] == [
        ("GET", "/healthz", 200),
        ("GET", "/manage/{token}", 404),
        ("GET", "/v1/hosts/{host_id}", 401),
    ]
    assert all(x["ms"] >= 0 and x["at"].endswith("+00:00") for x in lines)
    assert "a-secret-manage-token" not in caplog.text and "host_123" not in caplog.text


def test_without_the_setting_no_request_is_logged_as_json(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="rota.requests"):
        client.get("/healthz")
    assert not [r for r in caplog.records if r.name == "rota.requests"]
