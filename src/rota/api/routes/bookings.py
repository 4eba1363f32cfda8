"""``/v1/bookings``: booking a slot, reading, reassigning and cancelling bookings."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Response
from starlette.concurrency import run_in_threadpool

from rota import metrics
from rota.api import guard, schemas
from rota.api.auth import Caller, Db, OrgId
from rota.api.errors import responses
from rota.service import bookings, reassign, reschedule
from rota.service.errors import Invalid
from rota.store.tables import Booking

router = APIRouter(prefix="/v1/bookings", tags=["bookings"], responses=responses(401, 404, 422))


def render(row: Booking) -> str:
    return schemas.BookingOut.of(row).model_dump_json()


def failure(item: reassign.Failure) -> schemas.ReassignFailure:
    error = item.error
    return schemas.ReassignFailure(
        booking_id=item.booking_id,
        error=schemas.ErrorDetail(code=error.code, message=error.message, details=error.details),
    )


def _digest(body: schemas.BookingIn) -> str:
    """Same request, same digest: from the parsed body, so key order, spacing, a
    default left out and how the start instant is written ("Z", "+00:00",
    another offset) do not make a new one."""
    fields = body.model_copy(update={"start": body.start.astimezone(UTC)})
    canonical = json.dumps(fields.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _idempotency_key(value: str | None) -> str | None:
    """An empty key is a mistake, not a key shared by every empty-keyed request."""
    if value is None:
        return None
    why = "must not be empty" if not value.strip() else guard.bad_character(value)
    if why is not None:
        raise Invalid(f"The Idempotency-Key header {why}.", details={"Idempotency-Key": why})
    return value


@router.post(
    "",
    status_code=201,
    response_model=schemas.BookingOut,
    responses=responses(409),
)
async def create_booking(
    body: schemas.BookingIn,
    org_id: OrgId,
    db: Db,
    actor: Caller,
    idempotency_key: Annotated[
        str | None,
        Header(
            max_length=255,
            description=(
                "A retry with the same key and body returns the first response. The body is"
                " compared as parsed: one instant written with another offset is the same"
                " body. An empty key is a 422."
            ),
        ),
    ] = None,
) -> Response:
    """Book a slot. The hosts are the ones the slot listing offers at this moment."""
    idempotency = None
    key = _idempotency_key(idempotency_key)
    if key is not None:
        idempotency = bookings.Idempotency(key, _digest(body), render)
    outcome = await run_in_threadpool(
        bookings.book,
        db,
        org_id,
        booking_type=body.booking_type,
        start=body.start,
        attendee=bookings.Attendee(body.attendee.name, body.attendee.email, body.attendee.timezone),
        idempotency=idempotency,
        notes=body.notes,
        actor=actor,
    )
    if isinstance(outcome, bookings.Replay):
        return Response(outcome.body, outcome.status_code, media_type="application/json")
    metrics.BOOKINGS_MADE.inc()
    return Response(render(outcome), 201, media_type="application/json")


@router.get("", response_model=schemas.BookingList)
def list_bookings(
    org_id: OrgId,
    db: Db,
    booking_type: Annotated[str | None, Query(max_length=100)] = None,
    host_id: Annotated[str | None, Query(max_length=100)] = None,
    status: Literal["confirmed", "cancelled"] | None = None,
    start: schemas.Instant | None = None,
    end: schemas.Instant | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> schemas.BookingList:
    """Bookings ordered by start; filters combine; ``next_cursor`` continues the list."""
    page = bookings.list_bookings(
        db,
        org_id,
        booking_type=booking_type,
        host_id=host_id,
        status=status,
        start=start,
        end=end,
        limit=limit,
        cursor=cursor,
    )
    return schemas.BookingList.model_construct(
        bookings=[schemas.BookingOut.of(b) for b in page.bookings], next_cursor=page.next_cursor
    )


@router.get("/{booking_id}", response_model=schemas.BookingOut)
def get_booking(booking_id: str, org_id: OrgId, db: Db) -> schemas.BookingOut:
    return schemas.BookingOut.of(bookings.get_booking(db, org_id, booking_id))


@router.post("/{booking_id}/reassign", response_model=schemas.BookingOut, responses=responses(409))
def reassign_booking(
    booking_id: str, body: schemas.ReassignIn, org_id: OrgId, db: Db, actor: Caller
) -> schemas.BookingOut:
    """Move the booking: to ``host_id`` (manual), or to the next fair host (automatic)."""
    row = reassign.reassign(
        db,
        org_id,
        booking_id,
        to_host_id=body.host_id,
        from_host_id=body.from_host_id,
        reason=body.reason,
        actor=actor,
    )
    return schemas.BookingOut.of(row)


@router.post(
    "/{booking_id}/reschedule", response_model=schemas.BookingOut, responses=responses(409)
)
def reschedule_booking(
    booking_id: str, body: schemas.RescheduleIn, org_id: OrgId, db: Db, actor: Caller
) -> schemas.BookingOut:
    """Move the booking to ``start``: the same booking (id, invite UID, manage link).
    Round-robin: the rotating host keeps it when free then, otherwise the next fair
    free host takes it. 409 ``slot_unavailable`` when nobody can."""
    row = reschedule.reschedule(
        db, org_id, booking_id, start=body.start, reason=body.reason, actor=actor
    )
    return schemas.BookingOut.of(row)


@router.post("/{booking_id}/cancel", response_model=schemas.BookingOut, responses=responses(409))
def cancel_booking(
    booking_id: str, body: schemas.CancelIn, org_id: OrgId, db: Db, actor: Caller
) -> schemas.BookingOut:
    row = bookings.cancel(db, org_id, booking_id, body.reason, actor=actor)
    return schemas.BookingOut.of(row)
