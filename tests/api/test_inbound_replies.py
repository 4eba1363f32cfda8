"""Reading a reply from an inbound email (API.md, Replies): the calendar may come as a
``text/calendar`` part or an ``application/ics`` attachment, in any charset, with
bytes its charset cannot read, after parts that are not a REPLY; only the booking's
own event is read, and its first attendee is the one who answered, whatever the case
of ``MAILTO:``; an answer that is not accepted, declined or tentative is ignored. A
rotating host who declines beside a fixed host is replaced with the reason given, and
stays when nobody else can take the booking. The endpoint answers with the booking as
it now is, and the email is kept as received (without NUL) with the booking it
answered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import icalendar
import pytest
from sqlalchemy import select

from rota.store.db import Database
from rota.store.tables import InboundEmail
from tests.api.support import Api, monday
from tests.api.test_inbound_email import rr, send

GRACE = "grace@example.com"


def event(
    uid: str, *attendees: tuple[str, str], kind: type[icalendar.Component] = icalendar.Event
) -> icalendar.Component:
    """An event (or another component) with these ``(address, PARTSTAT)`` attendees."""
    component = kind()
    component.add("uid", uid)
    component.add("dtstamp", datetime.now(UTC))
    for address, partstat in attendees:
        attendee = icalendar.vCalAddress(address)
        attendee.params["PARTSTAT"] = partstat
        component.add("attendee", attendee)
    return component


def calendar(*components: icalendar.Component, method: str = "REPLY") -> str:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Example//Calendar//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    for component in components:
        cal.add_component(component)
    text: str = cal.to_ical().decode()
    return text


def answer(booking_id: str, partstat: str = "ACCEPTED", address: str = GRACE) -> str:
    return calendar(event(f"{booking_id}@rota", (f"mailto:{address}", partstat)))


def email(*calendars: str) -> bytes:
    """An email with a text part, then each calendar as a ``text/calendar`` part."""
    message = EmailMessage()
    message["From"] = GRACE
    message["To"] = "rota@acme.example"
    message["Subject"] = "Answer: Intro"
    message.set_content("Grace has answered.")
    for text in calendars:
        message.add_attachment(text, subtype="calendar", params={"method": "REPLY"})
    return message.as_bytes()


def attached(data: bytes, maintype: str, subtype: str, **params: str) -> bytes:
    """An email with a text part and the calendar's bytes as an attachment."""
    message = EmailMessage()
    message["From"] = GRACE
    message["Subject"] = "Answer: Intro"
    message.set_content("Grace has answered.")
    message.add_attachment(
        data, maintype=maintype, subtype=subtype, filename="reply.ics", params=params
    )
    return message.as_bytes()


def booked(api: Api, **fields: Any) -> dict[str, Any]:
    rr(api, **fields)
    made: dict[str, Any] = api.book("rr", monday() + timedelta(hours=9)).json()
    return made


def responses(api: Api, booking_id: str) -> dict[str, str]:
    shown = api.get(f"/v1/bookings/{booking_id}").json()
    return {p["email"]: p["response"] for p in shown["participants"]}


def test_a_reply_attached_as_application_ics_without_a_charset_is_read(api: Api) -> None:
    booking = booked(api)
    data = attached(answer(booking["id"]).encode(), "application", "ics")
    response = send(api, data)
    assert response.status_code == 200, response.text
    assert response.json()["outcome"] == "recorded"
    assert responses(api, booking["id"])[GRACE] == "accepted"


def test_a_reply_in_the_charset_its_part_names_is_read(api: Api) -> None:
    booking = booked(api)
    data = attached(answer(booking["id"]).encode("utf-16"), "text", "calendar", charset="utf-16")
    response = send(api, data)
    assert response.status_code == 200, response.text
    assert responses(api, booking["id"])[GRACE] == "accepted"


def test_a_reply_with_bytes_its_charset_cannot_read_is_still_read(api: Api) -> None:
    booking = booked(api)
    text = answer(booking["id"]).replace("END:VEVENT", "COMMENT:Café\r\nEND:VEVENT")
    data = text.encode("latin-1")
    response = send(api, attached(data, "text", "calendar", charset="utf-8"))
    assert response.status_code == 200, response.text
    assert responses(api, booking["id"])[GRACE] == "accepted"


@pytest.mark.parametrize(
    "before",
    [
        pytest.param(["not a calendar at all"], id="a part that is not a calendar"),
        pytest.param(
            [calendar(event("other@rota", (f"mailto:{GRACE}", "NEEDS-ACTION")), method="REQUEST")],
            id="the invitation itself",
        ),
    ],
)
def test_calendar_parts_that_are_not_a_reply_do_not_hide_the_reply_after_them(
    api: Api, before: list[str]
) -> None:
    booking = booked(api)
    response = send(api, email(*before, answer(booking["id"], "TENTATIVE")))
    assert response.status_code == 200, response.text
    assert responses(api, booking["id"])[GRACE] == "tentative"


def test_a_reply_about_another_calendars_event_first_still_answers_the_booking(
    api: Api,
) -> None:
    booking = booked(api)
    theirs = event(f"{booking['id']}@calendar.example.com", (f"mailto:{GRACE}", "DECLINED"))
    ours = event(f"{booking['id']}@rota", (f"mailto:{GRACE}", "ACCEPTED"))
    response = send(api, email(calendar(theirs, ours)))
    assert response.status_code == 200, response.text
    assert responses(api, booking["id"])[GRACE] == "accepted"


