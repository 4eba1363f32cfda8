"""Answers to invitations: an iTIP REPLY (RFC 5546, 3.2.3) received as an email.

Mail providers forward inbound mail to ``POST /v1/inbound/email``. Every email is
kept as received (`InboundEmail`) with what was done with it. A REPLY whose UID
is one of the organization's bookings and whose ATTENDEE is one of its
participants records that participant's answer; a host's DECLINED on a
round-robin booking whose type says ``on_host_decline: "reassign"`` then hands
the booking to the next fair host, as a reassignment (history ``by:
"decline"``). Anything else is only kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import icalendar
from sqlalchemy.orm import Session

from rota import engine
from rota.actor import SYSTEM
from rota.notify import messages
from rota.notify.invite import UID_DOMAIN
from rota.service import clock, reassign
from rota.service.errors import ServiceError
from rota.service.ids import new_id
from rota.store.db import Database
from rota.store.tables import Booking, InboundEmail

ANSWERS = {"ACCEPTED": "accepted", "DECLINED": "declined", "TENTATIVE": "tentative"}
DECLINED_REASON = "The host declined the invitation."


@dataclass(frozen=True, slots=True)
class Answer:
    """What a REPLY says: who answered what about which booking."""

    booking_id: str
    email: str
    response: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """``recorded``, ``reassigned``, ``kept`` (a host who declined stays: the type says
    so, or nobody else is free), or ``ignored`` (not a reply to a booking of ours)."""

    outcome: str
    booking: Booking | None = None


def _calendar_parts(message: EmailMessage) -> list[str]:
    found = []
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "text/calendar" or kind == "application/ics":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                found.append(payload.decode(part.get_content_charset() or "utf-8", "replace"))
    return found


def read_reply(data: bytes) -> Answer | None:
    """The answer an email carries, or None when it is not a REPLY to a booking."""
    message = message_from_bytes(data, policy=policy.default)
    if not isinstance(message, EmailMessage):
        return None
    for text in _calendar_parts(message):
        try:
            calendar = icalendar.Calendar.from_ical(text)
        except ValueError:
            continue
        if str(calendar.get("METHOD", "")).upper() != "REPLY":
            continue
        for event in calendar.walk("VEVENT"):
            uid = str(event.get("UID", ""))
            booking_id, _, domain = uid.rpartition("@")
            attendee: Any = event.get("ATTENDEE")
            if domain != UID_DOMAIN or not booking_id or attendee is None:
                continue
            line = attendee[0] if isinstance(attendee, list) else attendee
            answer = ANSWERS.get(str(line.params.get("PARTSTAT", "")).upper())
            address = str(line).removeprefix("mailto:").removeprefix("MAILTO:").strip()
            if answer is not None and address:
                return Answer(booking_id, address.lower(), answer)
    return None


def receive(db: Database, org_id: str, data: bytes) -> Outcome:
    """Keep the email and apply the answer it carries, if any (see module doc)."""
    answer = read_reply(data)
    outcome = Outcome("ignored")
    if answer is not None:
        outcome = _apply(db, org_id, answer)
    with db.write() as session:
        session.add(
            InboundEmail(
                id=new_id("in"),
                org_id=org_id,
                booking_id=outcome.booking.id if outcome.booking is not None else None,
                received_at=clock.now(),
                outcome=outcome.outcome,
                # PostgreSQL text cannot hold NUL; the email is kept for people to read.
                raw=data.decode("utf-8", "replace").replace("\x00", ""),
            )
        )
    return outcome


def _participant(booking: Booking, email: str) -> tuple[str, str | None] | None:
    """The role of the participant with that email, and its host id if a host."""
    for held in booking.hosts:
        if held.host.email.lower() == email:
            return "host", held.host_id
    guests = [g["email"] for g in booking.guests or []]
    if any(address.lower() == email for address in [booking.attendee_email or "", *guests]):
        return "attendee", None
    return None


def _record(session: Session, booking: Booking, answer: Answer) -> None:
    booking.responses = {**(booking.responses or {}), answer.email: answer.response}
    messages.queue_reply(
        session, booking, email=answer.email, response=answer.response, at=clock.now()
    )


def _apply(db: Database, org_id: str, answer: Answer) -> Outcome:
    with db.write() as session:
        # Only the booking's row: its type is outer-joined (a meeting has none), and
        # PostgreSQL locks no row on the nullable side of an outer join.
        booking = session.get(Booking, answer.booking_id, with_for_update={"of": Booking})
        if booking is None or booking.org_id != org_id or booking.status != "confirmed":
            return Outcome("ignored")
        who = _participant(booking, answer.email)
        if who is None:
            return Outcome("ignored")
        _record(session, booking, answer)
        role, host_id = who
        replace = (
            role == "host"
            and answer.response == "declined"
            and host_id is not None
            and host_id == booking.rotating_host_id
            and booking.booking_type is not None
            and booking.booking_type.on_host_decline == "reassign"
        )
    if not replace or host_id is None:
        return Outcome("recorded", booking)
    try:
        moved = reassign.reassign(
            db,
            org_id,
            booking.id,
            to_host_id=None,
            from_host_id=host_id,
            reason=DECLINED_REASON,
            by="decline",
            actor=SYSTEM,
        )
    except (ServiceError, engine.RoutingError):
        return Outcome("kept", booking)
    return Outcome("reassigned", moved)
