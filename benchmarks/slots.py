"""Time the engine listing every slot of a 30-day window for a round-robin pool.

30-minute meetings on a 15-minute grid; hosts spread over five timezones, each
with about 120 busy blocks and two time-off ranges, and a fairness ledger.
Prints the median of several runs for pools of 50 and 1000 hosts.

    .venv/bin/python benchmarks/slots.py [--runs 9] [--plain]
"""

from __future__ import annotations

import argparse
import bisect
import random
import statistics
import time
from datetime import datetime

import numpy as np

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
from rota.engine.availability import merge, working_spans

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
        busy, away = [], []
        for _ in range(120):
            start = NOW + rng.randrange(0, 31 * DAY // 900) * 900
            busy.append((start, start + rng.choice([1800, 3600, 5400])))
        for _ in range(2):
            start = NOW + rng.randrange(0, 28) * DAY
            away.append((start, start + rng.randrange(1, 4) * DAY))
        schedules[host_id] = HostSchedule(
            host_id, ZONES[i % len(ZONES)], busy=as_spans(busy), time_off=as_spans(away)
        )
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


def plain_python(booking_type: BookingType, schedules: dict[str, HostSchedule], ledger) -> int:
    """The same listing written as loops over starts and hosts, for comparison: bisect on
    each host's merged spans, then the fairest free host of the top priority per start."""
    lo, hi = NOW, NOW + 30 * DAY
    duration, step = booking_type.duration_minutes * 60, booking_type.step_minutes * 60
    hosts = []
    for member in booking_type.hosts:
        schedule = schedules[member.host_id]
        work = working_spans(schedule, lo - DAY, hi + DAY).tolist()
        busy = merge(np.concatenate((schedule.busy, schedule.time_off))).tolist()
        standing = ledger.get(member.host_id, Standing())
        hosts.append((member, [w[0] for w in work], work, [b[0] for b in busy], busy, standing))
    starts = sorted(
        {w[0] + k * step for h in hosts for w in h[2] for k in range((w[1] - w[0]) // step)}
    )
    count = 0
    for start in (s for s in starts if lo <= s < hi):
        end = start + duration
        free = []
        for member, work_starts, work, busy_starts, busy, standing in hosts:
            i = bisect.bisect_right(work_starts, start) - 1
            if i < 0 or work[i][1] < end:
                continue
            j = bisect.bisect_left(busy_starts, end) - 1
            if j >= 0 and busy[j][1] > start:
                continue
            free.append((member, standing))
        if not free:
            continue
        top = max(m.priority for m, _ in free)
        tier = [(m, s) for m, s in free if m.priority == top]
        total = sum(m.weight for m, _ in tier)
        min(tier, key=lambda ms: (ms[1].lag - ms[0].weight / total, ms[1].last_assigned or 0))
        count += 1
    return count


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
    parser.add_argument("--plain", action="store_true", help="also time a plain-Python version")
    args = parser.parse_args()
    for size, goal in [(50, 10), (1000, 150)]:
        median, count = measure(size, args.runs)
        print(
            f"round-robin pool of {size:>4} hosts: {count} slots in 30 days, "
            f"median {median:7.2f} ms over {args.runs} runs (goal <= {goal} ms)"
        )
        if args.plain:
            booking_type, schedules, ledger = team(size)
            began = time.perf_counter()
            plain = plain_python(booking_type, schedules, ledger)
            elapsed = (time.perf_counter() - began) * 1000
            print(f"  plain-Python loops, same pool: {plain} slots, {elapsed:9.1f} ms (one run)")


if __name__ == "__main__":
    main()
