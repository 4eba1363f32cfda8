"""The Hub's hosts, for admins: their details and hours, and the coverage swap (move
every team booking of a host over some days to the next fair hosts, with a preview
first and, if asked, time off that blocks the host). The actions a host may also
take on their own schedule (time off, calendar) are `rota.web.hub_schedule`'s."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from rota.api.auth import Db
from rota.service import calendars, clock, hosts, reassign
from rota.service.errors import NotFound
from rota.store.db import Database
from rota.store.tables import Host, HostCalendar, TimeOff
from rota.web import coverage, host_form
from rota.web.hub_access import Admin
from rota.web.hub_auth import Hub
from rota.web.hub_frame import hub_page, not_found
from rota.web.templating import request_locale
from rota.web.zone_picker import Zone, zone_choices

router = APIRouter(prefix="/hub/hosts", include_in_schema=False)


@router.get("")
def host_list(request: Request, hub: Admin, db: Db) -> Response:
    context = {"people": hosts.list_hosts(db, hub.org_id)}
    return hub_page(request, db, hub, "hub/hosts.html", context, section="hosts")


def form_of(host: Host | None) -> dict[str, str]:
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


def editor(
    request: Request,
    db: Database,
    hub: Hub,
    host: Host | None,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    extra: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    """The admin's page of a host (or of a new one); `extra` adds to its context (the
    coverage swap's preview or outcome, time off's conflicts, the calendar form)."""
    context: dict[str, Any] = {
        "host": host,
        "form": form or form_of(host),
        "errors": errors or {},
        "notice": notice,
        "day_names": host_form.DAY_NAMES,
        "base": f"/hub/hosts/{host.id}" if host else "/hub/hosts",
        **(schedule_context(db, hub, host) if host else {}),
        **(extra or {}),
    }
    context["zone_choices"] = zone_field(request, context["form"].get("timezone", ""))
    return hub_page(
        request, db, hub, "hub/host.html", context, section="hosts", status_code=status_code
    )


def zone_field(request: Request, current: str) -> list[Zone]:
    """The zones of a host form's timezone field (`current` selected), as the booking
    pages' picker offers them ("(UTC\u221205:00) New York"), each option's value its
    IANA name, the value stored."""
    return zone_choices(clock.now(), request_locale(request), current)


def schedule_context(db: Database, hub: Hub, host: Host) -> dict[str, Any]:
    """What the pages of a host's schedule show besides the form: time off, calendar."""
    try:
        calendar: HostCalendar | None = calendars.get(db, hub.org_id, host.id)
    except NotFound:
        calendar = None
    return {
        "time_off": hosts.list_spans(db, hub.org_id, host.id, TimeOff),
        "calendar": calendar,
    }


@router.get("/new")
def new_host(request: Request, hub: Admin, db: Db) -> Response:
    return editor(request, db, hub, None)


async def _posted(request: Request) -> dict[str, str]:
    """The host form's many fields (one per weekday) as one mapping."""
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


Posted = Annotated[dict[str, str], Depends(_posted)]


@router.post("")
def create_host(request: Request, hub: Admin, db: Db, form: Posted) -> Response:
    fields, errors = host_form.host_fields(form)
    if errors:
        return editor(request, db, hub, None, form=form, errors=errors, status_code=422)
    host = hosts.create_host(db, hub.org_id, **fields)
    return RedirectResponse(f"/hub/hosts/{host.id}?saved=1", status_code=303)


@router.get("/{host_id}")
def host_page(request: Request, host_id: str, hub: Admin, db: Db) -> Response:
    try:
        host = hosts.get_host(db, hub.org_id, host_id)
    except NotFound:
        return not_found(request, "Host")
    notice = "Saved." if request.query_params.get("saved") else None
    return editor(request, db, hub, host, notice=notice)


@router.post("/{host_id}")
def update_host(request: Request, host_id: str, hub: Admin, db: Db, form: Posted) -> Response:
    try:
        host = hosts.get_host(db, hub.org_id, host_id)
    except NotFound:
        return not_found(request, "Host")
    fields, errors = host_form.host_fields(form)
    if errors:
        return editor(request, db, hub, host, form=form, errors=errors, status_code=422)
    hosts.update_host(db, hub.org_id, host_id, fields)
    return RedirectResponse(f"/hub/hosts/{host_id}?saved=1", status_code=303)


@router.post("/{host_id}/reassign-bookings")
def coverage_swap(
    request: Request,
    host_id: str,
    hub: Admin,
    db: Db,
    start: Annotated[str, Form()] = "",
    end: Annotated[str, Form()] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    block: Annotated[str, Form()] = "",
    step: Annotated[str, Form()] = "",
) -> Response:
    """Days from `start` to `end` (both included) on the host's own calendar. `step`
    ``preview`` shows who would take each booking and changes nothing; otherwise the
    bookings move. `block` adds time off over the days first."""
    try:
        host = hosts.get_host(db, hub.org_id, host_id)
    except NotFound:
        return not_found(request, "Host")
    asked = {"start": start, "end": end, "reason": reason, "block": block}
    span = coverage.days(host, start, end)
    if span is None or span.over:
        errors = {"coverage": coverage.DAYS_NEEDED if span is None else coverage.DAYS_OVER}
        extra = {"asked": asked}
        return editor(request, db, hub, host, errors=errors, extra=extra, status_code=422)
    outcome = reassign.reassign_host_bookings(
        db,
        hub.org_id,
        host_id,
        span.start,
        span.end,
        reason.strip() or None,
        actor=hub.actor,
        time_off=bool(block),
        dry_run=step == "preview",
    )
    if step == "preview":
        extra = {"asked": asked, "preview": coverage.preview(db, hub.org_id, outcome)}
    else:
        extra = {"coverage": coverage.summary(db, hub.org_id, outcome)}
    return editor(request, db, hub, host, extra=extra)
