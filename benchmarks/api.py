"""Time the HTTP API on a real server: slot listing and concurrent booking.

1. Median latency of ``GET /v1/booking-types/{slug}/slots`` for a 30-day window
   of a 50-host round-robin pool (hosts over five timezones, each with 120 busy
   blocks, two time-off ranges, and 200 bookings made), 15-minute grid, over
   HTTP, on SQLite and on PostgreSQL (one server process). Goal: <= 15 ms.
   Three cases: nothing changed since the last listing (the server keeps each
   host's busy time, `rota.store.busy_cache`), one host's busy time changed
   before each request (as a booking or a calendar sync does), and every host's
   (all busy time read again, as on a server's first listing).
2. Bookings per second with 8 concurrent clients on PostgreSQL served by two
   server processes, then the number of double bookings found in the database
   (two active bookings of one host whose buffered times overlap). Goal:
   >= 150/s and 0.

    .venv/bin/python benchmarks/api.py [--requests 40] [--bookings 600] [--skip-sqlite]

PostgreSQL is ROTA_TEST_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test);
a fresh database is created in it and dropped at the end.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import secrets
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from rota.actor import SYSTEM
from rota.engine import SlotUnavailable
from rota.service import booking_types, bookings, hosts, orgs
from rota.serving import serve
from rota.store.db import Database
from rota.store.tables import BusyBlock, TimeOff

ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Adelaide", "Europe/Berlin"]
POOL = 50
POSTGRES_URL = os.environ.get(
    "ROTA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def monday(weeks_ahead: int) -> datetime:
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks_ahead)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def build_team(db: Database, *, busy_per_host: int, bookings_made: int) -> str:
    """An organization with a 50-host round-robin type "rr"; returns its API key."""
    rng = random.Random(7)
    key = orgs.create_key(db, "bench")
    org_id = orgs.ensure_org(db, "bench")
    start = monday(1)
    ids = []
    for i in range(POOL):
        host = hosts.create_host(
            db, org_id, name=f"Host {i}", email=f"h{i}@example.com", timezone=ZONES[i % 5]
        )
        ids.append(host.id)
        for _ in range(busy_per_host):
            at = start + timedelta(days=rng.randrange(30), minutes=15 * rng.randrange(96))
            hosts.add_span(
                db,
                org_id,
                host.id,
                BusyBlock,
                start=at,
                end=at + timedelta(minutes=rng.choice((30, 60, 90))),
                label=None,
            )
        for _ in range(2):
            off = start + timedelta(days=rng.randrange(30))
            hosts.add_span(
                db, org_id, host.id, TimeOff, start=off, end=off + timedelta(days=2), label=None
            )
    booking_types.create_booking_type(
        db,
        org_id,
        {
            "slug": "rr",
            "title": "Round robin",
            "duration_minutes": 30,
            "slot_interval_minutes": 15,
            "host_mode": "round_robin",
            "hosts": [{"host_id": h, "weight": rng.choice((50, 100, 200))} for h in ids],
            "booking_window_days": 60,
            "buffer_after_minutes": 5,
        },
    )
    made = 0
    for day, quarter in itertools.product(range(30), range(96)):
        if made >= bookings_made:
            break
        outcome = _try_book(db, org_id, start + timedelta(days=day, minutes=15 * quarter))
        made += outcome
    return key


def _try_book(db: Database, org_id: str, start: datetime) -> int:
    try:
        bookings.book(
            db,
            org_id,
            booking_type="rr",
            start=start,
            attendee=bookings.Attendee("Guest", "guest@example.com"),
            actor=SYSTEM,
        )
    except SlotUnavailable:  # not offered at that time; the next one will be
        return 0
    return 1


@contextmanager
def fresh_postgres() -> Iterator[str]:
    admin_url = make_url(POSTGRES_URL)
    name = f"rota_bench_{secrets.token_hex(4)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# What a booking or a calendar sync does to a host's busy version (migration 0009).
TOUCH_ONE = (
    "UPDATE hosts SET busy_version = busy_version + 1 WHERE id = (SELECT min(id) FROM hosts)"
)
TOUCH_ALL = "UPDATE hosts SET busy_version = busy_version + 1"
CASES = {"unchanged": None, "one host changed": TOUCH_ONE, "every host changed": TOUCH_ALL}


def slot_latency(url: str, requests: int) -> tuple[dict[str, float], int]:
    """Median milliseconds of a 30-day slot listing over HTTP in each of `CASES`, and
    the slots it lists."""
    db = Database(url)
    db.upgrade()
    key = build_team(db, busy_per_host=120, bookings_made=200)
    start = monday(1)
    params = {"start": iso(start), "end": iso(start + timedelta(days=30)), "timezone": "UTC"}
    medians = {}
    with (
        serve(url, workers=1) as base,
        httpx.Client(
            base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60
        ) as client,
    ):
        for _ in range(3):
            client.get("/v1/booking-types/rr/slots", params=params).raise_for_status()
        for case, touch in CASES.items():
            timings = []
            for _ in range(requests):
                if touch is not None:
                    with db.engine.begin() as connection:
                        connection.execute(text(touch))
                began = time.perf_counter()
                response = client.get("/v1/booking-types/rr/slots", params=params)
                timings.append((time.perf_counter() - began) * 1000)
                response.raise_for_status()
            medians[case] = statistics.median(timings)
    db.dispose()
    return medians, len(response.json()["slots"])


def print_latency(backend: str, medians: dict[str, float], slots: int) -> None:
    for case, median in medians.items():
        print(
            f"slots, 30 days, {POOL}-host round-robin, {backend}, {case}: "
            f"median {median:6.1f} ms ({slots} slots; goal <= 15 ms)"
        )


DOUBLE_BOOKINGS = """
SELECT count(*) FROM booking_hosts a JOIN booking_hosts b
  ON a.host_id = b.host_id AND a.booking_id < b.booking_id
 AND a.busy_start < b.busy_end AND b.busy_start < a.busy_end
