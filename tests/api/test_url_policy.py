"""URLs given to the server (webhooks, calendars) must be http(s) to a public address."""

from __future__ import annotations

import pytest

from rota import outbound
from tests.api.support import Api, assert_error

REFUSED = [
    "http://127.0.0.1:9/hooks",
    "http://localhost/hooks",
    "http://[::1]/hooks",
    "http://10.0.0.7/hooks",
    "http://169.254.169.254/latest/meta-data/",
    "http://2130706433/hooks",
    "http://0177.0.0.1/hooks",
]


@pytest.fixture(autouse=True)
def no_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(outbound.ALLOW_PRIVATE_ENV, raising=False)


@pytest.mark.parametrize("url", REFUSED)
def test_a_webhook_to_a_private_address_is_refused(api: Api, url: str) -> None:
    response = api.post("/v1/webhooks", {"url": url, "events": ["booking.created"]})
    error = assert_error(response, 422, "url_not_allowed")["error"]
    assert set(error["details"]) == {"url"}
    assert api.get("/v1/webhooks").json() == {"webhooks": []}


@pytest.mark.parametrize("url", REFUSED[:3])
def test_a_calendar_at_a_private_address_is_refused(api: Api, url: str) -> None:
    host = api.host("Ada")["id"]
    for body in (
        {"kind": "ics", "url": url.replace("http://", "webcal://")},
        {"kind": "caldav", "url": url, "username": "ada", "password": "pw"},
    ):
        response = api.request("PUT", f"/v1/hosts/{host}/calendar", json=body)
        assert_error(response, 422, "url_not_allowed")
    assert_error(api.get(f"/v1/hosts/{host}/calendar"), 404, "not_found")


def test_public_urls_and_names_that_do_not_resolve_yet_are_accepted(api: Api) -> None:
    created = api.post(
        "/v1/webhooks", {"url": "https://hooks.example/x", "events": ["booking.created"]}
    )
    assert created.status_code == 201, created.text
    host = api.host("Ada")["id"]
    body = {"kind": "ics", "url": "https://calendar.example/ada.ics"}
    assert api.request("PUT", f"/v1/hosts/{host}/calendar", json=body).status_code == 200


def test_the_switch_allows_private_addresses(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(outbound.ALLOW_PRIVATE_ENV, "1")
    created = api.post("/v1/webhooks", {"url": REFUSED[0], "events": ["booking.created"]})
    assert created.status_code == 201, created.text


@pytest.mark.parametrize("url", ["ftp://hooks.example/x", "https:///x", "hooks.example/x"])
def test_a_webhook_needs_an_http_url_with_a_host(api: Api, url: str) -> None:
    response = api.post("/v1/webhooks", {"url": url, "events": ["booking.created"]})
    error = assert_error(response, 422, "invalid_request")["error"]
    assert "http:// or https://" in error["details"]["url"]
    assert api.get("/v1/webhooks").json() == {"webhooks": []}
