"""Hostile input on both databases: no 5xx, nothing stored half-way, and every
refusal in API.md's shape (a 422's ``details`` maps dotted field paths to sentences)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from rota.api.guard import MAX_BODY_BYTES
from rota.store.tables import to_us
from tests.api.support import Api, assert_error, iso, monday

CONTROL = ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\ud800"]


def invalid(response: httpx.Response, *fields: str) -> dict[str, str]:
    """The response is a 422 ``invalid_request`` naming exactly ``fields``."""
    error = assert_error(response, 422, "invalid_request")["error"]
    details: dict[str, str] = error["details"]
    assert isinstance(details, dict) and all(isinstance(v, str) and v for v in details.values())
    if fields:
        assert set(details) == set(fields), details
    return details


def raw_json(api: Api, method: str, path: str, body: Any) -> httpx.Response:
    """``body`` as JSON exactly (lone surrogates included, which httpx would not send)."""
    content = json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    return api.request(method, path, content=content, headers=headers)


@pytest.fixture
def team(api: Api) -> dict[str, Any]:
    ada = api.host("Ada")
    booking_type = api.booking_type("call", [ada["id"]], host_mode="solo")
    return {"host": ada, "type": booking_type}


def test_a_body_over_a_mebibyte_is_413_before_anything_reads_it(
    api: Api, client: TestClient
) -> None:
    big = json.dumps({"name": "A" * MAX_BODY_BYTES, "email": "a@example.com", "timezone": "UTC"})
    for response in (
        api.post("/v1/hosts", content=big, headers={"Content-Type": "application/json"}),
        client.post("/v1/hosts", content=big),  # no key: still 413, the body is not read
        client.post("/hub/sign-in", content=big),
    ):
        assert_error(response, 413, "payload_too_large")
    assert api.get("/v1/hosts").json() == {"hosts": []}


def test_a_chunked_body_is_cut_off_at_the_limit(api: Api) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"name": "'
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b"A" * 65536
        yield b'"}'

    response = api.post("/v1/hosts", content=chunks(), headers={"Content-Type": "application/json"})
    assert_error(response, 413, "payload_too_large")


def test_a_body_just_under_the_limit_is_read(api: Api) -> None:
    body = {"name": "Ada", "email": "ada@example.com", "timezone": "UTC"}
    padded = json.dumps(body) + " " * (MAX_BODY_BYTES - len(json.dumps(body)))
    response = api.post("/v1/hosts", content=padded, headers={"Content-Type": "application/json"})
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("char", CONTROL)
def test_control_characters_in_one_line_fields_are_refused(api: Api, char: str) -> None:
    body = {"name": f"Ada{char}", "email": "ada@example.com", "timezone": "UTC"}
    invalid(raw_json(api, "POST", "/v1/hosts", body), "name")
    assert api.get("/v1/hosts").json() == {"hosts": []}


def test_newlines_are_refused_in_names_and_allowed_in_free_text(
    api: Api, team: dict[str, Any]
) -> None:
    host = {"name": "Ada\nLovelace", "email": "ada@example.com", "timezone": "UTC"}
    invalid(api.post("/v1/hosts", host), "name")
    start = monday() + timedelta(days=1, hours=10)
    booked = api.book("call", start).json()
    cancelled = api.post(f"/v1/bookings/{booked['id']}/cancel", {"reason": "Sorry,\n\till"})
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["history"][-1]["reason"] == "Sorry,\n\till"
    nul = api.post(f"/v1/bookings/{booked['id']}/cancel", {"reason": "a\x00b"})
    invalid(nul, "reason")


def test_nested_fields_are_named_by_their_dotted_path(api: Api, team: dict[str, Any]) -> None:
    start = iso(monday() + timedelta(days=1, hours=10))
    body = {
        "booking_type": "call",
        "start": start,
        "attendee": {"name": "G\x00", "email": "g@x.io"},
    }
    invalid(raw_json(api, "POST", "/v1/bookings", body), "attendee.name")
    keys = {"booking_type": "call", "start": start, "attendee": {"na\x00me": "G"}}
    invalid(raw_json(api, "POST", "/v1/bookings", keys), "attendee")
    assert api.get("/v1/bookings").json()["bookings"] == []


@pytest.mark.parametrize(
    "path",
    [
        "/v1/hosts/%00",
        "/v1/hosts/a%00b/time-off",
        "/v1/booking-types/call%00",
        "/v1/bookings/%01",
        "/book/call%00",
        "/manage/%00",
        "/hub/bookings/%00",
    ],
)
def test_control_characters_in_the_path_are_refused(api: Api, path: str) -> None:
    invalid(api.get(path), "path")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=%00", "status"),
        ("booking_type=a%00", "booking_type"),
        ("host_id=%1b", "host_id"),
        ("x%00=1", "query"),
    ],
)
def test_control_characters_in_the_query_are_refused(api: Api, query: str, field: str) -> None:
    invalid(api.get(f"/v1/bookings?{query}"), field)


def test_control_characters_in_forms_are_refused(client: TestClient, team: dict[str, Any]) -> None:
    response = client.post("/hub/sign-in", data={"key": "a\x00b"})
    invalid(response, "key")


def cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "crafted",
    [
        "!!!",
        cursor([10**30, "b_x"]),
        cursor([-(10**30), "b_x"]),
        cursor([-(10**17), "b_x"]),  # before year 1
        cursor([2**63, "b_x"]),
        cursor([0, "b_\x00"]),
        cursor([0, "x" * 1000]),
        cursor([1.5, "b_x"]),
        cursor([True, "b_x"]),
        cursor({"a": 1}),
        cursor([0]),
        cursor([0, 5]),
        cursor(["0", "b_x"]),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
)
def test_a_crafted_cursor_is_422(api: Api, crafted: str) -> None:
    invalid(api.get("/v1/bookings", params={"cursor": crafted}), "cursor")


@pytest.mark.parametrize(
    "crafted",
    [
        "!!!",
        cursor({"a": 1}),
        cursor([0]),
        cursor([0, 5]),
        cursor(["0", "b_x"]),
        cursor([0, "b" * 101]),
        cursor([0, "bk_\u00e9"]),
    ],
)
def test_a_cursor_of_another_shape_is_called_one_the_server_never_gave(
    api: Api, crafted: str
) -> None:
    response = api.get("/v1/bookings", params={"cursor": crafted})
    assert invalid(response, "cursor") == {"cursor": "invalid"}
    assert response.json()["error"]["message"] == "The cursor is not one this server gave."


@pytest.mark.parametrize(
    ("start", "booking_id"),
    [(datetime(1, 1, 2, tzinfo=UTC), "b" * 100), (datetime(9999, 12, 31, tzinfo=UTC), "bk_x")],
)
def test_a_cursor_at_the_edges_of_what_the_server_accepts_is_read(
    api: Api, start: datetime, booking_id: str
) -> None:
    crafted = cursor([to_us(start), booking_id])
    response = api.get("/v1/bookings", params={"cursor": crafted})
    assert response.status_code == 200, response.text


def test_a_cursor_the_server_gave_still_works(api: Api, team: dict[str, Any]) -> None:
    for day in range(1, 3):
        api.book("call", monday() + timedelta(days=day, hours=10))
    first = api.get("/v1/bookings", params={"limit": 1}).json()
    rest = api.get("/v1/bookings", params={"limit": 1, "cursor": first["next_cursor"]})
    assert rest.status_code == 200, rest.text
    assert rest.json()["bookings"][0]["id"] != first["bookings"][0]["id"]


def test_an_empty_idempotency_key_is_422(api: Api, team: dict[str, Any]) -> None:
    start = monday() + timedelta(days=1, hours=10)
    for key in ("", " "):
        response = api.book("call", start, headers={"Idempotency-Key": key})
        assert invalid(response, "Idempotency-Key")["Idempotency-Key"] == "must not be empty"
    assert api.get("/v1/bookings").json()["bookings"] == []


def test_one_instant_written_two_ways_is_the_same_request(api: Api, team: dict[str, Any]) -> None:
    start = iso(monday() + timedelta(days=1, hours=10))
    assert start.endswith("Z")
    headers = {"Idempotency-Key": "k1"}
    first = api.book("call", start, headers=headers)
    assert first.status_code == 201, first.text
    for same in (
        start.replace("Z", "+00:00"),
        start.replace("T10:", "T12:").replace("Z", "+02:00"),
    ):
        again = api.book("call", same, headers=headers)
        assert again.status_code == 201, again.text
        assert again.json()["id"] == first.json()["id"]
    assert len(api.get("/v1/bookings").json()["bookings"]) == 1


def test_a_body_nested_too_deeply_is_422(api: Api) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    response = api.post("/v1/hosts", content=deep, headers={"Content-Type": "application/json"})
    invalid(response, "body")


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"])
def test_extreme_dates_are_no_5xx(api: Api, team: dict[str, Any], moment: str) -> None:
    responses = [
        api.get("/v1/booking-types/call/slots", params={"start": moment, "end": moment}),
        api.get("/v1/bookings", params={"start": moment}),
        api.book("call", moment),
        api.post(f"/v1/hosts/{team['host']['id']}/time-off", {"start": moment, "end": moment}),
    ]
    for response in responses:
        assert response.status_code < 500, response.text
        if response.status_code == 422:
            invalid(response)
