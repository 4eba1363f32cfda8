"""The Hub's bookings: the filtered table, a booking's page, and reassigning,
rescheduling or cancelling it.

Reassigning goes through `rota.service.reassign` (the use case behind
``POST /v1/bookings/{id}/reassign``); the choices offered beforehand come from
`rota.service.reassign_options`, which asks the engine the same question, so a
host shown free is one the reassign accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from rota.api.auth import Db
from rota.api.routes.messages import MessageOut
from rota.engine import RoutingError
from rota.service import (
    booking_search,
    booking_types,
    bookings,
    hosts,
    reassign,
    reassign_options,
    reschedule,
    subscriptions,
    visibility,
)
from rota.service.errors import NotFound, ServiceError
from rota.store.db import Database
from rota.store.tables import Booking
from rota.web import form_dates, reassign_preview
from rota.web.hub_access import Admin, Forbidden
from rota.web.hub_auth import Hub, SignedIn
from rota.web.hub_frame import hub_page, not_found, refused

router = APIRouter(prefix="/hub", include_in_schema=False)

PAGE_SIZE = 25


@dataclass(frozen=True, slots=True)
class View:
    """One of the table's views: which bookings, in which order, as said above it."""

    label: str
    status: str | None
    ended: bool | None
    newest_first: bool
    order: str


VIEWS = {
    "upcoming": View("Upcoming", "confirmed", False, False, "soonest first"),
    "past": View("Past", "confirmed", True, True, "latest first"),
    "cancelled": View("Cancelled", "cancelled", None, True, "latest first"),
    "all": View("All", None, None, True, "latest first"),
}
"""The table opens on the first: what is coming is what a person looks for."""
FIRST_VIEW = "upcoming"


@router.get("")
@router.get("/")
def hub_home(_hub: SignedIn) -> Response:
    return RedirectResponse("/hub/bookings", status_code=303)


def _local_midnight(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(), ZoneInfo(zone))


@router.get("/bookings")
def bookings_table(
    request: Request,
    hub: SignedIn,
    db: Db,
    show: str = FIRST_VIEW,
    q: str = "",
    booking_type: str = "",
    host_id: str = "",
    start: str = "",
    end: str = "",
    cursor: str = "",
) -> Response:
    """A view (`VIEWS`, upcoming by default), narrowed by the text searched for
    (attendee, meeting title or guest), type, host and a date range in the Hub's
    timezone that includes both days. A member sees the bookings of the types whose
    pool they are in and those they host (`visibility`)."""
    seen_by = None if hub.is_admin else hub.host_id or ""
    types = (
        booking_types.list_booking_types(db, hub.org_id)
        if seen_by is None
        else visibility.pool_types(db, hub.org_id, seen_by)
    )
    pools = {member.host_id for t in types for member in t.pool}
    if booking_type and booking_type not in {t.slug for t in types} and seen_by is not None:
        raise Forbidden("You see the bookings of the booking types whose pool you are in.")
    show = show if show in VIEWS else FIRST_VIEW
    view = VIEWS[show]
    search = q.strip()[: booking_search.MAX_SEARCH]
    first, last = form_dates.day(start), form_dates.day(end)
    filters = {
        "show": show,
        "q": search,
        "booking_type": booking_type,
        "host_id": host_id,
        "start": first.isoformat() if first else "",
        "end": last.isoformat() if last else "",
    }
    unreadable = bool((start and first is None) or (end and last is None))
    error = form_dates.DAYS_ARE if unreadable else None
    try:
        found = bookings.list_bookings(
            db,
            hub.org_id,
            booking_type=booking_type or None,
            host_id=host_id or None,
            status=view.status,
            ended=view.ended,
            search=search or None,
            start=_local_midnight(first, hub.timezone) if first else None,
            end=_local_midnight(last + timedelta(days=1), hub.timezone) if last else None,
            limit=PAGE_SIZE,
            cursor=cursor or None,
            newest_first=view.newest_first,
            seen_by_host=seen_by,
        )
    except ServiceError as refusal:
        error, found = refusal.message, bookings.Page([], None)
    given = {k: v for k, v in filters.items() if v and (k, v) != ("show", FIRST_VIEW)}
    context: dict[str, Any] = {
        "filters": filters,
        "views": VIEWS,
        "view": view,
        "error": error,
        "rows": found.bookings,
        "types": types,
        "people": [h for h in hosts.list_hosts(db, hub.org_id) if seen_by is None or h.id in pools],
        "names": hosts.host_names(db, hub.org_id),
        "next_page": f"/hub/bookings?{urlencode({**given, 'cursor': found.next_cursor})}"
        if found.next_cursor
        else None,
        "first_page": f"/hub/bookings?{urlencode(given)}" if cursor else None,
        "in_all": f"/hub/bookings?{urlencode({**given, 'show': 'all'})}",
    }
    return hub_page(
        request,
        db,
        hub,
        "hub/bookings.html",
        context,
        section="bookings",
        status_code=422 if unreadable else 200,
    )


