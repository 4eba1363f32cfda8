"""The attendee's private page ``/manage/{token}``: the confirmation, and the place to
cancel the booking or move it to another time.

The token in the address is the only credential (see `rota.service.attendee`);
the page is sent with ``Referrer-Policy: no-referrer`` and ``noindex`` so the
address does not leak to other sites or search engines.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from rota import engine
from rota.api.auth import Db
from rota.service import attendee, booking_types, clock, hosts, orgs
from rota.service.errors import Conflict, NotFound
from rota.store.db import Database
from rota.store.tables import Booking
from rota.web import slot_picker
from rota.web.booking_page import render_picker, taken_message
from rota.web.templating import page, problem

router = APIRouter(prefix="/manage", include_in_schema=False)

PRIVATE = {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex", "Cache-Control": "no-store"}


def _private(response: Response) -> Response:
    response.headers.update(PRIVATE)
    return response


def gone(request: Request) -> Response:
    return _private(
        problem(
            request,
            404,
            "Booking not found",
            "This link does not lead to a booking. Check that you copied the whole link.",
        )
    )


def _show(
    request: Request, db: Database, booking: Booking, *, notice: str | None = None
) -> Response:
    names = hosts.host_names(db, booking.org_id)
    context = {
        "booking": booking,
        "org": orgs.get_org(db, booking.org_id),
        "timezone": booking.attendee_timezone or "UTC",
        "host_names": [names.get(h, "a former host") for h in booking.host_ids],
        "manage_url": str(request.url_for("manage", token=booking.manage_token)),
        "notice": notice,
    }
    return _private(page(request, "book/manage.html", context))


@router.get("/{token}", name="manage")
def manage(request: Request, token: str, db: Db) -> Response:
    try:
        booking = attendee.by_token(db, token)
    except NotFound:
        return gone(request)
    notice = None
    if request.query_params.get("booked"):
        notice = "You are booked. A confirmation is on its way to your email."
    elif request.query_params.get("moved"):
        notice = "Your booking has moved to the new time. This link stays yours to change it."
    return _show(request, db, booking, notice=notice)


@router.post("/{token}/cancel")
def cancel(
    request: Request, token: str, db: Db, reason: Annotated[str, Form(max_length=2000)] = ""
) -> Response:
    try:
        booking = attendee.cancel(db, token, reason.strip() or None)
    except NotFound:
        return gone(request)
    except Conflict:
        booking = attendee.by_token(db, token)
    return _show(request, db, booking, notice="Your booking is cancelled.")


def _move_picker(
    request: Request,
    db: Database,
    booking: Booking,
    choice: slot_picker.Choice,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    organization = orgs.get_org(db, booking.org_id)
    assert booking.booking_type is not None  # no manage link leads to a meeting
    row = booking_types.get_booking_type(db, booking.org_id, booking.booking_type.slug)
    base = f"/manage/{booking.manage_token}/move"
    extra = {
        "booking": booking,
        "moving": True,
        "details_title": "Move your booking here",
        "submit_text": "Move my booking to this time",
        "error": error,
    }
    response = render_picker(
        request,
        db,
        organization,
        row,
        choice,
        base=base,
        action=base,
        template="book/move.html",
        extra=extra,
        status_code=status_code,
    )
    return _private(response)


@router.get("/{token}/move")
def move_page(request: Request, token: str, db: Db) -> Response:
    try:
        booking = attendee.by_token(db, token)
        if booking.status != "confirmed":
            return _show(request, db, booking, notice="This booking is cancelled.")
        zone = booking.attendee_timezone or "UTC"
        choice = slot_picker.read_choice(request.query_params, clock.now(), zone)
        return _move_picker(request, db, booking, choice)
    except NotFound:
        return gone(request)


@router.post("/{token}/move")
def move(
    request: Request,
    token: str,
    db: Db,
    start: Annotated[str, Form()] = "",
    tz: Annotated[str, Form()] = "",
) -> Response:
    try:
        booking = attendee.by_token(db, token)
    except NotFound:
        return gone(request)
    choice = slot_picker.read_choice({"tz": tz, "start": start}, clock.now())
    if choice.start is None:
        return _move_picker(
            request, db, booking, choice, error="Pick a time first.", status_code=422
        )
    try:
        moved = attendee.reschedule(db, token, choice.start)
    except engine.SlotUnavailable:
        retry = slot_picker.Choice(choice.timezone, True, choice.month, choice.day)
        message = taken_message(request, choice.start, choice.timezone)
        return _move_picker(request, db, booking, retry, error=message, status_code=409)
    except Conflict:
        return _show(request, db, booking, notice="This booking is cancelled.")
    except NotFound:
        return gone(request)
    return RedirectResponse(f"/manage/{moved.manage_token}?moved=1", status_code=303)


@router.get("/{token}/booking.ics")
def calendar_file(request: Request, token: str, db: Db) -> Response:
    try:
        ics = attendee.calendar_file(db, token)
    except NotFound:
        return gone(request)
    headers = {**PRIVATE, "Content-Disposition": 'attachment; filename="booking.ics"'}
    return Response(ics, media_type="text/calendar; charset=utf-8", headers=headers)
