"""Moving a booking to another time in place (API.md, Reschedule)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from rota.store.db import Database
from rota.store.tables import OutboxMessage
from tests.api.support import Api, assert_error, instant, iso, monday


def team(api: Api, n: int = 3, **fields: Any) -> list[str]:
    ids = [api.host(name)["id"] for name in ("Ada", "Bob", "Cy", "Dee")[:n]]
    api.booking_type("rr", ids, **fields)
    return ids


def reschedule(api: Api, booking_id: str, start: Any, **body: Any) -> Any:
    return api.post(f"/v1/bookings/{booking_id}/reschedule", {"start": iso(start), **body})


def busy(api: Api, host_id: str, start: Any, hours: int = 1) -> None:
    response = api.post(
        f"/v1/hosts/{host_id}/busy",
        {"start": iso(start), "end": iso(start + timedelta(hours=hours))},
    )
    assert response.status_code == 201, response.text


def emails(db: Database, booking_id: str) -> list[dict[str, Any]]:
    with db.read() as session:
        rows = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.booking_id == booking_id, OutboxMessage.kind == "email")
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
        )
        return [json.loads(row.payload) for row in rows]


def test_the_same_booking_moves_with_its_host_its_link_and_a_higher_sequence(
    api: Api, db: Database
) -> None:
    team(api)
    old = monday() + timedelta(hours=9)
    booking = api.book("rr", old).json()
    new = old + timedelta(days=1, hours=2)
    response = reschedule(api, booking["id"], new, reason="clash")
    assert response.status_code == 200, response.text
    moved = response.json()
    assert moved["id"] == booking["id"]
    assert moved["manage_url"] == booking["manage_url"]
    assert moved["host_ids"] == booking["host_ids"]
    assert instant(moved["start"]) == new
    assert instant(moved["end"]) == new + timedelta(minutes=30)
    entry = moved["history"][-1]
    assert entry["action"] == "rescheduled"
    assert instant(entry["from_start"]) == old and instant(entry["start"]) == new
    assert entry["host_ids"] == booking["host_ids"] and entry["reason"] == "clash"
    assert entry["by"] == "manual"
    assert api.get(f"/v1/bookings/{booking['id']}").json() == moved
    assert len(api.get("/v1/bookings").json()["bookings"]) == 1
    # The old time is free again, the new one taken: a host is free at 9:00 once more.
    [slot] = [
        s for s in api.slots("rr", old, old + timedelta(minutes=1)) if instant(s["start"]) == old
    ]
    assert slot["host_ids"]
    sent = emails(db, booking["id"])
    updates = [e for e in sent if e["sequence"] == 1]
    [host] = booking["host_ids"]
    host_email = api.get(f"/v1/hosts/{host}").json()["email"]
    assert sorted(e["to"] for e in updates) == sorted(["grace@example.com", host_email])
    assert all(e["method"] == "REQUEST" for e in updates)
    assert all(e["meeting"]["uid"] == f"{booking['id']}@rota" for e in updates)
    assert all(e["subject"].startswith("Rescheduled:") for e in updates)


def test_its_own_time_does_not_block_a_move_by_a_quarter_hour(api: Api) -> None:
    ada = api.host("Ada")["id"]
    api.booking_type("solo", [ada], host_mode="solo", slot_interval_minutes=15)
    start = monday() + timedelta(hours=9)
    booking = api.book("solo", start).json()
    response = reschedule(api, booking["id"], start + timedelta(minutes=15))
    assert response.status_code == 200, response.text
    assert response.json()["host_ids"] == [ada]


def test_a_busy_rotating_host_hands_over_to_the_next_fair_host_as_a_reassign(
    api: Api, db: Database
) -> None:
    team(api, fairness_window_days=30)
    start = monday() + timedelta(hours=9)
    booking = api.book("rr", start).json()
    [before] = booking["host_ids"]
    new = start + timedelta(days=1)
    busy(api, before, new)
    response = reschedule(api, booking["id"], new)
    assert response.status_code == 200, response.text
    moved = response.json()
    [after] = moved["host_ids"]
    assert after != before
    assert moved["history"][-1]["from_host_ids"] == [before]
    shares = {h["host_id"]: h for h in api.get("/v1/booking-types/rr/distribution").json()["hosts"]}
    # The count moved; the credits stayed where they were earned.
    assert shares[after]["bookings"] == 1 and shares[before]["bookings"] == 0
    assert all(abs(h["expected"] - 1 / 3) < 1e-6 for h in shares.values())
    sent = [e for e in emails(db, booking["id"]) if e["sequence"] == 1]
    cancels = [e for e in sent if e["method"] == "CANCEL"]
    assert [e["recipient"]["name"] for e in cancels] == [
        api.get(f"/v1/hosts/{before}").json()["name"]
    ]
    assert {e["recipient"]["name"] for e in sent if e["method"] == "REQUEST"} == {
        "Grace Hopper",
        api.get(f"/v1/hosts/{after}").json()["name"],
    }


def test_nobody_free_then_is_a_409_and_nothing_changes(api: Api) -> None:
    ids = team(api, n=2)
    start = monday() + timedelta(hours=9)
    booking = api.book("rr", start).json()
    new = start + timedelta(days=1)
    for host_id in ids:
        busy(api, host_id, new)
    assert_error(reschedule(api, booking["id"], new), 409, "slot_unavailable")
    assert_error(reschedule(api, booking["id"], start.replace(hour=3)), 409, "slot_unavailable")
    assert api.get(f"/v1/bookings/{booking['id']}").json() == booking


def test_collective_needs_everyone_free(api: Api) -> None:
    ids = [api.host(n)["id"] for n in ("Ada", "Bob")]
    api.booking_type("all", ids, host_mode="collective")
    start = monday() + timedelta(hours=9)
    booking = api.book("all", start).json()
    new = start + timedelta(days=1)
    busy(api, ids[1], new)
    assert_error(reschedule(api, booking["id"], new), 409, "slot_unavailable")
    response = reschedule(api, booking["id"], new + timedelta(hours=2))
    assert response.status_code == 200, response.text
    assert response.json()["host_ids"] == ids


def test_a_time_taken_by_another_booking_of_the_host_is_refused(api: Api) -> None:
    ada = api.host("Ada")["id"]
    api.booking_type("solo", [ada], host_mode="solo")
    start = monday() + timedelta(hours=9)
    first = api.book("solo", start).json()
    second = api.book("solo", start + timedelta(hours=1)).json()
    assert_error(reschedule(api, second["id"], start), 409, "slot_unavailable")
    assert_error(
        reschedule(api, first["id"], start + timedelta(minutes=45)), 409, "slot_unavailable"
    )


def test_cancelled_unknown_and_bad_bodies(api: Api, other_api: Api) -> None:
    team(api)
    start = monday() + timedelta(hours=9)
    booking = api.book("rr", start).json()
    assert_error(reschedule(other_api, booking["id"], start), 404, "not_found")
    assert_error(reschedule(api, "bk_nope", start), 404, "not_found")
    bad = api.post(f"/v1/bookings/{booking['id']}/reschedule", {"start": "2026-12-01T10:00:00"})
    assert_error(bad, 422, "invalid_request")
    api.post(f"/v1/bookings/{booking['id']}/cancel", {})
    cancelled = reschedule(api, booking["id"], start + timedelta(hours=1))
    assert assert_error(cancelled, 409, "booking_cancelled")["error"]["message"] == (
        "The booking is cancelled."
    )
