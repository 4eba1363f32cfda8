"""Busy time from an iCalendar feed: which spans of a range a calendar holds.

Every event that takes time counts (confirmed or tentative), with recurring
series expanded by recurring-ical-events (RRULE, RDATE, EXDATE, moved or
cancelled occurrences). An event marked TRANSP:TRANSPARENT ("show as free")
or STATUS:CANCELLED does not block anything. All-day events and floating
times (no timezone) are read in the calendar's own zone (X-WR-TIMEZONE),
else in the host's.

A feed is whatever its owner's URL serves, so reading one is bounded: at most
`MAX_EVENTS` events in the feed and `MAX_INSTANCES` occurrences in the range
read (a ``RRULE:FREQ=MINUTELY`` series would otherwise give ~90,000 rows and
minutes of CPU every sync). Past a cap the sync fails with a short error and
the host keeps its last good busy time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
import icalendar
import recurring_ical_events

from rota import outbound

MAX_EVENTS = 20_000
"""Events (VEVENTs, series counted once) a feed may hold."""
MAX_INSTANCES = 5_000
"""Occurrences one sync may expand in its range (~80 a day over two months)."""


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
    if len(calendar.subcomponents) > MAX_EVENTS:
        raise CalendarError(f"the calendar holds more than {MAX_EVENTS} events")
    window = (datetime.fromtimestamp(start, UTC), datetime.fromtimestamp(end, UTC))
    found: dict[str, BusyEvent] = {}
    for count, occurrence in enumerate(_occurrences(calendar, *window)):
        if count >= MAX_INSTANCES:  # free and cancelled ones count: they cost as much
            raise CalendarError(
                f"the calendar has more than {MAX_INSTANCES} events in the next "
                f"{(end - start) // 86_400} days"
            )
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


def _occurrences(
    calendar: icalendar.Calendar, start: datetime, end: datetime
) -> Iterator[icalendar.Component]:
    """Occurrences over the window, series by series, made only as far as they are read.

    (`recurring_ical_events`' own ``between`` makes the whole list first.)
    """
    query = recurring_ical_events.of(calendar, skip_bad_series=True)
    for series in query.series:
        try:
            for occurrence in series.between(start, end):
                yield occurrence.as_component(False)
        except tuple(query.suppressed_errors):
            continue  # one broken series does not hide the others (skip_bad_series)


def parse(data: bytes) -> icalendar.Calendar:
    try:
        return icalendar.Calendar.from_ical(data)
    except ValueError as error:
        # The parser's message quotes the data: never repeat what the server sent.
        raise CalendarError("the answer is not an iCalendar feed") from error


def fetch(client: httpx.Client, url: str) -> icalendar.Calendar:
    """Download and parse an ICS feed; ``webcal://`` is read as ``https://``.

    ``client`` should be `rota.outbound.client()`, which reaches public
    addresses only; the size and time caps are `rota.outbound`'s.
    """
    if url.startswith("webcal://"):
        url = "https://" + url.removeprefix("webcal://")
    try:
        answer = outbound.request(client, "GET", url, follow_redirects=True)
    except outbound.OutboundError as error:
        raise CalendarError(f"fetching the feed: {error}") from error
    if not 200 <= answer.status < 300:
        raise CalendarError(f"fetching the feed: HTTP {answer.status}")
    return parse(answer.body)
