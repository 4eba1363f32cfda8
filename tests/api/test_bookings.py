"""Booking, listing, idempotency, cancelling (API.md, Bookings)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from rota.store.db import Database
from rota.store.tables import (
    Booking,
    BookingHost,
    FairnessCredit,
    HistoryEntry,
    IdempotencyKey,
    OutboxMessage,
)
from tests.api.support import Api, assert_error, instant, iso, monday


def test_a_booking_goes_to_the_host_the_listing_showed(api: Api) -> None:
    a, b = api.host("Ada")["id"], api.host("Bob")["id"]
    api.booking_type("rr", [a, b])
    day = monday()
    shown = api.slots("rr", day, day + timedelta(days=1))[0]
    response = api.book("rr", shown["start"])
    assert response.status_code == 201, response.text
    booking = response.json()
    assert booking["booking_type"] == "rr"
    assert booking["status"] == "confirmed"
    assert booking["host_ids"] == shown["host_ids"]
    assert instant(booking["start"]) == instant(shown["start"])
    assert instant(booking["end"]) - instant(booking["start"]) == timedelta(minutes=30)
    assert booking["attendee"]["email"] == "grace@example.com"
    [created] = booking["history"]
    assert created["action"] == "created" and created["by"] == "auto"
    assert created["host_ids"] == shown["host_ids"] and created["reason"] is None
    assert api.get(f"/v1/bookings/{booking['id']}").json() == booking
    # The next slot listing already hands that time to the other host.
    again = api.slots("rr", day, day + timedelta(days=1))[0]
    assert again["start"] == shown["start"] and again["host_ids"] != shown["host_ids"]


def test_a_time_that_is_not_offered_is_slot_unavailable(api: Api) -> None:
    a = api.host("Ada")["id"]
    api.booking_type("call", [a], host_mode="solo", buffer_after_minutes=15)
    day = monday()
    assert api.book("call", day + timedelta(hours=10)).status_code == 201
    for start in (
        day + timedelta(hours=10),  # taken
        day + timedelta(hours=10, minutes=30),  # inside the buffer of the first
        day + timedelta(hours=3),  # outside working hours
        day + timedelta(hours=10, minutes=7),  # not on the slot grid
        day - timedelta(weeks=2),  # in the past
        day + timedelta(days=90),  # beyond the booking window
    ):
        assert_error(api.book("call", start), 409, "slot_unavailable")
    assert len(api.get("/v1/bookings").json()["bookings"]) == 1


def test_a_booking_blocks_its_hosts_for_other_types(api: Api) -> None:
    a, b = api.host("Ada")["id"], api.host("Bob")["id"]
    api.booking_type("solo", [a], host_mode="solo", buffer_before_minutes=30)
    api.booking_type("panel", [a, b], host_mode="collective")
    day = monday()
    assert api.book("solo", day + timedelta(hours=11)).status_code == 201
    starts = {instant(s["start"]) for s in api.slots("panel", day, day + timedelta(days=1))}
    assert day + timedelta(hours=11) not in starts
    assert day + timedelta(hours=10, minutes=30) not in starts  # the solo's buffer
    assert day + timedelta(hours=10) in starts


def test_idempotency_key_replays_the_first_response(api: Api) -> None:
    a = api.host("Ada")["id"]
    api.booking_type("call", [a], host_mode="solo")
    start = monday() + timedelta(hours=9)
    first = api.book("call", start, headers={"Idempotency-Key": "abc"})
    assert first.status_code == 201
    again = api.book("call", start, headers={"Idempotency-Key": "abc"})
    assert again.status_code == 201
    assert again.json() == first.json()
    other = api.book("call", start + timedelta(hours=1), headers={"Idempotency-Key": "abc"})
    assert_error(other, 409, "idempotency_key_reused")
    assert len(api.get("/v1/bookings").json()["bookings"]) == 1


def test_idempotency_keys_belong_to_one_organization(api: Api, other_api: Api) -> None:
    a, b = api.host("Ada")["id"], other_api.host("Bob")["id"]
    api.booking_type("call", [a], host_mode="solo")
    other_api.booking_type("call", [b], host_mode="solo")
    start = monday() + timedelta(hours=9)
    mine = api.book("call", start, headers={"Idempotency-Key": "same"}).json()
    theirs = other_api.book("call", start, headers={"Idempotency-Key": "same"}).json()
    assert mine["id"] != theirs["id"] and theirs["host_ids"] == [b]


def test_cancel_frees_the_time_and_cannot_happen_twice(api: Api) -> None:
    a = api.host("Ada")["id"]
    api.booking_type("call", [a], host_mode="solo")
    start = monday() + timedelta(hours=9)
    booking = api.book("call", start).json()
    asked = datetime.now(UTC)
    response = api.post(f"/v1/bookings/{booking['id']}/cancel", {"reason": "ill"})
    assert response.status_code == 200, response.text
    cancelled = response.json()
    assert cancelled["status"] == "cancelled"
    assert asked <= instant(cancelled["cancelled_at"]) <= datetime.now(UTC)
    assert cancelled["history"][-1]["action"] == "cancelled"
    assert cancelled["history"][-1]["reason"] == "ill"
    assert cancelled["history"][-1]["host_ids"] == [a]
    again = api.post(f"/v1/bookings/{booking['id']}/cancel", {})
    assert_error(again, 409, "booking_cancelled")
    assert again.json()["error"]["message"] == "The booking is already cancelled."
    assert api.book("call", start).status_code == 201


def test_bookings_are_listed_by_start_with_filters_and_a_cursor(api: Api) -> None:
    a, b = api.host("Ada")["id"], api.host("Bob")["id"]
    api.booking_type("rr", [a, b])
    api.booking_type("solo", [a], host_mode="solo")
    day = monday()
    made = [api.book("rr", day + timedelta(hours=h)).json() for h in (13, 9, 11, 10)]
    solo = api.book("solo", day + timedelta(days=1, hours=9)).json()
    api.post(f"/v1/bookings/{made[0]['id']}/cancel", {})

    listed = api.get("/v1/bookings").json()
    assert [x["start"] for x in listed["bookings"]] == sorted(
        [x["start"] for x in listed["bookings"]], key=instant
    )
    assert len(listed["bookings"]) == 5 and listed["next_cursor"] is None

    pages, cursor = [], None
    while True:
        params = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        page = api.get("/v1/bookings", params=params).json()
        pages.append([x["id"] for x in page["bookings"]])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [i for p in pages for i in p] == [x["id"] for x in listed["bookings"]]
    assert [len(p) for p in pages] == [2, 2, 1]

    def ids(**params: str) -> set[str]:
        response = api.get("/v1/bookings", params=params)
        assert response.status_code == 200, response.text
        return {x["id"] for x in response.json()["bookings"]}

    assert ids(booking_type="solo") == {solo["id"]}
    assert ids(status="cancelled") == {made[0]["id"]}
    held_by_a = {x["id"] for x in listed["bookings"] if a in x["host_ids"]}
    assert ids(host_id=a) == held_by_a
    window = {"start": iso(day + timedelta(hours=10)), "end": iso(day + timedelta(hours=13))}
    assert ids(**window) == {made[2]["id"], made[3]["id"]}
    assert ids(booking_type="rr", status="confirmed", host_id=b) == {
        x["id"] for x in made[1:] if b in api.get(f"/v1/bookings/{x['id']}").json()["host_ids"]
    }


def test_listing_refuses_bad_filters(api: Api) -> None:
    for params in (
        {"limit": "0"},
        {"limit": "1001"},
        {"limit": "ten"},
        {"status": "maybe"},
        {"cursor": "not-a-cursor"},
        {"start": "2026-12-01T09:00:00"},
    ):
        assert_error(api.get("/v1/bookings", params=params), 422, "invalid_request")
    assert_error(api.get("/v1/bookings", params={"booking_type": "nope"}), 404, "not_found")
    assert_error(api.get("/v1/bookings", params={"host_id": "nope"}), 404, "not_found")
    assert_error(api.get("/v1/bookings/nope"), 404, "not_found")


def test_booking_requests_are_validated(api: Api) -> None:
    a = api.host("Ada")["id"]
    api.booking_type("call", [a], host_mode="solo")
    start = iso(monday() + timedelta(hours=9))
    good = {
        "booking_type": "call",
        "start": start,
        "attendee": {"name": "G", "email": "g@example.com", "timezone": "Europe/Paris"},
    }
    bad_bodies = [
        {**good, "start": start.replace("Z", "")},
        {**good, "start": 1764000000},
        {**good, "attendee": {"name": "G", "email": "not-an-email"}},
        {**good, "attendee": {**good["attendee"], "timezone": "Europe/Atlantis"}},
        {**good, "booking_type": None},
        {"booking_type": "call"},
        [good],
    ]
    for body in bad_bodies:
        assert_error(api.post("/v1/bookings", body), 422, "invalid_request")
    assert_error(api.post("/v1/bookings", {**good, "booking_type": "nope"}), 404, "not_found")
    raw = api.post(
        "/v1/bookings", content=b'{"booking_type": ', headers={"Content-Type": "application/json"}
    )
    assert_error(raw, 422, "invalid_request")
    assert api.get("/v1/bookings").json()["bookings"] == []
    assert api.post("/v1/bookings", good).json()["attendee"]["timezone"] == "Europe/Paris"


def test_a_booking_whose_messages_cannot_be_queued_leaves_nothing_behind(
    api: Api, db: Database
) -> None:
    """The booking, its hosts, history, fairness credits, messages and idempotency key
    are written in one transaction: a failure at the last of them undoes them all."""
    a, b = api.host("Ada")["id"], api.host("Bob")["id"]
    api.booking_type("call", [a, b])
    start = monday() + timedelta(hours=10)

    def outbox_full(*_args: object) -> None:
        raise OperationalError("INSERT INTO outbox_messages", {}, Exception("disk full"))

    event.listen(OutboxMessage, "before_insert", outbox_full)
    try:
        failed = api.book("call", start, headers={"Idempotency-Key": "k1"})
    finally:
        event.remove(OutboxMessage, "before_insert", outbox_full)
    assert failed.status_code == 500
    assert api.get("/v1/bookings").json()["bookings"] == []
    shares = api.get("/v1/booking-types/call/distribution").json()["hosts"]
    assert [s["bookings"] for s in shares] == [0, 0]
    with db.read() as session:
        for table in (Booking, BookingHost, HistoryEntry, FairnessCredit, IdempotencyKey):
            assert session.scalar(select(func.count()).select_from(table)) == 0, table
    # The same request, sent again, is a first booking (nothing to replay), with its messages.
    booked = api.book("call", start, headers={"Idempotency-Key": "k1"})
    assert booked.status_code == 201, booked.text
    assert api.get(f"/v1/bookings/{booked.json()['id']}/messages").json()["messages"]
    shares = api.get("/v1/booking-types/call/distribution").json()["hosts"]
    assert sorted(s["bookings"] for s in shares) == [0, 1]
