"""Time the engine listing every slot of a 30-day window for a round-robin pool.

30-minute meetings on a 15-minute grid; hosts spread over five timezones, each
with about 120 busy blocks and two time-off ranges, and a fairness ledger.
Prints the median of several runs for pools of 50 and 1000 hosts.

    .venv/bin/python benchmarks/slots.py [--runs 9]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import datetime

from rota.engine import (
    DAY,
    BookingType,
    HostMode,
    HostSchedule,
    PoolMember,
    Standing,
    as_spans,
    list_slots,
)

ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Adelaide", "Europe/Berlin"]
NOW = int(datetime.fromisoformat("2026-12-01T00:00:00+00:00").timestamp())


def team(
    size: int, seed: int = 7
) -> tuple[BookingType, dict[str, HostSchedule], dict[str, Standing]]:
    rng = random.Random(seed)
    schedules = {}
    ledger = {}
    for i in range(size):
        host_id = f"h{i:04d}"
        busy = []
        for _ in range(120):
            start = NOW + rng.randrange(0, 31 * DAY // 900) * 900
            busy.append((start, start + rng.choice([1800, 3600, 5400])))
        for _ in range(2):
            start = NOW + rng.randrange(0, 28) * DAY
            busy.append((start, start + rng.randrange(1, 4) * DAY))
        schedules[host_id] = HostSchedule(host_id, ZONES[i % len(ZONES)], busy=as_spans(busy))
        ledger[host_id] = Standing(rng.randrange(0, 20), rng.uniform(0, 20), rng.randrange(NOW))
    members = tuple(
        PoolMember(h, weight=rng.choice([50, 100, 200]), priority=rng.choice([1, 2, 2, 3]))
        for h in schedules
    )
    booking_type = BookingType(
        "discovery-call",
        duration_minutes=30,
        host_mode=HostMode.ROUND_ROBIN,
        hosts=members,
        slot_interval_minutes=15,
    )
    return booking_type, schedules, ledger


def measure(size: int, runs: int) -> tuple[float, int]:
    booking_type, schedules, ledger = team(size)
    timings = []
    count = 0
    for _ in range(runs):
        began = time.perf_counter()
        slots = list_slots(booking_type, schedules, ledger, now=NOW, start=NOW, end=NOW + 30 * DAY)
        timings.append(time.perf_counter() - began)
        count = len(slots)
    return statistics.median(timings) * 1000, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    for size, goal in [(50, 10), (1000, 150)]:
        median, count = measure(size, args.runs)
        print(
            f"round-robin pool of {size:>4} hosts: {count} slots in 30 days, "
            f"median {median:7.2f} ms over {args.runs} runs (goal <= {goal} ms)"
        )


if __name__ == "__main__":
    main()