def _notice(booking: Booking, names: dict[str, str]) -> str | None:
    last = booking.history[-1] if booking.history else None
    if last is not None and last.action == "rescheduled":
        return "Rescheduled: everyone is sent the new time."
    if last is not None and last.action == "cancelled":
        return "Cancelled: everyone is told."
    if last is None or last.action != "reassigned":
        return None
    now_hosting = ", ".join(names.get(h, h) for h in booking.host_ids)
    left = ", ".join(names.get(h, h) for h in last.from_host_ids or [])
    return f"Reassigned: {left} handed over. Now hosted by {now_hosting}."


def booking_page(
    request: Request,
    db: Database,
    hub: Hub,
    booking_id: str,
    *,
    notice: str | None = None,
    error: str | None = None,
    form: dict[str, str] | None = None,
    preview: bool = False,
    status_code: int = 200,
) -> Response:
    """The booking's page; with `preview`, what the reassign chosen in `form` would do,
    to be confirmed."""
    try:
        booking = bookings.get_booking(db, hub.org_id, booking_id)
        leaving = (form or {}).get("from_host_id") or None
        options = reassign_options.reassign_options(
            db, hub.org_id, booking_id, from_host_id=leaving
        )
        sent = subscriptions.booking_messages(db, hub.org_id, booking_id)
    except NotFound:
        return not_found(request, "Booking")
    names = hosts.host_names(db, hub.org_id)
    chosen = (form or {}).get("to_host") or "auto"
    context = {
        "booking": booking,
        "names": names,
        "options": options,
        "preview": reassign_preview.preview(booking, options, chosen, names)
        if preview and options.team
        else None,
        "invites": [MessageOut.of(m) for m in sent if m.kind == "email"],
        "notice": notice,
        "error": error,
        "form": form or {},
    }
    return hub_page(
        request, db, hub, "hub/booking.html", context, section="bookings", status_code=status_code
    )


def check_seen(db: Database, hub: Hub, booking_id: str) -> None:
    """A member may open a booking of a type whose pool they are in, or one they host;
    another is a 403 (a booking of no organization's is left to the page's 404)."""
    if hub.is_admin:
        return
    try:
        seen = visibility.may_see(db, hub.org_id, hub.host_id or "", booking_id)
    except NotFound:
        return
    if not seen:
        raise Forbidden("This booking is of a booking type whose pool you are not in.")


@router.get("/bookings/{booking_id}")
def booking_detail(request: Request, booking_id: str, hub: SignedIn, db: Db) -> Response:
    check_seen(db, hub, booking_id)
    notice = None
    if request.query_params.get("retried"):
        notice = "The invite is queued again; it is sent within a minute."
    if request.query_params.get("changed"):
        try:
            booking = bookings.get_booking(db, hub.org_id, booking_id)
        except NotFound:
            return not_found(request, "Booking")
        notice = _notice(booking, hosts.host_names(db, hub.org_id))
    return booking_page(request, db, hub, booking_id, notice=notice)


@router.post("/bookings/{booking_id}/messages/{message_id}/retry")
def retry_message(
    request: Request, booking_id: str, message_id: str, hub: Admin, db: Db
) -> Response:
    """Send a failed invite again (`subscriptions.retry_message`, as the API does)."""
    try:
        subscriptions.retry_message(db, hub.org_id, booking_id, message_id)
    except NotFound:
        return not_found(request, "Message")
    except ServiceError as refusal:
        status, message = refused(refusal)
        return booking_page(request, db, hub, booking_id, error=message, status_code=status)
    return RedirectResponse(f"/hub/bookings/{booking_id}?retried=1", status_code=303)


