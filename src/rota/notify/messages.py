"""What a booking change tells whom, written as outbox rows in the change's transaction.

- created: an invitation (REQUEST) to the attendee and to every host.
- reassigned: a CANCEL naming only the host who left; a REQUEST, one SEQUENCE
  higher, to the host who came, to the attendee and to any host who stays,
  so every calendar shows the new participants.
- rescheduled: as reassigned (a CANCEL to a host who left, if one did), and the
  REQUEST says the meeting moved, from when to when.
- cancelled: a CANCEL to everyone, with the reason given.

The attendee's emails carry the manage link, each host's the booking's page in
the Hub (`rota.links`).

Beside the emails: one webhook delivery per subscription of the organization
to the event, and for each host with a CalDAV calendar the meeting written to
it (or removed from it when the host leaves or the booking is cancelled).
Each row stores the facts of the change (the meeting at its SEQUENCE, who is
told what), so what is sent is what the booking was at the change, however
late it goes out. Rendering the email and the calendar object is left to the
delivery: it is the costly part, and doing it here would hold the booking's
locks for it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from rota import links
from rota.ids import new_id
from rota.notify import email
from rota.notify.invite import (
    Meeting,
    Method,
    Person,
    booking_uid,
    calendar,
    meeting_record,
    person_record,
)
from rota.store.tables import Booking, Host, HostCalendar, Organization, OutboxMessage, Webhook

BookingEvent = Literal["created", "reassigned", "rescheduled", "cancelled"]
DEFAULT_SENDER = "rota@localhost"
WEBHOOK_EVENTS: dict[BookingEvent, str] = {
    "created": "booking.created",
    "reassigned": "booking.reassigned",
    "rescheduled": "booking.rescheduled",
    "cancelled": "booking.cancelled",
}


def sender_address() -> str:
    """``ROTA_MAIL_FROM``: the From of every email and the ORGANIZER of every invite."""
    return os.environ.get("ROTA_MAIL_FROM") or DEFAULT_SENDER


@dataclass(frozen=True, slots=True)
class Subscription:
    """A webhook subscription, as a change reads it."""

    id: str
    url: str
    events: frozenset[str]


@dataclass(frozen=True, slots=True)
class Audience:
    """What telling about a change reads besides the booking: the organizer, the hosts
    as people, the organization's webhook subscriptions and the hosts with a CalDAV
    calendar. None of it depends on other bookings, so a booking loads it before it
    takes the pool's lock, and the lock covers that much less."""

    organizer: str
    """The organization's name."""
    hosts: Mapping[str, Person]
    webhooks: Sequence[Subscription]
    """All of the organization's subscriptions, by id."""
    caldav: frozenset[str]


# Built once, with bound parameters, and run as Core rows: every booking transaction
# runs them, and the ORM's bookkeeping would cost more than the queries themselves.
ORGANIZER = select(Organization.name).where(Organization.id == bindparam("org"))
PEOPLE = select(Host.id, Host.name, Host.email, Host.timezone).where(
    Host.id.in_(bindparam("hosts", expanding=True))
)
SUBSCRIPTIONS = (
    select(Webhook.id, Webhook.url, Webhook.events)
    .where(Webhook.org_id == bindparam("org"))
    .order_by(Webhook.id)
)
CALDAV = select(HostCalendar.host_id).where(
    HostCalendar.host_id.in_(bindparam("hosts", expanding=True)), HostCalendar.kind == "caldav"
)


def load_audience(session: Session, org_id: str, host_ids: Iterable[str]) -> Audience:
    """The audience of a change of the organization's bookings held by `host_ids`."""
    params = {"org": org_id, "hosts": sorted(set(host_ids))}
    connection = session.connection()
    people = connection.execute(PEOPLE, params)
    subscriptions = connection.execute(SUBSCRIPTIONS, params)
    return Audience(
        organizer=connection.execute(ORGANIZER, params).scalar_one(),
        hosts={id_: Person(name, email, zone, role="host") for id_, name, email, zone in people},
        webhooks=[Subscription(id_, url, frozenset(events)) for id_, url, events in subscriptions],
        caldav=frozenset(connection.execute(CALDAV, params).scalars()),
    )


