"""``/v1/hosts/{id}/calendar``: a host's own calendar, as busy time in and meetings out.

``{"kind": "ics", "url": ...}`` reads a calendar feed; ``{"kind": "caldav",
"url": ..., "username": ..., "password": ...}`` reads a CalDAV calendar and
also gets the host's booked meetings written to it. The password is stored
encrypted and never returned.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Self
from urllib.parse import urlsplit

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from rota import outbound
from rota.api.auth import Db, OrgId
from rota.api.errors import responses
from rota.calendars.secrets import box_from_env
from rota.calendars.sync import sync_host
from rota.service import calendars, clock
from rota.store.tables import HostCalendar

router = APIRouter(
    prefix="/v1/hosts/{host_id}/calendar",
    tags=["calendars"],
    responses=responses(401, 404, 422),
)

SCHEMES = {"ics": ("http", "https", "webcal"), "caldav": ("http", "https")}


class CalendarIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["ics", "caldav"]
    url: str = Field(max_length=2000)
    username: str | None = Field(default=None, max_length=200)
    password: str | None = Field(default=None, max_length=1000)

    @model_validator(mode="after")
    def _complete(self) -> Self:
        parts = urlsplit(self.url)
        if parts.scheme not in SCHEMES[self.kind] or not parts.hostname:
            raise ValueError(f"url: must be a {' or '.join(SCHEMES[self.kind])} URL")
        if self.kind == "caldav" and not (self.username and self.password):
            raise ValueError("a caldav calendar needs a username and a password")
        return self


class CalendarOut(BaseModel):
    host_id: str
    kind: Literal["ics", "caldav"]
    url: str
    username: str | None
    last_synced_at: datetime | None = Field(description="When sync last ran (null: not yet).")
    last_error: str | None = Field(description="Why the last sync failed (null: it worked).")

    @classmethod
    def of(cls, row: HostCalendar) -> Self:
        return cls.model_validate(row, from_attributes=True)


@router.put("", response_model=CalendarOut)
def put_calendar(host_id: str, body: CalendarIn, org_id: OrgId, db: Db) -> CalendarOut:
    """Connect the host's calendar (replacing any other); the worker syncs it shortly."""
    settings = calendars.CalendarSettings(body.kind, body.url, body.username, body.password)
    return CalendarOut.of(calendars.connect(db, org_id, host_id, settings, box=box_from_env()))


@router.get("", response_model=CalendarOut)
def get_calendar(host_id: str, org_id: OrgId, db: Db) -> CalendarOut:
    return CalendarOut.of(calendars.get(db, org_id, host_id))


@router.delete("", status_code=204, response_class=Response)
def delete_calendar(host_id: str, org_id: OrgId, db: Db) -> Response:
    """Disconnect the calendar; the busy time it gave goes with it."""
    calendars.disconnect(db, org_id, host_id)
    return Response(status_code=204)


@router.post("/sync", response_model=CalendarOut)
def sync_calendar(host_id: str, org_id: OrgId, db: Db) -> CalendarOut:
    """Sync the calendar now; a calendar that cannot be read says why in ``last_error``."""
    calendars.get(db, org_id, host_id)
    with outbound.client() as http:
        sync_host(db, host_id, box=box_from_env(), http=http, now=clock.now())
    return CalendarOut.of(calendars.get(db, org_id, host_id))
