"""The simulator: book a team's booking type many times in memory and watch fairness.

Each booking is made at a start drawn at random (seeded) from the slots offered
at that moment, through the same ``engine.list_slots`` and ``engine.assign`` the
API uses, and then changes what the next booking sees: its hosts lose the
booking's time (widened by the type's buffers) and the fairness ledger records
it. No database: a run is a pure function of the team, the seed and ``now``.
"""

from __future__ import annotations

import bisect
import random
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rota import engine

if TYPE_CHECKING:
    from rich.table import Table

CHART_FORMATS = (".png", ".svg")


@dataclass(frozen=True, slots=True)
class Simulation:
    """The outcome of a run, in the shape of ``rota simulate --json``."""

    bookings: int
    """Bookings asked for (booked or not)."""
    unbooked: int
    """Requests that found no slot offered."""
    max_abs_lag: float
    """The largest ``|bookings - expected|`` of any host after any booking."""
    shares: tuple[engine.Share, ...]
    """Per host: round-robin, the rotating hosts' distribution; solo and collective,
    every host with ``expected`` equal to its bookings (nobody shares them)."""
    assignments: tuple[engine.Assignment, ...]
    """Every booking made, in order."""

    def as_json(self) -> dict[str, Any]:
        # Rounded so the output reads well; the ledger's float noise is far below this.
        return {
            "bookings": self.bookings,
            "unbooked": self.unbooked,
            "max_abs_lag": round(self.max_abs_lag, 6),
            "hosts": [
                {
                    "host_id": s.host_id,
                    "weight": s.weight,
                    "priority": s.priority,
                    "bookings": s.bookings,
                    "expected": round(s.expected, 6),
                }
                for s in self.shares
            ],
        }


def simulate(
    booking_type: engine.BookingType,
    schedules: Mapping[str, engine.HostSchedule],
    *,
    now: int,
    bookings: int,
    seed: int,
    progress: Callable[[int], object] | None = None,
) -> Simulation:
    """Make ``bookings`` bookings of ``booking_type`` one after another, all at ``now``.

    ``schedules`` must cover the type's pool. ``progress`` is told how many requests
    were just handled, after each one.
    """
    rng = random.Random(seed)
    current = {m.host_id: schedules[m.host_id] for m in booking_type.hosts}
    # Growing plain lists, turned into the engine's array only for the hosts a booking changed.
    busy = {host_id: [tuple(span) for span in s.busy.tolist()] for host_id, s in current.items()}
    ledger: dict[str, engine.Standing] = {}
    held: Counter[str] = Counter()
    made: list[engine.Assignment] = []
    max_abs_lag = 0.0
    window_end = now + booking_type.booking_window_days * engine.DAY

    def offer(lo: int, hi: int) -> list[int]:
        slots = engine.list_slots(booking_type, current, ledger, now=now, start=lo, end=hi)
        return [slot.start for slot in slots]

    # In solo, collective and availability round-robin, whether a start is offered depends
    # only on who is free (DESIGN.md, Routing), not on the ledger. A booking changes that
    # only near its own time: where its hosts lost time, and on their local day (the daily
    # cap, a day being at most 25 hours). So only that stretch is listed again, which keeps
    # a long run fast. Strict rotation offers the next host's times, which move with every
    # booking, so it lists the whole window again.
    reach = 2 * engine.DAY + engine.MINUTE * (
        booking_type.duration_minutes
        + booking_type.buffer_before_minutes
        + booking_type.buffer_after_minutes
    )
    relist_all = (
        booking_type.host_mode == engine.HostMode.ROUND_ROBIN
        and booking_type.rotation == engine.Rotation.STRICT
    )
    offered = offer(now, window_end)
    for count in range(bookings):
        if not offered:
            # Nothing changes without a booking, so every later request finds nothing too.
            if progress is not None:
                progress(bookings - count)
            break
        start = rng.choice(offered)
        assignment = engine.assign(booking_type, current, ledger, now=now, start=start)
        blocked = engine.widen(
            assignment.start,
            assignment.end,
            booking_type.buffer_before_minutes,
            booking_type.buffer_after_minutes,
        )
        for host_id in assignment.host_ids:
            busy[host_id].append(blocked)
            held[host_id] += 1
            current[host_id] = replace(
                current[host_id],
                busy=engine.as_spans(busy[host_id]),
                booked_starts=(*current[host_id].booked_starts, assignment.start),
            )
        # Every booking of the burst is made at ``now``; the ledger's clock only has to
        # increase so that "assigned least recently" breaks ties in booking order.
        ledger = engine.record(ledger, assignment, at=count)
        if ledger:
            max_abs_lag = max(max_abs_lag, max(abs(s.lag) for s in ledger.values()))
        made.append(assignment)
        if relist_all:
            offered = offer(now, window_end)
        else:
            lo, hi = max(now, start - reach), min(window_end, start + reach)
            offered[bisect.bisect_left(offered, lo) : bisect.bisect_left(offered, hi)] = offer(
                lo, hi
            )
        if progress is not None:
            progress(1)
    return Simulation(
        bookings=bookings,
        unbooked=bookings - len(made),
        max_abs_lag=max_abs_lag,
        shares=_shares(booking_type, ledger, held),
        assignments=tuple(made),
    )


