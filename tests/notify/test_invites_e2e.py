"""Issue 4, invites: what a real SMTP server receives when bookings change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import icalendar

from tests.api.support import iso, monday
from tests.notify.smtp_server import SmtpServer
from tests.notify.stack import Stack

GRACE = "grace@example.com"


def team(stack: Stack) -> dict[str, dict[str, Any]]:
    hosts = {
        name: stack.api.host(name, timezone=zone)
        for name, zone in (("Ada", "Europe/London"), ("Bob", "Europe/Berlin"))
    }
    stack.api.booking_type("discovery-call", [h["id"] for h in hosts.values()])
    return hosts


def book(stack: Stack, start: datetime) -> dict[str, Any]:
    response = stack.api.post(
        "/v1/bookings",
        {
            "booking_type": "discovery-call",
            "start": iso(start),
            "attendee": {"name": "Grace Hopper", "email": GRACE, "timezone": "America/New_York"},
        },
    )
    assert response.status_code == 201, response.text
    booking: dict[str, Any] = response.json()
    return booking


def invite(message: EmailMessage) -> tuple[str, icalendar.Component]:
    """The iTIP method and the VEVENT of an email's text/calendar part."""
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    cal = icalendar.Calendar.from_ical(part.get_content())
    assert part.get_param("method") == cal["METHOD"]
    [event] = cal.walk("VEVENT")
    return str(cal["METHOD"]), event


def attendees(event: icalendar.Component) -> set[str]:
    lines: Any = event.get("ATTENDEE")
    return {str(a).removeprefix("mailto:") for a in (lines if isinstance(lines, list) else [lines])}


def last_invite(smtp: SmtpServer, address: str) -> tuple[str, icalendar.Component]:
    return invite(smtp.to(address)[-1])


def test_book_reassign_cancel_send_the_right_itip_messages(
    stack: Stack, smtp_server: SmtpServer
) -> None:
    hosts = team(stack)
    # 11:00 UTC is in both hosts' hours (09-17) in every season, so either can take it;
    # 15:00 was 17:00 in Berlin during summer time, and the reassign found nobody.
    start = monday() + timedelta(days=1, hours=11)
    booking = book(stack, start)
    [first] = [h for h in hosts.values() if h["id"] in booking["host_ids"]]
    [second] = [h for h in hosts.values() if h is not first]
    stack.deliver()

    # Booked: the attendee and the host each get a REQUEST, SEQUENCE 0, in UTC.
    for address in (GRACE, first["email"]):
        method, event = last_invite(smtp_server, address)
        assert method == "REQUEST"
        assert event["UID"] == f"{booking['id']}@rota"
        assert event["SEQUENCE"] == 0
        assert event.decoded("DTSTART") == start
        assert event.decoded("DTEND") == start + timedelta(minutes=30)
        assert event["DTSTART"].to_ical() == start.strftime("%Y%m%dT%H%M%SZ").encode()
        assert attendees(event) == {GRACE, first["email"]}
        assert str(event["ORGANIZER"]) == "mailto:bookings@acme.example"
    text = next(
        p.get_content()
        for p in smtp_server.to(GRACE)[-1].walk()
        if p.get_content_type() == "text/plain"
    )
    assert "America/New_York" in text and first["timezone"] in text
    assert smtp_server.to(second["email"]) == []
    assert {(m["to"], m["method"], m["status"]) for m in stack.messages(booking["id"])} == {
        (GRACE, "REQUEST", "sent"),
        (first["email"], "REQUEST", "sent"),
    }

    # Reassigned: the old host is uninvited, the new one invited, the attendee updated.
    response = stack.api.post(f"/v1/bookings/{booking['id']}/reassign", {"reason": "sick"})
    assert response.status_code == 200, response.text
    stack.deliver()
    method, event = last_invite(smtp_server, first["email"])
    assert (method, event["SEQUENCE"], attendees(event)) == ("CANCEL", 1, {first["email"]})
    method, event = last_invite(smtp_server, second["email"])
    assert (method, event["SEQUENCE"]) == ("REQUEST", 1)
    method, event = last_invite(smtp_server, GRACE)
    assert (method, event["SEQUENCE"]) == ("REQUEST", 1)
    assert attendees(event) == {GRACE, second["email"]}
    assert event["UID"] == f"{booking['id']}@rota"
    assert event.decoded("DTSTART") == start

    # Cancelled: a CANCEL to everyone still on the meeting.
    response = stack.api.post(f"/v1/bookings/{booking['id']}/cancel", {"reason": "no longer"})
    assert response.status_code == 200, response.text
    stack.deliver()
    for address in (GRACE, second["email"]):
        method, event = last_invite(smtp_server, address)
        assert (method, event["SEQUENCE"], event["STATUS"]) == ("CANCEL", 2, "CANCELLED")
        said = smtp_server.to(address)[-1].get_body(("plain",))
        assert said is not None and "Reason: no longer" in said.get_content()
    assert len(smtp_server.to(first["email"])) == 2  # nothing more for the host who left
    assert all(m["status"] == "sent" for m in stack.messages(booking["id"]))