LOCATION_LABELS = {"phone": "Phone", "video": "Video call"}


def location_text(kind: str | None, value: str | None) -> str:
    """A booking type's location as one line of text (the LOCATION of its invites)."""
    if not kind or not value:
        return ""
    label = LOCATION_LABELS.get(kind)
    return value if label is None or kind == "video" else f"{label}: {value}"


def _description(booking: Booking) -> str:
    about = booking.booking_type.description if booking.booking_type else booking.description
    parts = [about or ""]
    if booking.notes:
        parts.append(f"Note from {booking.attendee_name}: {booking.notes}")
    parts.append(f"Booking {booking.id}.")
    return "\n\n".join(p for p in parts if p)


def _attendees(booking: Booking, hosts: Sequence[Person]) -> tuple[Person, ...]:
    """The typed booking's attendee, or a meeting's guests. A guest's timezone is not
    asked for: the texts show the meeting in its first host's."""
    if booking.attendee_name is not None and booking.attendee_email is not None:
        return (Person(booking.attendee_name, booking.attendee_email, _attendee_zone(booking)),)
    zone = hosts[0].timezone if hosts else "UTC"
    return tuple(Person(g["name"], g["email"], zone) for g in booking.guests or [])


def _where(booking: Booking) -> tuple[str | None, str | None]:
    """Where the meeting happens: the type's location, or a meeting's own."""
    if booking.booking_type is not None:
        return booking.booking_type.location_kind, booking.booking_type.location_value
    return booking.location_kind, booking.location_value


def title(booking: Booking) -> str:
    """What the booking is called: its type's title, or the meeting's own."""
    if booking.booking_type is not None:
        return booking.booking_type.title
    return booking.title or "Meeting"


def meeting(
    booking: Booking,
    audience: Audience,
    at: datetime,
    *,
    rescheduled_from: datetime | None = None,
    reason: str | None = None,
) -> Meeting:
    """The meeting as it stands after the change, at the booking's current SEQUENCE."""
    current = [audience.hosts[host_id] for host_id in booking.host_ids]
    attendees = _attendees(booking, current)
    hosts = ", ".join(h.name for h in current)
    if booking.booking_type is not None:
        summary = f"{title(booking)}: {attendees[0].name} with {hosts}"
    else:
        summary = title(booking)
    kind, where = _where(booking)
    return Meeting(
        uid=booking_uid(booking.id),
        sequence=booking.sequence,
        start=booking.start_at,
        end=booking.end_at,
        summary=summary,
        organizer_name=audience.organizer,
        organizer_email=sender_address(),
        participants=(*current, *attendees),
        stamp=at,
        cancelled=booking.status == "cancelled",
        description=_description(booking),
        location=location_text(kind, where),
        url=(where or "") if kind == "video" else "",
        rescheduled_from=rescheduled_from,
        reason=reason or "",
    )


def _with_link(booking: Booking, person: Person) -> Person:
    """The recipient with the link its emails carry. A meeting's guests get none: a
    meeting has no attendee's manage page (its hosts change it)."""
    if person.role == "host":
        return replace(person, link=links.hub_booking_url(booking.id))
    if booking.booking_type is None:
        return person
    return replace(person, link=links.manage_url(booking.manage_token))


def _attendee_zone(booking: Booking) -> str:
    return booking.attendee_timezone or "UTC"


class _Queue:
    """Collects the outbox rows of one change."""

    def __init__(self, session: Session, booking: Booking, at: datetime) -> None:
        self.session, self.booking, self.at = session, booking, at

    def add(self, kind: str, payload: dict[str, Any]) -> None:
        self.session.add(
            OutboxMessage(
                id=new_id("msg"),
                org_id=self.booking.org_id,
                booking_id=self.booking.id,
                kind=kind,
                payload=json.dumps(payload),
                status="pending",
                attempts=0,
                next_attempt_at=self.at,
                created_at=self.at,
            )
        )

    def email(
        self,
        meeting: Meeting,
        method: Method,
        recipient: Person,
        attendees: Sequence[Person] | None = None,
    ) -> None:
        recipient = _with_link(self.booking, recipient)
        self.add(
            "email",
            {
                "to": recipient.email,
                "method": method.value,
                "sequence": meeting.sequence,
                "subject": email.subject(meeting, method, recipient),
                "meeting": meeting_record(meeting),
                "recipient": person_record(recipient),
                "attendees": None if attendees is None else [person_record(p) for p in attendees],
            },
        )


