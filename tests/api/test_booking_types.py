"""Booking types, their slots and their distribution (API.md, Booking types)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.api.support import Api, assert_error, instant, iso, monday


def test_a_booking_type_is_created_with_the_defaults_of_the_contract(api: Api) -> None:
    a, b = api.host("Ada")["id"], api.host("Bob")["id"]
    response = api.post(
        "/v1/booking-types",
        {
            "slug": "discovery-call",
            "title": "Discovery call",
            "duration_minutes": 45,
            "host_mode": "round_robin",
            "hosts": [{"host_id": a}, {"host_id": b, "weight": 50, "priority": 4}],
        },
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created == {
        "slug": "discovery-call",
        "title": "Discovery call",
        "duration_minutes": 45,
        "host_mode": "round_robin",
        "hosts": [
            {"host_id": a, "weight": 100, "priority": 2, "fixed": False},
            {"host_id": b, "weight": 50, "priority": 4, "fixed": False},
        ],
        "slot_interval_minutes": 45,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 0,
        "minimum_notice_minutes": 0,
        "booking_window_days": 60,
        "rotation": "availability",
        "fairness_window_days": 30,
        "max_bookings_per_host_per_day": None,
        "catch_up_limit": 3,
        "description": None,
        "location": None,
        "on_host_decline": "reassign",
    }
    assert api.get("/v1/booking-types/discovery-call").json() == created
    assert api.get("/v1/booking-types").json() == {"booking_types": [created]}


def test_team_types_need_two_hosts_and_hosts_of_the_organization(api: Api, other_api: Api) -> None:
    a = api.host("Ada")["id"]
    stranger = other_api.host("Eve")["id"]
    body = {"slug": "t", "title": "T", "duration_minutes": 30, "host_mode": "collective"}
    one = api.post("/v1/booking-types", {**body, "hosts": [{"host_id": a}]})
    assert_error(one, 422, "team_needs_more_hosts")
    theirs = api.post(
        "/v1/booking-types", {**body, "hosts": [{"host_id": a}, {"host_id": stranger}]}
    )
    error = assert_error(theirs, 422, "invalid_request")["error"]
    assert "hosts.1.host_id" in error["details"]
    solo = api.post("/v1/booking-types", {**body, "host_mode": "solo", "hosts": []})
    assert solo.status_code == 422
    assert api.get("/v1/booking-types").json() == {"booking_types": []}


def test_a_slug_is_taken_until_its_type_is_deleted(api: Api) -> None:
    a = api.host("Ada")["id"]
    api.booking_type("call", [a], host_mode="solo")
    body = {"slug": "call", "title": "C", "duration_minutes": 30, "host_mode": "solo"}
    assert_error(
        api.post("/v1/booking-types", {**body, "hosts": [{"host_id": a}]}), 409, "slug_taken"
    )
    assert api.delete("/v1/booking-types/call").status_code == 204
    assert_error(api.get("/v1/booking-types/call"), 404, "not_found")
    assert api.post("/v1/booking-types", {**body, "hosts": [{"host_id": a}]}).status_code == 201


def test_a_type_with_upcoming_bookings_is_deleted_only_with_cancel_bookings(
    api: Api, other_api: Api
) -> None:
    a, b = api.host("Ada")["id"], api.host("Bob")["id"]
    api.booking_type("rr", [a, b])
    api.booking_type("other", [a, b])
    nine = monday() + timedelta(hours=9)
    made = [api.book("rr", nine).json() for _ in range(2)]  # both hosts at 09:00
    cancelled = api.book("rr", nine + timedelta(hours=1)).json()
    assert api.post(f"/v1/bookings/{cancelled['id']}/cancel", {}).status_code == 200

    def offered_at_nine() -> bool:
        found = api.slots("other", nine, nine + timedelta(minutes=30))
        return [s["start"] for s in found] == [iso(nine)]

    assert not offered_at_nine()
    error = assert_error(api.delete("/v1/booking-types/rr"), 409, "type_has_bookings")
    assert "cancel_bookings=true" in error["error"]["message"]
    assert api.get("/v1/booking-types/rr").status_code == 200
    assert {api.get(f"/v1/bookings/{b['id']}").json()["status"] for b in made} == {"confirmed"}
    assert_error(
        other_api.delete("/v1/booking-types/rr", params={"cancel_bookings": "true"}),
        404,
        "not_found",
    )

    assert api.delete("/v1/booking-types/rr", params={"cancel_bookings": "true"}).status_code == 204
    assert_error(api.get("/v1/booking-types/rr"), 404, "not_found")
    for booking in made:
        after = api.get(f"/v1/bookings/{booking['id']}").json()
        assert after["status"] == "cancelled"
        assert after["history"][-1]["action"] == "cancelled"
        assert after["history"][-1]["reason"] == "This meeting is no longer offered."
        sent = api.get(f"/v1/bookings/{booking['id']}/messages").json()["messages"]
        told = {m["to"] for m in sent if m["kind"] == "email" and m["method"] == "CANCEL"}
        assert told == {"grace@example.com", *{f"{n}@example.com" for n in ("ada", "bob")}} - {
            f"{n}@example.com" for n, h in (("ada", a), ("bob", b)) if h not in after["host_ids"]
        }
    assert offered_at_nine()  # the hosts are free again


def test_a_type_whose_bookings_are_past_or_cancelled_is_deleted_as_it_is(api: Api) -> None:
    a = api.host("Ada")["id"]
    api.booking_type("call", [a], host_mode="solo")
    booked = api.book("call", monday() + timedelta(hours=9)).json()
    assert api.post(f"/v1/bookings/{booked['id']}/cancel", {}).status_code == 200
    later, much_later = monday(2), monday(3)
    with time_machine.travel(later):
        past = api.book("call", later + timedelta(hours=9)).json()
    with time_machine.travel(much_later):
        assert api.delete("/v1/booking-types/call").status_code == 204
    assert api.get(f"/v1/bookings/{past['id']}").json()["status"] == "confirmed"


def test_patch_replaces_the_pool_and_keeps_the_rest(api: Api) -> None:
    a, b, c = (api.host(n)["id"] for n in ("Ada", "Bob", "Cy"))
    created = api.booking_type("rr", [a, b], buffer_after_minutes=5)
    response = api.patch("/v1/booking-types/rr", {"hosts": [{"host_id": c}, {"host_id": a}]})
    assert response.status_code == 200, response.text
    assert [m["host_id"] for m in response.json()["hosts"]] == [c, a]
    assert response.json()["buffer_after_minutes"] == 5
    response = api.patch("/v1/booking-types/rr", {"duration_minutes": 60})
    assert response.json()["slot_interval_minutes"] == 60
    shrink = api.patch("/v1/booking-types/rr", {"hosts": [{"host_id": a}]})
    assert_error(shrink, 422, "team_needs_more_hosts")
    assert_error(api.patch("/v1/booking-types/rr", {"title": None}), 422, "invalid_request")
    assert api.get("/v1/booking-types/rr").json() == {
        **created,
        "hosts": response.json()["hosts"],
        "duration_minutes": 60,
        "slot_interval_minutes": 60,
    }


@pytest.mark.parametrize(
    ("today", "new_york"),
    [
        (datetime(2027, 1, 6, 12, tzinfo=UTC), "-05:00"),
        (datetime(2027, 7, 7, 12, tzinfo=UTC), "-04:00"),
    ],
    ids=["winter", "summer"],
)
def test_slots_are_working_hours_minus_busy_time(api: Api, today: datetime, new_york: str) -> None:
    """Shown in the visitor's zone, with the offset New York has on that day."""
    with time_machine.travel(today):
        a = api.host("Ada")["id"]
        api.booking_type("call", [a], host_mode="solo", duration_minutes=60)
        day = monday()
        api.post(
            f"/v1/hosts/{a}/busy",
            {"start": iso(day + timedelta(hours=10)), "end": iso(day + timedelta(hours=12))},
        )
        found = api.slots("call", day, day + timedelta(days=1), timezone="America/New_York")
    starts = [instant(s["start"]) - day for s in found]
    assert starts == [timedelta(hours=h) for h in (9, 12, 13, 14, 15, 16)]
    assert all(s["host_ids"] == [a] for s in found)
    assert all(s["start"].endswith(new_york) for s in found)
    assert instant(found[0]["end"]) - instant(found[0]["start"]) == timedelta(hours=1)


