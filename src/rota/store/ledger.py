"""The fairness ledger's running sums, kept as bookings change (DESIGN.md, Fairness).

Every change that moves a count or a credit of a round-robin booking adds its
deltas to the `LedgerDay` rows of its (type, host, day) and to the host's
all-time row, in the transaction that makes the change. A booking's day is the
UTC day it was made: a reassignment moves its count between hosts on that same
day and leaves its credits where they are, a cancellation takes both back.

Rows are upserted in one order (type, day, host) so that two transactions
touching the same rows on PostgreSQL queue behind each other instead of
deadlocking.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from rota.engine import model
from rota.store import tables as t

DAY_US = 86_400 * t.US


def day_of(moment_us: int) -> int:
    """The UTC day number (days since the epoch) of an instant in microseconds."""
    return moment_us // DAY_US


@dataclass(frozen=True, slots=True)
class Change:
    """What one booking changes for one host of its type, on the day it was made."""

    booking_type_id: str
    host_id: str
    made_us: int
    """When the booking was made (its day in the ledger)."""
    bookings: int = 0
    expected: float = 0.0
    assigned_us: int | None = None
    """When the host was given the booking, if it was."""


def booked(booking: t.Booking, credits: Mapping[str, float]) -> list[Change]:
    """A new round-robin booking: its credits earned, its holder holding one."""
    return _counted(booking, credits, sign=1)


def cancelled(session: Session, booking: t.Booking) -> list[Change]:
    """A confirmed round-robin booking cancelled: its credits and its count taken back."""
    rows = session.execute(
        select(t.FairnessCredit.host_id, t.FairnessCredit.credit).where(
            t.FairnessCredit.booking_id == booking.id
        )
    )
    return _counted(booking, {host_id: credit for host_id, credit in rows}, sign=-1)


def moved(booking: t.Booking, from_host_id: str, to_host_id: str, at_us: int) -> list[Change]:
    """A round-robin booking given to another host: the count moves, the credits stay."""
    made = t.to_us(booking.created_at)
    type_id = booking.booking_type_id
    if type_id is None:  # an internal meeting never counts for fairness
        return []
    return [
        Change(type_id, from_host_id, made, bookings=-1),
        Change(type_id, to_host_id, made, bookings=1, assigned_us=at_us),
    ]


def _counted(booking: t.Booking, credits: Mapping[str, float], *, sign: int) -> list[Change]:
    made, type_id = t.to_us(booking.created_at), booking.booking_type_id
    if booking.rotating_host_id is None or type_id is None:
        return []
    changes = [Change(type_id, h, made, expected=sign * c) for h, c in credits.items()]
    assigned = t.to_us(booking.assigned_at) if sign > 0 else None
    changes.append(
        Change(type_id, booking.rotating_host_id, made, bookings=sign, assigned_us=assigned)
    )
    return changes


def apply(session: Session, changes: Iterable[Change]) -> None:
    """Add the changes to the running sums: each (type, day, host) row and the host's
    all-time row, with one upsert statement for all of them."""
    sums: dict[tuple[str, int, str], list[Any]] = defaultdict(lambda: [0, 0.0, None])
    for change in changes:
        for day in (day_of(change.made_us), t.ALL_TIME_DAY):
            row = sums[change.booking_type_id, day, change.host_id]
            row[0] += change.bookings
            row[1] += change.expected
            if change.assigned_us is not None:
                row[2] = max(row[2] or change.assigned_us, change.assigned_us)
    if not sums:
        return
    values = [
        {
            "booking_type_id": type_id,
            "day": day,
            "host_id": host_id,
            "bookings": held,
            "expected": expected,
            "last_assigned": last,
        }
        for (type_id, day, host_id), (held, expected, last) in sorted(sums.items())
    ]
    session.execute(_UPSERT[session.get_bind().dialect.name], values)


def _upsert(dialect: Any) -> Any:
    table = t.LedgerDay.__table__
    statement = dialect.insert(table)
    new = statement.excluded
    later = case(
        (table.c.last_assigned.is_(None), new.last_assigned),
        (new.last_assigned > table.c.last_assigned, new.last_assigned),
        else_=table.c.last_assigned,
    )
    return statement.on_conflict_do_update(
        index_elements=[table.c.booking_type_id, table.c.day, table.c.host_id],
        set_={
            "bookings": table.c.bookings + new.bookings,
            "expected": table.c.expected + new.expected,
            "last_assigned": later,
        },
    )


_UPSERT = {"sqlite": _upsert(sqlite), "postgresql": _upsert(postgresql)}


# Statements of the hot path are built once, with bound parameters.
LEDGER = (
    select(
        t.LedgerDay.host_id,
        func.sum(t.LedgerDay.bookings),
        func.sum(t.LedgerDay.expected),
        func.max(t.LedgerDay.last_assigned),
    )
    .where(
        t.LedgerDay.booking_type_id == bindparam("type"),
        t.LedgerDay.day >= bindparam("first"),
        t.LedgerDay.day <= bindparam("last"),
    )
    .group_by(t.LedgerDay.host_id)
)
LAST_DAY = 2**31 - 1


def load_ledger(
    session: Session, booking_type_id: str, since: int | None
) -> dict[str, model.Standing]:
    """The ledger of a round-robin type over the fairness window that starts at `since`
    (epoch seconds; None: all time): the window counts whole UTC days, from the day of
    `since` on. One grouped read of at most hosts x days rows."""
    if since is None:
        first = last = t.ALL_TIME_DAY
    else:
        first, last = day_of(since * t.US), LAST_DAY
    rows = session.connection().execute(
        LEDGER, {"type": booking_type_id, "first": first, "last": last}
    )
    return {
        host_id: model.Standing(
            bookings=int(held or 0),
            expected=float(expected or 0.0),
            last_assigned=None if assigned is None else int(assigned),
        )
        for host_id, held, expected, assigned in rows
        if held or expected or assigned is not None
    }
