from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import icalendar
import pytest

from rota.notify.invite import Method, Person, booking_uid, calendar, is_booking_uid
from tests.notify.meetings import ADA, ALAN, GRACE, meeting


def parsed(cal: icalendar.Calendar) -> icalendar.Calendar:
    """Round-trip through text, as a recipient sees it."""
    return icalendar.Calendar.from_ical(cal.to_ical())


def attendees(event: icalendar.Component) -> list[str]:
    lines: Any = event.get("ATTENDEE")
    lines = lines if isinstance(lines, list) else [lines]
    return [str(line).removeprefix("mailto:") for line in lines]


def test_request_carries_uid_sequence_utc_times_and_everyone() -> None:
    cal = parsed(calendar(meeting(), Method.REQUEST))
    [event] = cal.walk("VEVENT")
    assert cal["METHOD"] == "REQUEST"
    assert event["UID"] == "bk_1@rota"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 12, 1, 15, 30, tzinfo=UTC)
    assert event["DTSTART"].to_ical() == b"20261201T150000Z"
    assert event["STATUS"] == "CONFIRMED"
    assert str(event["ORGANIZER"]) == "mailto:bookings@acme.example"
    assert attendees(event) == [ADA.email, GRACE.email]
    lines: Any = event["ATTENDEE"]
    assert all(line.params["RSVP"] == "TRUE" for line in lines)


def test_an_update_keeps_the_uid_and_raises_the_sequence() -> None:
    first = parsed(calendar(meeting(0), Method.REQUEST)).walk("VEVENT")[0]
    moved = parsed(calendar(meeting(1, hosts=(ALAN,)), Method.REQUEST)).walk("VEVENT")[0]
    assert moved["UID"] == first["UID"]
    assert moved["SEQUENCE"] == 1
    assert attendees(moved) == [ALAN.email, GRACE.email]


def test_cancel_to_one_host_names_only_that_host_without_cancelling_the_event() -> None:
    cal = parsed(calendar(meeting(1, hosts=(ALAN,)), Method.CANCEL, attendees=(ADA,)))
    [event] = cal.walk("VEVENT")
    assert cal["METHOD"] == "CANCEL"
    # RFC 5546, 3.2.5: uninviting some attendees must not carry STATUS (that cancels it all).
    assert "STATUS" not in event
    assert attendees(event) == [ADA.email]


def test_cancel_of_the_whole_meeting_says_cancelled() -> None:
    cancelled = replace(meeting(1), cancelled=True)
    [event] = parsed(calendar(cancelled, Method.CANCEL)).walk("VEVENT")
    assert event["STATUS"] == "CANCELLED"


def test_a_name_with_quotes_is_no_rfc_6868_caret() -> None:
    quoted = Person('Grace "Amazing" Hopper', "grace@example.com", "UTC")
    ics = calendar(replace(meeting(), participants=(quoted,)), Method.REQUEST).to_ical()
    assert b"^'" not in ics
    [event] = parsed(calendar(replace(meeting(), participants=(quoted,)))).walk("VEVENT")
    assert event["ATTENDEE"].params["CN"] == "Grace \u201dAmazing\u201d Hopper"


def test_location_url_and_description_are_in_the_event() -> None:
    placed = replace(
        meeting(), location="https://meet.example.com/abc", url="https://meet.example.com/abc"
    )
    [event] = parsed(calendar(placed, Method.REQUEST)).walk("VEVENT")
    assert event["LOCATION"] == "https://meet.example.com/abc"
    assert event["URL"] == "https://meet.example.com/abc"


def test_stored_event_has_no_method() -> None:
    cal = parsed(calendar(meeting()))
    assert "METHOD" not in cal
    assert cal.walk("VEVENT")[0]["STATUS"] == "CONFIRMED"


def test_times_must_be_aware_and_ordered() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        meeting(start=datetime(2026, 12, 1, 15, 0))
    with pytest.raises(ValueError, match="after"):
        meeting(end=datetime(2026, 12, 1, 14, 0, tzinfo=UTC))


def test_booking_uids_are_recognised() -> None:
    assert is_booking_uid(booking_uid("bk_42"))
    assert not is_booking_uid("040000008200E00074C5B7101A82E008@outlook.com")
