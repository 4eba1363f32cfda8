"""The Hub's hosts: their details and hours, time off, and the coverage swap (move
every team booking of a host over some days to the next fair hosts, in one click)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from rota.api.auth import Db
from rota.service import bookings, hosts, reassign
from rota.service.errors import NotFound, ServiceError
from rota.store.db import Database
from rota.store.tables import Host, TimeOff
from rota.web import form_dates, host_form
from rota.web.hub_auth import Hub, SignedIn
from rota.web.hub_frame import hub_page, not_found

router = APIRouter(prefix="/hub/hosts", include_in_schema=False)


@router.get("")
def host_list(request: Request, hub: SignedIn, db: Db) -> Response:
    context = {"people": hosts.list_hosts(db, hub.org_id)}
    return hub_page(request, db, hub, "hub/hosts.html", context, section="hosts")


def _form_of(host: Host | None) -> dict[str, str]:
    if host is None:
        hours = host_form.hours_by_day(
            [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"}]
        )
        return {"timezone": "UTC", **{f"hours_{d}": v for d, v in hours.items()}}
    hours = host_form.hours_by_day(host.working_hours)
    return {
        "name": host.name,
        "email": host.email,
        "timezone": host.timezone,
        "date_overrides": host_form.overrides_text(host.date_overrides),
        **{f"hours_{day}": text for day, text in hours.items()},
    }


def _editor(
    request: Request,
    db: Database,
    hub: Hub,
    host: Host | None,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    coverage: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "host": host,
        "form": form or _form_of(host),
        "errors": errors or {},
        "notice": notice,
        "day_names": host_form.DAY_NAMES,
        "time_off": hosts.list_spans(db, hub.org_id, host.id, TimeOff) if host else [],
        "coverage": coverage,
    }
    return hub_page(
        request, db, hub, "hub/host.html", context, section="hosts", status_code=status_code
    )


@router.get("/new")
def new_host(request: Request, hub: SignedIn, db: Db) -> Response:
    return _editor(request, db, hub, None)


async def _posted(request: Request) -> dict[str, str]:
    """The host form's many fields (one per weekday) as one mapping."""
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


Posted = Annotated[dict[str, str], Depends(_posted)]


@router.post("")
def create_host(request: Request, hub: SignedIn, db: Db, form: Posted) -> Response:
    fields, errors = host_form.host_fields(form)
    if errors:
        return _editor(request, db, hub, None, form=form, errors=errors, status_code=422)
    host = hosts.create_host(db, hub.org_id, **fields)
    return RedirectResponse(f"/hub/hosts/{host.id}?saved=1", status_code=303)


@router.get("/{host_id}")
def host_page(request: Request, host_id: str, hub: SignedIn, db: Db) -> Response:
    try:
        host = hosts.get_host(db, hub.org_id, host_id)
    except NotFound:
        return not_found(request, "Host")
    notice = "Saved." if request.query_params.get("saved") else None
    return _editor(request, db, hub, host, notice=notice)


@router.post("/{host_id}")
def update_host(request: Request, host_id: str, hub: SignedIn, db: Db, form: Posted) -> Response:
    try:
        host = hosts.get_host(db, hub.org_id, host_id)
    except NotFound:
        return not_found(request, "Host")
    fields, errors = host_form.host_fields(form)
    if errors:
        return _editor(request, db, hub, host, form=form, errors=errors, status_code=422)
    hosts.update_host(db, hub.org_id, host_id, fields)
    return RedirectResponse(f"/hub/hosts/{host_id}?saved=1", status_code=303)


@router.post("/{host_id}/time-off")
def add_time_off(
    request: Request,
    host_id: str,
    hub: SignedIn,
    db: Db,
    start: Annotated[str, Form()] = "",
    end: Annotated[str, Form()] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """`start` and `end` are wall-clock times in the host's timezone."""
    try:
        host = hosts.get_host(db, hub.org_id, host_id)
    except NotFound:
        return not_found(request, "Host")
    begins = form_dates.local_time(start, host.timezone)
    ends = form_dates.local_time(end, host.timezone)
    if begins is None or ends is None or ends <= begins:
        error = "Give the time off a start and an end after it."
        return _editor(request, db, hub, host, errors={"time_off": error}, status_code=422)
    hosts.add_span(
        db, hub.org_id, host_id, TimeOff, start=begins, end=ends, label=reason.strip() or None
    )
    return RedirectResponse(f"/hub/hosts/{host_id}#time-off", status_code=303)


@router.post("/{host_id}/time-off/{item_id}/delete")
def delete_time_off(
    request: Request, host_id: str, item_id: str, hub: SignedIn, db: Db
) -> Response:
    try:
        hosts.delete_span(db, hub.org_id, host_id, TimeOff, item_id)
    except NotFound:
        return not_found(request, "Time off")
    return RedirectResponse(f"/hub/hosts/{host_id}#time-off", status_code=303)


def _summary(db: Database, hub: Hub, outcome: reassign.HostReassignment) -> dict[str, Any]:
    failed = []
    for failure in outcome.failed:
        try:
            booking = bookings.get_booking(db, hub.org_id, failure.booking_id)
        except ServiceError:
            continue
        failed.append({"booking": booking, "why": failure.error.message})
    moves = [{"booking": b, "entry": b.history[-1]} for b in outcome.reassigned]
    return {"moved": moves, "failed": failed, "names": hosts.host_names(db, hub.org_id)}


@router.post("/{host_id}/reassign-bookings")
def coverage_swap(
    request: Request,
    host_id: str,
    hub: SignedIn,
    db: Db,
    start: Annotated[str, Form()] = "",
    end: Annotated[str, Form()] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Days from `start` to `end` (both included) on the host's own calendar."""
    try:
        host = hosts.get_host(db, hub.org_id, host_id)
    except NotFound:
        return not_found(request, "Host")
    first, last = form_dates.day(start), form_dates.day(end)
    if first is None or last is None or last < first:
        error = "Give the first and the last day, the last on or after the first."
        return _editor(request, db, hub, host, errors={"coverage": error}, status_code=422)
    zone = ZoneInfo(host.timezone)
    outcome = reassign.reassign_host_bookings(
        db,
        hub.org_id,
        host_id,
        datetime.combine(first, time(), zone),
        datetime.combine(last + timedelta(days=1), time(), zone),
        reason.strip() or None,
        actor=hub.actor,
    )
    return _editor(request, db, hub, host, coverage=_summary(db, hub, outcome))
