"""Loading what the engine needs, for a whole pool, with a handful of queries.

A snapshot is the booking type, every pool host's schedule (working hours,
overrides, and busy time over the range asked) and the fairness ledger. Each
kind of row is fetched with one query for all hosts, never one per host, and
turned into the engine's frozen values.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
from sqlalchemy import (
    BigInteger,
    Integer,
    Text,
    and_,
    bindparam,
    cast,
    func,
    literal,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from rota import engine
from rota.engine import model
from rota.store import tables as t
from rota.store.busy_cache import BusyCache, Kept
from rota.store.ledger import day_of, load_ledger

US = t.US
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def minutes(hhmm: str) -> int:
    """``"09:30"`` as 570 minutes after midnight (``"24:00"`` is 1440)."""
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def working_hours(stored: Sequence[Mapping[str, Any]]) -> tuple[model.WeeklyHours, ...]:
    return tuple(
        model.WeeklyHours(
            days=frozenset(DAY_NAMES.index(day) for day in item["days"]),
            start=minutes(item["start"]),
            end=minutes(item["end"]),
        )
        for item in stored
    )


def date_overrides(stored: Sequence[Mapping[str, Any]]) -> tuple[model.DateOverride, ...]:
    return tuple(
        model.DateOverride(
            date=date.fromisoformat(item["date"]),
            intervals=tuple(
                (minutes(span["start"]), minutes(span["end"])) for span in item["intervals"]
            ),
        )
        for item in stored
    )


def booking_type(row: t.BookingType) -> model.BookingType:
    """The stored booking type as the engine's value."""
    return model.BookingType(
        slug=row.slug,
        duration_minutes=row.duration_minutes,
        host_mode=model.HostMode(row.host_mode),
        hosts=tuple(
            model.PoolMember(m.host_id, weight=m.weight, priority=m.priority, fixed=m.fixed)
            for m in row.pool
        ),
        slot_interval_minutes=row.slot_interval_minutes,
        buffer_before_minutes=row.buffer_before_minutes,
        buffer_after_minutes=row.buffer_after_minutes,
        minimum_notice_minutes=row.minimum_notice_minutes,
        booking_window_days=row.booking_window_days,
        rotation=model.Rotation(row.rotation),
        fairness_window_days=row.fairness_window_days,
        max_bookings_per_host_per_day=row.max_bookings_per_host_per_day,
        catch_up_limit=row.catch_up_limit,
    )


def _raw(column: Any) -> Any:
    """The stored integer of an `Instant` column, skipping the datetime conversion."""
    return type_coerce(column, BigInteger)


# The statements of the hot path are built once, with bound parameters: building a
# SQLAlchemy statement costs more Python time than running it on a small table.
# Parameters: type (booking type id), extra (more host ids), lo/hi (the range, in
# stored microseconds), exclude (a booking id to leave out, '' for none), since.
ALL_TIME = -(2**62)


def _of_hosts(column: Any) -> Any:
    """`column` is a host of the type's pool or one of the extra hosts.

    A subquery on the pool rather than a list of its ids, so that the statement is
    the same whatever the pool's size (compiled and prepared once).
    """
    pool = select(t.PoolMember.host_id).where(t.PoolMember.booking_type_id == bindparam("type"))
    return or_(column.in_(pool.scalar_subquery()), column.in_(bindparam("extra", expanding=True)))


TIME_OFF, BUSY_BLOCK, BOOKED_TIME = 0, 1, 2
"""What a busy-time row is: time off takes a host off duty, the others only keep it busy."""


def _spans(table: type[t.TimeOff] | type[t.BusyBlock], kind: int) -> Any:
    return select(
        table.host_id,
        _raw(table.start_at),
        _raw(table.end_at),
        literal(kind, Integer),
    ).where(
        _of_hosts(table.host_id),
        _raw(table.end_at) > bindparam("lo"),
        _raw(table.start_at) < bindparam("hi"),
    )