def test_only_the_booking_s_event_is_read(api: Api) -> None:
    booking = booked(api)
    uid = f"{booking['id']}@rota"
    without_attendee = email(calendar(event(uid)))
    a_task = email(calendar(event(uid, (f"mailto:{GRACE}", "ACCEPTED"), kind=icalendar.Todo)))
    other_domain = email(
        calendar(event(f"{booking['id']}@calendar.example.com", (f"mailto:{GRACE}", "ACCEPTED")))
    )
    for data in (without_attendee, a_task, other_domain):
        response = send(api, data)
        assert response.status_code == 202, response.text
        assert response.json() == {"outcome": "ignored", "booking": None}
    assert responses(api, booking["id"])[GRACE] == "needs_action"


def test_the_first_attendee_of_the_event_is_the_one_who_answered(api: Api) -> None:
    booking = booked(api)
    [host] = [e for e, response in responses(api, booking["id"]).items() if e != GRACE]
    both = event(
        f"{booking['id']}@rota",
        (f"mailto:{GRACE}", "ACCEPTED"),
        (f"mailto:{host}", "DECLINED"),
    )
    response = send(api, email(calendar(both)))
    assert response.status_code == 200, response.text
    assert response.json()["outcome"] == "recorded"
    assert responses(api, booking["id"]) == {GRACE: "accepted", host: "needs_action"}


def test_an_attendee_written_with_upper_case_mailto_is_matched(api: Api) -> None:
    booking = booked(api)
    response = send(
        api, email(answer(booking["id"], address="Grace@Example.com").replace("mailto:", "MAILTO:"))
    )
    assert response.status_code == 200, response.text
    assert responses(api, booking["id"])[GRACE] == "accepted"


@pytest.mark.parametrize("partstat", ["DELEGATED", "NEEDS-ACTION", ""])
def test_an_answer_other_than_accepted_declined_or_tentative_is_ignored(
    api: Api, partstat: str
) -> None:
    booking = booked(api)
    response = send(api, email(answer(booking["id"], partstat)))
    assert response.status_code == 202, response.text
    assert response.json() == {"outcome": "ignored", "booking": None}
    assert responses(api, booking["id"])[GRACE] == "needs_action"


def test_the_endpoint_answers_with_the_booking_as_it_now_is(api: Api) -> None:
    booking = booked(api)
    response = send(api, email(answer(booking["id"], "DECLINED")))
    assert response.status_code == 200, response.text
    shown = response.json()["booking"]
    assert shown["id"] == booking["id"]
    assert {p["email"]: p["response"] for p in shown["participants"]}[GRACE] == "declined"


def test_a_rotating_host_who_declines_beside_a_fixed_host_is_replaced_with_the_reason(
    api: Api,
) -> None:
    ada, bob, cy = (api.host(name) for name in ("Ada", "Bob", "Cy"))
    api.booking_type(
        "rr",
        [],
        hosts=[
            {"host_id": ada["id"], "fixed": True},
            {"host_id": bob["id"]},
            {"host_id": cy["id"]},
        ],
    )
    booking = api.book("rr", monday() + timedelta(hours=9)).json()
    [rotating] = [h for h in booking["host_ids"] if h != ada["id"]]
    email_of = {h["id"]: h["email"] for h in (bob, cy)}
    response = send(api, email(answer(booking["id"], "DECLINED", email_of[rotating])))
    assert response.status_code == 200, response.text
    assert response.json()["outcome"] == "reassigned"
    moved = api.get(f"/v1/bookings/{booking['id']}").json()
    assert ada["id"] in moved["host_ids"] and rotating not in moved["host_ids"]
    entry = moved["history"][-1]
    assert (entry["action"], entry["by"], entry["from_host_ids"], entry["reason"]) == (
        "reassigned",
        "decline",
        [rotating],
        "The host declined the invitation.",
    )


def test_a_host_who_declines_stays_when_nobody_else_can_take_the_booking(api: Api) -> None:
    ada, bob = api.host("Ada"), api.host("Bob")
    api.booking_type("pair", [ada["id"], bob["id"]])
    start = monday() + timedelta(hours=9)
    booking = api.book("pair", start).json()
    assert api.book("pair", start).status_code == 201
    [host] = booking["host_ids"]
    address = {ada["id"]: ada["email"], bob["id"]: bob["email"]}[host]
    response = send(api, email(answer(booking["id"], "DECLINED", address)))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["outcome"] == "kept"
    assert (body["booking"]["id"], body["booking"]["host_ids"]) == (booking["id"], [host])
    assert responses(api, booking["id"])[address] == "declined"


def test_the_email_is_kept_as_received_with_the_booking_it_answered(api: Api, db: Database) -> None:
    booking = booked(api)
    answered = email(answer(booking["id"]))
    assert send(api, answered).status_code == 200
    assert send(api, b"\x00Hello\x00 there").status_code == 202
    with db.read() as session:
        kept = [
            (row.id.split("_")[0], row.booking_id, row.outcome, row.raw)
            for row in session.scalars(select(InboundEmail).order_by(InboundEmail.received_at))
        ]
    assert kept == [
        ("in", booking["id"], "recorded", answered.decode()),
        ("in", None, "ignored", "Hello there"),
    ]
