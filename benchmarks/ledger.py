"""Slot listing and booking cost with 100 and with 10,000 bookings in the fairness window.

The 50-host round-robin pool of ``benchmarks/api.py`` (five zones, 120 busy blocks
and two time-off ranges per host, 15-minute grid) first gets N bookings made over
the last 29 days (their meetings over by now, so they only weigh on the fairness
ledger), each with credits for every host and written to the ledger's running
sums as a booking would. Then, in the process (no HTTP), it times the 30-day
listing and one booking at a time. Goal: with 10,000 bookings both cost at most
1.3 times what they cost with 100.

    .venv/bin/python benchmarks/ledger.py [--runs 15] [--skip-postgres]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.api import build_team, fresh_postgres, monday

from rota import clock
from rota.actor import SYSTEM
from rota.engine import SlotUnavailable
from rota.service import bookings, slots
from rota.store import ledger
from rota.store.db import Database
from rota.store.tables import (
    Booking,
    BookingHost,
    BookingType,
    FairnessCredit,
    from_us,
    to_us,
)

DAY_US = 86_400 * 1_000_000


def past_bookings(db: Database, count: int, seed: int = 3) -> None:
    """`count` confirmed bookings of "rr" made over the last 29 days, meetings over."""
    rng = random.Random(seed)
    now = to_us(clock.now())
    with db.read() as session:
        row = session.scalars(select(BookingType).where(BookingType.slug == "rr")).one()
        pool = [(m.host_id, m.weight) for m in row.pool]
        type_id, org_id = row.id, row.org_id
    total = sum(w for _, w in pool)
    for first in range(0, count, 1000):
        rows, held, credits, changes = [], [], [], []
        for i in range(first, min(count, first + 1000)):
            # Each host's meetings back to back, 45 minutes apart, going back from a day
            # ago; each made up to three days before it, all inside the window.
            start = now - DAY_US - (i // len(pool)) * 2_700_000_000
            made = max(start - rng.randrange(3 * DAY_US), now - 29 * DAY_US)
            host_id = pool[i % len(pool)][0]
            booking_id = f"bk_past_{i:06d}"
            rows.append(
                {
                    "id": booking_id,
                    "org_id": org_id,
                    "booking_type_id": type_id,
                    "status": "confirmed",
                    "start_at": from_us(start),
                    "end_at": from_us(start + 1_800_000_000),
                    "buffer_before_minutes": 0,
                    "buffer_after_minutes": 5,
                    "rotating_host_id": host_id,
                    "attendee_name": "Guest",
                    "attendee_email": "guest@example.com",
                    "created_at": from_us(made),
                    "assigned_at": from_us(made),
                    "sequence": 0,
                    "manage_token": f"past-{i:06d}",
                }
            )
            held.append(
                {
                    "booking_id": booking_id,
                    "host_id": host_id,
                    "position": 0,
                    "busy_start": from_us(start),
                    "busy_end": from_us(start + 2_100_000_000),
                    "active": True,
                }
            )
            shares = {h: w / total for h, w in pool}
            credits += [
                {"booking_id": booking_id, "host_id": h, "credit": c} for h, c in shares.items()
            ]
            changes += [ledger.Change(type_id, h, made, expected=c) for h, c in shares.items()]
            changes.append(ledger.Change(type_id, host_id, made, bookings=1, assigned_us=made))
        with db.write() as session:
            session.execute(insert(Booking), rows)
            session.execute(insert(BookingHost), held)
            session.execute(insert(FairnessCredit), credits)
            ledger.apply(session, changes)


def median_ms(call: Callable[[], object], runs: int) -> float:
    for _ in range(3):
        call()
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def measure(url: str, history: int, runs: int) -> tuple[float, float]:
    """Median ms of a 30-day listing and of one booking, with `history` past bookings."""
    db = Database(url)
    db.upgrade()
    build_team(db, busy_per_host=120, bookings_made=0)
    past_bookings(db, history)
    with db.read() as session:
        org_id = session.scalar(select(Booking.org_id).limit(1)) or ""
    start = monday(1)
    end = start + timedelta(days=30)
    listing = median_ms(lambda: slots.slot_table(db, org_id, "rr", start, end), runs)
    offered = iter(slots.list_slots(db, org_id, "rr", start, end))
    guest = bookings.Attendee("Guest", "guest@example.com")

    def book() -> None:
        for slot in offered:
            try:
                bookings.book(
                    db,
                    org_id,
                    booking_type="rr",
                    start=_at(slot.start),
                    attendee=guest,
                    actor=SYSTEM,
                )
            except SlotUnavailable:  # taken by the booking just made (buffers): try the next
                continue
            return

    booking = median_ms(book, runs)
    db.dispose()
    return listing, booking


def _at(epoch: int) -> datetime:
    return from_us(epoch * 1_000_000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    backends: list[tuple[str, Callable[[], object]]] = [("SQLite", tempfile.TemporaryDirectory)]
    if not args.skip_postgres:
        backends.append(("PostgreSQL", fresh_postgres))
    for name, fresh in backends:
        figures = {}
        for history in (100, 10_000):
            with fresh() as place:  # type: ignore[attr-defined]
                url = place if name == "PostgreSQL" else f"sqlite:///{place}/ledger.db"
                figures[history] = measure(url, history, args.runs)
            listing, booking = figures[history]
            print(
                f"{name}, {history:>6} bookings in the window: listing {listing:6.1f} ms, "
                f"booking {booking:6.1f} ms"
            )
        (l1, b1), (l2, b2) = figures[100], figures[10_000]
        print(
            f"{name}: 10,000 / 100 = listing {l2 / l1:.2f}x, booking {b2 / b1:.2f}x (goal <= 1.3x)"
        )


if __name__ == "__main__":
    main()
