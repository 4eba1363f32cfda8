"""Find a Time (API.md, Find a Time and meetings): when the people named are all free."""

from __future__ import annotations

from datetime import timedelta

from tests.api.support import Api, assert_error, instant, iso, monday


def test_times_when_everyone_required_is_free_with_the_optional_ones_free_then(
    api: Api,
) -> None:
    ada, bob, cy = (api.host(n)["id"] for n in ("Ada", "Bob", "Cy"))
    week = monday(1)
    api.post(
        f"/v1/hosts/{ada}/busy",
        {"start": iso(week + timedelta(hours=10)), "end": iso(week + timedelta(hours=11))},
    )
    api.post(
        f"/v1/hosts/{bob}/time-off",
        {"start": iso(week + timedelta(hours=14)), "end": iso(week + timedelta(days=1))},
    )
    api.post(f"/v1/hosts/{cy}/busy", {"start": iso(week), "end": iso(week + timedelta(hours=12))})
    api.booking_type("chat", [ada], host_mode="solo")
    assert api.book("chat", week + timedelta(hours=12)).status_code == 201  # Ada's booking

    response = api.post(
        "/v1/find-a-time",
        {
            "host_ids": [ada, bob],
            "optional_host_ids": [cy],
            "duration_minutes": 60,
            "start": iso(week),
            "end": iso(week + timedelta(days=1)),
            "interval_minutes": 30,
        },
    )
    assert response.status_code == 200, response.text
    found = [
        ((instant(s["start"]) - week) / timedelta(minutes=1), s["optional_free"])
        for s in response.json()["slots"]
    ]
    # Default hours 09:00-17:00: Ada is busy 10-11 and booked 12:00-12:30, Bob off from 14,
    # Cy busy until noon.
    assert found == [(540, []), (660, []), (750, [cy]), (780, [cy])]
    first = response.json()["slots"][0]
    assert first["host_ids"] == [ada, bob]
    assert instant(first["end"]) - instant(first["start"]) == timedelta(hours=1)


def test_people_of_another_organization_or_none_are_refused(api: Api, other_api: Api) -> None:
    ada = api.host("Ada")["id"]
    theirs = other_api.host("Zed")["id"]
    week = monday(1)
    body = {"duration_minutes": 30, "start": iso(week), "end": iso(week + timedelta(days=1))}
    response = api.post(
        "/v1/find-a-time", {**body, "host_ids": [ada], "optional_host_ids": [theirs]}
    )
    assert_error(response, 422, "invalid_request")
    assert response.json()["error"]["details"] == {"optional_host_ids.0": "no such host"}
    assert_error(api.post("/v1/find-a-time", {**body, "host_ids": []}), 422, "invalid_request")
    twice = api.post("/v1/find-a-time", {**body, "host_ids": [ada, ada]})
    assert_error(twice, 422, "invalid_request")
    long = {**body, "host_ids": [ada], "end": iso(week + timedelta(days=63))}
    assert_error(api.post("/v1/find-a-time", long), 422, "range_too_long")
    assert (
        api.post(
            "/v1/find-a-time", {**body, "host_ids": [ada]}, headers={"Authorization": "Bearer nope"}
        ).status_code
        == 401
    )
