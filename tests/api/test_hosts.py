"""Hosts, time off and busy blocks (API.md, Hosts)."""

from __future__ import annotations

from datetime import timedelta

from tests.api.support import Api, assert_error, iso, monday

DEFAULT_HOURS = [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"}]


def test_a_host_is_created_with_default_hours_and_read_back(api: Api) -> None:
    created = api.host("Ada", timezone="Europe/London")
    assert created["id"]
    assert created["working_hours"] == DEFAULT_HOURS
    assert created["date_overrides"] == []
    assert api.get(f"/v1/hosts/{created['id']}").json() == created
    assert api.get("/v1/hosts").json() == {"hosts": [created]}


def test_patch_changes_only_the_named_fields(api: Api) -> None:
    host = api.host(
        "Ada",
        date_overrides=[{"date": "2026-12-24", "intervals": []}],
    )
    hours = [{"days": ["sat"], "start": "10:00", "end": "24:00"}]
    response = api.patch(f"/v1/hosts/{host['id']}", {"working_hours": hours})
    assert response.status_code == 200, response.text
    assert response.json() == {**host, "working_hours": hours}
    response = api.patch(f"/v1/hosts/{host['id']}", {"name": "Ada L."})
    assert response.json() == {**host, "working_hours": hours, "name": "Ada L."}


def test_delete_host_answers_204_then_404(api: Api) -> None:
    host = api.host()
    response = api.delete(f"/v1/hosts/{host['id']}")
    assert response.status_code == 204 and response.content == b""
    assert_error(api.get(f"/v1/hosts/{host['id']}"), 404, "not_found")
    assert api.get("/v1/hosts").json() == {"hosts": []}
    assert_error(api.delete(f"/v1/hosts/{host['id']}"), 404, "not_found")


def test_a_host_with_confirmed_future_bookings_cannot_be_deleted(api: Api) -> None:
    host = api.host()
    api.booking_type("solo-call", [host["id"]], host_mode="solo")
    booking = api.book("solo-call", monday() + timedelta(hours=10)).json()
    assert_error(api.delete(f"/v1/hosts/{host['id']}"), 409, "host_has_bookings")
    api.post(f"/v1/bookings/{booking['id']}/cancel", {})
    assert api.delete(f"/v1/hosts/{host['id']}").status_code == 204


def test_time_off_and_busy_blocks_are_listed_and_deleted(api: Api) -> None:
    host = api.host()
    base = f"/v1/hosts/{host['id']}"
    start = monday()
    off = api.post(
        f"{base}/time-off",
        {"start": iso(start), "end": iso(start + timedelta(days=2)), "reason": "holiday"},
    )
    assert off.status_code == 201, off.text
    assert off.json()["reason"] == "holiday"
    busy = api.post(
        f"{base}/busy",
        {"start": "2026-12-01T10:00:00+01:00", "end": "2026-12-01T11:00:00+01:00", "title": "1:1"},
    )
    assert busy.status_code == 201, busy.text
    assert busy.json()["source"] == "api"
    assert [o["id"] for o in api.get(f"{base}/time-off").json()["time_off"]] == [off.json()["id"]]
    listed = api.get(f"{base}/busy").json()["busy"]
    assert [b["id"] for b in listed] == [busy.json()["id"]]
    assert listed[0]["start"].startswith("2026-12-01T09:00:00")
    assert api.delete(f"{base}/time-off/{off.json()['id']}").status_code == 204
    assert api.delete(f"{base}/busy/{busy.json()['id']}").status_code == 204
    assert api.get(f"{base}/time-off").json() == {"time_off": []}
    assert api.get(f"{base}/busy").json() == {"busy": []}
    assert_error(api.delete(f"{base}/busy/{busy.json()['id']}"), 404, "not_found")


def test_invalid_hosts_are_refused_with_the_fields_named(api: Api) -> None:
    cases = [
        ({"name": "A", "email": "a@x.io", "timezone": "Mars/Olympus"}, "timezone"),
        ({"name": "A", "email": "a@x.io"}, "timezone"),
        ({"name": 5, "email": "a@x.io", "timezone": "UTC"}, "name"),
        (
            {
                "name": "A",
                "email": "a@x.io",
                "timezone": "UTC",
                "working_hours": [{"days": ["mon"], "start": "17:00", "end": "09:00"}],
            },
            "working_hours.0",
        ),
        (
            {
                "name": "A",
                "email": "a@x.io",
                "timezone": "UTC",
                "working_hours": [{"days": ["moonday"], "start": "09:00", "end": "17:00"}],
            },
            "working_hours.0.days.0",
        ),
    ]
    for body, field in cases:
        error = assert_error(api.post("/v1/hosts", body), 422, "invalid_request")["error"]
        assert field in error["details"], error
    assert api.get("/v1/hosts").json() == {"hosts": []}


def test_time_off_must_have_offsets_and_end_after_start(api: Api) -> None:
    host = api.host()
    base = f"/v1/hosts/{host['id']}/time-off"
    naive = {"start": "2026-12-01T09:00:00", "end": "2026-12-01T10:00:00Z"}
    backwards = {"start": "2026-12-01T10:00:00Z", "end": "2026-12-01T09:00:00Z"}
    far = {"start": "0001-01-01T00:00:00+14:00", "end": "2026-12-01T09:00:00Z"}
    for body in (naive, backwards, far, {"start": 0, "end": 1}):
        assert_error(api.post(base, body), 422, "invalid_request")
    assert api.get(base).json() == {"time_off": []}


def test_patch_refuses_nulls_for_required_fields(api: Api) -> None:
    host = api.host()
    assert_error(api.patch(f"/v1/hosts/{host['id']}", {"timezone": None}), 422, "invalid_request")
    assert_error(api.patch(f"/v1/hosts/{host['id']}", {"timezone": "Nope"}), 422, "invalid_request")
    assert api.get(f"/v1/hosts/{host['id']}").json() == host
