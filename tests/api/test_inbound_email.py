"""Replies to invitations (API.md, Replies): ``POST /v1/inbound/email``."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import icalendar
import pytest
from sqlalchemy import func, select

from rota.store.db import Database
from rota.store.tables import InboundEmail, OutboxMessage
from tests.api.support import Api, assert_error, monday

RFC822 = {"Content-Type": "message/rfc822"}


def reply(booking_id: str, email: str, partstat: str, method: str = "REPLY") -> bytes:
    """The email a calendar client sends when someone answers an invitation."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Example//Calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = icalendar.Event()
    event.add("uid", f"{booking_id}@rota")
    event.add("sequence", 0)
    event.add("dtstamp", datetime.now(UTC))
    attendee = icalendar.vCalAddress(f"mailto:{email}")
    attendee.params["PARTSTAT"] = partstat
    event.add("attendee", attendee)
    calendar.add_component(event)
    message = EmailMessage()
    message["From"] = email
    message["To"] = "rota@acme.example"
    message["Subject"] = f"{partstat.title()}: Intro"
    message.set_content(f"{email} has answered {partstat}.")
    ics = calendar.to_ical().decode()
    message.add_alternative(ics, subtype="calendar", params={"method": method})
    return message.as_bytes()


def send(api: Api, data: bytes, **headers: str) -> Any:
    return api.client.post(
        "/v1/inbound/email", content=data, headers={**api.headers, **RFC822, **headers}
    )


def rr(api: Api, **fields: Any) -> list[dict[str, Any]]:
    people = [api.host(name) for name in ("Ada", "Bob", "Cy")]
    api.booking_type("rr", [h["id"] for h in people], **fields)
    return people


def stored(db: Database) -> list[str]:
    with db.read() as session:
        return list(
            session.scalars(select(InboundEmail.outcome).order_by(InboundEmail.received_at))
        )


def test_an_attendee_who_accepts_is_shown_accepted_and_webhooks_are_told(
    api: Api, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROTA_ALLOW_PRIVATE_URLS", "1")
    hook = api.post(
        "/v1/webhooks", {"url": "http://127.0.0.1:9/hook", "events": ["booking.replied"]}
    )
    assert hook.status_code == 201, hook.text
    rr(api)
    booking = api.book("rr", monday() + timedelta(hours=9)).json()
    response = send(api, reply(booking["id"], "Grace@Example.com", "ACCEPTED"))
    assert response.status_code == 200, response.text
    assert response.json()["outcome"] == "recorded"
    shown = api.get(f"/v1/bookings/{booking['id']}").json()
    answers = {p["role"]: p["response"] for p in shown["participants"]}
    assert answers == {"attendee": "accepted", "host": "needs_action"}
    with db.read() as session:
        [payload] = session.scalars(
            select(OutboxMessage.payload).where(OutboxMessage.kind == "webhook")
        )
    body = json.loads(payload)["body"]
    assert body["type"] == "booking.replied"
    assert body["data"]["participant"] == {"email": "grace@example.com", "response": "accepted"}
    assert stored(db) == ["recorded"]


def test_a_rotating_host_who_declines_is_replaced_by_the_next_fair_host(
    api: Api, db: Database
) -> None:
    people = {h["id"]: h for h in rr(api)}
    booking = api.book("rr", monday() + timedelta(hours=9)).json()
    [before] = booking["host_ids"]
    response = send(api, reply(booking["id"], people[before]["email"], "DECLINED"))
    assert response.status_code == 200, response.text
    assert response.json()["outcome"] == "reassigned"
    moved = api.get(f"/v1/bookings/{booking['id']}").json()
    [after] = moved["host_ids"]
    assert after != before
    entry = moved["history"][-1]
    assert (entry["action"], entry["by"], entry["from_host_ids"]) == (
        "reassigned",
        "decline",
        [before],
    )
    with db.read() as session:
        sent = [
            json.loads(p)
            for p in session.scalars(
                select(OutboxMessage.payload).where(OutboxMessage.kind == "email")
            )
        ]
    assert any(e["to"] == people[after]["email"] and e["method"] == "REQUEST" for e in sent)


def test_a_type_that_keeps_declining_hosts_only_records_the_answer(api: Api) -> None:
    people = {h["id"]: h for h in rr(api, on_host_decline="keep")}
    booking = api.book("rr", monday() + timedelta(hours=9)).json()
    [host] = booking["host_ids"]
    response = send(api, reply(booking["id"], people[host]["email"], "DECLINED"))
    assert response.json()["outcome"] == "recorded"
    shown = api.get(f"/v1/bookings/{booking['id']}").json()
    assert shown["host_ids"] == [host]
    assert {p["role"]: p["response"] for p in shown["participants"]}["host"] == "declined"


def test_anything_else_is_kept_and_acknowledged_with_202(
    api: Api, other_api: Api, db: Database
) -> None:
    rr(api)
    booking = api.book("rr", monday() + timedelta(hours=9)).json()
    plain = EmailMessage()
    plain["From"] = "someone@example.com"
    plain["Subject"] = "Hello"
    plain.set_content("Just saying hi.")
    for data in (
        plain.as_bytes(),
        reply(booking["id"], "stranger@example.com", "ACCEPTED"),
        reply(booking["id"], "grace@example.com", "ACCEPTED", method="REQUEST"),
        reply("bk_unknown", "grace@example.com", "ACCEPTED"),
        b"\x00\xff not an email at all",
    ):
        response = send(api, data)
        assert response.status_code == 202, response.text
        assert response.json() == {"outcome": "ignored", "booking": None}
    # Another organization's key cannot answer for this organization's booking.
    assert send(other_api, reply(booking["id"], "grace@example.com", "ACCEPTED")).status_code == 202
    shown = api.get(f"/v1/bookings/{booking['id']}").json()
    assert all(p["response"] == "needs_action" for p in shown["participants"])
    assert stored(db) == ["ignored"] * 6


def test_the_key_may_come_as_the_basic_password_and_nothing_else_gets_in(
    api: Api, db: Database
) -> None:
    rr(api)
    booking = api.book("rr", monday() + timedelta(hours=9)).json()
    data = reply(booking["id"], "grace@example.com", "TENTATIVE")
    basic = "Basic " + base64.b64encode(f"inbound:{api.key}".encode()).decode()
    response = api.client.post(
        "/v1/inbound/email", content=data, headers={**RFC822, "Authorization": basic}
    )
    assert response.status_code == 200, response.text
    for headers in ({}, {"Authorization": "Basic " + base64.b64encode(b"x:nope").decode()}):
        refused = api.client.post("/v1/inbound/email", content=data, headers={**RFC822, **headers})
        assert_error(refused, 401, "unauthorized")
    wrong_type = api.client.post(
        "/v1/inbound/email", content=data, headers={**api.headers, "Content-Type": "text/plain"}
    )
    assert_error(wrong_type, 415, "unsupported_media_type")
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(InboundEmail)) == 1
