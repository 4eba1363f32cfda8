"""The engine's vocabulary: plain frozen values in, plain decisions out.

Instants are whole seconds since the Unix epoch, UTC (`int`). Keeping them as
integers lets the slot maths run on numpy arrays without converting datetimes
on the hot path; the edges (store, API) convert once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

import numpy as np
import numpy.typing as npt

Span = tuple[int, int]
"""A half-open time range ``[start, end)`` in epoch seconds."""

SpanArray = npt.NDArray[np.int64]
"""Spans as an ``(n, 2)`` int64 array of ``[start, end)`` rows."""

MINUTE = 60
DAY = 86_400


class HostMode(StrEnum):
    SOLO = "solo"
    COLLECTIVE = "collective"
    ROUND_ROBIN = "round_robin"


class Rotation(StrEnum):
    AVAILABILITY = "availability"
    STRICT = "strict"


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    """Working hours on some weekdays, in the host's own wall-clock time."""

    days: frozenset[int]
    """Weekdays, 0 = Monday ... 6 = Sunday."""
    start: int
    """Minutes after local midnight."""
    end: int
    """Minutes after local midnight; 1440 is 24:00."""


@dataclass(frozen=True, slots=True)
class DateOverride:
    """Replaces one local date's working hours; no intervals is a day off."""

    date: date
    intervals: tuple[tuple[int, int], ...] = ()
    """``(start, end)`` in minutes after local midnight, end up to 1440."""


DEFAULT_WORKING_HOURS = (WeeklyHours(frozenset(range(5)), 9 * 60, 17 * 60),)


def as_spans(spans: SpanArray | tuple[Span, ...] | list[Span]) -> SpanArray:
    """Any sequence of ``(start, end)`` pairs as an ``(n, 2)`` int64 array."""
    return np.asarray(spans, dtype=np.int64).reshape(-1, 2)


@dataclass(frozen=True, slots=True, eq=False)
class HostSchedule:
    """Everything the engine needs to know about one host's time."""

    host_id: str
    timezone: str
    working_hours: tuple[WeeklyHours, ...] = DEFAULT_WORKING_HOURS
    date_overrides: tuple[DateOverride, ...] = ()
    busy: SpanArray = field(default_factory=lambda: as_spans([]))
    """Busy blocks and the host's confirmed bookings (of any type), each booking
    already widened by its own type's buffers. Any order, may overlap. A busy host is
    still on duty: it earns its round-robin credit (DESIGN.md, Fairness)."""
    time_off: SpanArray = field(default_factory=lambda: as_spans([]))
    """Time off: the host is neither free nor on duty, so it earns no credit."""
    booked_starts: tuple[int, ...] = ()
    """Starts of the host's confirmed bookings of the type being routed (for the daily cap)."""


@dataclass(frozen=True, slots=True)
class PoolMember:
    host_id: str
    weight: int = 100
    priority: int = 2
    fixed: bool = False


@dataclass(frozen=True, slots=True)
class BookingType:
    slug: str
    duration_minutes: int
    host_mode: HostMode
    hosts: tuple[PoolMember, ...]
    slot_interval_minutes: int | None = None
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    minimum_notice_minutes: int = 0
    booking_window_days: int = 60
    rotation: Rotation = Rotation.AVAILABILITY
    fairness_window_days: int = 30
    max_bookings_per_host_per_day: int | None = None
    catch_up_limit: int = 3
    """No credit takes a host's lag below ``-catch_up_limit`` (DESIGN.md, Fairness)."""

    @property
    def step_minutes(self) -> int:
        return self.slot_interval_minutes or self.duration_minutes

    @property
    def rotating(self) -> tuple[PoolMember, ...]:
        """The pool members who take turns (round-robin) or all of them (other modes)."""
        return tuple(m for m in self.hosts if not m.fixed)

    @property
    def fixed(self) -> tuple[PoolMember, ...]:
        return tuple(m for m in self.hosts if m.fixed)


@dataclass(frozen=True, slots=True)
class Standing:
    """One host's place in the fairness ledger of a booking type, over its window."""

    bookings: int = 0
    """Confirmed round-robin bookings of the type the host holds."""
    expected: float = 0.0
    """Sum of the credits the host earned (its fair share of those bookings)."""
    last_assigned: int | None = None
    """When the host was last given a booking of the type (any increasing clock)."""

    @property
    def lag(self) -> float:
        return self.bookings - self.expected


Ledger = Mapping[str, Standing]
"""Standing per host id; a host missing from it stands at zero."""


@dataclass(frozen=True, slots=True)
class Slot:
    start: int
    end: int
    host_ids: tuple[str, ...]
    """Who would host a booking made now: the rotating host first, then fixed hosts."""


@dataclass(frozen=True, slots=True, eq=False)
class SlotTable:
    """Slots as columns, for callers that write thousands of them at once."""

    starts: npt.NDArray[np.int64]
    """Ascending starts of the slots."""
    duration: int
    """Length of every slot, in seconds."""
    rows: npt.NDArray[np.int64]
    """Per slot, its index into ``host_sets``."""
    host_sets: tuple[tuple[str, ...], ...]
    """The hosts a booking gets, one tuple per rotating host (round-robin; the rotating
    host first, then the fixed ones) or one of everyone (solo, collective)."""

    def slots(self) -> list[Slot]:
        ends = self.starts + self.duration
        return [
            Slot(s, e, self.host_sets[row])
            for s, e, row in zip(
                self.starts.tolist(), ends.tolist(), self.rows.tolist(), strict=True
            )
        ]


@dataclass(frozen=True, slots=True)
class Assignment:
    """The decision for a new booking."""

    start: int
    end: int
    host_ids: tuple[str, ...]
    rotating_host_id: str | None
    """The round-robin host (None for solo and collective)."""
    credits: Mapping[str, float]
    """Fairness credits of the credited set, as stored: each ``w / sum(w)``, cut where it
    would take a lag below ``-catch_up_limit``, so they sum to at most 1 (round-robin);
    empty otherwise."""


@dataclass(frozen=True, slots=True)
class Meeting:
    """An existing booking, as the reassign decision sees it."""

    start: int
    end: int
    host_ids: tuple[str, ...]
    rotating_host_id: str | None = None


@dataclass(frozen=True, slots=True)
class Reassignment:
    from_host_ids: tuple[str, ...]
    """Who leaves the booking."""
    to_host_ids: tuple[str, ...]
    """Who joins it."""
    host_ids: tuple[str, ...]
    """Everyone holding the booking afterwards."""
    rotating_host_id: str | None
    by: str
    """``"auto"`` or ``"manual"``."""


@dataclass(frozen=True, slots=True)
class Share:
    """A host's line of the distribution of a booking type."""

    host_id: str
    weight: int
    priority: int
    bookings: int
    expected: float