def _emails(queue: _Queue, event: BookingEvent, meeting: Meeting, left: Sequence[Person]) -> None:
    if event == "cancelled":
        for person in meeting.participants:
            queue.email(meeting, Method.CANCEL, person)
        return
    for person in left:
        queue.email(meeting, Method.CANCEL, person, attendees=(person,))
    for person in meeting.participants:
        queue.email(meeting, Method.REQUEST, person)


def _webhooks(
    queue: _Queue, name: str, change: dict[str, Any], webhooks: Sequence[Subscription]
) -> None:
    # The booking exactly as the API shows it; imported here because the API
    # layer imports the use cases that call this module.
    from rota.api.schemas import BookingOut

    subscriptions = [s for s in webhooks if name in s.events]
    if not subscriptions:
        return
    booking = BookingOut.of(queue.booking).model_dump(mode="json")
    for subscription in subscriptions:
        body = {
            "type": name,
            "created_at": queue.at.isoformat(),
            "data": {"booking": booking, **change},
        }
        queue.add(
            "webhook",
            {"webhook_id": subscription.id, "url": subscription.url, "event": name, "body": body},
        )


def _calendars(
    queue: _Queue,
    meeting: Meeting,
    keep: Sequence[str],
    remove: Sequence[str],
    caldav: frozenset[str],
) -> None:
    if caldav.isdisjoint([*keep, *remove]):
        return
    stored = calendar(meeting).to_ical().decode()
    for host_id in keep:
        if host_id in caldav:
            queue.add(
                "caldav", {"host_id": host_id, "action": "put", "uid": meeting.uid, "ics": stored}
            )
    for host_id in remove:
        if host_id in caldav:
            queue.add("caldav", {"host_id": host_id, "action": "delete", "uid": meeting.uid})


def queue_booking_change(
    session: Session,
    booking: Booking,
    event: BookingEvent,
    *,
    from_host_ids: Sequence[str],
    to_host_ids: Sequence[str],
    at: datetime,
    audience: Audience | None = None,
    rescheduled_from: datetime | None = None,
    reason: str | None = None,
) -> None:
    """Write the outbox rows telling everyone concerned about this change; `audience`
    must cover the booking's hosts and those leaving it (loaded here if not given).
    `rescheduled_from`: the start a reschedule moved the booking from; `reason`: why
    (told in a cancellation)."""
    leaving = [h for h in from_host_ids if h not in booking.host_ids]
    if audience is None:
        audience = load_audience(session, booking.org_id, [*booking.host_ids, *leaving])
    current = meeting(booking, audience, at, rescheduled_from=rescheduled_from, reason=reason)
    queue = _Queue(session, booking, at)
    _emails(queue, event, current, [audience.hosts[h] for h in leaving])
    change: dict[str, Any] = {}
    if event in ("reassigned", "rescheduled"):
        change = {"from_host_ids": list(from_host_ids), "to_host_ids": list(to_host_ids)}
    if rescheduled_from is not None:
        change["from_start"] = rescheduled_from.isoformat()
    _webhooks(queue, WEBHOOK_EVENTS[event], change, audience.webhooks)
    if event == "cancelled":
        _calendars(queue, current, (), booking.host_ids, audience.caldav)
    else:
        _calendars(queue, current, booking.host_ids, leaving, audience.caldav)


REPLIED = "booking.replied"


def queue_reply(
    session: Session, booking: Booking, *, email: str, response: str, at: datetime
) -> None:
    """Tell the webhooks subscribed to ``booking.replied`` that a participant answered
    the invitation (`response`: ``accepted``, ``declined`` or ``tentative``)."""
    audience = load_audience(session, booking.org_id, booking.host_ids)
    change = {"participant": {"email": email, "response": response}}
    _webhooks(_Queue(session, booking, at), REPLIED, change, audience.webhooks)
