"""What every email rota sends must be, checked on the bytes as they leave: MIME that
the standard library's strict policy reads, header lines and RFC 2047 encoded words
within their limits, and a calendar part that two independent iCalendar parsers
(icalendar, vobject) both read, with one VEVENT of the booking's UID (every email
but the sign-in link's)."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from email.message import EmailMessage

import icalendar
import vobject

from rota.notify import sign_in

ENCODED_WORD = re.compile(rb"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


def check(data: bytes) -> EmailMessage:
    """The message parsed, or an AssertionError saying what is wrong with it."""
    headers = data.split(b"\r\n\r\n", 1)[0] if b"\r\n\r\n" in data else data.split(b"\n\n")[0]
    for line in headers.splitlines():
        assert len(line) <= 998, f"header line over 998 characters: {line[:60]!r}"
        for word in ENCODED_WORD.findall(line):
            assert len(word) <= 75, f"encoded word over 75 characters: {word!r}"
        if ENCODED_WORD.search(line):
            assert len(line) <= 76, f"line with encoded words over 76 characters: {line!r}"
    message = message_from_bytes(data, policy=policy.strict)
    assert isinstance(message, EmailMessage)
    assert not message.defects, message.defects
    for part in message.walk():
        assert not part.defects, (part.get_content_type(), part.defects)
    subject = message["Subject"]
    assert subject and "\n" not in str(subject)
    calendars = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    if str(subject) == sign_in.SUBJECT:  # the one email that is not about a meeting
        assert not calendars
        return message
    assert len(calendars) == 1
    text = calendars[0].get_content()
    assert isinstance(text, str)
    [event] = icalendar.Calendar.from_ical(text).walk("VEVENT")
    parsed = vobject.readOne(text)
    assert parsed.vevent.uid.value == str(event["UID"])
    assert parsed.method.value == calendars[0].get_param("method")
    return message
