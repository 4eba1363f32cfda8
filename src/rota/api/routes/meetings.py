"""``/v1/meetings``: internal meetings, bookings without a type that hold every host
named. Read, cancel and reschedule them as any booking, under ``/v1/bookings``."""

from __future__ import annotations

from typing import Self

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.concurrency import run_in_threadpool

from rota import metrics, teamfile
from rota.api import schemas
from rota.api.auth import Caller, Db, OrgId
from rota.api.errors import responses
from rota.api.routes.bookings import render
from rota.api.routes.find_a_time import PEOPLE
from rota.service import meetings

router = APIRouter(prefix="/v1/meetings", tags=["meetings"], responses=responses(401, 422))

GUESTS = 100
"""At most this many guests besides the hosts."""


class GuestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: teamfile.OneLine = Field(min_length=1, max_length=200)
    email: teamfile.Email


class MeetingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: teamfile.OneLine = Field(min_length=1, max_length=200)
    host_ids: list[str] = Field(
        min_length=1, max_length=PEOPLE, description="Every host the meeting holds."
    )
    start: schemas.Instant
    end: schemas.Instant
    attendees: list[GuestIn] = Field(
        default_factory=list, max_length=GUESTS, description="Guests besides the hosts."
    )
    description: str | None = Field(default=None, max_length=5000)
    location: teamfile.LocationIn | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self

    def request(self) -> meetings.MeetingRequest:
        """The meeting as the use case takes it."""
        location = self.location
        return meetings.MeetingRequest(
            title=self.title,
            host_ids=self.host_ids,
            start=self.start,
            end=self.end,
            guests=[meetings.Guest(g.name, g.email) for g in self.attendees],
            description=self.description,
            location=meetings.Location(location.kind, location.value) if location else None,
        )


@router.post("", status_code=201, response_model=schemas.BookingOut, responses=responses(409))
async def create_meeting(body: MeetingIn, org_id: OrgId, db: Db, actor: Caller) -> Response:
    """Book an internal meeting: a booking with ``booking_type: null`` holding every host
    of ``host_ids`` from ``start`` to ``end``. 409 ``slot_unavailable`` when one of them
    is not free then (working hours, time off, busy time, other bookings; ``details``
    names them). Invitations go to the hosts and the attendees. Cancel and reschedule it
    as any booking; a meeting cannot be reassigned (409 ``not_a_team_booking``)."""
    booking = await run_in_threadpool(
        meetings.create_meeting, db, org_id, body.request(), actor=actor
    )
    metrics.BOOKINGS_MADE.inc()
    return Response(render(booking), 201, media_type="application/json")
