"""Connecting a host's calendar (one per host), reading it back, disconnecting it.

A CalDAV password is encrypted with the server's key before it is stored and
never leaves the server again. A URL the server may not reach is refused with
`rota.outbound.UrlNotAllowed`. Connecting does not reach the calendar: the
worker syncs a new calendar on its next round (it has never been synced), and
``POST /v1/hosts/{id}/calendar/sync`` does it at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import delete
from sqlalchemy.orm import Session

from rota import outbound
from rota.calendars.secrets import SecretBox
from rota.calendars.sync import CALENDAR_SOURCE
from rota.service import lookup
from rota.service.errors import NotFound
from rota.store.db import Database
from rota.store.tables import BusyBlock, HostCalendar

CalendarKind = Literal["ics", "caldav"]


@dataclass(frozen=True, slots=True)
class CalendarSettings:
    kind: CalendarKind
    url: str
    username: str | None = None
    password: str | None = None


def connect(
    db: Database, org_id: str, host_id: str, settings: CalendarSettings, *, box: SecretBox
) -> HostCalendar:
    """Connect (or replace) the host's calendar; busy blocks of the old one go with it."""
    outbound.check_url(settings.url.replace("webcal://", "https://", 1))
    encrypted = box.encrypt(settings.password) if settings.password else None
    with db.write() as session:
        lookup.host(session, org_id, host_id)
        row = session.get(HostCalendar, host_id)
        if row is None:
            row = HostCalendar(host_id=host_id)
            session.add(row)
        elif row.url != settings.url:
            _forget_busy(session, host_id)
        row.kind = settings.kind
        row.url = settings.url
        row.username = settings.username if settings.kind == "caldav" else None
        row.password_encrypted = encrypted if settings.kind == "caldav" else None
        row.last_synced_at = None
        row.last_error = None
        return row


def get(db: Database, org_id: str, host_id: str) -> HostCalendar:
    with db.read() as session:
        lookup.host(session, org_id, host_id)
        row = session.get(HostCalendar, host_id)
        if row is None:
            raise NotFound("This host has no calendar connected.")
        return row


def disconnect(db: Database, org_id: str, host_id: str) -> None:
    """Forget the calendar and the busy time it gave."""
    with db.write() as session:
        lookup.host(session, org_id, host_id)
        row = session.get(HostCalendar, host_id)
        if row is None:
            raise NotFound("This host has no calendar connected.")
        session.delete(row)
        _forget_busy(session, host_id)


def _forget_busy(session: Session, host_id: str) -> None:
    session.execute(
        delete(BusyBlock).where(BusyBlock.host_id == host_id, BusyBlock.source == CALENDAR_SOURCE)
    )
