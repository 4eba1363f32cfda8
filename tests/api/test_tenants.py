"""Two organizations on one server: neither sees nor touches the other's resources."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.api.support import Api, assert_error, iso, monday


@pytest.fixture
def theirs(other_api: Api) -> dict[str, str]:
    """Globex's host, time off, busy block, booking type and booking."""
    a, b = other_api.host("Eve")["id"], other_api.host("Mallory")["id"]
    other_api.booking_type("shared-slug", [a, b])
    day = monday()
    off = other_api.post(
        f"/v1/hosts/{a}/time-off", {"start": iso(day), "end": iso(day + timedelta(hours=1))}
    ).json()
    busy = other_api.post(
        f"/v1/hosts/{a}/busy", {"start": iso(day), "end": iso(day + timedelta(hours=1))}
    ).json()
    booking = other_api.book("shared-slug", day + timedelta(hours=9)).json()
    return {"host": a, "off": off["id"], "busy": busy["id"], "booking": booking["id"]}


def test_another_organizations_resources_are_404(
    api: Api, other_api: Api, theirs: dict[str, str]
) -> None:
    host, booking = theirs["host"], theirs["booking"]
    day = monday()
    window = {"start": iso(day), "end": iso(day + timedelta(days=1))}
    span = {"start": iso(day), "end": iso(day + timedelta(hours=1))}
    attempts = [
        api.get(f"/v1/hosts/{host}"),
        api.patch(f"/v1/hosts/{host}", {"name": "Hacked"}),
        api.delete(f"/v1/hosts/{host}"),
        api.get(f"/v1/hosts/{host}/time-off"),
        api.post(f"/v1/hosts/{host}/time-off", span),
        api.delete(f"/v1/hosts/{host}/time-off/{theirs['off']}"),
        api.get(f"/v1/hosts/{host}/busy"),
        api.post(f"/v1/hosts/{host}/busy", span),
        api.delete(f"/v1/hosts/{host}/busy/{theirs['busy']}"),
        api.post(f"/v1/hosts/{host}/reassign-bookings", window),
        api.get("/v1/booking-types/shared-slug"),
        api.patch("/v1/booking-types/shared-slug", {"title": "Hacked"}),
        api.delete("/v1/booking-types/shared-slug"),
        api.get("/v1/booking-types/shared-slug/slots", params=window),
        api.get("/v1/booking-types/shared-slug/distribution"),
        api.book("shared-slug", day + timedelta(hours=10)),
        api.get(f"/v1/bookings/{booking}"),
        api.post(f"/v1/bookings/{booking}/reassign", {}),
        api.post(f"/v1/bookings/{booking}/cancel", {}),
        api.get("/v1/bookings", params={"host_id": host}),
        api.get("/v1/bookings", params={"booking_type": "shared-slug"}),
    ]
    for response in attempts:
        assert_error(response, 404, "not_found")
    assert api.get("/v1/hosts").json() == {"hosts": []}
    assert api.get("/v1/booking-types").json() == {"booking_types": []}
    assert api.get("/v1/bookings").json()["bookings"] == []
    # And nothing of theirs changed.
    assert other_api.get(f"/v1/hosts/{host}").json()["name"] == "Eve"
    assert other_api.get(f"/v1/bookings/{booking}").json()["status"] == "confirmed"
    assert len(other_api.get(f"/v1/hosts/{host}/busy").json()["busy"]) == 1
    assert len(other_api.get("/v1/bookings").json()["bookings"]) == 1


def test_a_pool_cannot_take_another_organizations_host(api: Api, theirs: dict[str, str]) -> None:
    mine = api.host("Ada")["id"]
    response = api.post(
        "/v1/booking-types",
        {
            "slug": "mixed",
            "title": "Mixed",
            "duration_minutes": 30,
            "host_mode": "round_robin",
            "hosts": [{"host_id": mine}, {"host_id": theirs["host"]}],
        },
    )
    assert_error(response, 422, "invalid_request")
    api.booking_type("mine", [mine], host_mode="solo")
    patch = api.patch("/v1/booking-types/mine", {"hosts": [{"host_id": theirs["host"]}]})
    assert_error(patch, 422, "invalid_request")


def test_the_same_slug_lives_in_each_organization(api: Api, theirs: dict[str, str]) -> None:
    mine = [api.host("Ada")["id"], api.host("Bob")["id"]]
    api.booking_type("shared-slug", mine)
    booking = api.book("shared-slug", monday() + timedelta(hours=9)).json()
    assert booking["host_ids"][0] in mine
