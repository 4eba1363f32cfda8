"""Listing the slots of a booking type (read only: one snapshot, then the engine)."""

from __future__ import annotations

import math
from datetime import datetime

from rota import engine
from rota.service import clock, lookup
from rota.service.errors import Invalid
from rota.store.db import Database
from rota.store.snapshot import load_snapshot

MAX_RANGE_DAYS = 62


def check_range(start: datetime, end: datetime, *, max_days: int | None = MAX_RANGE_DAYS) -> None:
    if end <= start:
        raise Invalid("end must be after start.", details={"end": "must be after start"})
    if max_days is not None and (end - start).total_seconds() > max_days * engine.DAY:
        raise Invalid(
            f"The range is longer than {max_days} days.",
            details={"end": f"at most {max_days} days after start"},
            code="range_too_long",
        )


def slot_table(
    db: Database, org_id: str, slug: str, start: datetime, end: datetime
) -> engine.SlotTable:
    """The slots of the type starting in ``[start, end)`` that may be booked now."""
    check_range(start, end)
    now = clock.epoch(clock.now())
    lo, hi = clock.epoch(start), math.ceil(end.timestamp())
    with db.read() as session:
        row = lookup.booking_type(session, org_id, slug)
        snapshot = load_snapshot(session, row, lo, hi, now=now, cache=db.busy_cache)
    return engine.slot_table(
        snapshot.booking_type, snapshot.schedules, snapshot.ledger, now=now, start=lo, end=hi
    )


def list_slots(
    db: Database, org_id: str, slug: str, start: datetime, end: datetime
) -> list[engine.Slot]:
    """The slots of `slot_table`, one value each."""
    return slot_table(db, org_id, slug, start, end).slots()
