"""Booking a slot, reading bookings, cancelling one.

Booking is check-then-insert inside one write transaction that first takes
the locks of `rota.store.locking` (PostgreSQL) or holds the database write lock
(SQLite): whoever books second reads the first booking and gets
`slot_unavailable`. The exclusion constraint on PostgreSQL would refuse a
double booking even if that reasoning had a hole; its refusal is reported the
same way. Requests for one type that queue behind that lock are decided in
one such transaction, one after another (`rota.service.group_commit`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from rota import engine
from rota.actor import SYSTEM, Actor
from rota.notify import messages
from rota.notify.invite import Person
from rota.service import booking_search, clock, events, list_cursor, lookup, visibility
from rota.service.errors import Conflict
from rota.service.group_commit import GroupCommit, Take
from rota.service.ids import new_id, new_token
from rota.store import ledger
from rota.store.db import Database
from rota.store.inserts import insert_new
from rota.store.locking import lock_hosts
from rota.store.snapshot import load_hours, load_snapshot
from rota.store.tables import (
    Booking,
    BookingHost,
    BookingType,
    FairnessCredit,
    HistoryEntry,
    Host,
    IdempotencyKey,
    from_us,
    to_us,
)


@dataclass(frozen=True, slots=True)
class Attendee:
    name: str
    email: str
    timezone: str | None = None


@dataclass(frozen=True, slots=True)
class Idempotency:
    """An ``Idempotency-Key`` with a digest of the request it came with, and how to
    render the response that a retry gets back."""

    key: str
    request_hash: str
    render: Callable[[Booking], str]


@dataclass(frozen=True, slots=True)
class Replay:
    """The stored first response to a retried request."""

    status_code: int
    body: str


def hold(
    booking: Booking,
    host_ids: Iterable[str],
    people: Mapping[str, Person] | Session,
    *,
    first_position: int = 0,
) -> None:
    """Give the booking to `host_ids`: each loses the meeting widened by its buffers.
    `people` gives each host's name and email (the audience a booking already read), or
    is the session to read them from."""
    busy_start, busy_end = engine.widen(
        to_us(booking.start_at) // 1_000_000,
        to_us(booking.end_at) // 1_000_000,
        booking.buffer_before_minutes,
        booking.buffer_after_minutes,
    )
    for position, host_id in enumerate(host_ids, start=first_position):
        held = BookingHost(
            booking_id=booking.id,
            host_id=host_id,
            position=position,
            busy_start=from_us(busy_start * 1_000_000),
            busy_end=from_us(busy_end * 1_000_000),
            active=booking.status == "confirmed",
        )
        if isinstance(people, Session):
            held.host = people.get_one(Host, host_id)
        else:
            person = people[host_id]
            held.host = Host(id=host_id, name=person.name, email=person.email)
        booking.hosts.append(held)


MAX_BATCH = 16
"""Requests decided in one transaction at most: bounds how long a batch holds the lock."""


@dataclass(frozen=True, slots=True)
class _Request:
    start: datetime
    attendee: Attendee
    idempotency: Idempotency | None
    notes: str | None = None
    actor: Actor = SYSTEM


Outcome = Booking | Replay
Lane = tuple[Database, str, str]
"""The requests of one booking type: the database, organization and type slug."""


def book(
    db: Database,
    org_id: str,
    *,
    booking_type: str,
    start: datetime,
    attendee: Attendee,
    actor: Actor,
    idempotency: Idempotency | None = None,
    notes: str | None = None,
) -> Booking | Replay:
    """Book `start` of the type for the attendee, with the hosts the listing offers now.

    Requests of this process for the type that queue while the pool is locked are
    decided together in the next transaction, in the order they came, each against
    the bookings of the ones before it: each gets the answer it would have had alone
    at its turn, and the lock is taken once for all of them. `actor` is who asked
    (the history's first entry names them).
    """
    request = _Request(start, attendee, idempotency, notes, actor)
    return _desk.submit((db, org_id, booking_type), request)


def _book_alone(lane: Lane, request: _Request) -> Outcome:
    try:
        [result] = _book_all(lane, lambda: [request])
    except IntegrityError as error:
        # Lost a race the locks do not cover: a concurrent retry with the same key
        # (replay its response) or, as a last line, the exclusion constraint.
        db, org_id, _ = lane
        first = None
        if request.idempotency is not None:
            with db.read() as session:
                first = _first_responses(session, org_id, [request]).get(request.idempotency.key)
        if first is None or request.idempotency is None:
            raise engine.SlotUnavailable("That time was just taken; pick another.") from error
        result = _replay(first, request.idempotency)
    if isinstance(result, Exception):
        raise result
    return result


def _first_responses(
    session: Session, org_id: str, requests: Sequence[_Request]
) -> dict[str, IdempotencyKey]:
    keys = [r.idempotency.key for r in requests if r.idempotency is not None]
    if not keys:
        return {}
    query = select(IdempotencyKey).where(
        IdempotencyKey.org_id == org_id, IdempotencyKey.key.in_(keys)
    )
    return {row.key: row for row in session.scalars(query)}


def _replay(first: IdempotencyKey, retry: Idempotency) -> Replay | Conflict:
    if first.request_hash != retry.request_hash:
        return Conflict(
            "This Idempotency-Key was already used with another request body.",
            code="idempotency_key_reused",
        )
    return Replay(first.status_code, first.response_body)


def _book_all(lane: Lane, take: Take[_Request]) -> list[Outcome | Exception]:
    """Decide the requests `take` hands over, in order, in one write transaction, each
    against the snapshot as the ones before it left it, and write the bookings made.

    What does not depend on other bookings (the type, the hosts' hours, who is told)
    is read before the pool's lock is taken, and the requests are taken only once it
    is held: the batch gathers every request that queued meanwhile. Under the lock,
    busy time and the ledger are read, then each table's rows of the whole batch are
    written with one statement.
    """
    db, org_id, slug = lane
    with db.write() as session:
        row = lookup.booking_type(session, org_id, slug)
        pool = [m.host_id for m in row.pool]
        audience = messages.load_audience(session, org_id, pool)
        hours = load_hours(session, row.id)
        lock_hosts(session, pool)
        requests = take()
        # A retry replays the first response, even that of a request earlier in the batch.
        first = _first_responses(session, org_id, requests)
        starts = [clock.epoch(r.start) for r in requests]
        snapshot = load_snapshot(
            session, row, min(starts), max(starts) + 1, now=clock.epoch(clock.now()), hours=hours
        )
        results: list[Outcome | Exception] = []
        made: list[tuple[Booking, engine.Assignment]] = []
        keys: list[IdempotencyKey] = []  # the first responses this batch stores
        for request, start in zip(requests, starts, strict=True):
            key = request.idempotency
            if key is not None and key.key in first:
                results.append(_replay(first[key.key], key))
                continue
            moment = clock.now()
            try:
                assignment = engine.assign(
                    snapshot.booking_type,
                    snapshot.schedules,
                    snapshot.ledger,
                    now=clock.epoch(moment),
                    start=start,
                )
            except engine.RoutingError as refusal:
                results.append(refusal)
                continue
            snapshot = snapshot.after(assignment, at=to_us(moment))
            booking = _new_booking(row, assignment, request, audience, moment)
            if key is not None:
                stored = IdempotencyKey(
                    org_id=org_id,
                    key=key.key,
                    request_hash=key.request_hash,
                    status_code=201,
                    response_body=key.render(booking),
                    created_at=moment,
                )
                first[key.key] = stored
                keys.append(stored)
            made.append((booking, assignment))
            results.append(booking)
        _write(session, made, keys, audience)
    return results


_desk: GroupCommit[Lane, _Request, Outcome] = GroupCommit(_book_all, _book_alone, limit=MAX_BATCH)


def _new_booking(
    row: BookingType,
    assignment: engine.Assignment,
    request: _Request,
    audience: messages.Audience,
    moment: datetime,
) -> Booking:
    attendee = request.attendee
    booking = Booking(
        id=new_id("bk"),
        org_id=row.org_id,
        booking_type_id=row.id,
        status="confirmed",
        start_at=from_us(assignment.start * 1_000_000),
        end_at=from_us(assignment.end * 1_000_000),
        buffer_before_minutes=row.buffer_before_minutes,
        buffer_after_minutes=row.buffer_after_minutes,
        rotating_host_id=assignment.rotating_host_id,
        attendee_name=attendee.name,
        attendee_email=attendee.email,
        attendee_timezone=attendee.timezone,
        created_at=moment,
        assigned_at=moment,
        sequence=0,
        manage_token=new_token(),
        notes=request.notes,
    )
    booking.booking_type = row
    hold(booking, assignment.host_ids, audience.hosts)
    booking.history.append(
        HistoryEntry(
            booking_id=booking.id,
            at=moment,
            action="created",
            host_ids=list(assignment.host_ids),
            by="auto",
            actor=request.actor,
        )
    )
    return booking


def _write(
    session: Session,
    made: Sequence[tuple[Booking, engine.Assignment]],
    keys: Sequence[IdempotencyKey],
    audience: messages.Audience,
) -> None:
    """Write the batch's bookings with their hosts, history and credits (one INSERT per
    table, parents first) and add them to the ledger's running sums, then queue their
    messages and store the first responses."""
    new = [booking for booking, _ in made]
    insert_new(
        session, [*new, *(h for b in new for h in b.hosts), *(e for b in new for e in b.history)]
    )
    credits = [
        {"booking_id": booking.id, "host_id": host_id, "credit": credit}
        for booking, assignment in made
        for host_id, credit in assignment.credits.items()
    ]
    if credits:
        session.execute(insert(FairnessCredit), credits)
    ledger.apply(
        session,
        (change for b, a in made for change in ledger.booked(b, a.credits)),
    )
    for booking in new:
        events.booking_changed(session, booking, "created", audience=audience)
    session.add_all(keys)


def get_booking(db: Database, org_id: str, booking_id: str) -> Booking:
    with db.read() as session:
        return lookup.booking(session, org_id, booking_id)


def cancel(
    db: Database, org_id: str, booking_id: str, reason: str | None, *, actor: Actor
) -> Booking:
    """Cancel a booking: its hosts are free again and it no longer counts for fairness."""
    with db.write() as session:
        booking = lookup.booking(session, org_id, booking_id, for_update=True)
        if booking.status == "cancelled":
            raise Conflict("The booking is already cancelled.", code="booking_cancelled")
        # Freeing the hosts raises their busy versions (migration 0009), which takes
        # their rows: before the ledger's, in the order every writer takes hosts in.
        lock_hosts(session, booking.host_ids)
        moment = clock.now()
        ledger.apply(session, ledger.cancelled(session, booking))
        booking.status = "cancelled"
        booking.cancelled_at = moment
        for held in booking.hosts:
            held.active = False
        booking.history.append(
            HistoryEntry(
                at=moment,
                action="cancelled",
                host_ids=booking.host_ids,
                by="manual",
                reason=reason,
                actor=actor,
            )
        )
        session.flush()
        events.booking_changed(session, booking, "cancelled", reason=reason)
        return booking


@dataclass(frozen=True, slots=True)
class Page:
    bookings: Sequence[Booking]
    next_cursor: str | None


def list_bookings(
    db: Database,
    org_id: str,
    *,
    booking_type: str | None = None,
    host_id: str | None = None,
    status: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int = 100,
    cursor: str | None = None,
    newest_first: bool = False,
    seen_by_host: str | None = None,
    search: str | None = None,
    ended: bool | None = None,
) -> Page:
    """Bookings by start (then id), filtered; `cursor` continues after a previous page.
    `newest_first` reverses the order (the Hub's past bookings show the latest first);
    `seen_by_host` keeps those a member who is that host sees (`visibility`);
    `search` keeps those whose attendee, or meeting title or guest, has the text
    (`booking_search`); `ended` keeps those over by now (True) or not over yet
    (False: one under way is still upcoming, the Hub's first view)."""
    query = select(Booking).where(Booking.org_id == org_id)
    if ended is not None:
        now = clock.now()
        query = query.where(Booking.end_at <= now if ended else Booking.end_at > now)
    if seen_by_host is not None:
        query = query.where(visibility.seen_by(seen_by_host))
    if status is not None:
        query = query.where(Booking.status == status)
    if start is not None:
        query = query.where(Booking.start_at >= start)
    if end is not None:
        query = query.where(Booking.start_at < end)
    if cursor is not None:
        start_us, last_id = list_cursor.position(cursor)
        after = from_us(start_us)
        if newest_first:
            past, past_id = Booking.start_at < after, Booking.id < last_id
        else:
            past, past_id = Booking.start_at > after, Booking.id > last_id
        query = query.where(or_(past, and_(Booking.start_at == after, past_id)))
    with db.read() as session:
        # No text stored holds a NUL, and PostgreSQL refuses one in a query.
        text = (search or "").replace("\x00", "").strip()
        if text:
            dialect = session.get_bind().dialect.name
            query = query.where(booking_search.matching(text, dialect))
        if booking_type is not None:
            type_id = lookup.booking_type(session, org_id, booking_type).id
            query = query.where(Booking.booking_type_id == type_id)
        if host_id is not None:
            lookup.host(session, org_id, host_id)
            query = query.where(
                exists().where(BookingHost.booking_id == Booking.id, BookingHost.host_id == host_id)
            )
        order = (Booking.start_at, Booking.id)
        if newest_first:
            query = query.order_by(*(column.desc() for column in order))
        else:
            query = query.order_by(*order)
        rows = list(session.scalars(query.limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, list_cursor.cursor_after(rows[-1]) if more else None)
