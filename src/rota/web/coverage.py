"""Handing a host's bookings over in the Hub, as the admin's coverage swap and a
member's "I'm out" both do: the days typed, the preview (a dry run of the same
use case) and what happened, as the pages show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from rota.service import bookings, clock, hosts
from rota.service.errors import ServiceError
from rota.service.reassign import HostReassignment
from rota.store.db import Database
from rota.store.tables import Host
from rota.web import form_dates

DAYS_NEEDED = "Give the first and the last day, the last on or after the first."
DAYS_OVER = "Those days are over: pick today or a later day."


@dataclass(frozen=True, slots=True)
class Days:
    """From the first day to the last, both included, on the host's own calendar; what
    is over of them left out (`start` is now at the earliest): a booking that already
    took place is not handed over, and time off in the past blocks nothing."""

    first: date
    last: date
    start: datetime
    end: datetime

    @property
    def over(self) -> bool:
        return self.start >= self.end

    @property
    def form(self) -> dict[str, str]:
        return {"start": self.first.isoformat(), "end": self.last.isoformat()}


def days(host: Host, start: str, end: str) -> Days | None:
    """The days typed as a range of instants in the host's zone; None when unreadable."""
    first, last = form_dates.day(start), form_dates.day(end)
    if first is None or last is None or last < first:
        return None
    zone = ZoneInfo(host.timezone)
    return Days(
        first,
        last,
        max(datetime.combine(first, time(), zone), clock.now()),
        datetime.combine(last + timedelta(days=1), time(), zone),
    )


def _failures(db: Database, org_id: str, outcome: HostReassignment) -> list[dict[str, Any]]:
    failed = []
    for failure in outcome.failed:
        try:
            booking = bookings.get_booking(db, org_id, failure.booking_id)
        except ServiceError:
            continue
        failed.append({"booking": booking, "why": failure.error.message})
    return failed


def summary(db: Database, org_id: str, outcome: HostReassignment) -> dict[str, Any]:
    """What a hand-over did: the bookings moved (from whom, to whom) and those that stay."""
    moves = [{"booking": b, "entry": b.history[-1]} for b in outcome.reassigned]
    return {
        "moved": moves,
        "failed": _failures(db, org_id, outcome),
        "names": hosts.host_names(db, org_id),
    }


def preview(db: Database, org_id: str, outcome: HostReassignment) -> dict[str, Any]:
    """A dry run as the page shows it: each booking and who would take it, and those
    that would stay (with why)."""
    plan = [
        {"booking": bookings.get_booking(db, org_id, move.booking_id), "to": move.to_host_ids}
        for move in outcome.plan
    ]
    return {
        "plan": plan,
        "failed": _failures(db, org_id, outcome),
        "names": hosts.host_names(db, org_id),
    }
