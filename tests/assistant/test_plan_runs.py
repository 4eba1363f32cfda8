"""A confirmed plan's actions, on SQLite and PostgreSQL, as `POST /v1/assistant` and
`POST /v1/assistant/plans/{id}/confirm` run them, seen through the API afterwards: time
off is the named host's over the day asked for, with the assistant's reason; a booking
handed to a named host goes to that host; a hand-over, cancellation or move records the
assistant's reason in the booking's history; a meeting keeps its description and its
guests' names and emails; and when some of a host's bookings cannot move, the result
says how many, each with the API's own refusal."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rota import assistant as plans
from rota.api import create_app
from rota.service import assistant, orgs
from rota.store.db import Database
from tests.api.support import Api, iso
from tests.databases import database_url, db, postgres_url
from tests.teams import Team, make_team, monday

__all__ = ["database_url", "db", "postgres_url"]

HOUR = timedelta(hours=1)
REASON = "asked of the assistant"


@pytest.fixture
def team(db: Database) -> Team:
    return make_team(db)


@pytest.fixture
def api(database_url: str, db: Database, team: Team) -> Iterator[Api]:
    """The API as the team's organization, "acme"."""
    with TestClient(create_app(database_url), raise_server_exceptions=False) as client:
        yield Api(client, orgs.create_key(db, "acme"))


def wednesday() -> datetime:
    """00:00 UTC of the Wednesday after next: every test's day, in the future."""
    return monday(2) + 2 * timedelta(days=1)


def on(day: datetime) -> str:
    return f"on {day.day} {day:%b}"


def plan_of(api: Api, text: str) -> dict[str, Any]:
    response = api.post("/v1/assistant", {"text": text, "timezone": "UTC"})
    assert response.status_code == 200, response.text
    plan: dict[str, Any] = response.json()
    assert "plan_id" in plan, plan
    return plan


def confirmed(api: Api, plan_id: str) -> dict[str, Any]:
    response = api.post(f"/v1/assistant/plans/{plan_id}/confirm")
    assert response.status_code == 200, response.text
    [result] = response.json()["results"]
    assert isinstance(result, dict)
    return result


def run(api: Api, text: str) -> None:
    result = confirmed(api, plan_of(api, text)["plan_id"])
    assert result["ok"] is True, result


def booking(api: Api, booking_id: str) -> dict[str, Any]:
    response = api.get(f"/v1/bookings/{booking_id}")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def time_off(api: Api, host_id: str) -> list[tuple[str, str, str | None]]:
    response = api.get(f"/v1/hosts/{host_id}/time-off")
    assert response.status_code == 200, response.text
    return [(o["start"], o["end"], o["reason"]) for o in response.json()["time_off"]]


def test_time_off_asked_for_is_the_named_hosts_over_the_day_with_the_assistants_reason(
    api: Api, team: Team
) -> None:
    day = wednesday()
    run(api, f"Linus is out {on(day)}")
    assert time_off(api, team.linus) == [(iso(day), iso(day + 24 * HOUR), REASON)]
    assert time_off(api, team.ada) == time_off(api, team.grace) == []


def test_a_booking_handed_to_a_named_host_goes_to_that_host_with_the_reason(
    api: Api, team: Team
) -> None:
    day = wednesday()
    call = team.held_by(team.ada, day + 10 * HOUR)
    for hour, name in ((12, "Zed Secretname"), (14, "Katherine Johnson")):
        team.held_by(team.linus, day + hour * HOUR, name)
    run(api, "give Alan Turing's call to Linus")  # the fair choice would be Grace
    moved = booking(api, call)
    assert moved["host_ids"] == [team.linus]
    last = moved["history"][-1]
    assert (last["action"], last["reason"]) == ("reassigned", REASON)


def test_a_cancellation_records_the_assistants_reason(api: Api, team: Team) -> None:
    call = team.held_by(team.ada, wednesday() + 10 * HOUR)
    run(api, "cancel Alan Turing's call")
    cancelled = booking(api, call)
    assert cancelled["status"] == "cancelled"
    last = cancelled["history"][-1]
    assert (last["action"], last["reason"]) == ("cancelled", REASON)