def test_a_temporarily_failing_smtp_server_gets_the_message_later(
    stack: Stack, smtp_server: SmtpServer
) -> None:
    team(stack)
    booking = book(stack, monday() + timedelta(days=2, hours=10))
    smtp_server.fail_next = 2  # both first attempts meet a 451
    worker = stack.worker(retry=timedelta(milliseconds=100))
    assert worker.run_once() == 2
    pending = stack.messages(booking["id"])
    assert {(m["status"], m["attempts"]) for m in pending} == {("pending", 1)}
    assert all("451" in m["last_error"] for m in pending)
    assert smtp_server.received == []
    deadline = datetime.now(UTC) + timedelta(seconds=10)
    while any(m["status"] != "sent" for m in stack.messages(booking["id"])):
        assert datetime.now(UTC) < deadline, stack.messages(booking["id"])
        worker.run_once()
    assert {r.recipients[0] for r in smtp_server.received} >= {GRACE}
    assert {
        (m["status"], m["attempts"], m["last_error"]) for m in stack.messages(booking["id"])
    } == {("sent", 2, None)}


def test_a_reschedule_sends_the_same_uid_higher_and_the_manage_link_opens_the_booking(
    stack: Stack, smtp_server: SmtpServer
) -> None:
    team(stack)
    start = monday() + timedelta(days=1, hours=11)
    booking = book(stack, start)
    stack.deliver()
    new = start + timedelta(days=1)
    moved = stack.api.post(f"/v1/bookings/{booking['id']}/reschedule", {"start": iso(new)})
    assert moved.status_code == 200, moved.text
    stack.deliver()
    message = smtp_server.to(GRACE)[-1]
    method, event = invite(message)
    assert method == "REQUEST"
    assert event["UID"] == f"{booking['id']}@rota" and event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == new
    assert str(message["Subject"]).startswith("Rescheduled: ")
    plain = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    text = plain.get_content()
    assert "rescheduled from" in text and "America/New_York" in text
    # The link in the email is the booking's manage page, and it opens it.
    [link] = [w for w in text.split() if "/manage/" in w]
    assert link == booking["manage_url"]
    page = stack.api.client.get(link.removeprefix("http://testserver"))
    assert page.status_code == 200 and "Your booking" in page.text


def test_a_host_who_declines_by_email_is_replaced_and_the_new_host_invited(
    stack: Stack, smtp_server: SmtpServer
) -> None:
    hosts = team(stack)
    booking = book(stack, monday() + timedelta(days=1, hours=11))
    [first] = [h for h in hosts.values() if h["id"] in booking["host_ids"]]
    [second] = [h for h in hosts.values() if h is not first]
    stack.deliver()
    # The host's calendar answers the invitation it received with a REPLY.
    received = smtp_server.to(first["email"])[-1]
    _, event = invite(received)
    answer = icalendar.Calendar()
    answer.add("prodid", "-//Example//Calendar//EN")
    answer.add("version", "2.0")
    answer.add("method", "REPLY")
    replied = icalendar.Event()
    for name in ("UID", "SEQUENCE", "DTSTART", "DTEND"):
        replied.add(name, event.decoded(name))
    replied.add("dtstamp", datetime.now(UTC))
    attendee = icalendar.vCalAddress(f"mailto:{first['email']}")
    attendee.params["PARTSTAT"] = "DECLINED"
    replied.add("attendee", attendee)
    answer.add_component(replied)
    email = EmailMessage()
    email["From"], email["To"], email["Subject"] = first["email"], "rota@acme.example", "Declined"
    email.set_content("Declined")
    email.add_alternative(answer.to_ical().decode(), subtype="calendar", params={"method": "REPLY"})
    response = stack.api.client.post(
        "/v1/inbound/email",
        content=email.as_bytes(),
        headers={**stack.api.headers, "Content-Type": "message/rfc822"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["booking"]["host_ids"] == [second["id"]]
    stack.deliver()
    method, invitation = last_invite(smtp_server, second["email"])
    assert method == "REQUEST" and invitation["UID"] == f"{booking['id']}@rota"
    method, _ = last_invite(smtp_server, first["email"])
    assert method == "CANCEL"
