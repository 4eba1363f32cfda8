"""Security headers on every response (Hub error pages included) and manage tokens
kept out of the access log."""

from __future__ import annotations

import logging
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient

from rota.web.hardening import keep_tokens_out_of_access_log
from tests.teams import Team, monday


def hub_headers_are_set(headers: httpx.Headers) -> None:
    csp = headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp, csp
    assert "'unsafe-eval'" not in csp
    assert headers.get("x-frame-options") == "DENY"
    assert headers.get("x-content-type-options") == "nosniff"
    assert headers.get("cache-control") == "no-store"


def test_every_hub_response_carries_the_security_headers(
    client: TestClient, team: Team, hub: str
) -> None:
    for path, status in [
        ("/hub/bookings", 200),
        ("/hub/bookings/nope", 404),  # the Hub's own error page
        ("/hub/no-such-page", 404),  # no route at all
        ("/hub/bookings/%00", 422),  # refused before any route
    ]:
        response = client.get(path)
        assert response.status_code == status, path
        hub_headers_are_set(response.headers)
    hub_headers_are_set(client.post("/hub/sign-out", data={}).headers)


def test_a_signed_out_visit_gets_them_too(client: TestClient) -> None:
    response = client.get("/hub/bookings", follow_redirects=False)
    hub_headers_are_set(response.headers)
    hub_headers_are_set(client.get("/hub/sign-in").headers)


def test_booking_pages_may_be_framed_but_run_only_their_own_scripts(
    client: TestClient, team: Team
) -> None:
    for path in ("/book/acme/intro", "/book/acme/none", "/manage/nope"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"], path
        assert headers["content-security-policy"].endswith("; frame-ancestors *"), path
        assert "x-frame-options" not in headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] in ("same-origin", "no-referrer")


def test_api_answers_are_never_sniffed(client: TestClient) -> None:
    for path in ("/v1/hosts", "/healthz", "/nothing"):
        assert client.get(path).headers["x-content-type-options"] == "nosniff"


def test_manage_tokens_are_kept_out_of_the_access_log(
    client: TestClient, team: Team, caplog: pytest.LogCaptureFixture
) -> None:
    booking = team.book(monday() + timedelta(hours=9))
    token = booking.manage_token
    keep_tokens_out_of_access_log()
    access = logging.getLogger("uvicorn.access")
    with caplog.at_level(logging.INFO, logger="uvicorn.access"):
        # uvicorn's own access line: client, method, path, HTTP version, status.
        for path in (f"/manage/{token}", f"/manage/{token}/move?day=2026-12-01"):
            access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", path, "1.1", 200)
    assert len(caplog.records) == 2
    lines = [record.getMessage() for record in caplog.records]
    assert all(token not in line for line in lines), lines
    assert '"GET /manage/[token]/move?day=2026-12-01 HTTP/1.1" 200' in lines[1]
