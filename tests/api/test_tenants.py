"""Two organizations on one server: neither sees nor touches the other's resources."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.api.support import Api, assert_error, iso, monday


@pytest.fixture
def theirs(other_api: Api, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Globex's host, time off, busy block, booking type, booking, webhook and calendar."""
    monkeypatch.setenv("ROTA_SECRET_KEY", "a secret for the tenant tests")
    monkeypatch.setenv("ROTA_ALLOW_PRIVATE_URLS", "1")
    a, b = other_api.host("Eve")["id"], other_api.host("Mallory")["id"]
    other_api.booking_type("shared-slug", [a, b])
    day = monday()
    off = other_api.post(
        f"/v1/hosts/{a}/time-off", {"start": iso(day), "end": iso(day + timedelta(hours=1))}
    ).json()
    busy = other_api.post(
        f"/v1/hosts/{a}/busy", {"start": iso(day), "end": iso(day + timedelta(hours=1))}
    ).json()
    webhook = other_api.post(
        "/v1/webhooks", {"url": "http://127.0.0.1:9/hooks", "events": ["booking.created"]}
    ).json()
    booking = other_api.book("shared-slug", day + timedelta(hours=9)).json()
    calendar = {"kind": "ics", "url": "http://127.0.0.1:9/eve.ics"}
    assert other_api.request("PUT", f"/v1/hosts/{a}/calendar", json=calendar).status_code == 200
    return {
        "host": a,
        "off": off["id"],
        "busy": busy["id"],
        "booking": booking["id"],
        "webhook": webhook["id"],
    }


def test_another_organizations_resources_are_404(
    api: Api, other_api: Api, theirs: dict[str, str]
) -> None:
    host, booking, webhook = theirs["host"], theirs["booking"], theirs["webhook"]
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
        api.get(f"/v1/bookings/{booking}/messages"),
        api.get(f"/v1/webhooks/{webhook}"),
        api.delete(f"/v1/webhooks/{webhook}"),
        api.get(f"/v1/hosts/{host}/calendar"),
        api.request(
            "PUT",
            f"/v1/hosts/{host}/calendar",
            json={"kind": "ics", "url": "http://127.0.0.1:9/x.ics"},
        ),
        api.post(f"/v1/hosts/{host}/calendar/sync"),
        api.delete(f"/v1/hosts/{host}/calendar"),
    ]
    for response in attempts:
        assert_error(response, 404, "not_found")
    assert api.get("/v1/hosts").json() == {"hosts": []}
    assert api.get("/v1/booking-types").json() == {"booking_types": []}
    assert api.get("/v1/bookings").json()["bookings"] == []
    assert api.get("/v1/webhooks").json() == {"webhooks": []}
    # And nothing of theirs changed.
    assert other_api.get(f"/v1/hosts/{host}").json()["name"] == "Eve"
    assert other_api.get(f"/v1/bookings/{booking}").json()["status"] == "confirmed"
    assert len(other_api.get(f"/v1/hosts/{host}/busy").json()["busy"]) == 1
    assert len(other_api.get("/v1/bookings").json()["bookings"]) == 1
    assert other_api.get(f"/v1/webhooks/{webhook}").status_code == 200
    assert other_api.get(f"/v1/bookings/{booking}/messages").json()["messages"]
    calendar = other_api.get(f"/v1/hosts/{host}/calendar").json()
    assert calendar["url"] == "http://127.0.0.1:9/eve.ics"
    assert (calendar["last_synced_at"], calendar["last_error"]) == (None, None)


def test_an_item_of_another_host_is_404_under_your_own_host_id(
    api: Api, theirs: dict[str, str]
) -> None:
    """Time off and busy blocks are reached only through the host they belong to,
    whether that host is in your organization or another one."""
    mine, colleague = api.host("Ada")["id"], api.host("Bob")["id"]
    day = monday()
    span = {"start": iso(day), "end": iso(day + timedelta(hours=1))}
    off = api.post(f"/v1/hosts/{colleague}/time-off", span).json()["id"]
    busy = api.post(f"/v1/hosts/{colleague}/busy", span).json()["id"]
    for item in (off, theirs["off"]):
        assert_error(api.delete(f"/v1/hosts/{mine}/time-off/{item}"), 404, "not_found")
    for item in (busy, theirs["busy"]):
        assert_error(api.delete(f"/v1/hosts/{mine}/busy/{item}"), 404, "not_found")
    assert [t["id"] for t in api.get(f"/v1/hosts/{colleague}/time-off").json()["time_off"]] == [off]
    assert [b["id"] for b in api.get(f"/v1/hosts/{colleague}/busy").json()["busy"]] == [busy]
    # Through its own host, each goes.
    assert api.delete(f"/v1/hosts/{colleague}/time-off/{off}").status_code == 204
    assert api.delete(f"/v1/hosts/{colleague}/busy/{busy}").status_code == 204


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
