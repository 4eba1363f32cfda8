"""Meetings racing for the same person, across two server processes, on SQLite and
PostgreSQL: never a double booking (API.md, Find a Time and meetings)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.api.support import assert_error, iso, monday
from tests.api.test_concurrency import Servers, booking, round_robin, servers, team

__all__ = ["servers"]

ROUNDS = 4


def meeting(title: str, host_ids: list[str], start: Any) -> Any:
    body = {
        "title": title,
        "host_ids": host_ids,
        "start": iso(start),
        "end": iso(start + timedelta(minutes=30)),
    }
    return lambda c: c.post("/v1/meetings", json=body)


def test_two_meetings_racing_for_one_person_make_one_201_and_one_409(
    servers: Servers,
) -> None:
    with servers.client() as c:
        ada, bob, cy = team(c, ["ada", "bob", "cy"])
    for round_ in range(ROUNDS):
        # Overlapping, not equal: the second starts a quarter later.
        start = monday() + timedelta(days=1, hours=9 + round_)
        later = start + timedelta(minutes=15)
        first, second = servers.race(
            [meeting("A", [ada, bob], start), meeting("B", [cy, ada], later)]
        )
        made = [r for r in (first, second) if r.status_code == 201]
        assert len(made) == 1, (first.text, second.text)
        [refused] = [r for r in (first, second) if r.status_code != 201]
        assert_error(refused, 409, "slot_unavailable")
    with servers.client() as c:
        held = c.get("/v1/bookings", params={"host_id": ada}).json()["bookings"]
    assert len(held) == ROUNDS


def test_a_meeting_and_a_booking_racing_for_the_last_free_host(servers: Servers) -> None:
    with servers.client() as c:
        ada, bob = team(c, ["ada", "bob"])
        round_robin(c, "rr", [ada, bob])
    for round_ in range(ROUNDS):
        start = monday() + timedelta(days=2, hours=9 + round_)
        # Bob is taken first; then a meeting and a booking both want Ada.
        with servers.client() as c:
            response = c.post(
                "/v1/meetings",
                json={
                    "title": "Bob's",
                    "host_ids": [bob],
                    "start": iso(start),
                    "end": iso(start + timedelta(minutes=30)),
                },
            )
            assert response.status_code == 201, response.text
        responses = servers.race([meeting("Ada's", [ada], start), booking("rr", iso(start), "g")])
        assert sorted(r.status_code for r in responses) == [201, 409], [r.text for r in responses]
    with servers.client() as c:
        held = c.get("/v1/bookings", params={"host_id": ada}).json()["bookings"]
    assert len(held) == ROUNDS
