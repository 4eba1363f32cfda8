"""A host's own pages in the Hub: My schedule, My bookings (handing one over) and
I'm out (a range of days: who would take each booking, then time off and the
hand-over in one step).

Every page here works on the signed-in person's own host (`Hub.host_id`, through
`AsHost`) and never on a host named in the request; a booking named in the
address must be one they hold, else a 403. The schedule's actions are
`rota.web.hub_schedule`'s, shared with admins.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from rota.api.auth import Db
from rota.engine import RoutingError
from rota.service import bookings, hosts, reassign
from rota.service.errors import NotFound, ServiceError
from rota.store.db import Database
from rota.store.tables import Booking, Host
from rota.web import coverage, host_form, hub_hosts
from rota.web.hub_access import AsHost, Forbidden
from rota.web.hub_auth import Hub
from rota.web.hub_frame import hub_page, refused

router = APIRouter(prefix="/hub/me", include_in_schema=False)

UPCOMING = 100
PAST = 25


def _own_host(db: Database, hub: Hub) -> Host:
    try:
        return hosts.get_host(db, hub.org_id, hub.host_id or "")
    except NotFound:
        raise Forbidden(
            "The host your user is tied to was removed from the team; ask an admin."
        ) from None


def schedule_page(
    request: Request,
    db: Database,
    hub: Hub,
    host: Host,
    *,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    extra: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "host": host,
        "form": hub_hosts.form_of(host),
        "errors": errors or {},
        "notice": notice,
        "day_names": host_form.DAY_NAMES,
        "base": f"/hub/hosts/{host.id}",
        "back": "me",
        **hub_hosts.schedule_context(db, hub, host),
        **(extra or {}),
    }
    context["zone_choices"] = hub_hosts.zone_field(request, context["form"].get("timezone", ""))
    return hub_page(request, db, hub, "hub/me.html", context, section="me", status_code=status_code)


@router.get("")
def my_schedule(request: Request, hub: AsHost, db: Db) -> Response:
    host = _own_host(db, hub)
    notice = "Saved." if request.query_params.get("saved") else None
    return schedule_page(request, db, hub, host, notice=notice)


def _my_bookings(
    request: Request,
    db: Database,
    hub: Hub,
    *,
    notice: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    host = _own_host(db, hub)
    now = datetime.now(UTC)
    upcoming = bookings.list_bookings(
        db, hub.org_id, host_id=host.id, status="confirmed", start=now, limit=UPCOMING
    )
    past = bookings.list_bookings(
        db, hub.org_id, host_id=host.id, end=now, limit=PAST, newest_first=True
    )
    context = {
        "upcoming": upcoming.bookings,
        "more": upcoming.next_cursor is not None,
        "past": past.bookings,
        "names": hosts.host_names(db, hub.org_id),
        "notice": notice,
        "error": error,
    }
    return hub_page(
        request,
        db,
        hub,
        "hub/my_bookings.html",
        context,
        section="my-bookings",
        status_code=status_code,
    )


@router.get("/bookings")
def my_bookings(request: Request, hub: AsHost, db: Db) -> Response:
    """Upcoming first (soonest at the top), then the latest past ones."""
    notice = None
    if handed := request.query_params.get("handed_over"):
        notice = _handed_notice(db, hub, handed)
    return _my_bookings(request, db, hub, notice=notice)


def _handed_notice(db: Database, hub: Hub, booking_id: str) -> str | None:
    try:
        booking = bookings.get_booking(db, hub.org_id, booking_id)
    except NotFound:
        return None
    if hub.host_id in booking.host_ids:
        return None
    names = hosts.host_names(db, hub.org_id)
    now = ", ".join(names.get(h, h) for h in booking.host_ids)
    return f"Handed over: {_title(booking)} is now hosted by {now}."


def _title(booking: Booking) -> str:
    kind = booking.booking_type
    what = kind.title if kind else booking.title or "Meeting"
    return f"{what} with {booking.attendee_name}" if booking.attendee_name else what


def _held(db: Database, hub: Hub, booking_id: str) -> Booking:
    """The booking if the signed-in host holds it; a 403 otherwise (whether it is
    someone else's or nobody's: the answer tells nothing about other bookings)."""
    try:
        booking = bookings.get_booking(db, hub.org_id, booking_id)
    except NotFound:
        booking = None
    if booking is None or hub.host_id not in booking.host_ids:
        raise Forbidden("You can hand over only a booking you host.")
    return booking


@router.post("/bookings/{booking_id}/hand-over")
def hand_over(
    request: Request,
    booking_id: str,
    hub: AsHost,
    db: Db,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Hand one's own booking to the next fair host of its pool (an auto reassign)."""
    _held(db, hub, booking_id)
    try:
        reassign.reassign(
            db,
            hub.org_id,
            booking_id,
            to_host_id=None,
            from_host_id=hub.host_id,
            reason=reason.strip() or None,
            actor=hub.actor,
        )
    except (ServiceError, RoutingError) as refusal:
        status, message = refused(refusal)
        return _my_bookings(request, db, hub, error=message, status_code=status)
    return RedirectResponse(f"/hub/me/bookings?handed_over={booking_id}", status_code=303)


def _out_page(
    request: Request,
    db: Database,
    hub: Hub,
    host: Host,
    context: dict[str, Any],
    status_code: int = 200,
) -> Response:
    context = {"host": host, "errors": {}, "asked": {}, **context}
    return hub_page(
        request, db, hub, "hub/out.html", context, section="out", status_code=status_code
    )


@router.get("/out")
def out_form(request: Request, hub: AsHost, db: Db) -> Response:
    return _out_page(request, db, hub, _own_host(db, hub), {})


@router.post("/out")
def out(
    request: Request,
    hub: AsHost,
    db: Db,
    start: Annotated[str, Form()] = "",
    end: Annotated[str, Form()] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    step: Annotated[str, Form()] = "",
) -> Response:
    """`step` ``preview``: who would take each of one's bookings on those days (a dry
    run, nothing changes). Otherwise (the preview's Confirm): time off over the days
    and the bookings handed over, in one step (``time_off`` of the coverage use case)."""
    host = _own_host(db, hub)
    asked = {"start": start, "end": end, "reason": reason}
    span = coverage.days(host, start, end)
    if span is None or span.over:
        why = coverage.DAYS_NEEDED if span is None else coverage.DAYS_OVER
        refused = {"asked": asked, "errors": {"days": why}}
        return _out_page(request, db, hub, host, refused, status_code=422)
    outcome = reassign.reassign_host_bookings(
        db,
        hub.org_id,
        host.id,
        span.start,
        span.end,
        reason.strip() or "out",
        actor=hub.actor,
        time_off=True,
        dry_run=step == "preview",
    )
    context: dict[str, Any]
    if step == "preview":
        context = {"asked": asked, "preview": coverage.preview(db, hub.org_id, outcome)}
    else:
        context = {"done": span, "coverage": coverage.summary(db, hub.org_id, outcome)}
    return _out_page(request, db, hub, host, context)
