"""Busy time from an iCalendar feed: which spans of a range a calendar holds.

Every event that takes time counts (confirmed or tentative), with recurring
series expanded by recurring-ical-events (RRULE, RDATE, EXDATE, moved or
cancelled occurrences). An event marked TRANSP:TRANSPARENT ("show as free")
or STATUS:CANCELLED does not block anything. All-day events and floating
times (no timezone) are read in the calendar's own zone (X-WR-TIMEZONE),
else in the host's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
import icalendar
import recurring_ical_events


class CalendarError(Exception):
    """A host's calendar could not be read or written; the message says why."""


@dataclass(frozen=True, slots=True, order=True)
class BusyEvent:
    start: int
    """Epoch seconds, UTC."""
    end: int
    external_uid: str
    """The event's UID and, for an occurrence of a series, its recurrence id:
    unique within the calendar and the same on every sync."""


def _zone(cal: icalendar.Calendar, fallback: str) -> ZoneInfo:
    name = str(cal.get("X-WR-TIMEZONE", "")).strip() or fallback
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(fallback)


def _instant(value: date | datetime, zone: ZoneInfo) -> int:
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0), zone)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return int(value.timestamp())


def _bounds(component: icalendar.Component) -> tuple[date | datetime, date | datetime]:
    start = component.decoded("DTSTART")
    if "DTEND" in component:
        return start, component.decoded("DTEND")
    if "DURATION" in component:
        return start, start + component.decoded("DURATION")
    # RFC 5545 3.6.1: no end means one day for a date, an instant for a date-time.
    return start, (start + timedelta(days=1)) if not isinstance(start, datetime) else start


def busy_events(
    calendar: icalendar.Calendar,
    start: int,
    end: int,
    *,
    timezone: str,
    skip_uid: Callable[[str], bool] = lambda uid: False,
) -> list[BusyEvent]:
    """The busy spans of ``calendar`` overlapping ``[start, end)``, sorted.

    ``skip_uid`` drops events by UID: the booking invites rota sent itself,
    which a host's calendar holds once accepted.
    """
    zone = _zone(calendar, timezone)
    query = recurring_ical_events.of(calendar, skip_bad_series=True)
    window = (datetime.fromtimestamp(start, UTC), datetime.fromtimestamp(end, UTC))
    found: dict[str, BusyEvent] = {}
    for occurrence in query.between(*window):
        uid = str(occurrence.get("UID", ""))
        if str(occurrence.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
            continue
        if str(occurrence.get("STATUS", "")).upper() == "CANCELLED" or skip_uid(uid):
            continue
        first, last = _bounds(occurrence)
        span = (_instant(first, zone), _instant(last, zone))
        if span[1] <= span[0] or span[1] <= start or span[0] >= end:
            continue
        recurrence = occurrence.get("RECURRENCE-ID")
        key = uid if recurrence is None else f"{uid}/{_instant(recurrence.dt, zone)}"
        found[key] = BusyEvent(span[0], span[1], key)
    return sorted(found.values())


def parse(data: bytes) -> icalendar.Calendar:
    try:
        return icalendar.Calendar.from_ical(data)
    except ValueError as error:
        raise CalendarError(f"not an iCalendar feed: {error}") from error


def fetch(client: httpx.Client, url: str) -> icalendar.Calendar:
    """Download and parse an ICS feed; ``webcal://`` is read as ``https://``."""
    if url.startswith("webcal://"):
        url = "https://" + url.removeprefix("webcal://")
    try:
        response = client.get(url, follow_redirects=True)
        response.raise_for_status()
    except httpx.HTTPError as error:
        raise CalendarError(f"fetching {url}: {error}") from error
    return parse(response.content)
