"""How closely round-robin shares follow the weights when the team is busy.

Runs ``rota simulate`` (the in-memory simulator, times drawn from what is offered
at each booking) on two teams whose hosts are on duty around the clock, with
calendar busy time on top of the bookings they take:

1. a trio weighted 100/200/300, in meetings a fifth, then a third of the time, 600
   bookings (the host weighted 300 is then busy over half the time, with its own);
2. 50 hosts weighted 50/100/200, each with 120 busy blocks over the month, 1000
   bookings.

For each run it prints each host's share of the bookings against its weight share
(the trio in full, the pool as its lowest and highest ratio) and the mean relative
error ``|share - weight share| / weight share``. Aim: <= 3 %.

    .venv/bin/python benchmarks/fairness.py [--seeds 1 2 3]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
from datetime import UTC, datetime, timedelta
from typing import Any

from rota import engine, simulator, teamfile

NOW = datetime(2026, 12, 1, tzinfo=UTC)
AROUND_THE_CLOCK = [
    {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "start": "00:00", "end": "24:00"}
]


def _busy(rng: random.Random, blocks: int | None, share: float) -> list[dict[str, str]]:
    """Meetings over 40 days: ``blocks`` of 30 to 90 minutes, or (``blocks`` None) one
    to four hours at a time covering about ``share`` of the time."""
    out = []
    if blocks is not None:
        for _ in range(blocks):
            start = NOW + timedelta(minutes=15 * rng.randrange(0, 4 * 24 * 30))
            end = start + timedelta(minutes=rng.choice([30, 60, 90]))
            out.append({"start": start.isoformat(), "end": end.isoformat()})
        return out
    t = NOW
    while t < NOW + timedelta(days=40):
        length = timedelta(minutes=30 * rng.randint(2, 8))
        if rng.random() < share:
            out.append({"start": t.isoformat(), "end": (t + length).isoformat()})
        t += length
    return out


def team(weights: list[int], seed: int, *, blocks: int | None, share: float) -> dict[str, Any]:
    rng = random.Random(seed)
    hosts = [
        {
            "id": f"h{i:02d}",
            "name": f"Host {i}",
            "email": f"h{i}@example.com",
            "timezone": "UTC",
            "working_hours": AROUND_THE_CLOCK,
            "busy": _busy(rng, blocks, share),
        }
        for i in range(len(weights))
    ]
    booking_type = {
        "slug": "rr",
        "title": "Round robin",
        "duration_minutes": 30,
        "host_mode": "round_robin",
        "hosts": [{"host_id": h["id"], "weight": w} for h, w in zip(hosts, weights, strict=True)],
        "booking_window_days": 30,
    }
    return {"now": NOW.isoformat(), "hosts": hosts, "booking_types": [booking_type]}


def run(data: dict[str, Any], bookings: int, seed: int) -> simulator.Simulation:
    parsed = teamfile.parse(json.dumps(data), "<generated>")
    booking_type = teamfile.to_booking_type(parsed.booking_types[0])
    return simulator.simulate(
        booking_type, parsed.schedules(), now=parsed.start(), bookings=bookings, seed=seed
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    args = parser.parse_args()
    errors: dict[str, list[float]] = {"trio, busy 1/5": [], "trio, busy 1/3": [], "pool": []}
    for seed in args.seeds:
        for busy in (1 / 5, 1 / 3):
            trio = run(team([100, 200, 300], seed, blocks=None, share=busy), 600, seed)
            shares = engine.weighted_shares(trio.shares)
            line = ", ".join(f"{w.share:.1%} for {w.weight_share:.1%}" for w in shares)
            error = engine.mean_relative_error(trio.shares) or 0.0
            errors[f"trio, busy 1/{round(1 / busy)}"].append(error)
            print(
                f"trio 100/200/300 busy 1/{round(1 / busy)}, seed {seed}: {line}; "
                f"mean relative error {error:.1%}"
            )
        weights = random.Random(seed).choices([50, 100, 200], k=50)
        pool = run(team(weights, seed, blocks=120, share=0), 1000, seed)
        ratios = [w.ratio for w in engine.weighted_shares(pool.shares)]
        error = engine.mean_relative_error(pool.shares) or 0.0
        errors["pool"].append(error)
        print(
            f"50 hosts 50/100/200, seed {seed}: share / weight share from {min(ratios):.2f}x "
            f"to {max(ratios):.2f}x; mean relative error {error:.1%} "
            f"({pool.unbooked} of 1000 found no slot)"
        )
    for name, values in errors.items():
        print(f"{name}: median mean relative error {statistics.median(values):.1%} (aim <= 3%)")


if __name__ == "__main__":
    main()
