"""Time the simulator booking 1000 round-robin bookings for a 50-host team.

The team is built as a team file (so validation and conversion are timed apart):
hosts over five timezones, each with about 40 busy blocks and a few days off,
weights 50/100/200 and two priorities. Prints the wall time of the run and the
largest |lag| any host reached.

    .venv/bin/python benchmarks/simulate.py [--hosts 50] [--bookings 1000] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from rota import simulator, teamfile

ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Adelaide", "Europe/Berlin"]
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _block(start: datetime, end: datetime) -> dict[str, str]:
    return {"start": start.isoformat(), "end": end.isoformat()}


def team(size: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    hosts = []
    for i in range(size):
        busy = []
        for _ in range(40):
            start = NOW + timedelta(minutes=15 * rng.randrange(0, 60 * 24 * 4))
            busy.append(_block(start, start + timedelta(minutes=rng.choice([30, 60, 90]))))
        away = NOW + timedelta(days=rng.randrange(0, 55))
        hosts.append(
            {
                "id": f"host-{i:02d}",
                "name": f"Host {i}",
                "email": f"host{i}@example.com",
                "timezone": ZONES[i % len(ZONES)],
                "time_off": [_block(away, away + timedelta(days=rng.randrange(1, 5)))],
                "busy": busy,
            }
        )
    pool = [
        {"host_id": h["id"], "weight": rng.choice([50, 100, 200]), "priority": rng.choice([2, 3])}
        for h in hosts
    ]
    booking_type = {
        "slug": "discovery-call",
        "title": "Discovery call",
        "duration_minutes": 30,
        "host_mode": "round_robin",
        "hosts": pool,
        "slot_interval_minutes": 15,
        "buffer_after_minutes": 10,
    }
    return {"now": NOW.isoformat(), "hosts": hosts, "booking_types": [booking_type]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--bookings", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    began = time.perf_counter()
    team_file = teamfile.parse(json.dumps(team(args.hosts, args.seed)), "<generated>")
    booking_type = teamfile.to_booking_type(team_file.booking_types[0])
    schedules = team_file.schedules()
    loaded = time.perf_counter() - began
    began = time.perf_counter()
    result = simulator.simulate(
        booking_type, schedules, now=team_file.start(), bookings=args.bookings, seed=args.seed
    )
    took = time.perf_counter() - began
    print(
        f"simulate: {args.hosts} hosts, {args.bookings} bookings "
        f"({result.unbooked} unbooked) in {took:.2f} s "
        f"({1000 * took / max(args.bookings, 1):.2f} ms per booking; team file {loaded:.2f} s), "
        f"max |lag| {result.max_abs_lag:.3f}"
    )


if __name__ == "__main__":
    main()