def _shares(
    booking_type: engine.BookingType, ledger: engine.Ledger, held: Counter[str]
) -> tuple[engine.Share, ...]:
    if booking_type.host_mode == engine.HostMode.ROUND_ROBIN:
        return tuple(engine.distribution(booking_type, ledger))
    return tuple(
        engine.Share(m.host_id, m.weight, m.priority, held[m.host_id], float(held[m.host_id]))
        for m in booking_type.hosts
    )


def table(result: Simulation, title: str) -> Table:
    """The hosts of a run as a Rich table, lag and shares against weight shares
    included, busiest first."""
    from rich.table import Table

    grid = Table(title=title, caption=_caption(result))
    headings = (
        "host",
        "weight",
        "priority",
        "bookings",
        "expected",
        "lag",
        "share",
        "weight share",
    )
    for heading in headings:
        grid.add_column(heading, justify="left" if heading == "host" else "right")
    weighted = {w.host_id: w for w in engine.weighted_shares(result.shares)}
    for s in sorted(result.shares, key=lambda s: (-s.bookings, s.host_id)):
        lag = s.bookings - s.expected
        style = "red" if abs(lag) > 1 + 1e-9 else ""
        grid.add_row(
            s.host_id,
            str(s.weight),
            str(s.priority),
            str(s.bookings),
            f"{s.expected:.2f}",
            f"[{style}]{lag:+.2f}[/]" if style else f"{lag:+.2f}",
            f"{weighted[s.host_id].share:.1%}",
            f"{weighted[s.host_id].weight_share:.1%}",
        )
    return grid


def _caption(result: Simulation) -> str:
    booked = result.bookings - result.unbooked
    unbooked = f", {result.unbooked} found no free slot" if result.unbooked else ""
    error = engine.mean_relative_error(result.shares)
    against = "" if error is None else f"; shares off their weight shares by {error:.1%} on average"
    return (
        f"{booked} of {result.bookings} booked{unbooked}; max |lag| {result.max_abs_lag:.2f}"
        f"{against} (shares within each priority tier)"
    )


def write_chart(result: Simulation, path: Path, title: str) -> None:
    """A bar chart of each host's bookings beside its expected share, as PNG or SVG
    (by the extension of ``path``)."""
    if path.suffix.lower() not in CHART_FORMATS:
        raise ValueError(f"a chart is written as {' or '.join(CHART_FORMATS)}, not {path.name!r}")
    # The Figure API renders without pyplot's global state or any display (Agg for PNG);
    # imported here because matplotlib takes a while to load and most runs draw nothing.
    from matplotlib.figure import Figure

    shares = result.shares
    positions = range(len(shares))
    figure = Figure(figsize=(max(6.0, 0.35 * len(shares) + 2), 4.5), layout="constrained")
    axes = figure.subplots()
    width = 0.4
    axes.bar(
        [p - width / 2 for p in positions], [s.bookings for s in shares], width, label="bookings"
    )
    axes.bar(
        [p + width / 2 for p in positions], [s.expected for s in shares], width, label="expected"
    )
    axes.set_xticks(list(positions), [s.host_id for s in shares], rotation=60, ha="right")
    axes.set_ylabel("bookings")
    axes.set_title(title)
    axes.legend()
    figure.savefig(path)
