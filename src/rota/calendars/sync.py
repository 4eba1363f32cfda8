"""Calendar sync: a host's external busy time copied into its busy blocks.

The network is read outside any transaction; then one short write replaces
the host's ``source = "calendar"`` blocks with what the calendar holds now.
Slot listings only ever read those rows, so they never wait on a calendar.
A calendar that cannot be read keeps its last good blocks (stale is safer
than suddenly free) and records the error for the API to show.

The range read runs from a day ago to the farthest booking window of the
organization's booking types, so every offerable slot is covered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import delete, func, or_, select

from rota import metrics
from rota.calendars import caldav_client, ics
from rota.calendars.caldav_client import CalDavAccount
from rota.calendars.ics import BusyEvent, CalendarError
from rota.calendars.secrets import SecretBox, SecretKeyError
from rota.ids import new_id
from rota.notify.invite import is_booking_uid
from rota.store.db import Database
from rota.store.tables import BookingType, BusyBlock, Host, HostCalendar, from_us

CALENDAR_SOURCE = "calendar"
BUSY_TITLE = "Busy (calendar)"
MIN_HORIZON_DAYS = 60
PAST = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class SyncResult:
    host_id: str
    busy: int
    """How many busy blocks the calendar gave (0 on error)."""
    error: str | None


def account(calendar: HostCalendar, box: SecretBox) -> CalDavAccount:
    password = box.decrypt(calendar.password_encrypted) if calendar.password_encrypted else ""
    return CalDavAccount(calendar.url, calendar.username or "", password)


def read_calendar(
    calendar: HostCalendar,
    timezone: str,
    start: int,
    end: int,
    *,
    box: SecretBox,
    http: httpx.Client,
) -> list[BusyEvent]:
    """The calendar's busy spans over ``[start, end)``, leaving out rota's own bookings."""
    if calendar.kind == "ics":
        feed = ics.fetch(http, calendar.url)
        return ics.busy_events(feed, start, end, timezone=timezone, skip_uid=is_booking_uid)
    return caldav_client.read_busy(
        account(calendar, box), start, end, timezone=timezone, skip_uid=is_booking_uid
    )


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def sync_host(
    db: Database, host_id: str, *, box: SecretBox, http: httpx.Client, now: datetime
) -> SyncResult | None:
    """Sync one host's calendar; None when the host has no calendar (any more)."""
    with db.read() as session:
        calendar = session.get(HostCalendar, host_id)
        host = session.get(Host, host_id)
        if calendar is None or host is None or host.deleted_at is not None:
            return None
        window_days = session.scalar(
            select(func.max(BookingType.booking_window_days)).where(
                BookingType.org_id == host.org_id, BookingType.deleted_at.is_(None)
            )
        )
        url, timezone = calendar.url, host.timezone
    horizon = timedelta(days=max(window_days or 0, MIN_HORIZON_DAYS) + 1)
    try:
        events = read_calendar(
            calendar, timezone, _epoch(now - PAST), _epoch(now + horizon), box=box, http=http
        )
    except (CalendarError, SecretKeyError) as failure:
        error: str | None = str(failure)
        events = []
        metrics.CALENDAR_SYNC_FAILURES.inc()
    else:
        error = None
    with db.write() as session:
        current = session.get(HostCalendar, host_id)
        if current is None or current.url != url:
            return None  # disconnected or changed meanwhile: that change wins
        current.last_synced_at = now
        current.last_error = error
        if error is None:
            session.execute(
                delete(BusyBlock).where(
                    BusyBlock.host_id == host_id, BusyBlock.source == CALENDAR_SOURCE
                )
            )
            session.add_all(
                BusyBlock(
                    id=new_id("busy"),
                    host_id=host_id,
                    start_at=from_us(event.start * 1_000_000),
                    end_at=from_us(event.end * 1_000_000),
                    title=BUSY_TITLE,
                    source=CALENDAR_SOURCE,
                    external_uid=event.external_uid[:500],
                    created_at=now,
                )
                for event in events
            )
    return SyncResult(host_id, len(events), error)


def sync_due(
    db: Database,
    *,
    box: SecretBox,
    http: httpx.Client,
    every: timedelta,
    clock: Callable[[], datetime],
) -> list[SyncResult]:
    """Sync every calendar not tried for ``every`` (or never), oldest first."""
    cutoff = clock() - every
    with db.read() as session:
        due = list(
            session.scalars(
                select(HostCalendar.host_id)
                .where(
                    or_(
                        HostCalendar.last_synced_at.is_(None),
                        HostCalendar.last_synced_at <= cutoff,
                    )
                )
                .order_by(HostCalendar.last_synced_at.nulls_first(), HostCalendar.host_id)
            )
        )
    results = []
    for host_id in due:
        result = sync_host(db, host_id, box=box, http=http, now=clock())
        if result is not None:
            results.append(result)
    return results
