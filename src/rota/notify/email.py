"""An invitation as an email: plain text, HTML and the iTIP calendar part.

The layout is the one Google Calendar itself sends, which Gmail and Outlook
both turn into a meeting card with Accept / Decline:

    multipart/mixed
      multipart/alternative
        text/plain
        text/html
        text/calendar; method=REQUEST
      application/ics (invite.ics)

The calendar part carries the times in UTC; the text parts name them in the
recipient's timezone first, then in every other participant's.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from zoneinfo import ZoneInfo

from rota.notify.invite import Meeting, Method, Person, calendar

POLICY = policy.SMTP.clone(max_line_length=998, cte_type="7bit")
"""CRLF line ends; 7-bit transfer encodings, which every SMTP server takes; headers
folded only past RFC 5322's hard limit, because Python's folder moves a long
Subject whole onto a continuation line and some readers then show it with a
leading space."""


def from_bytes(data: bytes) -> EmailMessage:
    """A message read back from its bytes (an .eml file, an SMTP capture)."""
    return message_from_bytes(data, policy=POLICY)


def message_id(name: str, sender: str) -> str:
    """The Message-ID of the email of outbox row ``name``: the same on every retry."""
    return f"<{name}@{sender.rpartition('@')[2] or 'localhost'}>"


def _when(meeting: Meeting, zone: str) -> str:
    tz = ZoneInfo(zone)
    start, end = meeting.start.astimezone(tz), meeting.end.astimezone(tz)
    day = f"{start:%a} {start.day} {start:%b %Y}"
    if end.date() == start.date():
        return f"{day}, {start:%H:%M}-{end:%H:%M} ({zone})"
    return f"{day}, {start:%H:%M} - {end:%a} {end.day} {end:%b %Y}, {end:%H:%M} ({zone})"


def _zones(recipient: Person, participants: Sequence[Person]) -> list[str]:
    zones = [recipient.timezone]
    for person in participants:
        if person.timezone not in zones:
            zones.append(person.timezone)
    if "UTC" not in zones:
        zones.append("UTC")
    return zones


def _headline(meeting: Meeting, method: Method) -> str:
    if method is Method.CANCEL and not meeting.cancelled:
        return "This meeting has been handed to another host: you no longer need to attend."
    if method is Method.CANCEL:
        return "This meeting has been cancelled."
    if meeting.sequence == 0:
        return "You are invited to this meeting."
    return "This meeting has changed: the details below replace the earlier ones."


def subject(meeting: Meeting, method: Method, recipient: Person) -> str:
    if method is Method.CANCEL:
        prefix = "Cancelled"
    elif meeting.sequence == 0:
        prefix = "Invitation"
    else:
        prefix = "Updated invitation"
    return f"{prefix}: {meeting.summary} @ {_when(meeting, recipient.timezone)}"


def _who(person: Person) -> str:
    suffix = " (host)" if person.role == "host" else ""
    return f"{person.name} <{person.email}>{suffix}"


def _plain(meeting: Meeting, method: Method, recipient: Person) -> str:
    whens = [_when(meeting, zone) for zone in _zones(recipient, meeting.participants)]
    lines = [_headline(meeting, method), "", meeting.summary, ""]
    lines += [("When: " if i == 0 else "      ") + when for i, when in enumerate(whens)]
    lines += [
        ("Who:  " if i == 0 else "      ") + _who(p) for i, p in enumerate(meeting.participants)
    ]
    if meeting.description:
        lines += ["", meeting.description]
    return "\n".join(lines) + "\n"


def _html(meeting: Meeting, method: Method, recipient: Person) -> str:
    esc = html.escape
    whens = "<br>".join(
        esc(_when(meeting, zone)) for zone in _zones(recipient, meeting.participants)
    )
    who = "<br>".join(esc(_who(p)) for p in meeting.participants)
    description = f"<p>{esc(meeting.description)}</p>" if meeting.description else ""
    return (
        "<!doctype html>\n<html><body>"
        f"<p>{esc(_headline(meeting, method))}</p>"
        f"<h2>{esc(meeting.summary)}</h2>"
        '<table cellpadding="4">'
        f'<tr><th align="left" valign="top">When</th><td>{whens}</td></tr>'
        f'<tr><th align="left" valign="top">Who</th><td>{who}</td></tr>'
        f"</table>{description}</body></html>\n"
    )


def invitation(
    meeting: Meeting,
    method: Method,
    recipient: Person,
    *,
    attendees: Sequence[Person] | None = None,
    sent_at: datetime | None = None,
    message_id: str | None = None,
) -> EmailMessage:
    """The email telling ``recipient`` about the meeting.

    ``attendees`` narrows the calendar part's ATTENDEE lines: a CANCEL to
    the host who left names only that host, so the others stay invited.
    ``message_id`` (the outbox row's, see `message_id`) makes a repeated
    delivery carry the same Message-ID, so a mail system can drop the repeat.
    """
    domain = meeting.organizer_email.rpartition("@")[2] or "localhost"
    message = EmailMessage(policy=POLICY)
    message["From"] = Address(meeting.organizer_name, addr_spec=meeting.organizer_email)
    message["To"] = Address(recipient.name, addr_spec=recipient.email)
    message["Subject"] = subject(meeting, method, recipient)
    message["Date"] = format_datetime(sent_at or meeting.stamp)
    message["Message-ID"] = make_msgid(domain=domain) if message_id is None else message_id
    message["Auto-Submitted"] = "auto-generated"
    ics = calendar(meeting, method, attendees).to_ical().decode()
    message.set_content(_plain(meeting, method, recipient))
    message.add_alternative(_html(meeting, method, recipient), subtype="html")
    message.add_alternative(ics, subtype="calendar", params={"method": method.value})
    message.add_attachment(
        ics.encode(), maintype="application", subtype="ics", filename="invite.ics"
    )
    return message
