"""Webhooks and a booking's messages are listed in the order they were made, whatever
order their ids sort in. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from tests.api.support import Api, iso, monday


def test_webhooks_are_listed_in_the_order_they_were_made(api: Api) -> None:
    made: list[str] = []
    while len(made) < 3 or made == sorted(made):  # ids that do not sort like the order made
        url = f"https://hooks.example.com/{len(made)}"
        response = api.post("/v1/webhooks", {"url": url, "events": ["booking.created"]})
        assert response.status_code == 201, response.text
        made.append(response.json()["id"])
        assert len(made) < 30
    assert [w["id"] for w in api.get("/v1/webhooks").json()["webhooks"]] == made


def test_a_bookings_messages_are_listed_in_the_order_they_were_made(api: Api) -> None:
    api.booking_type("solo", [api.host("Ada")["id"]], host_mode="solo")
    start = monday() + timedelta(hours=9)
    booking_id = api.book("solo", start).json()["id"]
    for hours in range(1, 7):
        moved = api.post(
            f"/v1/bookings/{booking_id}/reschedule", {"start": iso(start + timedelta(hours=hours))}
        )
        assert moved.status_code == 200, moved.text
    messages = api.get(f"/v1/bookings/{booking_id}/messages").json()["messages"]
    made = [m["created_at"] for m in messages]
    assert made == sorted(made) and len(set(made)) == 7
    to_guest = [
        m["sequence"] for m in messages if m["kind"] == "email" and m["to"] == "grace@example.com"
    ]
    assert to_guest == list(range(7))