@router.post("/bookings/{booking_id}/reassign")
def reassign_booking(
    request: Request,
    booking_id: str,
    hub: Admin,
    db: Db,
    to_host: Annotated[str, Form(max_length=100)] = "auto",
    from_host_id: Annotated[str, Form(max_length=100)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    step: Annotated[str, Form(max_length=20)] = "",
    expect: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """``to_host`` is ``auto`` (the next fair host) or the id of a host of the pool.
    Nothing moves until ``step`` is ``confirm``: before, the page says who would take
    the booking and who is told, and asks to confirm. ``expect`` is the host an
    automatic choice was shown to pick; if fairness now picks another, the page shows
    the new outcome instead of moving the booking to someone nobody saw."""
    form = {"to_host": to_host, "from_host_id": from_host_id, "reason": reason}
    if step != "confirm":
        return booking_page(request, db, hub, booking_id, form=form, preview=True)
    if to_host == "auto":
        try:
            now = reassign_options.reassign_options(
                db, hub.org_id, booking_id, from_host_id=from_host_id or None
            )
        except NotFound:
            return not_found(request, "Booking")
        # A booking that can no longer move (cancelled meanwhile) is refused below.
        if now.team and now.next_fair_host_id != (expect or None):
            error = "The next fair host has changed since you looked: check who it is now."
            return booking_page(
                request, db, hub, booking_id, error=error, form=form, preview=True, status_code=409
            )
    try:
        reassign.reassign(
            db,
            hub.org_id,
            booking_id,
            to_host_id=None if to_host == "auto" else to_host,
            from_host_id=from_host_id or None,
            reason=reason.strip() or None,
            actor=hub.actor,
        )
    except NotFound:
        return not_found(request, "Booking")
    except (ServiceError, RoutingError) as refusal:
        status, message = refused(refusal)
        return booking_page(
            request, db, hub, booking_id, error=message, form=form, status_code=status
        )
    return RedirectResponse(f"/hub/bookings/{booking_id}?changed=1", status_code=303)


def _local_start(text: str, zone: str) -> datetime | None:
    """A ``datetime-local`` field's value (``2026-12-08T15:00``) as an instant in ``zone``."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        return None
    return moment.replace(tzinfo=ZoneInfo(zone))


@router.post("/bookings/{booking_id}/reschedule")
def reschedule_booking(
    request: Request,
    booking_id: str,
    hub: Admin,
    db: Db,
    start: Annotated[str, Form(max_length=40)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """``start`` is a wall-clock time in the Hub's zone (a ``datetime-local`` field)."""
    form = {"start": start, "reschedule_reason": reason}
    moment = _local_start(start, hub.timezone)
    if moment is None:
        error = "Give the new start as a date and a time."
        return booking_page(request, db, hub, booking_id, error=error, form=form, status_code=422)
    try:
        reschedule.reschedule(
            db, hub.org_id, booking_id, start=moment, reason=reason.strip() or None, actor=hub.actor
        )
    except NotFound:
        return not_found(request, "Booking")
    except (ServiceError, RoutingError) as refusal:
        status, message = refused(refusal)
        return booking_page(
            request, db, hub, booking_id, error=message, form=form, status_code=status
        )
    return RedirectResponse(f"/hub/bookings/{booking_id}?changed=1", status_code=303)


@router.post("/bookings/{booking_id}/cancel")
def cancel_booking(
    request: Request,
    booking_id: str,
    hub: Admin,
    db: Db,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        bookings.cancel(db, hub.org_id, booking_id, reason.strip() or None, actor=hub.actor)
    except NotFound:
        return not_found(request, "Booking")
    except ServiceError as refusal:
        status, message = refused(refusal)
        return booking_page(request, db, hub, booking_id, error=message, status_code=status)
    return RedirectResponse(f"/hub/bookings/{booking_id}?changed=1", status_code=303)
