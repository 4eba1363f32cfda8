"""POST /v1/assistant and its plans' confirmation, on SQLite and PostgreSQL: a change
is only previewed until confirmed, then runs through the same use cases as the API;
a plan runs once, within 10 minutes, for its own organization only."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine

from rota.actor import SYSTEM
from rota.service import assistant, orgs
from rota.service.errors import Conflict
from rota.store.db import Database
from tests.api.support import Api, assert_error

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # a Tuesday
GRACE_AT = "2026-12-02T10:00:00Z"  # Wednesday


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def team(api: Api) -> dict[str, Any]:
    sofia, bob = api.host("Sofia"), api.host("Bob")
    api.booking_type("discovery-call", [sofia["id"], bob["id"]])
    booked = api.book("discovery-call", GRACE_AT)
    assert booked.status_code == 201, booked.text
    booking = booked.json()
    holder = booking["host_ids"][0]
    if holder != sofia["id"]:  # the call is Sofia's in every test
        moved = api.post(f"/v1/bookings/{booking['id']}/reassign", {"host_id": sofia["id"]})
        assert moved.status_code == 200, moved.text
    return {"sofia": sofia["id"], "bob": bob["id"], "booking": booking["id"]}


def ask(api: Api, text: str, timezone: str = "UTC") -> dict[str, Any]:
    response = api.post("/v1/assistant", {"text": text, "timezone": timezone})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def booking(api: Api, booking_id: str) -> dict[str, Any]:
    found: dict[str, Any] = api.get(f"/v1/bookings/{booking_id}").json()
    return found


def test_a_hand_over_is_previewed_and_runs_once_confirmed(api: Api, team: dict[str, Any]) -> None:
    plan = ask(api, "give Grace Hoper's call to bob")  # a typo in the attendee's name
    assert plan["understood"] is True
    assert plan["actions"] == [
        {"kind": "reassign_booking", "booking_id": team["booking"], "host_id": team["bob"]}
    ]
    assert "Grace Hopper" in plan["summary"] and "Bob" in plan["summary"]
    assert booking(api, team["booking"])["host_ids"] == [team["sofia"]]  # nothing yet

    done = api.post(f"/v1/assistant/plans/{plan['plan_id']}/confirm")
    assert done.status_code == 200, done.text
    assert done.json() == {"results": [{"action": plan["actions"][0], "ok": True, "error": None}]}
    assert booking(api, team["booking"])["host_ids"] == [team["bob"]]


def moves(api: Api, booking_id: str) -> int:
    return sum(h["action"] == "reassigned" for h in booking(api, booking_id)["history"])


def test_a_plan_runs_at_most_once(api: Api, team: dict[str, Any]) -> None:
    plan = ask(api, "give grace's call to someone else")
    assert plan["actions"][0]["host_id"] is None
    before = moves(api, team["booking"])
    first = api.post(f"/v1/assistant/plans/{plan['plan_id']}/confirm")
    assert first.status_code == 200 and first.json()["results"][0]["ok"] is True
    again = api.post(f"/v1/assistant/plans/{plan['plan_id']}/confirm")
    refused = assert_error(again, 409, "plan_already_run")
    assert refused["error"]["message"] == "This plan has already run."
    assert moves(api, team["booking"]) == before + 1
    assert booking(api, team["booking"])["host_ids"] == [team["bob"]]


def test_a_plan_expires_after_ten_minutes(
    api: Api, team: dict[str, Any], pinned_clock: time_machine.Coordinates
) -> None:
    plan = ask(api, "cancel Grace Hopper's booking")
    assert plan["actions"] == [{"kind": "cancel_booking", "booking_id": team["booking"]}]
    pinned_clock.shift(timedelta(minutes=10, seconds=1))
    late = api.post(f"/v1/assistant/plans/{plan['plan_id']}/confirm")
    refused = assert_error(late, 409, "plan_expired")
    assert refused["error"]["message"] == "This plan has expired; ask again for a new one."
    assert booking(api, team["booking"])["status"] == "confirmed"


def test_another_organizations_plan_is_not_found(
    api: Api, other_api: Api, team: dict[str, Any]
) -> None:
    plan = ask(api, "cancel Grace Hopper's booking")
    for refused in (
        assert_error(
            other_api.post(f"/v1/assistant/plans/{plan['plan_id']}/confirm"), 404, "not_found"
        ),
        assert_error(api.post("/v1/assistant/plans/plan_nosuchplan/confirm"), 404, "not_found"),
    ):
        assert refused["error"]["message"] == "No such plan."
    done = api.post(f"/v1/assistant/plans/{plan['plan_id']}/confirm")
    assert done.status_code == 200 and done.json()["results"][0]["ok"] is True
    assert booking(api, team["booking"])["status"] == "cancelled"


def test_out_sick_hands_the_day_over_with_time_off(api: Api, team: dict[str, Any]) -> None:
    plan = ask(api, "Sofia is out sick tomorrow, give her bookings to the team", "Europe/London")
    assert plan["actions"] == [
        {
            "kind": "reassign_host_bookings",
            "host_id": team["sofia"],
            "start": "2026-12-02T00:00:00Z",
            "end": "2026-12-03T00:00:00Z",
            "time_off": True,
        }
    ]
    done = api.post(f"/v1/assistant/plans/{plan['plan_id']}/confirm").json()
    assert done["results"][0]["ok"] is True, done
    assert booking(api, team["booking"])["host_ids"] == [team["bob"]]
    off = api.get(f"/v1/hosts/{team['sofia']}/time-off").json()["time_off"]
    assert [(o["start"], o["end"]) for o in off] == [
        ("2026-12-02T00:00:00Z", "2026-12-03T00:00:00Z")
    ]


def test_a_reschedule_moves_the_booking(api: Api, team: dict[str, Any]) -> None:
    plan = ask(api, "move Grace Hopper's call to Thursday at 3pm", "Europe/Berlin")
    assert plan["actions"] == [
        {
            "kind": "reschedule_booking",
            "booking_id": team["booking"],
            "start": "2026-12-03T14:00:00Z",
        }
    ]
    done = api.post(f"/v1/assistant/plans/{plan['plan_id']}/confirm").json()
    assert done["results"][0]["ok"] is True, done
    assert booking(api, team["booking"])["start"] == "2026-12-03T14:00:00Z"


def test_a_meeting_is_previewed_then_booked_for_everyone_named(
    api: Api, team: dict[str, Any]
) -> None:
    plan = ask(api, "book a meeting with Sofia and Bob tomorrow at 3pm for 45 minutes about hiring")
    assert plan["summary"].startswith("Book 'Hiring' with Sofia and Bob")
    assert plan["actions"] == [
        {
            "kind": "create_meeting",
            "title": "Hiring",
            "host_ids": [team["sofia"], team["bob"]],
            "start": "2026-12-02T15:00:00Z",
            "end": "2026-12-02T15:45:00Z",
            "attendees": [],
            "description": None,
        }
    ]
    assert len(api.get("/v1/bookings").json()["bookings"]) == 1  # nothing booked yet
    done = api.post(f"/v1/assistant/plans/{plan['plan_id']}/confirm").json()
    assert done["results"][0]["ok"] is True, done
    [meeting] = [
        b for b in api.get("/v1/bookings").json()["bookings"] if b["id"] != team["booking"]
    ]
    assert meeting["booking_type"] is None and meeting["title"] == "Hiring"
    assert meeting["host_ids"] == [team["sofia"], team["bob"]]
    assert meeting["start"] == "2026-12-02T15:00:00Z" and meeting["end"] == "2026-12-02T15:45:00Z"
    # The same time again: the hosts are taken now, and the plan says so.
    again = ask(api, "book a meeting with Sofia and Bob tomorrow at 3pm about hiring")
    done = api.post(f"/v1/assistant/plans/{again['plan_id']}/confirm").json()
    assert done["results"][0]["ok"] is False
    assert done["results"][0]["error"]["code"] == "slot_unavailable"


def test_a_failed_action_says_why(api: Api, team: dict[str, Any]) -> None:
    plan = ask(api, "move Grace Hopper's call to Saturday at 3pm")  # nobody works then
    done = api.post(f"/v1/assistant/plans/{plan['plan_id']}/confirm").json()
    [result] = done["results"]
    assert result["ok"] is False
    assert result["error"]["code"] == "slot_unavailable"
    assert booking(api, team["booking"])["start"] == GRACE_AT


def test_questions_are_answered_without_a_plan(api: Api, team: dict[str, Any]) -> None:
    free = ask(api, "who is free tomorrow at 10am?")
    assert free["understood"] is True and "plan_id" not in free
    assert [h["host_id"] for h in free["answer"]["free"]] == [team["bob"]]

    agenda = ask(api, "what does sofia have tomorrow")
    assert [b["id"] for b in agenda["answer"]["bookings"]] == [team["booking"]]

    times = ask(api, "find a time for Sofia and Bob tomorrow for an hour")
    starts = [s["start"] for s in times["answer"]["slots"]]
    assert starts[0] == "2026-12-02T09:00:00Z" and "2026-12-02T10:00:00Z" not in starts

    shares = ask(api, "how is the distribution")
    assert shares["answer"]["booking_type"] == "discovery-call"
    assert {h["host_id"]: h["bookings"] for h in shares["answer"]["hosts"]} == {
        team["sofia"]: 1,
        team["bob"]: 0,
    }


def test_what_is_not_understood_gets_suggestions(api: Api, team: dict[str, Any]) -> None:
    body = ask(api, "what's the weather like")
    assert body["understood"] is False
    assert body["message"] and body["suggestions"]
    assert "plan_id" not in body


def test_a_bad_request_is_the_error_envelope(api: Api) -> None:
    bad = api.post("/v1/assistant", {"text": "who is free", "timezone": "Mars/Olympus"})
    assert "timezone" in assert_error(bad, 422, "invalid_request")["error"]["details"]
    assert_error(api.post("/v1/assistant", {"text": ""}), 422, "invalid_request")


def test_two_confirmations_at_once_run_the_plan_once(
    api: Api, team: dict[str, Any], db: Database
) -> None:
    plan = ask(api, "give grace's call to someone else")
    before = moves(api, team["booking"])
    org_id = orgs.authenticate(db, api.key)
    assert org_id is not None
    start = threading.Barrier(4)

    def confirm() -> str:
        start.wait()
        try:
            assistant.confirm(db, org_id, plan["plan_id"], SYSTEM)
        except Conflict as refusal:
            return refusal.code
        return "ran"

    with ThreadPoolExecutor(4) as pool:
        outcomes = sorted(pool.map(lambda _: confirm(), range(4)))
    assert outcomes == ["plan_already_run"] * 3 + ["ran"]
    assert moves(api, team["booking"]) == before + 1


def test_a_failed_action_gives_the_apis_own_refusal(api: Api, team: dict[str, Any]) -> None:
    plan = ask(api, "move Grace Hopper's call to Saturday at 3pm")  # nobody works then
    saturday = plan["actions"][0]["start"]
    refused = api.post(f"/v1/bookings/{team['booking']}/reschedule", {"start": saturday})
    error = assert_error(refused, 409, "slot_unavailable")["error"]
    done = api.post(f"/v1/assistant/plans/{plan['plan_id']}/confirm").json()
    [result] = done["results"]
    assert result["ok"] is False
    assert result["error"] == {
        "code": error["code"],
        "message": error["message"],
        "details": error.get("details"),
    }
