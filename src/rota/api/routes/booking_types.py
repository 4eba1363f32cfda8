"""``/v1/booking-types``: booking types, their slots and their distribution."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo

import orjson
from fastapi import APIRouter, Query, Response
from pydantic import ValidationError

from rota import teamfile
from rota.api import schemas
from rota.api.auth import Caller, Db, OrgId
from rota.api.errors import OWN_CODES, first_problem, responses, validation_details
from rota.api.timestamps import format_instants
from rota.service import booking_types, distribution, slots
from rota.service.errors import Invalid

router = APIRouter(
    prefix="/v1/booking-types", tags=["booking types"], responses=responses(401, 404, 422)
)


def _fields(body: teamfile.BookingTypeIn) -> dict[str, object]:
    return body.model_dump(mode="json")


@router.post("", status_code=201, response_model=schemas.BookingTypeOut, responses=responses(409))
def create_booking_type(
    body: teamfile.BookingTypeIn, org_id: OrgId, db: Db
) -> schemas.BookingTypeOut:
    return schemas.BookingTypeOut.of(booking_types.create_booking_type(db, org_id, _fields(body)))


@router.get("", response_model=schemas.BookingTypeList)
def list_booking_types(org_id: OrgId, db: Db) -> schemas.BookingTypeList:
    rows = booking_types.list_booking_types(db, org_id)
    return schemas.BookingTypeList(booking_types=[schemas.BookingTypeOut.of(r) for r in rows])


@router.get("/{slug}", response_model=schemas.BookingTypeOut)
def get_booking_type(slug: str, org_id: OrgId, db: Db) -> schemas.BookingTypeOut:
    return schemas.BookingTypeOut.of(booking_types.get_booking_type(db, org_id, slug))


@router.patch("/{slug}", response_model=schemas.BookingTypeOut, responses=responses(409))
def update_booking_type(
    slug: str, body: schemas.BookingTypePatch, org_id: OrgId, db: Db
) -> schemas.BookingTypeOut:
    current = schemas.BookingTypeOut.of(booking_types.get_booking_type(db, org_id, slug))
    named = body.model_dump(mode="json", include=body.model_fields_set)
    merged = {**current.model_dump(mode="json"), **named}
    # The interval follows a new duration unless it was set apart from the old one.
    if (
        "duration_minutes" in named
        and "slot_interval_minutes" not in named
        and current.slot_interval_minutes == current.duration_minutes
    ):
        merged["slot_interval_minutes"] = None
    try:
        checked = teamfile.BookingTypeIn.model_validate(merged)
    except ValidationError as error:
        raise _invalid(error) from None
    changes = {
        k: v for k, v in _fields(checked).items() if k in named or k == "slot_interval_minutes"
    }
    return schemas.BookingTypeOut.of(booking_types.update_booking_type(db, org_id, slug, changes))


def _invalid(error: ValidationError) -> Invalid:
    errors = error.errors(include_url=False)
    code = next((e["type"] for e in errors if e["type"] in OWN_CODES), "invalid_request")
    details = validation_details(errors)
    return Invalid(
        f"The booking type would not be valid: {first_problem(details)}.", details, code=code
    )


@router.delete("/{slug}", status_code=204, response_class=Response, responses=responses(409))
def delete_booking_type(
    slug: str,
    org_id: OrgId,
    db: Db,
    actor: Caller,
    cancel_bookings: Annotated[
        bool,
        Query(description="Cancel the type's upcoming bookings (everyone is told) first."),
    ] = False,
) -> Response:
    """Delete the type. With confirmed upcoming bookings it is a 409 ``type_has_bookings``
    unless ``cancel_bookings=true``."""
    booking_types.delete_booking_type(
        db, org_id, slug, actor=actor, cancel_bookings=cancel_bookings
    )
    return Response(status_code=204)


@router.get("/{slug}/slots", response_model=schemas.SlotList)
def list_slots(
    slug: str,
    start: Annotated[schemas.Instant, Query(description="Slots starting at or after this.")],
    end: Annotated[schemas.Instant, Query(description="Slots starting before this.")],
    org_id: OrgId,
    db: Db,
    timezone: Annotated[teamfile.Timezone, Query(description="Zone of the answer.")] = "UTC",
) -> Response:
    """Bookable slots in ``[start, end)`` (at most 62 days), ascending, each with the
    hosts a booking made now would get."""
    found = slots.slot_table(db, org_id, slug, start, end)
    # Thousands of slots: written from the table's columns straight to JSON.
    zone = ZoneInfo(timezone)
    starts = format_instants(found.starts.tolist(), zone)
    ends = format_instants((found.starts + found.duration).tolist(), zone)
    body = {
        "booking_type": slug,
        "timezone": timezone,
        "slots": [
            {"start": a, "end": b, "host_ids": found.host_sets[row]}
            for a, b, row in zip(starts, ends, found.rows.tolist(), strict=True)
        ],
    }
    return Response(orjson.dumps(body), media_type="application/json")


@router.get("/{slug}/distribution", response_model=schemas.DistributionOut)
def get_distribution(slug: str, org_id: OrgId, db: Db) -> schemas.DistributionOut:
    found = distribution.distribution(db, org_id, slug)
    return schemas.DistributionOut(
        window_days=found.window_days,
        hosts=[
            schemas.ShareOut(
                host_id=s.host_id,
                weight=s.weight,
                priority=s.priority,
                bookings=s.bookings,
                expected=round(s.expected, 6),
            )
            for s in found.hosts
        ],
    )
