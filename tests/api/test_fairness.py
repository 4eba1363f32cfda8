"""Fairness through the API (DESIGN.md, Fairness): a host who was away, or who
joined late, gets its share from then on, not a flood of catch-up bookings."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.api.support import Api, iso, monday


def book_first_slots(api: Api, slug: str, week: datetime, n: int) -> list[str]:
    """Book the earliest offered slot of the week `n` times; the hosts who got them."""
    holders = []
    for _ in range(n):
        first = api.slots(slug, week, week + timedelta(days=5))[0]
        response = api.book(slug, first["start"])
        assert response.status_code == 201, response.text
        holders.extend(response.json()["host_ids"])
    return holders


def assert_lags_within_one(api: Api, slug: str) -> None:
    for share in api.get(f"/v1/booking-types/{slug}/distribution").json()["hosts"]:
        assert abs(share["bookings"] - share["expected"]) <= 1 + 1e-9, share


def test_a_host_back_from_time_off_gets_a_third_not_all(api: Api) -> None:
    a, b, c = (api.host(n)["id"] for n in ("Ada", "Bob", "Cy"))
    api.booking_type("rr", [a, b, c], fairness_window_days=30)
    away, back = monday(1), monday(2)
    api.post(f"/v1/hosts/{c}/time-off", {"start": iso(away), "end": iso(back)})

    first = book_first_slots(api, "rr", away, 30)
    assert first.count(c) == 0
    assert abs(first.count(a) - 15) <= 1

    second = book_first_slots(api, "rr", back, 30)
    assert 8 <= second.count(c) <= 12, second.count(c)
    assert_lags_within_one(api, "rr")


def test_a_host_added_to_the_pool_late_gets_a_third_not_all(api: Api) -> None:
    a, b, c = (api.host(n)["id"] for n in ("Ada", "Bob", "Cy"))
    api.booking_type("rr", [a, b], fairness_window_days=30)
    week = monday(1)
    book_first_slots(api, "rr", week, 30)
    response = api.patch("/v1/booking-types/rr", {"hosts": [{"host_id": h} for h in (a, b, c)]})
    assert response.status_code == 200, response.text

    later = book_first_slots(api, "rr", monday(2), 30)
    assert 8 <= later.count(c) <= 12, later.count(c)
    assert_lags_within_one(api, "rr")


def test_weights_share_bookings_in_proportion(api: Api) -> None:
    a, b = api.host("Ada")["id"], api.host("Bob")["id"]
    api.post(
        "/v1/booking-types",
        {
            "slug": "rr",
            "title": "RR",
            "duration_minutes": 30,
            "host_mode": "round_robin",
            "hosts": [{"host_id": a, "weight": 100}, {"host_id": b, "weight": 200}],
        },
    )
    # One booking per time, so that both hosts are free for every one of them.
    week = monday(1)
    times = [s["start"] for s in api.slots("rr", week, week + timedelta(days=5))][:30]
    holders = [api.book("rr", start).json()["host_ids"][0] for start in times]
    assert abs(holders.count(b) - 20) <= 1
    assert_lags_within_one(api, "rr")


def distribution(api: Api, slug: str) -> dict[str, dict[str, float]]:
    response = api.get(f"/v1/booking-types/{slug}/distribution")
    assert response.status_code == 200, response.text
    return {h["host_id"]: h for h in response.json()["hosts"]}


def test_a_host_in_meetings_earns_its_share_down_to_the_catch_up_limit(api: Api) -> None:
    a, b, c = (api.host(n)["id"] for n in ("Ada", "Bob", "Cy"))
    api.booking_type("rr", [a, b, c], catch_up_limit=2)
    week = monday(1)
    # Cy is in a meeting all Monday morning: on duty, so earning, but not free.
    api.post(f"/v1/hosts/{c}/busy", {"start": iso(week), "end": iso(week + timedelta(hours=13))})
    holders = book_first_slots(api, "rr", week, 12)
    assert c not in holders
    shares = distribution(api, "rr")
    assert shares[c]["bookings"] == 0
    assert shares[c]["expected"] == pytest.approx(2)  # a third each, until its lag hit -2
    assert shares[a]["expected"] + shares[b]["expected"] == pytest.approx(8)  # 12 thirds
    assert sum(h["expected"] for h in shares.values()) < 12  # the cut credit is not counted
    # Free again, Cy is next in line.
    after = book_first_slots(api, "rr", week + timedelta(hours=13), 1)
    assert after == [c]


def test_the_catch_up_limit_is_a_setting_of_the_booking_type(api: Api) -> None:
    a, b = api.host("Ada")["id"], api.host("Bob")["id"]
    created = api.booking_type("rr", [a, b])
    assert created["catch_up_limit"] == 3
    changed = api.patch("/v1/booking-types/rr", {"catch_up_limit": 0})
    assert changed.status_code == 200, changed.text
    assert changed.json()["catch_up_limit"] == 0
    refused = api.patch("/v1/booking-types/rr", {"catch_up_limit": -1})
    assert refused.status_code == 422
    assert "catch_up_limit" in refused.json()["error"]["details"]
    assert api.get("/v1/booking-types/rr").json()["catch_up_limit"] == 0


def test_a_cancellation_takes_back_count_and_credits_in_the_distribution(api: Api) -> None:
    a, b = api.host("Ada")["id"], api.host("Bob")["id"]
    api.booking_type("rr", [a, b])
    week = monday(1)
    first = api.book("rr", iso(week + timedelta(hours=9))).json()
    api.book("rr", iso(week + timedelta(hours=10)))
    assert sum(h["bookings"] for h in distribution(api, "rr").values()) == 2
    response = api.post(f"/v1/bookings/{first['id']}/cancel", {"reason": "no longer needed"})
    assert response.status_code == 200, response.text
    shares = distribution(api, "rr")
    assert sum(h["bookings"] for h in shares.values()) == 1
    assert sum(h["expected"] for h in shares.values()) == pytest.approx(1)
    assert shares[first["host_ids"][0]]["bookings"] == 0
