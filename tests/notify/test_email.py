from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import icalendar
import pytest

from rota.notify.email import invitation
from rota.notify.invite import Method, Person
from tests.notify import mailable
from tests.notify.meetings import ADA, ALAN, GRACE, meeting


def reparsed(message: EmailMessage) -> EmailMessage:
    data = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
    mailable.check(data)
    return message_from_bytes(data, policy=policy.default)


def parts(message: EmailMessage) -> dict[str, EmailMessage]:
    return {part.get_content_type(): part for part in message.walk()}


def test_invitation_has_text_html_and_calendar_parts() -> None:
    message = reparsed(invitation(meeting(), Method.REQUEST, GRACE))
    assert message.get_content_type() == "multipart/mixed"
    found = parts(message)
    alternative = found["multipart/alternative"]
    assert [p.get_content_type() for p in alternative.iter_parts()] == [
        "text/plain",
        "text/html",
        "text/calendar",
    ]
    calendar_part = found["text/calendar"]
    assert calendar_part.get_param("method") == "REQUEST"
    event = icalendar.Calendar.from_ical(calendar_part.get_content()).walk("VEVENT")[0]
    assert event["UID"] == "bk_1@rota"
    assert found["application/ics"].get_filename() == "invite.ics"
    assert message["To"].addresses[0].addr_spec == GRACE.email
    assert message["From"].addresses[0].addr_spec == "bookings@acme.example"
    assert message["Message-ID"]


def test_text_names_the_recipients_zone_first_then_the_others() -> None:
    message = reparsed(invitation(meeting(), Method.REQUEST, GRACE))
    text = parts(message)["text/plain"].get_content()
    lines = text.splitlines()
    when = next(i for i, line in enumerate(lines) if line.startswith("When:"))
    assert lines[when] == "When: Tue 1 Dec 2026, 10:00-10:30 (America/New_York)"
    assert lines[when + 1].strip() == "Tue 1 Dec 2026, 15:00-15:30 (Europe/London)"
    assert lines[when + 2].strip() == "Tue 1 Dec 2026, 15:00-15:30 (UTC)"
    assert "Ada Lovelace <ada@example.com> (host)" in text
    html = parts(message)["text/html"].get_content()
    assert "America/New_York" in html and "Europe/London" in html
    assert message["Subject"] == (
        "Invitation: Discovery call @ Tue 1 Dec 2026, 10:00-10:30 (America/New_York)"
    )


def test_update_and_cancel_say_so() -> None:
    update = invitation(meeting(1, hosts=(ALAN,)), Method.REQUEST, GRACE)
    assert update["Subject"].startswith("Updated invitation:")
    assert "has changed" in parts(reparsed(update))["text/plain"].get_content()
    left = invitation(meeting(1, hosts=(ALAN,)), Method.CANCEL, ADA, attendees=(ADA,))
    assert left["Subject"].startswith("Cancelled:")
    text = parts(reparsed(left))["text/plain"].get_content()
    assert "another host" in text
    assert "Mon 2 Dec" not in text and "Wed 2 Dec 2026, 00:00-00:30 (Asia/Tokyo)" in text
    cancelled = invitation(meeting(2, cancelled=True), Method.CANCEL, GRACE)
    assert "has been cancelled" in parts(reparsed(cancelled))["text/plain"].get_content()
    assert parts(reparsed(cancelled))["text/calendar"].get_param("method") == "CANCEL"


def test_html_is_escaped() -> None:
    message = invitation(meeting(summary="<script>x</script>"), Method.REQUEST, GRACE)
    html = parts(reparsed(message))["text/html"].get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html


ZOE = Person('Zoë "Zed" Παπαδημητρίου-Αγγελοπούλου', "zoe@example.com", "Europe/Athens")


@pytest.mark.parametrize("method", list(Method))
@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"cancelled": True, "reason": "Off sick; sorry.\nNext week?"},
        {"rescheduled_from": datetime(2026, 11, 30, 9, 0, tzinfo=UTC)},
        {"location": "1 Main Street", "description": "Agenda:\n- intro"},
        {"summary": "Καλημέρα: " + "Παπαδημητρίου " * 12, "participants": (ADA, ZOE)},
    ],
)
def test_every_kind_of_email_is_well_formed(method: Method, changes: dict[str, Any]) -> None:
    recipient = replace(GRACE, link="https://rota.example/manage/tok")
    reparsed(invitation(meeting(1, **changes), method, recipient))


def test_a_reschedule_says_from_when_to_when_in_the_recipients_time() -> None:
    moved = meeting(2, rescheduled_from=datetime(2026, 11, 30, 14, 0, tzinfo=UTC))
    message = reparsed(invitation(moved, Method.REQUEST, GRACE))
    assert message["Subject"].startswith("Rescheduled: ")
    plain = parts(message)["text/plain"].get_content()
    assert plain.startswith(
        "This meeting has been rescheduled from Mon 30 Nov 09:00 to Tue 1 Dec 10:00"
        " (your time, America/New_York)."
    )


def test_the_attendee_gets_the_manage_link_and_a_host_the_hub_link() -> None:
    guest = replace(GRACE, link="https://rota.example/manage/tok")
    host = replace(ADA, link="https://rota.example/hub/bookings/bk_1")
    for person, words in ((guest, "Reschedule or cancel"), (host, "See this booking")):
        message = reparsed(invitation(meeting(), Method.REQUEST, person))
        assert f"{words}" in parts(message)["text/plain"].get_content()
        assert person.link in parts(message)["text/plain"].get_content()
        assert f'href="{person.link}"' in parts(message)["text/html"].get_content()


def test_a_cancellation_says_the_reason() -> None:
    off = meeting(1, cancelled=True, reason="The host is ill.")
    message = reparsed(invitation(off, Method.CANCEL, GRACE))
    assert "Reason: The host is ill." in parts(message)["text/plain"].get_content()
    assert "The host is ill." in parts(message)["text/html"].get_content()


def test_reply_to_comes_from_rota_reply_to(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "Reply-To" not in reparsed(invitation(meeting(), Method.REQUEST, GRACE))
    monkeypatch.setenv("ROTA_REPLY_TO", "replies@acme.example")
    message = reparsed(invitation(meeting(), Method.REQUEST, GRACE))
    assert message["Reply-To"] == "replies@acme.example"


def test_a_long_non_ascii_subject_is_cut_into_short_encoded_words() -> None:
    long = meeting(summary="Καλημέρα " * 20)
    data = invitation(long, Method.REQUEST, GRACE).as_bytes()
    subject = data.split(b"Subject: ", 1)[1].split(b"\nContent-Type", 1)[0]
    assert subject.count(b"=?utf-8?") > 3
    assert str(reparsed(invitation(long, Method.REQUEST, GRACE))["Subject"]).startswith(
        "Invitation: Καλημέρα Καλημέρα"
    )
