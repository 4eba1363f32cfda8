"""Moving bookings between hosts (API.md, Reassign)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.api.support import Api, assert_error, iso, monday


def team(api: Api, n: int = 3, **fields: Any) -> list[str]:
    ids = [api.host(name)["id"] for name in ("Ada", "Bob", "Cy", "Dee")[:n]]
    api.booking_type("rr", ids, **fields)
    return ids


def test_automatic_reassign_moves_to_another_fair_host_and_keeps_credits(api: Api) -> None:
    team(api, fairness_window_days=30)
    booking = api.book("rr", monday() + timedelta(hours=9)).json()
    [before] = booking["host_ids"]
    response = api.post(f"/v1/bookings/{booking['id']}/reassign", {"reason": "sick"})
    assert response.status_code == 200, response.text
    moved = response.json()
    [after] = moved["host_ids"]
    assert after != before
    entry = moved["history"][-1]
    assert entry == {
        **entry,
        "action": "reassigned",
        "from_host_ids": [before],
        "host_ids": [after],
        "by": "auto",
        "reason": "sick",
    }
    shares = {h["host_id"]: h for h in api.get("/v1/booking-types/rr/distribution").json()["hosts"]}
    assert shares[after]["bookings"] == 1 and shares[before]["bookings"] == 0
    # The credits stay where they were earned: everyone free earned a third.
    assert all(abs(h["expected"] - 1 / 3) < 1e-6 for h in shares.values())


def test_manual_reassign_needs_a_free_host_of_the_pool(api: Api) -> None:
    a, b, c = team(api)
    outsider = api.host("Out")["id"]
    start = monday() + timedelta(hours=9)
    booking = api.book("rr", start).json()
    path = f"/v1/bookings/{booking['id']}/reassign"
    assert_error(api.post(path, {"host_id": outsider}), 422, "host_not_in_pool")
    others = [h for h in (a, b, c) if h not in booking["host_ids"]]
    api.post(
        f"/v1/hosts/{others[0]}/busy",
        {"start": iso(start), "end": iso(start + timedelta(hours=1))},
    )
    assert_error(api.post(path, {"host_id": others[0]}), 409, "host_unavailable")
    response = api.post(path, {"host_id": others[1]})
    assert response.status_code == 200, response.text
    assert response.json()["host_ids"] == [others[1]]
    assert response.json()["history"][-1]["by"] == "manual"
    assert api.get(f"/v1/bookings/{booking['id']}").json() == response.json()


def test_no_host_available_when_everyone_else_is_busy(api: Api) -> None:
    ids = team(api, n=2)
    start = monday() + timedelta(hours=9)
    booking = api.book("rr", start).json()
    [other] = [h for h in ids if h not in booking["host_ids"]]
    api.post(
        f"/v1/hosts/{other}/time-off",
        {"start": iso(start - timedelta(hours=1)), "end": iso(start + timedelta(hours=2))},
    )
    response = api.post(f"/v1/bookings/{booking['id']}/reassign", {})
    assert_error(response, 409, "no_host_available")
    assert api.get(f"/v1/bookings/{booking['id']}").json() == booking


def test_solo_cancelled_and_multi_host_bookings_are_refused(api: Api) -> None:
    a, b = api.host("Ada")["id"], api.host("Bob")["id"]
    api.booking_type("solo", [a], host_mode="solo")
    api.booking_type("panel", [a, b], host_mode="collective")
    day = monday()
    solo = api.book("solo", day + timedelta(hours=9)).json()
    assert_error(api.post(f"/v1/bookings/{solo['id']}/reassign", {}), 409, "not_a_team_booking")
    panel = api.book("panel", day + timedelta(hours=10)).json()
    path = f"/v1/bookings/{panel['id']}/reassign"
    assert_error(api.post(path, {}), 422, "invalid_request")
    assert_error(api.post(path, {"host_id": a, "from_host_id": b}), 409, "host_unavailable")
    api.post(f"/v1/bookings/{panel['id']}/cancel", {})
    cancelled = api.post(path, {"from_host_id": a})
    assert_error(cancelled, 409, "booking_cancelled")
    assert cancelled.json()["error"]["message"] == "The booking is cancelled."
    assert_error(api.post("/v1/bookings/nope/reassign", {}), 404, "not_found")


def test_a_fixed_host_stays_while_the_rotating_host_changes(api: Api) -> None:
    a, b, lead = (api.host(n)["id"] for n in ("Ada", "Bob", "Lead"))
    api.post(
        "/v1/booking-types",
        {
            "slug": "demo",
            "title": "Demo",
            "duration_minutes": 30,
            "host_mode": "round_robin",
            "hosts": [{"host_id": a}, {"host_id": b}, {"host_id": lead, "fixed": True}],
        },
    )
    booking = api.book("demo", monday() + timedelta(hours=9)).json()
    rotating, fixed = booking["host_ids"]
    assert fixed == lead
    path = f"/v1/bookings/{booking['id']}/reassign"
    assert_error(api.post(path, {}), 422, "invalid_request")
    moved = api.post(path, {"from_host_id": rotating}).json()
    assert moved["host_ids"] == [b if rotating == a else a, lead]


def test_reassign_bookings_of_a_host_over_a_range(api: Api) -> None:
    a, b = api.host("Ada")["id"], api.host("Bob")["id"]
    api.booking_type("rr", [a, b])
    api.booking_type("solo", [a], host_mode="solo")
    day = monday()
    made = [api.book("rr", day + timedelta(hours=h)).json() for h in (9, 9, 10, 10, 11)]
    held = [m for m in made if m["host_ids"] == [a]]
    solo = api.book("solo", day + timedelta(hours=14)).json()
    # Bob is busy at 11:00, so Ada's 11:00 booking (if she has one) cannot move.
    api.post(
        f"/v1/hosts/{b}/busy",
        {"start": iso(day + timedelta(hours=11)), "end": iso(day + timedelta(hours=12))},
    )
    response = api.post(
        f"/v1/hosts/{a}/reassign-bookings",
        {"start": iso(day), "end": iso(day + timedelta(days=1)), "reason": "leaving"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    moved_ids = [x["id"] for x in body["reassigned"]]
    failed_ids = [x["booking_id"] for x in body["failed"]]
    assert sorted(moved_ids + failed_ids) == sorted(m["id"] for m in held)
    assert solo["id"] not in moved_ids + failed_ids
    assert all(x["host_ids"] == [b] for x in body["reassigned"])
    assert all(x["error"]["code"] == "no_host_available" for x in body["failed"])
    starts = [x["start"] for x in body["reassigned"]]
    assert starts == sorted(starts)
    bad = api.post(
        f"/v1/hosts/{a}/reassign-bookings", {"start": iso(day), "end": iso(day - timedelta(1))}
    )
    assert_error(bad, 422, "invalid_request")
