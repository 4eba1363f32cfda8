"""A host's CalDAV calendar (RFC 4791): busy time in, booked meetings out.

The URL is the calendar collection itself (for Radicale
``https://host/user/calendar/``); an account's principal or home URL is read
as that account's first calendar. Reading asks the server for the events
touching the range and expands recurring ones on our side, with the same
rules as an ICS feed, so both kinds of calendar agree on what "busy" means.
A booked meeting is found by the booking's UID (wherever the host's client
filed it), so writing it again replaces it and deleting it needs nothing but
the UID.

The URL is a user's, so the CalDAV library's HTTP session is replaced by one
that sends every request through `rota.outbound`, reads and writes alike: each
connection goes to the very address that was checked after DNS (public only,
unless ``ROTA_ALLOW_PRIVATE_URLS=1``), no answer is read past
`outbound.MAX_RESPONSE_BYTES`, every socket operation waits at most
`outbound.TIMEOUT`, and each request at most `outbound.TOTAL_SECONDS`. Redirects
are refused, not followed: the URL names the collection. Errors keep the first
line of what the library says (status and reason) or outbound's short sentence,
never the server's body.

A whole read, write or delete (several requests: find the calendar, then the
event, then put it) is bounded by `TOTAL_SECONDS` as well, however slowly the
server answers: the deadline reaches every socket operation of its requests.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any, cast

import httpx
import icalendar
from caldav.calendarobjectresource import CalendarObjectResource
from caldav.collection import Calendar
from caldav.davclient import DAVClient
from caldav.elements import dav
from caldav.lib import error as caldav_error
from caldav.lib.http_sync import HTTPBasicAuth
from caldav.lib.http_sync import requests as caldav_http
from caldav.requests import HTTPBearerAuth

from rota import outbound
from rota.calendars.ics import BusyEvent, CalendarError, busy_events

TOTAL_SECONDS = 30.0
"""A whole read, write or delete, however slowly the server answers."""

RESOURCE_TYPE = "{DAV:}resourcetype"
CALENDAR = "{urn:ietf:params:xml:ns:caldav}calendar"
REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True, slots=True)
class CalDavAccount:
    url: str
    username: str
    password: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class _Response:
    """What DAVClient reads of its HTTP library's response."""

    status_code: int
    headers: httpx.Headers
    content: bytes
    url: str

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    @property
    def reason(self) -> str:
        try:
            return HTTPStatus(self.status_code).phrase
        except ValueError:
            return ""


def _auth(auth: object) -> httpx.Auth | None:
    """The httpx form of the credentials DAVClient chose after the server's challenge."""
    if auth is None:
        return None
    if isinstance(auth, caldav_http.auth.HTTPDigestAuth):
        return httpx.DigestAuth(auth.username, auth.password)
    if isinstance(auth, HTTPBasicAuth):
        return httpx.BasicAuth(auth.username, auth.password)
    if isinstance(auth, HTTPBearerAuth):
        return _Bearer(auth.password)
    raise ValueError("the server asks for an authentication rota does not speak")


class _Bearer(httpx.Auth):
    def __init__(self, token: str) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


class _OutboundSession:
    """DAVClient's HTTP session (it calls ``request`` and ``close``), done by rota.outbound.

    The library's own session (niquests) resolves names itself, reads answers whole and
    follows redirects: none of which a user's URL may have.
    """

    def __init__(self) -> None:
        self._http = outbound.client()
        self._auth: tuple[object, httpx.Auth | None] = (None, None)

    def _httpx_auth(self, auth: object) -> httpx.Auth | None:
        # One httpx auth per credentials: Digest keeps the server's nonce between requests.
        if self._auth[0] is not auth:
            self._auth = (auth, _auth(auth))
        return self._auth[1]

    def request(
        self,
        method: str,
        url: str,
        *,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        auth: object = None,
        **ignored: Any,  # proxies, timeout, verify, cert: outbound's own apply
    ) -> _Response:
        answer = outbound.request(
            self._http,
            method,
            url,
            content=data,
            headers=dict(headers or {}),
            auth=self._httpx_auth(auth),
        )
        if answer.status in REDIRECTS and "location" in answer.headers:
            raise outbound.OutboundError(
                f"the server answered with a redirect (HTTP {answer.status}); "
                "give the calendar's own URL"
            )
        return _Response(answer.status, answer.headers, answer.body, url)

    def close(self) -> None:
        self._http.close()


