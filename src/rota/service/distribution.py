"""How a booking type's bookings are shared among its hosts (API.md, Distribution)."""

from __future__ import annotations

from dataclasses import dataclass

from rota import engine
from rota.service import clock, lookup
from rota.store.db import Database
from rota.store.ledger import load_ledger
from rota.store.snapshot import booking_type as routed_type
from rota.store.snapshot import load_holdings


@dataclass(frozen=True, slots=True)
class Distribution:
    window_days: int
    hosts: list[engine.Share]


def distribution(db: Database, org_id: str, slug: str) -> Distribution:
    """Round-robin: each host's bookings and fair share over the fairness window.
    Solo and collective: every host takes every booking, so expected equals bookings."""
    with db.read() as session:
        row = lookup.booking_type(session, org_id, slug)
        routed = routed_type(row)
        since = engine.fairness_since(routed, clock.epoch(clock.now()))
        if routed.host_mode == engine.HostMode.ROUND_ROBIN:
            ledger = load_ledger(session, row.id, since)
        else:
            ledger = {
                host_id: engine.Standing(bookings=n, expected=float(n))
                for host_id, n in load_holdings(session, row.id, since).items()
            }
    return Distribution(row.fairness_window_days, engine.distribution(routed, ledger))
