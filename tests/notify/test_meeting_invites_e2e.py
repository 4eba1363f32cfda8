"""Issue 12: what a real SMTP server receives when an internal meeting is booked,
rescheduled and cancelled: every host and every guest is told, under one UID."""

from __future__ import annotations

from datetime import timedelta

from tests.api.support import iso, monday
from tests.notify.smtp_server import SmtpServer
from tests.notify.stack import Stack
from tests.notify.test_invites_e2e import attendees, last_invite

GUEST = "linus@example.com"


def test_a_meeting_is_told_to_every_host_and_guest_through_its_life(
    stack: Stack, smtp_server: SmtpServer
) -> None:
    ada = stack.api.host("Ada", timezone="Europe/London")
    bob = stack.api.host("Bob", timezone="Europe/Berlin")
    start = monday() + timedelta(days=1, hours=11)
    response = stack.api.post(
        "/v1/meetings",
        {
            "title": "Roadmap",
            "host_ids": [ada["id"], bob["id"]],
            "start": iso(start),
            "end": iso(start + timedelta(hours=1)),
            "attendees": [{"name": "Linus Pauling", "email": GUEST}],
            "description": "Next quarter's plan.",
        },
    )
    assert response.status_code == 201, response.text
    meeting = response.json()
    everyone = {ada["email"], bob["email"], GUEST}
    stack.deliver()
    for address in everyone:
        method, event = last_invite(smtp_server, address)
        assert (method, event["SEQUENCE"], str(event["SUMMARY"])) == ("REQUEST", 0, "Roadmap")
        assert event["UID"] == f"{meeting['id']}@rota"
        assert event.decoded("DTSTART") == start
        assert attendees(event) == everyone
        assert "Next quarter's plan." in str(event["DESCRIPTION"])
    # The guest's email carries no manage link (a meeting has no attendee's page).
    guest_text = next(
        p.get_content()
        for p in smtp_server.to(GUEST)[-1].walk()
        if p.get_content_type() == "text/plain"
    )
    assert "/manage/" not in guest_text

    later = start + timedelta(hours=2)
    moved = stack.api.post(f"/v1/bookings/{meeting['id']}/reschedule", {"start": iso(later)})
    assert moved.status_code == 200, moved.text
    stack.deliver()
    for address in everyone:
        method, event = last_invite(smtp_server, address)
        assert (method, event["SEQUENCE"]) == ("REQUEST", 1)
        assert event.decoded("DTSTART") == later
        assert event.decoded("DTEND") == later + timedelta(hours=1)

    cancelled = stack.api.post(f"/v1/bookings/{meeting['id']}/cancel", {"reason": "done by mail"})
    assert cancelled.status_code == 200, cancelled.text
    stack.deliver()
    for address in everyone:
        method, event = last_invite(smtp_server, address)
        assert (method, event["SEQUENCE"], event["STATUS"]) == ("CANCEL", 2, "CANCELLED")
        assert len(smtp_server.to(address)) == 3
    assert all(m["status"] == "sent" for m in stack.messages(meeting["id"]))