@contextmanager
def _client(account: CalDavAccount) -> Iterator[DAVClient]:
    client = DAVClient(
        url=account.url,
        username=account.username,
        password=account.password,
        # The URL names the collection: no DNS service discovery (RFC 6764).
        enable_rfc6764=False,
    )
    client.session.close()
    # DAVClient has no way to be given a session; it only calls request and close on it.
    client.session = cast(Any, _OutboundSession())
    try:
        yield client
    finally:
        client.close()


def _calendar(client: DAVClient, account: CalDavAccount) -> Calendar:
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


# caldav raises DAVError for what the server answers, lxml an XMLSyntaxError (a
# SyntaxError) for an answer that is not XML, rota.outbound OutboundError for what it
# refuses or gives up; a malformed object is a ValueError.
_ERRORS = (caldav_error.DAVError, OSError, ValueError, SyntaxError, outbound.OutboundError)


def _short(error: Exception) -> str:
    """The first line of the error: caldav puts the server's body after it."""
    lines = str(error).strip().splitlines()
    return (lines[0] if lines else type(error).__name__)[:160]


@contextmanager
def _calendar_of(account: CalDavAccount) -> Iterator[Calendar]:
    """The account's calendar, its requests all within `TOTAL_SECONDS` from now."""
    with outbound.deadline(TOTAL_SECONDS), _client(account) as client:
        yield _calendar(client, account)


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
        with _calendar_of(account) as calendar:
            # The client is synchronous: its "or a coroutine" return types do not apply.
            found = cast(
                "list[CalendarObjectResource]",
                calendar.search(
                    start=datetime.fromtimestamp(start, UTC),
                    end=datetime.fromtimestamp(end, UTC),
                    event=True,
                ),
            )
        merged = icalendar.Calendar()
        for resource in found:
            for component in icalendar.Calendar.from_ical(resource.data).subcomponents:
                merged.add_component(component)
    except _ERRORS as error:
        raise CalendarError(f"reading the CalDAV calendar: {_short(error)}") from error
    return busy_events(merged, start, end, timezone=timezone, skip_uid=skip_uid)


def _put(calendar: Calendar, ics: str) -> None:
    """Find the object holding the event's UID (a calendar-query REPORT) and replace it
    where it is: the host's own client may have filed the invitation under a name of
    its choosing, and a PUT to ``<uid>.ics`` beside it is refused (409, RFC 4791
    no-uid-conflict). Only an event not there yet is created."""
    [event] = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    try:
        found = cast(CalendarObjectResource, calendar.event_by_uid(str(event["UID"])))
    except caldav_error.NotFoundError:
        calendar.add_event(ical=ics, increase_seqno=False)
        return
    found.data = ics
    found.save(increase_seqno=False)


def put_event(account: CalDavAccount, ics: str) -> None:
    """Create or replace the event (one VEVENT, no METHOD) with its UID.

    One given up half-way is retried by the outbox, which is harmless: an event is
    stored under its UID."""
    try:
        with _calendar_of(account) as calendar:
            _put(calendar, ics)
    except _ERRORS as error:
        raise CalendarError(f"writing to the CalDAV calendar: {_short(error)}") from error


def delete_event(account: CalDavAccount, uid: str) -> None:
    """Remove the event with this UID; one already gone is not an error."""
    try:
        with _calendar_of(account) as calendar:
            cast(CalendarObjectResource, calendar.event_by_uid(uid)).delete()
    except caldav_error.NotFoundError:
        return
    except _ERRORS as error:
        raise CalendarError(f"deleting from the CalDAV calendar: {_short(error)}") from error
