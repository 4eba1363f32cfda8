"""The fairness ledger and the round-robin choice (DESIGN.md, Fairness).

When a booking is assigned with eligible set E, each host h of E earns the
credit ``w_h / sum(w_j for j in E)``; a host's ``expected`` is the sum of its
credits and its lag is ``bookings - expected``. The booking goes to the host of
E with the smallest lag after the new credits, ties to the host assigned least
recently, then to the smallest id. All of it runs on whole columns of
candidate starts at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from rota.engine.model import (
    DAY,
    Assignment,
    BookingType,
    HostMode,
    Ledger,
    PoolMember,
    Share,
    Standing,
)

Mask = npt.NDArray[np.bool_]
Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

# Lags are sums of fractions; two lags equal as rationals may differ in the last bits.
TIE = 1e-9
NOBODY = -1


def fairness_since(booking_type: BookingType, now: int) -> int | None:
    """Start of the fairness window (bookings assigned since then count); None: all time."""
    days = booking_type.fairness_window_days
    return None if days <= 0 else now - days * DAY


class Pool:
    """The rotating members of a pool as arrays, with their standing in the ledger."""

    def __init__(self, members: Sequence[PoolMember], ledger: Ledger) -> None:
        self.members = tuple(members)
        standings = [ledger.get(m.host_id, Standing()) for m in self.members]
        self.weights = np.array([m.weight for m in self.members], dtype=np.float64)
        self.priorities = np.array([m.priority for m in self.members], dtype=np.int64)
        self.lags = np.array([s.lag for s in standings], dtype=np.float64)
        # Rank for ties: never assigned first, then least recently assigned, then smallest id.
        order = sorted(
            range(len(self.members)),
            key=lambda i: (
                standings[i].last_assigned is not None,
                standings[i].last_assigned or 0,
                self.members[i].host_id,
            ),
        )
        self.rank = np.empty(len(self.members), dtype=np.int64)
        self.rank[order] = np.arange(len(self.members))

    def narrow(self, eligible: Mask) -> tuple[Mask, Floats]:
        """Per column: keep the highest priority present, then the positive weights if
        any is present. Returns the narrowed set and each host's credit in it."""
        tiers = np.where(eligible, self.priorities[:, None], np.iinfo(np.int64).min)
        top = tiers.max(axis=0, initial=np.iinfo(np.int64).min)
        chosen = eligible & (self.priorities[:, None] == top)
        positive = self.weights > 0
        any_positive = (chosen & positive[:, None]).any(axis=0)
        chosen &= positive[:, None] | ~any_positive
        # With only zero weights left, they share the booking equally.
        weights = np.where(any_positive, self.weights[:, None], 1.0) * chosen
        total = weights.sum(axis=0)
        credits = np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)
        return chosen, credits

    def choose(self, eligible: Mask, credits: Floats, *, new_credits: bool = True) -> Ints:
        """Per column, the row of the host to assign, or NOBODY."""
        score = self.lags[:, None] - (credits if new_credits else 0.0)
        score = np.where(eligible, score, np.inf)
        best = score.min(axis=0, initial=np.inf)
        tied = eligible & (score <= best + TIE)
        pick = np.where(tied, self.rank[:, None], np.iinfo(np.int64).max).argmin(axis=0)
        return np.where(eligible.any(axis=0), pick, NOBODY).astype(np.int64)


def record(ledger: Mapping[str, Standing], assignment: Assignment, at: int) -> dict[str, Standing]:
    """The ledger after ``assignment`` (made at ``at``): the credits are earned and the
    rotating host holds one more booking. For in-memory use (the simulator)."""
    out = dict(ledger)
    for host_id, credit in assignment.credits.items():
        s = out.get(host_id, Standing())
        out[host_id] = Standing(s.bookings, s.expected + credit, s.last_assigned)
    if assignment.rotating_host_id is not None:
        s = out.get(assignment.rotating_host_id, Standing())
        out[assignment.rotating_host_id] = Standing(s.bookings + 1, s.expected, at)
    return out


def distribution(booking_type: BookingType, ledger: Ledger) -> list[Share]:
    """Each host's bookings and fair share over the window: the pool's rotating hosts
    in pool order, then anyone else still holding bookings of the type."""
    members = (
        booking_type.rotating
        if booking_type.host_mode == HostMode.ROUND_ROBIN
        else booking_type.hosts
    )
    shares = []
    for m in members:
        s = ledger.get(m.host_id, Standing())
        shares.append(Share(m.host_id, m.weight, m.priority, s.bookings, s.expected))
    listed = {m.host_id for m in members}
    for host_id in sorted(set(ledger) - listed):
        s = ledger[host_id]
        if s.bookings or s.expected:
            shares.append(Share(host_id, 0, 0, s.bookings, s.expected))
    return shares
