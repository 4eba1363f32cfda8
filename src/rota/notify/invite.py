"""A booking as an iCalendar object (RFC 5545), and as an iTIP message (RFC 5546).

One booking is one VEVENT for its whole life: the UID never changes and the
SEQUENCE rises with every change, so a calendar that receives an update (or
the same message twice, since the outbox delivers at least once) replaces
its copy instead of adding a second meeting.

The ORGANIZER is the organization's sender address, not a host: hosts come
and go on a reassign, and calendar clients reject an update whose organizer
differs from the one they stored. Hosts and the attendee are all ATTENDEEs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import icalendar

PRODID = "-//rota//rota team booking//EN"
UID_DOMAIN = "rota"


class Method(StrEnum):
    """The iTIP methods rota sends."""

    REQUEST = "REQUEST"
    """A new meeting, or a change to one (same UID, higher SEQUENCE)."""
    CANCEL = "CANCEL"
    """The meeting is off, for everyone or only for the attendees named."""


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    email: str
    timezone: str
    """IANA name: the text parts show the meeting in it."""
    role: str = "attendee"
    """``"host"`` or ``"attendee"``: how the text parts name the person."""
    link: str = ""
    """Where the recipient of an email manages the booking: the attendee's manage page,
    a host's page of the booking in the Hub. Only a recipient carries one."""


@dataclass(frozen=True, slots=True)
class Meeting:
    """Everything an invitation says about one booking at one SEQUENCE."""

    uid: str
    sequence: int
    start: datetime
    """Aware; written in UTC."""
    end: datetime
    summary: str
    organizer_name: str
    organizer_email: str
    participants: tuple[Person, ...]
    """The hosts and the attendee, in the order the text lists them."""
    stamp: datetime
    """When this version of the meeting was made (DTSTAMP)."""
    cancelled: bool = False
    description: str = ""
    location: str = ""
    url: str = ""
    """A video meeting's link (the URL property, beside LOCATION)."""
    rescheduled_from: datetime | None = None
    """The start the meeting moved from, in the messages of a reschedule."""
    reason: str = ""
    """Why it changed (a cancellation's reason), as given."""

    def __post_init__(self) -> None:
        for name in ("start", "end", "stamp"):
            value: datetime = getattr(self, name)
            if value.tzinfo is None:
                raise ValueError(f"Meeting.{name} must be timezone-aware")
        if self.end <= self.start:
            raise ValueError("Meeting.end must be after Meeting.start")


def person_record(person: Person) -> dict[str, str]:
    """A person as JSON, for an outbox row."""
    record = {
        "name": person.name,
        "email": person.email,
        "timezone": person.timezone,
        "role": person.role,
    }
    if person.link:
        record["link"] = person.link
    return record


def person_from_record(record: Mapping[str, str]) -> Person:
    return Person(
        record["name"], record["email"], record["timezone"], record["role"], record.get("link", "")
    )


def meeting_record(meeting: Meeting) -> dict[str, Any]:
    """A meeting as JSON, for an outbox row: enough to render its messages later."""
    return {
        "uid": meeting.uid,
        "sequence": meeting.sequence,
        "start": meeting.start.isoformat(),
        "end": meeting.end.isoformat(),
        "summary": meeting.summary,
        "organizer_name": meeting.organizer_name,
        "organizer_email": meeting.organizer_email,
        "participants": [person_record(p) for p in meeting.participants],
        "stamp": meeting.stamp.isoformat(),
        "cancelled": meeting.cancelled,
        "description": meeting.description,
        "location": meeting.location,
        "url": meeting.url,
        "rescheduled_from": (
            None if meeting.rescheduled_from is None else meeting.rescheduled_from.isoformat()
        ),
        "reason": meeting.reason,
    }


