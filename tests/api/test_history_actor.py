"""Who made each change: the `actor` of every history entry (API.md, Bookings: more)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from rota.service import orgs
from rota.store.db import Database
from tests.api.support import Api, iso, monday


def key_actor(db: Database, api: Api) -> dict[str, Any]:
    """The key as the history names it: its id, and its first six characters after
    the `rota_` prefix, as the Hub and `rota keys` list it."""
    key = orgs.check_key(db, api.key)
    assert key is not None
    shown = api.key[: len(orgs.KEY_PREFIX) + 6]
    return {"kind": "api_key", "id": key.id, "name": f"API key {shown}…"}


def test_changes_made_with_an_api_key_name_the_key(api: Api, db: Database) -> None:
    ids = [api.host(name)["id"] for name in ("Ada", "Bob")]
    api.booking_type("rr", ids)
    booking = api.book("rr", monday() + timedelta(hours=10)).json()
    booking_id = booking["id"]
    moved = api.post(
        f"/v1/bookings/{booking_id}/reschedule", {"start": iso(monday() + timedelta(hours=11))}
    )
    assert moved.status_code == 200, moved.text
    assert api.post(f"/v1/bookings/{booking_id}/reassign", {}).status_code == 200
    assert api.post(f"/v1/bookings/{booking_id}/cancel", {}).status_code == 200
    history = api.get(f"/v1/bookings/{booking_id}").json()["history"]
    assert [h["action"] for h in history] == ["created", "rescheduled", "reassigned", "cancelled"]
    me = key_actor(db, api)
    assert [h["actor"] for h in history] == [me] * 4
    assert booking["history"][0]["actor"] == me


def test_another_key_of_the_organization_is_named_apart(
    api: Api, client: TestClient, db: Database
) -> None:
    ids = [api.host("Ada")["id"]]
    api.booking_type("solo", ids, host_mode="solo")
    booking_id = api.book("solo", monday() + timedelta(hours=10)).json()["id"]
    second = Api(client, orgs.create_key(db, "acme"))
    assert second.post(f"/v1/bookings/{booking_id}/cancel", {}).status_code == 200
    history = api.get(f"/v1/bookings/{booking_id}").json()["history"]
    assert [h["actor"] for h in history] == [key_actor(db, api), key_actor(db, second)]
    assert history[0]["actor"]["id"] != history[1]["actor"]["id"]


def test_the_attendee_is_the_actor_of_the_booking_and_manage_pages(
    api: Api, client: TestClient
) -> None:
    ids = [api.host("Ada")["id"]]
    api.booking_type("solo", ids, host_mode="solo")
    day = monday() + timedelta(days=1)
    slots = api.slots("solo", day, day + timedelta(days=1))
    booked = client.post(
        "/book/acme/solo",
        data={"start": slots[0]["start"], "tz": "UTC", "name": "Alan Turing", "email": "a@x.org"},
        follow_redirects=False,
    )
    assert booked.status_code == 303, booked.text
    token = booked.headers["location"].split("/")[2].split("?")[0]
    cancelled = client.post(f"/manage/{token}/cancel", data={"reason": "ill"})
    assert cancelled.status_code == 200
    [booking] = api.get("/v1/bookings").json()["bookings"]
    attendee = {"kind": "attendee", "id": None, "name": "Alan Turing"}
    assert [(h["action"], h["actor"]) for h in booking["history"]] == [
        ("created", attendee),
        ("cancelled", attendee),
    ]
