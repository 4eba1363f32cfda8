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
import os
from collections.abc import Sequence
from datetime import datetime
from email import message_from_bytes, policy
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from zoneinfo import ZoneInfo

from rota.notify.invite import Meeting, Method, Person, calendar

POLICY = policy.SMTP.clone(max_line_length=998, cte_type="7bit")
"""CRLF line ends; 7-bit transfer encodings, which every SMTP server takes; headers
folded only past RFC 5322's hard limit, because Python's folder moves a long
Subject whole onto a continuation line and some readers then show it with a
leading space. A non-ASCII Subject is encoded by `_subject_header` instead."""


def from_bytes(data: bytes) -> EmailMessage:
    """A message read back from its bytes (an .eml file, an SMTP capture)."""
    return message_from_bytes(data, policy=POLICY)


def message_id(name: str, sender: str) -> str:
    """The Message-ID of the email of outbox row ``name``: the same on every retry."""
    return f"<{name}@{sender.rpartition('@')[2] or 'localhost'}>"


def _local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def _when(meeting: Meeting, zone: str) -> str:
    start, end = _local(meeting.start, zone), _local(meeting.end, zone)
    day = f"{start:%a} {start.day} {start:%b %Y}"
    if end.date() == start.date():
        return f"{day}, {start:%H:%M}-{end:%H:%M} ({zone})"
    return f"{day}, {start:%H:%M} - {end:%a} {end.day} {end:%b %Y}, {end:%H:%M} ({zone})"


def _moment(moment: datetime, zone: str) -> str:
    local = _local(moment, zone)
    return f"{local:%a} {local.day} {local:%b} {local:%H:%M}"


def _zones(recipient: Person, participants: Sequence[Person]) -> list[str]:
    zones = [recipient.timezone]
    for person in participants:
        if person.timezone not in zones:
            zones.append(person.timezone)
    if "UTC" not in zones:
        zones.append("UTC")
    return zones


def _headline(meeting: Meeting, method: Method, recipient: Person) -> str:
    if method is Method.CANCEL and not meeting.cancelled:
        return "This meeting has been handed to another host: you no longer need to attend."
    if method is Method.CANCEL:
        return "This meeting has been cancelled."
    if meeting.rescheduled_from is not None:
        zone = recipient.timezone
        return (
            f"This meeting has been rescheduled from {_moment(meeting.rescheduled_from, zone)}"
            f" to {_moment(meeting.start, zone)} (your time, {zone})."
        )
    if meeting.sequence == 0:
        return "You are invited to this meeting."
    return "This meeting has changed: the details below replace the earlier ones."


def subject(meeting: Meeting, method: Method, recipient: Person) -> str:
    if method is Method.CANCEL:
        prefix = "Cancelled"
    elif meeting.rescheduled_from is not None:
        prefix = "Rescheduled"
    elif meeting.sequence == 0:
        prefix = "Invitation"
    else:
        prefix = "Updated invitation"
    return f"{prefix}: {meeting.summary} @ {_when(meeting, recipient.timezone)}"


def _subject_header(text: str) -> str:
    """The Subject as written on the wire. ASCII stays as it is; anything else becomes
    UTF-8 encoded words of at most 75 characters on lines of at most 76 (RFC 2047, 2),
    which Python's folder does not keep to at this policy's line length."""
    if text.isascii():
        return text
    return Header(text, "utf-8", maxlinelen=76, header_name="Subject").encode(linesep="\r\n")


def _who(person: Person) -> str:
    suffix = " (host)" if person.role == "host" else ""
    return f"{person.name} <{person.email}>{suffix}"


def _link_text(recipient: Person) -> str:
    if recipient.role == "host":
        return "See this booking in the Booking Hub"
    return "Reschedule or cancel"


def _facts(meeting: Meeting, method: Method, recipient: Person) -> list[tuple[str, list[str]]]:
    """The labelled lines both text parts show, in order."""
    facts = [
        ("When", [_when(meeting, zone) for zone in _zones(recipient, meeting.participants)]),
        ("Who", [_who(p) for p in meeting.participants]),
    ]
    if meeting.location:
        facts.append(("Where", [meeting.location]))
    if meeting.url and meeting.url != meeting.location:
        facts.append(("Join", [meeting.url]))
    if method is Method.CANCEL and meeting.reason:
        facts.append(("Reason", [meeting.reason]))
    return facts


def _plain(meeting: Meeting, method: Method, recipient: Person) -> str:
    lines = [_headline(meeting, method, recipient), "", meeting.summary, ""]
    facts = _facts(meeting, method, recipient)
    width = max(len(label) for label, _ in facts) + 2  # values in one column
    for label, values in facts:
        lines += [(f"{label}:" if i == 0 else "").ljust(width) + v for i, v in enumerate(values)]
    if meeting.description:
        lines += ["", meeting.description]
    if recipient.link:
        lines += ["", f"{_link_text(recipient)}: {recipient.link}"]
    return "\n".join(lines) + "\n"


CARD = (
    "font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;font-size:15px;"
    "line-height:1.5;color:#1f2328;max-width:560px;margin:0 auto;padding:24px;"
    "border:1px solid #d0d7de;border-radius:8px"
)
"""Inline styles only: Gmail and Outlook drop <style> blocks and external sheets."""
BUTTON = (
    "display:inline-block;padding:10px 16px;background:#0b5cad;color:#ffffff;"
    "text-decoration:none;border-radius:6px;font-weight:600"
)


def _html(meeting: Meeting, method: Method, recipient: Person) -> str:
    esc = html.escape
    rows = "".join(
        f'<tr><th align="left" valign="top" style="padding:4px 12px 4px 0;color:#59636e">'
        f'{esc(label)}</th><td style="padding:4px 0">'
        f"{'<br>'.join(esc(v) for v in values)}</td></tr>"
        for label, values in _facts(meeting, method, recipient)
    )
    description = (
        f'<p style="white-space:pre-line">{esc(meeting.description)}</p>'
        if meeting.description
        else ""
    )
    link = (
        f'<p style="margin-top:20px"><a href="{esc(recipient.link)}" style="{BUTTON}">'
        f"{esc(_link_text(recipient))}</a></p>"
        if recipient.link
        else ""
    )
    return (
        '<!doctype html>\n<html><body style="margin:0;padding:16px;background:#f6f8fa">'
        f'<div style="{CARD};background:#ffffff">'
        f"<p>{esc(_headline(meeting, method, recipient))}</p>"
        f'<h2 style="font-size:20px;margin:8px 0 16px">{esc(meeting.summary)}</h2>'
        f'<table cellpadding="0" cellspacing="0">{rows}</table>'
        f"{description}{link}</div></body></html>\n"
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
    message.set_raw("Subject", _subject_header(subject(meeting, method, recipient)))
    message["Date"] = format_datetime(sent_at or meeting.stamp)
    message["Message-ID"] = make_msgid(domain=domain) if message_id is None else message_id
    message["Auto-Submitted"] = "auto-generated"
    reply_to = os.environ.get("ROTA_REPLY_TO")
    if reply_to:
        message["Reply-To"] = reply_to
    ics = calendar(meeting, method, attendees).to_ical().decode()
    message.set_content(_plain(meeting, method, recipient))
    message.add_alternative(_html(meeting, method, recipient), subtype="html")
    message.add_alternative(ics, subtype="calendar", params={"method": method.value})
    message.add_attachment(
        ics.encode(), maintype="application", subtype="ics", filename="invite.ics"
    )
    return message