def meeting_from_record(record: Mapping[str, Any]) -> Meeting:
    return Meeting(
        uid=record["uid"],
        sequence=record["sequence"],
        start=datetime.fromisoformat(record["start"]),
        end=datetime.fromisoformat(record["end"]),
        summary=record["summary"],
        organizer_name=record["organizer_name"],
        organizer_email=record["organizer_email"],
        participants=tuple(person_from_record(p) for p in record["participants"]),
        stamp=datetime.fromisoformat(record["stamp"]),
        cancelled=record["cancelled"],
        description=record["description"],
        # Rows queued before these fields existed have none of them.
        location=record.get("location", ""),
        url=record.get("url", ""),
        rescheduled_from=(
            datetime.fromisoformat(record["rescheduled_from"])
            if record.get("rescheduled_from")
            else None
        ),
        reason=record.get("reason", ""),
    )


def booking_uid(booking_id: str) -> str:
    """The UID of a booking's event, the same in every message and calendar."""
    return f"{booking_id}@{UID_DOMAIN}"


def is_booking_uid(uid: str) -> bool:
    """Whether an event read back from a host's calendar is one rota wrote or sent.

    Calendar sync skips these: the booking itself already blocks the host,
    and a copy left behind after a reassign or cancel must not keep the time busy.
    """
    return uid.endswith(f"@{UID_DOMAIN}")


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _common_name(name: str) -> str:
    """A CN parameter value: RFC 5545 cannot quote a double quote inside a quoted
    parameter, and RFC 6868's caret escape (``^'``) is shown as is by most clients, so a
    double quote becomes a typographic one, which reads the same."""
    return name.replace('"', "\u201d")


def _address(name: str, email: str) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{email}")
    address.params["CN"] = _common_name(name)
    return address


def _attendee(person: Person, method: Method | None) -> icalendar.vCalAddress:
    address = _address(person.name, person.email)
    address.params["CUTYPE"] = "INDIVIDUAL"
    address.params["ROLE"] = "REQ-PARTICIPANT"
    address.params["PARTSTAT"] = "NEEDS-ACTION"
    if method is Method.REQUEST:
        # RSVP is what makes Gmail and Outlook show Accept / Decline.
        address.params["RSVP"] = "TRUE"
    return address


def event(
    meeting: Meeting,
    method: Method | None = None,
    attendees: Sequence[Person] | None = None,
) -> icalendar.Event:
    """The meeting's VEVENT; ``attendees`` narrows the ATTENDEE lines (an uninvite)."""
    vevent = icalendar.Event()
    vevent.add("uid", meeting.uid)
    vevent.add("sequence", meeting.sequence)
    vevent.add("dtstamp", _utc(meeting.stamp))
    vevent.add("dtstart", _utc(meeting.start))
    vevent.add("dtend", _utc(meeting.end))
    vevent.add("summary", meeting.summary)
    if meeting.description:
        vevent.add("description", meeting.description)
    if meeting.location:
        vevent.add("location", meeting.location)
    if meeting.url:
        vevent.add("url", meeting.url)
    if meeting.cancelled:
        vevent.add("status", "CANCELLED")
    elif method is not Method.CANCEL:
        vevent.add("status", "CONFIRMED")
    # A CANCEL of a meeting that goes on uninvites the attendees it names: RFC 5546
    # (3.2.5) says STATUS must not be included then, or the whole event is off.
    vevent.add("transp", "OPAQUE")
    vevent.add("organizer", _address(meeting.organizer_name, meeting.organizer_email))
    for person in meeting.participants if attendees is None else attendees:
        vevent.add("attendee", _attendee(person, method))
    return vevent


def calendar(
    meeting: Meeting,
    method: Method | None = None,
    attendees: Sequence[Person] | None = None,
) -> icalendar.Calendar:
    """A VCALENDAR holding the meeting.

    With a ``method`` it is an iTIP message for email; without, it is the
    object stored in a host's CalDAV calendar (RFC 4791 forbids METHOD there).
    """
    vcalendar = icalendar.Calendar()
    vcalendar.add("prodid", PRODID)
    vcalendar.add("version", "2.0")
    vcalendar.add("calscale", "GREGORIAN")
    if method is not None:
        vcalendar.add("method", method.value)
    vcalendar.add_component(event(meeting, method, attendees))
    return vcalendar
