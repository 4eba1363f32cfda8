from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage

import icalendar

from rota.notify.email import invitation
from rota.notify.invite import Method
from tests.notify.meetings import ADA, ALAN, GRACE, meeting


def reparsed(message: EmailMessage) -> EmailMessage:
    return message_from_bytes(message.as_bytes(), policy=policy.default)


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
