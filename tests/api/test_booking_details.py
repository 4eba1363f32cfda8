"""What a booking says beyond its time (API.md, Booking types: more fields; Bookings:
more): description, location and on_host_decline of a type, the attendee's notes,
the manage link and the participants; and the invitations carrying them."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from rota.store.db import Database
from rota.store.tables import OutboxMessage
from tests.api.support import Api, assert_error, monday

VIDEO = {"kind": "video", "value": "https://meet.example.com/abc-def"}


def invitations(db: Database, booking_id: str) -> list[dict[str, Any]]:
    with db.read() as session:
        rows = session.scalars(
            select(OutboxMessage.payload).where(
                OutboxMessage.booking_id == booking_id, OutboxMessage.kind == "email"
            )
        )
        return [json.loads(payload) for payload in rows]


def test_a_type_keeps_its_description_location_and_decline_rule(api: Api) -> None:
    ada = api.host("Ada")["id"]
    created = api.booking_type(
        "intro",
        [ada],
        host_mode="solo",
        description="Half an hour to meet.\nBring questions.",
        location=VIDEO,
        on_host_decline="keep",
    )
    assert created["description"] == "Half an hour to meet.\nBring questions."
    assert created["location"] == VIDEO
    assert created["on_host_decline"] == "keep"
    patched = api.patch("/v1/booking-types/intro", {"location": None}).json()
    assert patched["location"] is None and patched["description"] == created["description"]
    patched = api.patch(
        "/v1/booking-types/intro", {"location": {"kind": "phone", "value": "+44 20 7946 0000"}}
    ).json()
    assert patched["location"] == {"kind": "phone", "value": "+44 20 7946 0000"}
    defaults = api.booking_type("other", [ada], host_mode="solo")
    assert (defaults["description"], defaults["location"], defaults["on_host_decline"]) == (
        None,
        None,
        "reassign",
    )


@pytest.mark.parametrize(
    ("location", "field"),
    [
        ({"kind": "video", "value": "not a link"}, "location"),
        ({"kind": "teleport", "value": "x"}, "location.kind"),
        ({"kind": "phone", "value": ""}, "location.value"),
    ],
)
def test_a_bad_location_is_a_422(api: Api, location: dict[str, str], field: str) -> None:
    ada = api.host("Ada")["id"]
    body = {
        "slug": "intro",
        "title": "Intro",
        "duration_minutes": 30,
        "host_mode": "solo",
        "hosts": [{"host_id": ada}],
        "location": location,
    }
    error = assert_error(api.post("/v1/booking-types", body), 422, "invalid_request")
    assert any(key.startswith(field) for key in error["error"]["details"])
    assert api.get("/v1/booking-types").json()["booking_types"] == []


def test_a_booking_shows_notes_location_manage_link_and_participants(
    api: Api, db: Database
) -> None:
    ada = api.host("Ada")["id"]
    api.booking_type("intro", [ada], host_mode="solo", description="Meet us.", location=VIDEO)
    body = {
        "booking_type": "intro",
        "start": (monday() + timedelta(hours=9)).isoformat(),
        "attendee": {"name": "Grace Hopper", "email": "grace@example.com"},
        "notes": "About the compiler.\nAnd COBOL.",
    }
    response = api.post("/v1/bookings", body)
    assert response.status_code == 201, response.text
    booking = response.json()
    assert booking["notes"] == "About the compiler.\nAnd COBOL."
    assert booking["location"] == VIDEO
    assert booking["manage_url"].startswith("http://testserver/manage/")
    assert booking["participants"] == [
        {"email": "ada@example.com", "name": "Ada", "role": "host", "response": "needs_action"},
        {
            "email": "grace@example.com",
            "name": "Grace Hopper",
            "role": "attendee",
            "response": "needs_action",
        },
    ]
    assert api.get(f"/v1/bookings/{booking['id']}").json() == booking
    [listed] = api.get("/v1/bookings").json()["bookings"]
    assert listed == booking
    sent = {e["recipient"]["role"]: e for e in invitations(db, booking["id"])}
    assert sent["attendee"]["recipient"]["link"] == booking["manage_url"]
    assert sent["host"]["recipient"]["link"].endswith(f"/hub/bookings/{booking['id']}")
    meeting = sent["attendee"]["meeting"]
    assert meeting["location"] == VIDEO["value"] and meeting["url"] == VIDEO["value"]
    assert "Meet us." in meeting["description"] and "About the compiler." in meeting["description"]


def test_the_manage_link_is_built_on_rota_public_url(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROTA_PUBLIC_URL", "https://book.example.com/")
    ada = api.host("Ada")["id"]
    api.booking_type("intro", [ada], host_mode="solo")
    booking = api.book("intro", monday() + timedelta(hours=9)).json()
    assert booking["manage_url"].startswith("https://book.example.com/manage/")


def test_the_manage_link_is_the_servers_own_address_not_the_host_header(
    client: TestClient, api: Api
) -> None:
    ada = api.host("Ada")["id"]
    api.booking_type("intro", [ada], host_mode="solo")
    response = api.book("intro", monday() + timedelta(hours=9), headers={"Host": "evil.example"})
    assert response.status_code == 201, response.text
    assert "evil.example" not in response.json()["manage_url"]
