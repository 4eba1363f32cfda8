"""rota's decisions as a pure library: availability, slots, routing, fairness, reassign.

Nothing here touches a database, the network or the clock: every call takes a
snapshot and ``now`` and returns a plain decision.
"""

from rota.engine.errors import (
    FromHostRequired,
    HostNotInPool,
    HostUnavailable,
    InvalidRequest,
    NoHostAvailable,
    NotATeamBooking,
    RoutingError,
    SlotUnavailable,
)
from rota.engine.fairness import (
    WeightedShare,
    distribution,
    fairness_since,
    mean_relative_error,
    record,
    weighted_shares,
)
from rota.engine.find_a_time import FreeTime, Grid, find_a_time, free_grid, not_free
from rota.engine.model import (
    DAY,
    DEFAULT_WORKING_HOURS,
    MINUTE,
    Assignment,
    BookingType,
    DateOverride,
    HostMode,
    HostSchedule,
    Ledger,
    Meeting,
    PoolMember,
    Reassignment,
    Rotation,
    Share,
    Slot,
    SlotTable,
    Span,
    Standing,
    WeeklyHours,
    as_spans,
)
from rota.engine.reassign import reassign
from rota.engine.routing import assign, list_slots, slot_table


def widen(start: int, end: int, before_minutes: int, after_minutes: int) -> tuple[int, int]:
    """A booking's time as its hosts lose it: the meeting plus its type's buffers."""
    return start - before_minutes * MINUTE, end + after_minutes * MINUTE


__all__ = [
    "DAY",
    "DEFAULT_WORKING_HOURS",
    "MINUTE",
    "Assignment",
    "BookingType",
    "DateOverride",
    "FreeTime",
    "FromHostRequired",
    "Grid",
    "HostMode",
    "HostNotInPool",
    "HostSchedule",
    "HostUnavailable",
    "InvalidRequest",
    "Ledger",
    "Meeting",
    "NoHostAvailable",
    "NotATeamBooking",
    "PoolMember",
    "Reassignment",
    "Rotation",
    "RoutingError",
    "Share",
    "Slot",
    "SlotTable",
    "SlotUnavailable",
    "Span",
    "Standing",
    "WeeklyHours",
    "WeightedShare",
    "as_spans",
    "assign",
    "distribution",
    "fairness_since",
    "find_a_time",
    "free_grid",
    "list_slots",
    "mean_relative_error",
    "not_free",
    "reassign",
    "record",
    "slot_table",
    "weighted_shares",
    "widen",
]
