"""No double booking under concurrency: many clients, several server processes,
on SQLite and on PostgreSQL (API.md, Bookings)."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest

from rota.service import orgs
from rota.serving import serve
from rota.store.db import Database
from tests.api.support import assert_error, iso, monday

CLIENTS = 40
ROUNDS = 4


@dataclass
class Servers:
    """Two rota server processes on one database, and the organization's key."""

    bases: tuple[str, str]
    headers: dict[str, str]

    def client(self, index: int = 0) -> httpx.Client:
        base = self.bases[index % 2]
        return httpx.Client(base_url=base, headers=self.headers, timeout=120)

    def race(self, requests: Sequence[Callable[[httpx.Client], httpx.Response]]) -> list[Any]:
        """Send the requests at once, each from its own client, alternating processes."""
        gate = threading.Barrier(len(requests))

        def send(index: int) -> httpx.Response:
            with self.client(index) as own:
                gate.wait()
                return requests[index](own)

        with ThreadPoolExecutor(len(requests)) as pool:
            return list(pool.map(send, range(len(requests))))


@pytest.fixture
def servers(database_url: str, db: Database) -> Iterator[Servers]:
    key = orgs.create_key(db, "acme")
    with ExitStack() as stack:
        bases = (
            stack.enter_context(serve(database_url, workers=1)),
            stack.enter_context(serve(database_url, workers=1)),
        )
        yield Servers(bases, {"Authorization": f"Bearer {key}"})


def team(c: httpx.Client, names: Sequence[str]) -> list[str]:
    """Hosts of those names (UTC, Monday to Friday 09:00-17:00); their ids."""
    ids = []
    for name in names:
        response = c.post(
            "/v1/hosts", json={"name": name, "email": f"{name}@x.io", "timezone": "UTC"}
        )
        response.raise_for_status()
        ids.append(response.json()["id"])
    return ids


def round_robin(c: httpx.Client, slug: str, host_ids: Sequence[str]) -> None:
    body = {
        "slug": slug,
        "title": slug.title(),
        "duration_minutes": 30,
        "host_mode": "round_robin",
        "hosts": [{"host_id": h} for h in host_ids],
    }
    c.post("/v1/booking-types", json=body).raise_for_status()


def booking(
    slug: str, start: str, guest: str, key: str | None = None
) -> Callable[[httpx.Client], httpx.Response]:
    body = {
        "booking_type": slug,
        "start": start,
        "attendee": {"name": f"Guest {guest}", "email": f"guest{guest}@x.io"},
    }
    headers = {"Idempotency-Key": key} if key else {}
    return lambda c: c.post("/v1/bookings", json=body, headers=headers)


def test_forty_simultaneous_bookings_of_one_time_fill_three_hosts_once(
    database_url: str, db: Database
) -> None:
    key = orgs.create_key(db, "acme")
    headers = {"Authorization": f"Bearer {key}"}
    start = iso(monday() + timedelta(hours=9))
    with serve(database_url, workers=2) as base, httpx.Client(base_url=base, headers=headers) as c:
        ids = [
            c.post("/v1/hosts", json={"name": n, "email": f"{n}@x.io", "timezone": "UTC"}).json()[
                "id"
            ]
            for n in ("ada", "bob", "cy")
        ]
        c.post(
            "/v1/booking-types",
            json={
                "slug": "rr",
                "title": "RR",
                "duration_minutes": 30,
                "host_mode": "round_robin",
                "hosts": [{"host_id": h} for h in ids],
            },
        ).raise_for_status()
        gate = threading.Barrier(CLIENTS)

        def book(i: int) -> httpx.Response:
            body = {
                "booking_type": "rr",
                "start": start,
                "attendee": {"name": f"Guest {i}", "email": f"guest{i}@x.io"},
            }
            with httpx.Client(base_url=base, headers=headers, timeout=120) as own:
                gate.wait()
                return own.post("/v1/bookings", json=body)

        with ThreadPoolExecutor(CLIENTS) as pool:
            responses = list(pool.map(book, range(CLIENTS)))

        created = [r for r in responses if r.status_code == 201]
        assert len(created) == 3, [r.text for r in responses if r.status_code != 409]
        assert sorted(h for r in created for h in r.json()["host_ids"]) == sorted(ids)
        for r in responses:
            if r.status_code != 201:
                assert_error(r, 409, "slot_unavailable")
        stored = c.get("/v1/bookings").json()["bookings"]
        assert sorted(b["id"] for b in stored) == sorted(r.json()["id"] for r in created)


def reassign(booking_id: str) -> Callable[[httpx.Client], httpx.Response]:
    return lambda c: c.post(f"/v1/bookings/{booking_id}/reassign", json={})