# The schedules as their stored text, parsed once per distinct text (`_parsed`).
HOSTS = select(
    t.Host.id,
    t.Host.timezone,
    cast(t.Host.working_hours, Text),
    cast(t.Host.date_overrides, Text),
    t.Host.busy_version,
).where(_of_hosts(t.Host.id))
_HELD = and_(
    _of_hosts(t.BookingHost.host_id),
    t.BookingHost.active,
    _raw(t.BookingHost.busy_end) > bindparam("lo"),
    _raw(t.BookingHost.busy_start) < bindparam("hi"),
    t.BookingHost.booking_id != bindparam("exclude"),
)
BOOKED = select(
    t.BookingHost.host_id,
    _raw(t.BookingHost.busy_start),
    _raw(t.BookingHost.busy_end),
    literal(BOOKED_TIME, Integer),
).where(_HELD)
# Time off, busy blocks and bookings in one round trip: under the pool's lock every
# round trip costs bookings a second.
BUSY = union_all(_spans(t.TimeOff, TIME_OFF), _spans(t.BusyBlock, BUSY_BLOCK), BOOKED)
# The starts of the hosts' bookings of the routed type, read only for a daily cap.
BOOKED_STARTS = select(t.BookingHost.host_id, _raw(t.Booking.start_at)).where(
    _HELD, t.Booking.id == t.BookingHost.booking_id, t.Booking.booking_type_id == bindparam("type")
)


@dataclass(frozen=True, slots=True)
class Hours:
    """A host's own schedule, without busy time: its zone, weekly hours and overrides."""

    timezone: str
    working_hours: tuple[model.WeeklyHours, ...]
    date_overrides: tuple[model.DateOverride, ...]
    busy_version: int = 0
    """Raised by the database whenever the host's busy time changes (`BusyCache`)."""


@lru_cache(maxsize=4096)
def _parsed(
    weekly: str, overrides: str
) -> tuple[tuple[model.WeeklyHours, ...], tuple[model.DateOverride, ...]]:
    """A host's stored weekly hours and overrides as the engine's values: most hosts'
    schedules are unchanged between two listings, and their parse is then free."""
    return working_hours(json.loads(weekly)), date_overrides(json.loads(overrides))


def load_hours(
    session: Session, booking_type_id: str, *, extra_host_ids: Collection[str] = ()
) -> dict[str, Hours]:
    """The own schedules of the type's pool hosts and of `extra_host_ids`, parsed.

    Bookings do not change them, so a booking reads them before it takes the pool's
    lock and holds the lock only to read busy time and the ledger.
    """
    params = {"type": booking_type_id, "extra": sorted(extra_host_ids)}
    rows = session.connection().execute(HOSTS, params)  # Core rows: no ORM bookkeeping
    return {
        host_id: Hours(timezone, *_parsed(weekly, overrides), busy_version=version)
        for host_id, timezone, weekly, overrides, version in rows
    }


