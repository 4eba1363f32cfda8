"""A host's own schedule in the Hub: working hours, time off (and handing over the
bookings it overlaps) and the calendar connection.

An admin changes any host's from the host's page; a member changes their own from
My schedule (`rota.web.hub_me`), never another's: each action's `OwnHost`
dependency refuses a member any host but theirs with a 403. The forms of My
schedule carry ``back=me`` so that an admin who is a host too comes back there.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response

from rota.api.auth import Db
from rota.api.routes.calendars import CalendarIn
from rota.calendars.secrets import box_from_env
from rota.outbound import UrlNotAllowed
from rota.service import bookings, calendars, hosts, reassign
from rota.service.errors import NotFound
from rota.store.db import Database
from rota.store.tables import Host, TimeOff
from rota.web import coverage, form_dates, form_errors, host_form, hub_hosts, hub_me
from rota.web.hub_access import OwnHost
from rota.web.hub_auth import Hub
from rota.web.hub_frame import not_found

router = APIRouter(prefix="/hub/hosts/{host_id}", include_in_schema=False)


async def _posted(request: Request) -> dict[str, str]:
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


Posted = Annotated[dict[str, str], Depends(_posted)]


def _on_my_page(hub: Hub, posted: dict[str, str]) -> bool:
    """Whether the answer is My schedule (a member always; an admin who came from it)
    rather than the admin's page of the host."""
    return not hub.is_admin or posted.get("back") == "me"


def _page(
    request: Request,
    db: Database,
    hub: Hub,
    host: Host,
    posted: dict[str, str],
    *,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    extra: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    if _on_my_page(hub, posted):
        return hub_me.schedule_page(
            request,
            db,
            hub,
            host,
            errors=errors,
            notice=notice,
            extra=extra,
            status_code=status_code,
        )
    return hub_hosts.editor(
        request,
        db,
        hub,
        host,
        errors=errors,
        notice=notice,
        extra=extra,
        status_code=status_code,
    )


def _back(hub: Hub, host_id: str, posted: dict[str, str], anchor: str) -> Response:
    target = "/hub/me" if _on_my_page(hub, posted) else f"/hub/hosts/{host_id}"
    saved = "?saved=1" if anchor == "hours" else ""
    return RedirectResponse(f"{target}{saved}#{anchor}", status_code=303)


def _host(db: Database, hub: Hub, host_id: str) -> Host | None:
    try:
        return hosts.get_host(db, hub.org_id, host_id)
    except NotFound:
        return None


@router.post("/hours")
def save_hours(request: Request, host_id: str, hub: OwnHost, db: Db, posted: Posted) -> Response:
    """The host's timezone, working hours and date overrides (not their name or email,
    which an admin keeps)."""
    host = _host(db, hub, host_id)
    if host is None:
        return not_found(request, "Host")
    fields, errors = host_form.host_fields({**posted, "name": host.name, "email": host.email})
    if errors:
        form = {**posted, "name": host.name, "email": host.email}
        extra = {"form": form}
        return _page(request, db, hub, host, posted, errors=errors, extra=extra, status_code=422)
    changes = {k: fields[k] for k in ("timezone", "working_hours", "date_overrides")}
    hosts.update_host(db, hub.org_id, host_id, changes)
    return _back(hub, host_id, posted, "hours")


@router.post("/time-off")
def add_time_off(
    request: Request,
    host_id: str,
    hub: OwnHost,
    db: Db,
    posted: Posted,
    start: Annotated[str, Form()] = "",
    end: Annotated[str, Form()] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """`start` and `end` are wall-clock times in the host's timezone. Bookings the time
    off overlaps stay; the page names them and offers to hand them over."""
    host = _host(db, hub, host_id)
    if host is None:
        return not_found(request, "Host")
    begins = form_dates.local_time(start, host.timezone)
    ends = form_dates.local_time(end, host.timezone)
    if begins is None or ends is None or ends <= begins:
        error = "Give the time off a start and an end after it."
        typed = {"time_off_form": {"start": start, "end": end, "reason": reason}}
        return _page(
            request, db, hub, host, posted, errors={"time_off": error}, extra=typed, status_code=422
        )
    added = hosts.add_time_off(
        db, hub.org_id, host_id, start=begins, end=ends, reason=reason.strip() or None
    )
    if not added.conflicts:
        return _back(hub, host_id, posted, "time-off")
    conflicts = {
        "item": added.time_off,
        "bookings": [bookings.get_booking(db, hub.org_id, b) for b in added.conflicts],
    }
    notice = "Time off added. The bookings in it stay with the host until handed over, below."
    return _page(request, db, hub, host, posted, notice=notice, extra={"conflicts": conflicts})


@router.post("/time-off/{item_id}/delete")
def delete_time_off(
    request: Request, host_id: str, item_id: str, hub: OwnHost, db: Db, posted: Posted
) -> Response:
    try:
        hosts.delete_span(db, hub.org_id, host_id, TimeOff, item_id)
    except NotFound:
        return not_found(request, "Time off")
    return _back(hub, host_id, posted, "time-off")


@router.post("/time-off/{item_id}/hand-over")
def hand_over_time_off(
    request: Request, host_id: str, item_id: str, hub: OwnHost, db: Db, posted: Posted
) -> Response:
    """Hand over every booking the time off overlaps, each to the next fair host."""
    host = _host(db, hub, host_id)
    if host is None:
        return not_found(request, "Host")
    try:
        ids = hosts.time_off_conflicts(db, hub.org_id, host_id, item_id)
    except NotFound:
        return not_found(request, "Time off")
    reason = posted.get("reason", "").strip()[:2000] or "time off"
    outcome = reassign.hand_over(db, hub.org_id, host_id, ids, reason, actor=hub.actor)
    extra = {"coverage": coverage.summary(db, hub.org_id, outcome)}
    return _page(request, db, hub, host, posted, extra=extra)


@router.post("/calendar")
def connect_calendar(
    request: Request, host_id: str, hub: OwnHost, db: Db, posted: Posted
) -> Response:
    """Connect the host's calendar with their own address and, for CalDAV, their own
    username and password (stored encrypted, never shown again)."""
    host = _host(db, hub, host_id)
    if host is None:
        return not_found(request, "Host")
    kind = posted.get("kind", "")
    fields = {
        "kind": kind,
        "url": posted.get("url", "").strip(),
        "username": (posted.get("username", "").strip() or None) if kind == "caldav" else None,
        "password": (posted.get("password", "") or None) if kind == "caldav" else None,
    }
    error = None
    try:
        checked = CalendarIn.model_validate(fields)
        settings = calendars.CalendarSettings(
            checked.kind, checked.url, checked.username, checked.password
        )
        calendars.connect(db, hub.org_id, host_id, settings, box=box_from_env())
    except ValidationError as invalid:
        error = " ".join(form_errors.in_words(p) for p in invalid.errors())
    except UrlNotAllowed as refused:
        error = f"Rota may not reach that address: {refused}."
    if error is not None:
        extra = {"calendar_form": {k: v for k, v in fields.items() if k != "password"}}
        errors = {"calendar": error}
        return _page(request, db, hub, host, posted, errors=errors, extra=extra, status_code=422)
    return _back(hub, host_id, posted, "calendar")


@router.post("/calendar/delete")
def disconnect_calendar(
    request: Request, host_id: str, hub: OwnHost, db: Db, posted: Posted
) -> Response:
    try:
        calendars.disconnect(db, hub.org_id, host_id)
    except NotFound:
        return not_found(request, "Calendar")
    return _back(hub, host_id, posted, "calendar")