def test_as_many_simultaneous_bookings_as_hosts_all_succeed_round_after_round(
    servers: Servers,
) -> None:
    with servers.client() as c:
        ids = team(c, [f"h{i}" for i in range(6)])
        round_robin(c, "rr", ids)
        for turn in range(ROUNDS):
            start = iso(monday() + timedelta(hours=9, minutes=30 * turn))
            responses = servers.race([booking("rr", start, f"{turn}-{i}") for i in range(len(ids))])
            assert [r.status_code for r in responses] == [201] * len(ids), [
                r.text for r in responses
            ]
            # Nobody double-booked: every host has exactly one of them.
            assert sorted(h for r in responses for h in r.json()["host_ids"]) == sorted(ids)
        assert len(c.get("/v1/bookings").json()["bookings"]) == ROUNDS * len(ids)


def test_two_types_sharing_hosts_never_double_book_one(servers: Servers) -> None:
    with servers.client() as c:
        a, b, cy, d = team(c, ["ada", "bob", "cy", "dee"])
        round_robin(c, "sales", [a, b, cy])
        round_robin(c, "support", [b, cy, d])
        for turn in range(ROUNDS):
            start = iso(monday() + timedelta(hours=9, minutes=30 * turn))
            responses = servers.race(
                [
                    booking(slug, start, f"{turn}-{slug}-{i}")
                    for i in range(8)
                    for slug in ("sales", "support")
                ]
            )
            created = [r.json() for r in responses if r.status_code == 201]
            for r in responses:
                if r.status_code != 201:
                    assert_error(r, 409, "slot_unavailable")
            # Each type ran out of hosts, so all four are taken, each once.
            assert sorted(h for b in created for h in b["host_ids"]) == sorted([a, b, cy, d])


def test_a_reassign_racing_a_new_booking_for_the_same_time_double_books_nobody(
    servers: Servers,
) -> None:
    with servers.client() as c:
        ids = team(c, ["ada", "bob"])
        round_robin(c, "rr", ids)
        for turn in range(ROUNDS * 2):
            start = iso(monday() + timedelta(hours=9, minutes=30 * turn))
            first = booking("rr", start, f"{turn}-first")(c).json()
            [before] = first["host_ids"]
            moved, new = servers.race(
                [reassign(first["id"]), booking("rr", start, f"{turn}-second")]
            )
            assert new.status_code == 201, new.text
            [other] = set(ids) - {before}
            now = c.get(f"/v1/bookings/{first['id']}").json()["host_ids"]
            if moved.status_code == 200:  # the reassign went first: the hosts swapped
                assert (now, new.json()["host_ids"]) == ([other], [before])
            else:  # the new booking went first and took the only other host
                assert_error(moved, 409, "no_host_available")
                assert (now, new.json()["host_ids"]) == ([before], [other])


def test_a_retry_sent_to_two_processes_at_once_books_once(servers: Servers) -> None:
    with servers.client() as c:
        ids = team(c, ["ada", "bob", "cy"])
        round_robin(c, "rr", ids)
        for turn in range(ROUNDS):
            start = iso(monday() + timedelta(hours=9, minutes=30 * turn))
            same = booking("rr", start, f"{turn}", key=f"retry-{turn}")
            first, second = servers.race([same, same])
            assert (first.status_code, second.status_code) == (201, 201), (first.text, second.text)
            assert first.json() == second.json()
        stored = c.get("/v1/bookings").json()["bookings"]
        assert len(stored) == ROUNDS


def test_twenty_simultaneous_reschedules_of_one_booking_leave_one_booking(
    servers: Servers,
) -> None:
    with servers.client() as c:
        ids = team(c, ["ada", "bob", "cy"])
        round_robin(c, "rr", ids)
        first = booking("rr", iso(monday() + timedelta(hours=9)), "moved")(c).json()
        targets = [monday() + timedelta(days=1, hours=9, minutes=30 * i) for i in range(10)]

        def move(i: int) -> Callable[[httpx.Client], httpx.Response]:
            body = {"start": iso(targets[i % len(targets)])}
            return lambda own: own.post(f"/v1/bookings/{first['id']}/reschedule", json=body)

        responses = servers.race([move(i) for i in range(20)])
        for r in responses:
            if r.status_code != 200:
                assert_error(r, 409, "slot_unavailable")
        assert any(r.status_code == 200 for r in responses)
        [stored] = c.get("/v1/bookings").json()["bookings"]
        assert stored["id"] == first["id"] and stored["status"] == "confirmed"
        # Each move that went through is one history entry, each from where the last left it.
        moves = [e for e in stored["history"] if e["action"] == "rescheduled"]
        assert len(moves) == sum(r.status_code == 200 for r in responses)
        for before, after in itertools.pairwise(moves):
            assert after["from_start"] == before["start"]
        # Nobody holds the booking twice, and no host is double-booked at the final time.
        assert len(stored["host_ids"]) == 1