def test_collective_slots_need_every_host_free(api: Api) -> None:
    a, b = api.host("Ada")["id"], api.host("Bob")["id"]
    api.booking_type("panel", [a, b], host_mode="collective", duration_minutes=60)
    day = monday()
    api.post(
        f"/v1/hosts/{b}/time-off",
        {"start": iso(day), "end": iso(day + timedelta(hours=15))},
    )
    found = api.slots("panel", day, day + timedelta(days=1))
    assert [instant(s["start"]) - day for s in found] == [timedelta(hours=15), timedelta(hours=16)]
    assert found[0]["host_ids"] == [a, b]


def test_slot_requests_are_validated(api: Api) -> None:
    a = api.host("Ada")["id"]
    api.booking_type("call", [a], host_mode="solo")
    day = monday()
    path = "/v1/booking-types/call/slots"
    long = {"start": iso(day), "end": iso(day + timedelta(days=63))}
    assert_error(api.get(path, params=long), 422, "range_too_long")
    backwards = {"start": iso(day), "end": iso(day - timedelta(days=1))}
    assert_error(api.get(path, params=backwards), 422, "invalid_request")
    naive = {"start": "2026-12-01T09:00:00", "end": iso(day)}
    assert_error(api.get(path, params=naive), 422, "invalid_request")
    zone = {"start": iso(day), "end": iso(day + timedelta(days=1)), "timezone": "Nowhere/Land"}
    assert_error(api.get(path, params=zone), 422, "invalid_request")
    assert_error(api.get(path, params={"start": iso(day)}), 422, "invalid_request")
    unknown = {"start": iso(day), "end": iso(day + timedelta(days=1))}
    assert_error(api.get("/v1/booking-types/nope/slots", params=unknown), 404, "not_found")


def test_distribution_counts_bookings_and_fair_shares(api: Api) -> None:
    a, b = api.host("Ada")["id"], api.host("Bob")["id"]
    api.booking_type("rr", [a, b], fairness_window_days=30)
    day = monday()
    for hour in (9, 10, 11):
        assert api.book("rr", day + timedelta(hours=hour)).status_code == 201
    body = api.get("/v1/booking-types/rr/distribution").json()
    assert body["window_days"] == 30
    rows = {h["host_id"]: h for h in body["hosts"]}
    assert sum(h["bookings"] for h in rows.values()) == 3
    assert abs(sum(h["expected"] for h in rows.values()) - 3) < 1e-6
    assert {h["bookings"] for h in rows.values()} == {1, 2}
    assert rows[a]["weight"] == 100 and rows[a]["priority"] == 2