WHERE a.active AND b.active
"""


def booking_throughput(url: str, total: int, clients: int = 8) -> tuple[float, int, int, int]:
    """Bookings/s with `clients` concurrent clients on two server processes; also the
    refusals (409), other failures, and double bookings found afterwards."""
    db = Database(url)
    db.upgrade()
    key = build_team(db, busy_per_host=10, bookings_made=0)
    db.dispose()
    start = monday(1)
    with serve(url, workers=2) as base:
        headers = {"Authorization": f"Bearer {key}"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            params = {"start": iso(start), "end": iso(start + timedelta(days=30))}
            offered = client.get("/v1/booking-types/rr/slots", params=params).json()["slots"]
        # Several bookings per time: the clients compete for the same hosts.
        starts = iter([s["start"] for s in offered for _ in range(4)][:total])
        lock = threading.Lock()
        counts = {"ok": 0, "refused": 0, "failed": 0}

        def run() -> None:
            with httpx.Client(base_url=base, headers=headers, timeout=60) as own:
                while True:
                    with lock:
                        at = next(starts, None)
                    if at is None:
                        return
                    body = {
                        "booking_type": "rr",
                        "start": at,
                        "attendee": {"name": "Guest", "email": "guest@example.com"},
                    }
                    status = own.post("/v1/bookings", json=body).status_code
                    kind = "ok" if status == 201 else "refused" if status == 409 else "failed"
                    with lock:
                        counts[kind] += 1

        threads = [threading.Thread(target=run) for _ in range(clients)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    engine = create_engine(url)
    with engine.connect() as connection:
        doubles = int(connection.execute(text(DOUBLE_BOOKINGS)).scalar_one())
    engine.dispose()
    return counts["ok"] / elapsed, counts["refused"], counts["failed"], doubles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40, help="timed slot requests")
    parser.add_argument("--bookings", type=int, default=600, help="booking attempts")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores")
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            print_latency("SQLite", *slot_latency(f"sqlite:///{tmp}/bench.db", args.requests))
    with fresh_postgres() as url:
        print_latency("PostgreSQL", *slot_latency(url, args.requests))
    with fresh_postgres() as url:
        rate, refused, failed, doubles = booking_throughput(url, args.bookings)
    print(
        f"bookings, 8 clients, PostgreSQL, 2 server processes: {rate:6.1f}/s "
        f"(goal >= 150/s; {refused} refused as taken, {failed} other failures)"
    )
    print(f"double bookings found afterwards: {doubles} (must be 0)")


if __name__ == "__main__":
    main()
