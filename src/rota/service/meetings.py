"""Internal meetings: bookings without a booking type that hold every host named
(API.md, Find a Time and meetings).

A meeting is booked as a typed booking is: one write transaction that locks the
hosts (PostgreSQL; SQLite holds its write lock from the start), reads their
schedules and bookings, refuses with `slot_unavailable` when any of them is not
free then (working hours, time off, busy time, other bookings), and writes the
booking, its history and its invites together. PostgreSQL's exclusion constraint
backs the check; its refusal is told the same way. A meeting has no buffers, no
fairness credits and no daily cap of a type: it only takes its hosts' time, and
every type's slots and bookings see that time as taken.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from rota import engine
from rota.actor import Actor
from rota.notify import messages
from rota.service import clock, events
from rota.service.bookings import hold
from rota.service.errors import Invalid
from rota.service.ids import new_id, new_token
from rota.store.db import Database
from rota.store.locking import lock_hosts
from rota.store.snapshot import load_schedules
from rota.store.tables import Booking, HistoryEntry, Host

NO_BOOKING_TYPE = ""
"""The schedules are read for the hosts named only, not for a booking type's pool."""
LONGEST = 24 * 60
"""A meeting lasts at most a day (minutes)."""


@dataclass(frozen=True, slots=True)
class Guest:
    name: str
    email: str


@dataclass(frozen=True, slots=True)
class Location:
    kind: str
    """``"in_person"``, ``"phone"``, ``"video"`` or ``"custom"``, as a booking type's."""
    value: str


@dataclass(frozen=True, slots=True)
class MeetingRequest:
    title: str
    host_ids: Sequence[str]
    start: datetime
    end: datetime
    guests: Sequence[Guest] = ()
    description: str | None = None
    location: Location | None = None


def create_meeting(db: Database, org_id: str, request: MeetingRequest, *, actor: Actor) -> Booking:
    """Book the meeting for every host of `request`; `engine.SlotUnavailable` when one
    of them is not free then, `Invalid` for hosts that are not the organization's."""
    _check(request)
    start, end = clock.epoch(request.start), clock.epoch(request.end)
    try:
        with db.write() as session:
            people = _hosts(session, org_id, request.host_ids)
            audience = messages.load_audience(session, org_id, request.host_ids)
            lock_hosts(session, request.host_ids)
            moment = clock.now()
            if start < clock.epoch(moment):
                raise engine.SlotUnavailable("That time has already passed.")
            check_free(session, people, start, end)
            booking = _new_meeting(org_id, request, moment, actor)
            hold(booking, request.host_ids, audience.hosts)
            session.add(booking)
            session.flush()
            events.booking_changed(session, booking, "created", audience=audience)
    except IntegrityError as error:  # PostgreSQL's exclusion constraint, as a last line
        raise engine.SlotUnavailable("That time was just taken; pick another.") from error
    return booking


def check_free(
    session: Session,
    people: Sequence[Host],
    start: int,
    end: int,
    *,
    exclude_booking_id: str | None = None,
) -> None:
    """Refuse with `engine.SlotUnavailable`, naming them, when any of `people` is not
    free for ``[start, end)`` (epoch s). `exclude_booking_id` is a booking being moved,
    which does not stand in its own way."""
    ids = [h.id for h in people]
    schedules = load_schedules(
        session,
        NO_BOOKING_TYPE,
        start - engine.DAY,
        end + engine.DAY,
        extra_host_ids=ids,
        exclude_booking_id=exclude_booking_id,
        with_booked_starts=False,
    )
    busy = set(engine.not_free([schedules[h] for h in ids], start=start, end=end))
    if busy:
        names = [h.name for h in people if h.id in busy]
        raise engine.SlotUnavailable(
            f"Not free at that time: {', '.join(names)}.",
            details={"host_ids": [h.id for h in people if h.id in busy]},
        )


def _check(request: MeetingRequest) -> None:
    if not request.host_ids:
        raise Invalid(
            "Name at least one host.", details={"host_ids": "must name at least one host"}
        )
    if len(set(request.host_ids)) != len(request.host_ids):
        raise Invalid(
            "A host is named twice.", details={"host_ids": "a host is named more than once"}
        )
    if request.end <= request.start:
        raise Invalid("end must be after start.", details={"end": "must be after start"})
    if (request.end - request.start).total_seconds() > LONGEST * engine.MINUTE:
        raise Invalid("A meeting lasts at most a day.", details={"end": "at most 24 hours"})
    emails = [g.email.lower() for g in request.guests]
    for i, address in enumerate(emails):
        if address in emails[:i]:
            raise Invalid(
                "A guest is named twice.", details={f"attendees.{i}.email": "named twice"}
            )


def _hosts(session: Session, org_id: str, host_ids: Sequence[str]) -> list[Host]:
    """The hosts named, in the order named; `Invalid` naming each unknown one."""
    rows = session.scalars(
        select(Host).where(Host.id.in_(host_ids), Host.org_id == org_id, Host.deleted_at.is_(None))
    )
    known = {h.id: h for h in rows}
    unknown = {f"host_ids.{i}": "no such host" for i, h in enumerate(host_ids) if h not in known}
    if unknown:
        raise Invalid("Some of the hosts named are not hosts here.", details=unknown)
    return [known[h] for h in host_ids]


def _new_meeting(org_id: str, request: MeetingRequest, moment: datetime, actor: Actor) -> Booking:
    location = request.location
    booking = Booking(
        id=new_id("bk"),
        org_id=org_id,
        booking_type_id=None,
        status="confirmed",
        start_at=request.start.astimezone(UTC),
        end_at=request.end.astimezone(UTC),
        buffer_before_minutes=0,
        buffer_after_minutes=0,
        rotating_host_id=None,
        attendee_name=None,
        attendee_email=None,
        attendee_timezone=None,
        created_at=moment,
        assigned_at=moment,
        sequence=0,
        manage_token=new_token(),
        title=request.title,
        description=request.description,
        location_kind=location.kind if location else None,
        location_value=location.value if location else None,
        guests=[{"name": g.name, "email": g.email} for g in request.guests],
    )
    booking.booking_type = None
    booking.history.append(
        HistoryEntry(
            booking_id=booking.id,
            at=moment,
            action="created",
            host_ids=list(request.host_ids),
            by="manual",
            actor=actor,
        )
    )
    return booking