def test_a_move_records_the_assistants_reason(api: Api, team: Team) -> None:
    day = wednesday()
    call = team.held_by(team.ada, day + 10 * HOUR)
    run(api, f"move Alan Turing's call to {day.day} {day:%b} at 3pm")
    moved = booking(api, call)
    assert moved["start"] == iso(day + 15 * HOUR)
    last = moved["history"][-1]
    assert (last["action"], last["from_start"], last["reason"]) == (
        "rescheduled",
        iso(day + 10 * HOUR),
        REASON,
    )


def test_a_host_out_with_bookings_handed_over_gets_time_off_and_each_move_the_reason(
    api: Api, team: Team
) -> None:
    day = wednesday()
    call = team.held_by(team.ada, day + 10 * HOUR)
    plan = plan_of(api, f"Ada is out {on(day)}, give her bookings to the team")
    assert plan["actions"][0]["time_off"] is True
    assert confirmed(api, plan["plan_id"])["ok"] is True
    assert time_off(api, team.ada) == [(iso(day), iso(day + 24 * HOUR), REASON)]
    moved = booking(api, call)
    assert team.ada not in moved["host_ids"]
    last = moved["history"][-1]
    assert (last["action"], last["reason"]) == ("reassigned", REASON)


def test_bookings_that_cannot_move_are_counted_each_with_the_apis_refusal(
    api: Api, team: Team
) -> None:
    day = wednesday()
    held = {team.book(day + 10 * HOUR, name=name).host_ids[0]: name for name in ("A", "B", "C")}
    assert set(held) == {team.ada, team.grace, team.linus}  # everyone is busy then
    [call] = [
        b["id"] for b in api.get("/v1/bookings").json()["bookings"] if team.ada in b["host_ids"]
    ]
    plan = plan_of(api, f"Ada is out {on(day)}, give her bookings to the team")
    refused = api.post(f"/v1/bookings/{call}/reassign", {"host_id": None})
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    result = confirmed(api, plan["plan_id"])
    assert result["ok"] is False
    assert result["error"] == {
        "code": "not_all_reassigned",
        "message": "1 of the host's bookings could not move.",
        "details": {
            call: {
                "code": error["code"],
                "message": error["message"],
                "details": error.get("details"),
            }
        },
    }
    assert booking(api, call)["host_ids"] == [team.ada]


class Meeting:
    """A planner that reads every request as one meeting, as a language model might,
    with a description and guests named apart from their emails."""

    def __init__(self, action: plans.CreateMeeting) -> None:
        self.action = action

    def read(self, request: plans.Request, team: plans.Team) -> plans.Reading:
        return plans.Change("Book the planning meeting.", (self.action,))


def test_a_meeting_keeps_its_description_and_its_guests_names_and_emails(
    api: Api, team: Team, db: Database
) -> None:
    start = wednesday() + 15 * HOUR
    guests = (
        {"name": "Alan Turing", "email": "alan@example.com"},
        {"name": "Katherine Johnson", "email": "katherine@example.com"},
    )
    action = plans.CreateMeeting(
        "Planning", (team.ada, team.grace), start, start + HOUR, guests, "Next quarter's hiring."
    )
    plan = assistant.ask(db, team.org_id, "plan it", "UTC", planner=Meeting(action))
    assert isinstance(plan, assistant.Preview), plan
    result = confirmed(api, plan.plan_id)
    assert result["ok"] is True, result
    [meeting] = api.get("/v1/bookings").json()["bookings"]
    assert (meeting["title"], meeting["host_ids"], meeting["start"], meeting["end"]) == (
        "Planning",
        [team.ada, team.grace],
        iso(start),
        iso(start + HOUR),
    )
    assert meeting["description"] == "Next quarter's hiring."
    assert [(a["name"], a["email"]) for a in meeting["attendees"]] == [
        ("Alan Turing", "alan@example.com"),
        ("Katherine Johnson", "katherine@example.com"),
    ]
