"""No double booking under concurrency: many clients, several server processes,
on SQLite and on PostgreSQL (API.md, Bookings)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx

from rota.service import orgs
from rota.store.db import Database
from tests.api.server import serve
from tests.api.support import assert_error, iso, monday

CLIENTS = 40


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