def load_schedules(
    session: Session,
    booking_type_id: str,
    start: int,
    end: int,
    *,
    hours: Mapping[str, Hours] | None = None,
    extra_host_ids: Collection[str] = (),
    exclude_booking_id: str | None = None,
    with_booked_starts: bool = True,
    cache: BusyCache | None = None,
) -> dict[str, model.HostSchedule]:
    """Schedules of the type's pool hosts (and `extra_host_ids`) with their busy time
    overlapping ``[start, end)`` (epoch s), in two queries whatever the pool's size
    (one if their `hours`, from `load_hours` with the same hosts, are given).

    Busy time is busy blocks and confirmed bookings (already widened by their own
    buffers when stored); time off is kept apart, as it takes a host off duty.
    `exclude_booking_id` leaves out a booking that is being moved, so it does not
    stand in its own way. `booked_starts` (for a daily cap) are read only
    `with_booked_starts`. With a `cache`, busy time is read only for the hosts whose
    busy version moved since it was kept there (never with `exclude_booking_id`).
    """
    if hours is None:
        hours = load_hours(session, booking_type_id, extra_host_ids=extra_host_ids)
    params = {
        "type": booking_type_id,
        "extra": sorted(extra_host_ids),
        "lo": start * US,
        "hi": end * US,
        "exclude": exclude_booking_id or "",
    }
    # Thousands of rows: fetched as plain tuples from the driver (no result processing
    # is needed for integers and ids) and cut into each host's arrays by numpy.
    connection = session.connection()
    if cache is None or exclude_booking_id is not None:
        spans = _Spans(_tuples(connection.execute(BUSY, params)), list(hours))
        kept = {
            host_id: Kept(own.busy_version, spans.of(row, busy=True), spans.of(row, busy=False))
            for row, (host_id, own) in enumerate(hours.items())
        }
    else:
        kept = _busy_through(cache, connection, hours, start, end)
    booked: dict[str, list[int]] = {host_id: [] for host_id in hours}
    if with_booked_starts:
        for host_id, booking_start in _tuples(connection.execute(BOOKED_STARTS, params)):
            booked[host_id].append(booking_start // US)
    return {
        host_id: model.HostSchedule(
            host_id=host_id,
            timezone=own.timezone,
            working_hours=own.working_hours,
            date_overrides=own.date_overrides,
            busy=kept[host_id].busy,
            time_off=kept[host_id].time_off,
            booked_starts=tuple(sorted(booked[host_id])),
        )
        for host_id, own in hours.items()
    }


def _busy_through(
    cache: BusyCache, connection: Any, hours: Mapping[str, Hours], start: int, end: int
) -> dict[str, Kept]:
    """Each host's busy time over ``[start, end)`` from `cache`, read (and kept) for the
    hosts it does not hold at their current busy version."""
    found = {
        host_id: cache.get(host_id, start, end, own.busy_version) for host_id, own in hours.items()
    }
    stale = [host_id for host_id, kept in found.items() if kept is None]
    if stale:
        # The stale hosts only, as extra hosts of no booking type.
        params = {"type": "", "extra": stale, "lo": start * US, "hi": end * US, "exclude": ""}
        spans = _Spans(_tuples(connection.execute(BUSY, params)), stale)
        for row, host_id in enumerate(stale):
            fresh = Kept(
                hours[host_id].busy_version, spans.of(row, busy=True), spans.of(row, busy=False)
            )
            cache.put(host_id, start, end, fresh)
            found[host_id] = fresh
    return {host_id: kept for host_id, kept in found.items() if kept is not None}


def _tuples(result: CursorResult[Any]) -> Sequence[Any]:
    """The rows as the driver gives them, without building SQLAlchemy rows."""
    return result.cursor.fetchall() if result.cursor is not None else []


class _Spans:
    """The rows of `BUSY` as arrays grouped by host (in the order of `host_ids`), time
    off apart from busy time, with the bounds rounded outwards to whole seconds."""

    def __init__(self, rows: Sequence[Sequence[Any]], host_ids: list[str]) -> None:
        index = {host_id: i for i, host_id in enumerate(host_ids)}
        n = len(rows)
        hosts, starts, ends, kinds = zip(*rows, strict=True) if rows else ((), (), (), ())
        host = np.fromiter(map(index.__getitem__, hosts), dtype=np.int64, count=n)
        kind = np.fromiter(kinds, dtype=np.int64, count=n)
        # One group per host and kind: busy (group 2h) and time off (group 2h + 1).
        group = 2 * host + (kind == TIME_OFF)
        order = np.argsort(group, kind="stable")
        self.spans = np.empty((n, 2), dtype=np.int64)
        self.spans[:, 0] = np.fromiter(starts, dtype=np.int64, count=n)[order] // US
        self.spans[:, 1] = -(-np.fromiter(ends, dtype=np.int64, count=n)[order] // US)
        self.bounds = np.searchsorted(group[order], np.arange(2 * len(host_ids) + 1))

    def of(self, host: int, *, busy: bool) -> model.SpanArray:
        group = 2 * host + (0 if busy else 1)
        return self.spans[self.bounds[group] : self.bounds[group + 1]]


# Confirmed bookings of the type made inside the fairness window (whole UTC days, as
# the ledger counts them).
_COUNTED = and_(
    t.Booking.booking_type_id == bindparam("type"),
    t.Booking.status == "confirmed",
    _raw(t.Booking.created_at) >= bindparam("since"),
)
HOLDINGS = (
    select(t.BookingHost.host_id, func.count())
    .join(t.Booking, t.Booking.id == t.BookingHost.booking_id)
    .where(_COUNTED)
    .group_by(t.BookingHost.host_id)
)


def _window(booking_type_id: str, since: int | None) -> dict[str, Any]:
    first = ALL_TIME if since is None else day_of(since * US) * model.DAY * US
    return {"type": booking_type_id, "since": first}


def load_holdings(session: Session, booking_type_id: str, since: int | None) -> dict[str, int]:
    """Confirmed bookings of the type each host holds (any role), in the window."""
    rows = session.connection().execute(HOLDINGS, _window(booking_type_id, since))
    return {host_id: int(n) for host_id, n in rows}


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything the engine reads to route one booking type over a time range."""

    booking_type: model.BookingType
    schedules: Mapping[str, model.HostSchedule]
    ledger: Mapping[str, model.Standing]

    def after(self, assignment: model.Assignment, *, at: int) -> Snapshot:
        """The snapshot as it would be read again once `assignment`, made at `at`
        (stored microseconds), is written: its hosts lose the meeting widened by the
        type's buffers and the ledger records it. This is what lets one transaction
        decide several bookings one after another."""
        routed = self.booking_type
        lost = model.as_spans(
            [
                engine.widen(
                    assignment.start,
                    assignment.end,
                    routed.buffer_before_minutes,
                    routed.buffer_after_minutes,
                )
            ]
        )
        schedules = dict(self.schedules)
        capped = routed.max_bookings_per_host_per_day is not None  # starts read for a cap
        for host_id in assignment.host_ids:
            held = schedules[host_id]
            starts = (*held.booked_starts, assignment.start) if capped else held.booked_starts
            schedules[host_id] = replace(
                held, busy=np.concatenate((held.busy, lost)), booked_starts=tuple(sorted(starts))
            )
        return Snapshot(routed, schedules, engine.record(self.ledger, assignment, at=at))


def load_snapshot(
    session: Session,
    row: t.BookingType,
    start: int,
    end: int,
    *,
    now: int,
    hours: Mapping[str, Hours] | None = None,
    extra_host_ids: Iterable[str] = (),
    exclude_booking_id: str | None = None,
    cache: BusyCache | None = None,
) -> Snapshot:
    """The snapshot to route `row` at `now` for meetings starting in ``[start, end)``.

    Busy time is loaded over the range widened by a day on both sides and the
    meeting's length and buffers, which covers a host's whole local day for the
    daily cap and any buffer reaching into the range. `hours` are the hosts' own
    schedules if already read (`load_hours`); `cache` keeps busy time between listings.
    """
    routed = booking_type(row)
    reach = model.DAY + 60 * (
        routed.duration_minutes + routed.buffer_before_minutes + routed.buffer_after_minutes
    )
    pool = {m.host_id for m in routed.hosts}
    schedules = load_schedules(
        session,
        row.id,
        start - reach,
        end + reach,
        hours=hours,
        extra_host_ids=set(extra_host_ids) - pool,
        exclude_booking_id=exclude_booking_id,
        with_booked_starts=routed.max_bookings_per_host_per_day is not None,
        cache=cache,
    )
    ledger = (
        load_ledger(session, row.id, engine.fairness_since(routed, now))
        if routed.host_mode == model.HostMode.ROUND_ROBIN
        else {}
    )
    return Snapshot(routed, schedules, ledger)
