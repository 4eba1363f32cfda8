"""``/v1/find-a-time``: when several people are all free for an internal meeting."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from rota.api import schemas
from rota.api.auth import Db, OrgId
from rota.api.errors import responses
from rota.service import find_a_time as use_case

router = APIRouter(prefix="/v1/find-a-time", tags=["find a time"], responses=responses(401, 422))

PEOPLE = 50
"""At most this many people, required and optional together, in one search."""


class FindATimeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host_ids: list[str] = Field(min_length=1, max_length=PEOPLE, description="Who must attend.")
    optional_host_ids: list[str] = Field(
        default_factory=list, max_length=PEOPLE, description="Who would be good to have."
    )
    duration_minutes: int = Field(gt=0, le=24 * 60)
    start: schemas.Instant
    end: schemas.Instant
    interval_minutes: int = Field(default=15, gt=0, le=24 * 60)


class FreeTimeOut(BaseModel):
    start: datetime
    end: datetime
    host_ids: list[str]
    optional_free: list[str]


class FreeTimeList(BaseModel):
    slots: list[FreeTimeOut]


@router.post("", response_model=FreeTimeList)
def find_a_time(body: FindATimeIn, org_id: OrgId, db: Db) -> FreeTimeList:
    """The times in ``[start, end]`` (at most 62 days) when every host of ``host_ids`` is
    free for the whole meeting (working hours, time off, busy time, bookings), on a grid
    of ``interval_minutes``, ascending; ``optional_free`` names the optional hosts free
    then too."""
    found = use_case.find_a_time(
        db,
        org_id,
        host_ids=body.host_ids,
        optional_host_ids=body.optional_host_ids,
        duration_minutes=body.duration_minutes,
        start=body.start,
        end=body.end,
        interval_minutes=body.interval_minutes,
    )
    return FreeTimeList(
        slots=[
            FreeTimeOut(
                start=datetime.fromtimestamp(t.start, UTC),
                end=datetime.fromtimestamp(t.end, UTC),
                host_ids=list(t.host_ids),
                optional_free=list(t.optional_free),
            )
            for t in found
        ]
    )
