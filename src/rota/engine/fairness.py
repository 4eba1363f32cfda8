"""The fairness ledger and the round-robin choice (DESIGN.md, Fairness).

When a booking is assigned, each host h of the credited set C (the on-duty
hosts of the top free tier, free or busy) earns the credit
``w_h / sum(w_j for j in C)``, cut so that no lag goes below
``-catch_up_limit``; a host's ``expected`` is the sum of its credits and its lag
is ``bookings - expected``. The booking goes to the free candidate with the
smallest lag after the new credits, ties to the host assigned least recently,
then to the smallest id. All of it runs on whole columns of candidate starts at
once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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
        self.one_tier = len(set(self.priorities.tolist())) <= 1
        self.no_backups = bool((self.weights > 0).all())
        # Rank for ties: never assigned first, then least recently assigned, then smallest id.
        order = sorted(
            range(len(self.members)),
            key=lambda i: (
                standings[i].last_assigned is not None,
                standings[i].last_assigned or 0,
                self.members[i].host_id,
            ),
        )
        self.by_rank = np.array(order, dtype=np.int64)  # first to take a tie, first

    def decide(self, free: Mask, on_duty: Mask) -> tuple[Mask, Floats]:
        """Per column (DESIGN.md, Routing): the candidates and each host's credit.

        The tier is the highest priority among the free hosts. The candidates are its
        free hosts of positive weight, or, with none, its free hosts (backups). The
        credited set is its on-duty hosts of positive weight, free or busy, each
        earning ``w / sum(w)``; if that is empty, the candidates share equally.
        """
        # Most pools have one priority and no backups: whole-matrix steps are skipped then.
        if self.one_tier:
            in_tier: Mask = np.any(free, axis=0, keepdims=True)
            candidates = free
        else:
            lowest = np.iinfo(np.int64).min
            tiers = np.where(free, self.priorities[:, None], lowest)
            in_tier = self.priorities[:, None] == tiers.max(axis=0, initial=lowest)
            candidates = free & in_tier
        credited = on_duty & in_tier
        if self.no_backups:
            shares = self.weights[:, None] * credited
        else:
            positive = (self.weights > 0)[:, None]
            candidates = candidates & (positive | ~(candidates & positive).any(axis=0))
            credited &= positive
            shares = np.where(
                credited.any(axis=0),
                self.weights[:, None] * credited,
                candidates.astype(np.float64),
            )
        total = shares.sum(axis=0)
        credits = np.divide(shares, total, out=np.zeros_like(shares), where=total > 0)
        return candidates, credits

    def choose(self, candidates: Mask, credits: Floats, *, new_credits: bool = True) -> Ints:
        """Per column, the row of the candidate with the smallest lag (after the new
        credits unless told otherwise), ties by rank; NOBODY where there is none."""
        if len(self.members) == 0:
            return np.full(candidates.shape[1], NOBODY, dtype=np.int64)
        score = self.lags[:, None] - (credits if new_credits else np.zeros_like(credits))
        score[~candidates] = np.inf
        best = score.min(axis=0, initial=np.inf)
        # The first tied row in rank order: argmax finds the first True of each column.
        tied = (score <= best + TIE)[self.by_rank]
        pick = self.by_rank[tied.argmax(axis=0)]
        return np.where(np.isfinite(best), pick, NOBODY).astype(np.int64)

    def cut(self, credits: Floats, chosen: int, limit: int) -> Floats:
        """One booking's credits (a column) as stored: each cut so that the host's lag
        after the booking (the chosen row holding one more) stays at ``-limit`` or
        above. A host already below that earns nothing."""
        holds = np.zeros(len(self.members))
        holds[chosen] = 1.0
        ceiling = np.maximum(self.lags + holds + limit, 0.0)
        cut: Floats = np.minimum(credits, ceiling)
        return cut


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


@dataclass(frozen=True, slots=True)
class WeightedShare:
    """A host's share of the bookings against the share its weight asks for, both within
    its priority tier (a tier takes bookings only while the tiers above are busy)."""

    host_id: str
    share: float
    weight_share: float

    @property
    def ratio(self) -> float:
        """Share over weight share: 1.0 is exactly what the weight asks for."""
        return self.share / self.weight_share if self.weight_share else 0.0


def weighted_shares(shares: Sequence[Share]) -> list[WeightedShare]:
    """Each host's share of its tier's bookings against its weight share in the tier."""
    weights: Counter[int] = Counter()
    booked: Counter[int] = Counter()
    for s in shares:
        weights[s.priority] += s.weight
        booked[s.priority] += s.bookings
    return [
        WeightedShare(
            s.host_id,
            s.bookings / booked[s.priority] if booked[s.priority] else 0.0,
            s.weight / weights[s.priority] if weights[s.priority] else 0.0,
        )
        for s in shares
    ]


def mean_relative_error(shares: Sequence[Share]) -> float | None:
    """The mean of ``|share - weight share| / weight share`` over the hosts with a
    weight in tiers that took bookings; None when there is none."""
    booked = {s.priority for s in shares if s.bookings}
    errors = [
        abs(w.share - w.weight_share) / w.weight_share
        for w, s in zip(weighted_shares(shares), shares, strict=True)
        if w.weight_share > 0 and s.priority in booked
    ]
    return sum(errors) / len(errors) if errors else None
