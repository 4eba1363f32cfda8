"""A host's CalDAV calendar (RFC 4791): busy time in, booked meetings out.

The URL is the calendar collection itself (for Radicale
``https://host/user/calendar/``); an account's principal or home URL is read
as that account's first calendar. Reading asks the server for the events
touching the range and expands recurring ones on our side, with the same
rules as an ICS feed, so both kinds of calendar agree on what "busy" means.
A booked meeting is found by the booking's UID (wherever the host's client
filed it), so writing it again replaces it and deleting it needs nothing but
the UID.

The URL is a user's, so every request is checked by `rota.outbound` first
(public addresses only, after DNS) and redirects are not followed: the
URL names the collection. Errors keep the first line of what the library says
(status and reason), never the server's body.

The CalDAV library's timeout bounds each socket read, not a whole operation: a
server answering one byte every few seconds would hold the worker for hours.
So each operation runs in a thread of its own and is given up after
`TOTAL_SECONDS` (the thread is left to end on its own per-read timeout; a write
given up is retried, which is harmless: an event is stored under its UID).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

import icalendar
from caldav.calendarobjectresource import CalendarObjectResource
from caldav.collection import Calendar
from caldav.davclient import DAVClient
from caldav.elements import dav
from caldav.lib import error as caldav_error

from rota import outbound
from rota.calendars.ics import BusyEvent, CalendarError, busy_events

TIMEOUT_SECONDS = 30
"""Each socket operation."""
TOTAL_SECONDS = 30.0
"""A whole read, write or delete, however slowly the server answers."""

T = TypeVar("T")

RESOURCE_TYPE = "{DAV:}resourcetype"
CALENDAR = "{urn:ietf:params:xml:ns:caldav}calendar"


@dataclass(frozen=True, slots=True)
class CalDavAccount:
    url: str
    username: str
    password: str = field(repr=False)


class _PublicDAVClient(DAVClient):
    """A DAVClient that checks each URL it requests against the outbound policy."""

    def request(self, url: str, *args: Any, **kwargs: Any) -> Any:
        outbound.check_reachable(str(self.url.join(url)))
        return super().request(url, *args, **kwargs)


def _calendar(account: CalDavAccount) -> Calendar:
    client = _PublicDAVClient(
        url=account.url,
        username=account.username,
        password=account.password,
        timeout=TIMEOUT_SECONDS,
        # The URL names the collection: no DNS service discovery (RFC 6764).
        enable_rfc6764=False,
    )
    # A redirect could lead anywhere; the HTTP library raises on one instead.
    client.session.max_redirects = 0
    calendar = Calendar(client=client, url=account.url)
    # The client is synchronous: its "or a coroutine" return types do not apply.
    properties = cast("dict[str, Any]", calendar.get_properties([dav.ResourceType()]))
    if CALENDAR in (properties.get(RESOURCE_TYPE) or []):
        return calendar
    # People paste their account's (principal or home) address rather than a calendar's:
    # read it as their first calendar, or say plainly that there is none.
    calendars = client.principal().calendars()  # type: ignore[no-untyped-call]
    if not calendars:
        raise ValueError("the URL is not a calendar and its account has no calendar")
    found: Calendar = calendars[0]
    return found


# caldav raises DAVError for what the server answers and its HTTP library's
# errors (OSError subclasses) for the connection; a malformed object is a ValueError.
_ERRORS = (caldav_error.DAVError, OSError, ValueError, outbound.OutboundError)


def _short(error: Exception) -> str:
    """The first line of the error: caldav puts the server's body after it."""
    lines = str(error).strip().splitlines()
    return (lines[0] if lines else type(error).__name__)[:160]


def _in_time(action: Callable[[], T]) -> T:
    """``action()``, or `outbound.OutboundError` once it has taken `TOTAL_SECONDS`."""
    done: queue.SimpleQueue[tuple[T, None] | tuple[None, BaseException]] = queue.SimpleQueue()

    def run() -> None:
        try:
            done.put((action(), None))
        except BaseException as error:
            done.put((None, error))

    threading.Thread(target=run, name="rota-caldav", daemon=True).start()
    try:
        value, error = done.get(timeout=TOTAL_SECONDS)
    except queue.Empty:
        raise outbound.OutboundError("no answer in time") from None
    if error is not None:
        raise error
    return cast(T, value)


def read_busy(
    account: CalDavAccount,
    start: int,
    end: int,
    *,
    timezone: str,
    skip_uid: Callable[[str], bool] = lambda uid: False,
) -> list[BusyEvent]:
    """The busy spans of the calendar overlapping ``[start, end)``."""
    try:
        # The client is synchronous: its "or a coroutine" return types do not apply.
        found = cast(
            "list[CalendarObjectResource]",
            _in_time(
                lambda: _calendar(account).search(
                    start=datetime.fromtimestamp(start, UTC),
                    end=datetime.fromtimestamp(end, UTC),
                    event=True,
                )
            ),
        )
        merged = icalendar.Calendar()
        for resource in found:
            for component in icalendar.Calendar.from_ical(resource.data).subcomponents:
                merged.add_component(component)
    except _ERRORS as error:
        raise CalendarError(f"reading the CalDAV calendar: {_short(error)}") from error
    return busy_events(merged, start, end, timezone=timezone, skip_uid=skip_uid)


def _put(account: CalDavAccount, ics: str) -> None:
    """Find the object holding the event's UID (a calendar-query REPORT) and replace it
    where it is: the host's own client may have filed the invitation under a name of
    its choosing, and a PUT to ``<uid>.ics`` beside it is refused (409, RFC 4791
    no-uid-conflict). Only an event not there yet is created."""
    calendar = _calendar(account)
    [event] = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    try:
        found = cast(CalendarObjectResource, calendar.event_by_uid(str(event["UID"])))
    except caldav_error.NotFoundError:
        calendar.add_event(ical=ics, increase_seqno=False)
        return
    found.data = ics
    found.save(increase_seqno=False)


def put_event(account: CalDavAccount, ics: str) -> None:
    """Create or replace the event (one VEVENT, no METHOD) with its UID."""
    try:
        _in_time(lambda: _put(account, ics))
    except _ERRORS as error:
        raise CalendarError(f"writing to the CalDAV calendar: {_short(error)}") from error


def delete_event(account: CalDavAccount, uid: str) -> None:
    """Remove the event with this UID; one already gone is not an error."""
    try:
        _in_time(
            lambda: cast(CalendarObjectResource, _calendar(account).event_by_uid(uid)).delete()
        )
    except caldav_error.NotFoundError:
        return
    except _ERRORS as error:
        raise CalendarError(f"deleting from the CalDAV calendar: {_short(error)}") from error
