"""The Hub's Find a Time: pick who must come and who may, a length and a week, see the
week's grid of who is free, click a time, give a title and guests, and book the meeting.

Who is free comes from the same use case as ``POST /v1/find-a-time``, and the meeting
is booked through the same one as ``POST /v1/meetings`` after the same checks as its
body (`rota.api.routes.meetings.MeetingIn`), so the Hub books nothing the API would
refuse, and a time taken meanwhile is refused as it is there. Times are in the
session's timezone; on a narrow screen the grid gives way to each day's bookable times,
one day under another.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from email.utils import parseaddr
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response

from rota import engine
from rota.api.auth import Db
from rota.api.routes.find_a_time import PEOPLE
from rota.api.routes.meetings import MeetingIn
from rota.service import find_a_time, hosts, meetings
from rota.service.errors import Invalid, ServiceError
from rota.store.db import Database
from rota.web import form_dates, form_errors, week_grid
from rota.web.hub_access import Admin
from rota.web.hub_auth import Hub
from rota.web.hub_frame import hub_page, refused

router = APIRouter(prefix="/hub/find-a-time", include_in_schema=False)

LENGTHS = (15, 30, 45, 60, 90, 120)
FIELDS = {"title": "title", "attendees": "guests", "description": "description"}
"""The form's field for each field of the API's body (others: the time picked)."""


@router.get("")
def find_a_time_page(request: Request, hub: Admin, db: Db) -> Response:
    query = request.query_params
    choice = {
        "need": query.getlist("need"),
        "want": query.getlist("want"),
        "minutes": query.get("minutes", ""),
        "week": query.get("week", ""),
        "at": query.get("at", ""),
    }
    return _page(request, db, hub, choice)


@router.post("/book")
def book(
    request: Request,
    hub: Admin,
    db: Db,
    at: Annotated[str, Form(max_length=100)] = "",
    title: Annotated[str, Form(max_length=1000)] = "",
    guests: Annotated[str, Form(max_length=20000)] = "",
    description: Annotated[str, Form(max_length=5000)] = "",
    minutes: Annotated[str, Form(max_length=10)] = "",
    week: Annotated[str, Form(max_length=20)] = "",
    need: Annotated[list[str], Form(max_length=PEOPLE)] = [],  # noqa: B006 (FastAPI copies it)
    want: Annotated[list[str], Form(max_length=PEOPLE)] = [],  # noqa: B006
) -> Response:
    form = {"title": title, "guests": guests, "description": description}
    choice = {"need": need, "want": want, "minutes": minutes, "week": week, "at": at}
    start = form_dates.instant(at)
    length = _length(minutes)
    if start is None:
        errors = {"at": "Pick a time in the grid."}
        return _page(request, db, hub, choice, form=form, errors=errors, status_code=422)
    try:
        body = MeetingIn.model_validate(
            {
                "title": title.strip(),
                "host_ids": need,
                "start": start,
                "end": start + timedelta(minutes=length),
                "attendees": _guests(guests),
                "description": description.strip() or None,
            }
        )
    except ValidationError as error:
        errors = _errors(error)
        return _page(request, db, hub, choice, form=form, errors=errors, status_code=422)
    meeting = body.request()
    try:
        booked = meetings.create_meeting(db, hub.org_id, meeting, actor=hub.actor)
    except (ServiceError, engine.RoutingError) as error:
        status, message = refused(error)
        field = "need" if isinstance(error, Invalid) else "at"
        return _page(
            request, db, hub, choice, form=form, errors={field: message}, status_code=status
        )
    return RedirectResponse(f"/hub/bookings/{booked.id}?booked=1", status_code=303)


def _guests(text: str) -> list[dict[str, str]]:
    """One guest a line: ``Name <email>`` or just the email (named by it then)."""
    found = []
    for line in text.splitlines():
        if not line.strip():
            continue
        name, address = parseaddr(line.strip())
        address = address or line.strip()
        found.append({"name": name.strip() or address, "email": address})
    return found


def _errors(error: ValidationError) -> dict[str, str]:
    """Each refusal next to the form's field it concerns."""
    errors: dict[str, str] = {}
    for item in error.errors():
        loc = [str(part) for part in item["loc"]]
        field = FIELDS.get(loc[0], "at") if loc else "at"
        if loc and loc[0] == "host_ids":
            field = "need"
        message = form_errors.in_words(item)
        if field == "guests" and len(loc) > 1:
            message = f"Guest {int(loc[1]) + 1}: {message}"
        errors.setdefault(field, message)
    return errors


def _length(minutes: str) -> int:
    return int(minutes) if minutes in map(str, LENGTHS) else 30


def _page(
    request: Request,
    db: Database,
    hub: Hub,
    choice: Mapping[str, Any],
    *,
    form: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    people = hosts.list_hosts(db, hub.org_id)
    names = {h.id: h.name for h in people}
    need = [h for h in dict.fromkeys(choice["need"]) if h in names]
    want = [h for h in dict.fromkeys(choice["want"]) if h in names and h not in need]
    zone = ZoneInfo(hub.timezone)
    today = datetime.now(zone).date()
    monday = form_dates.day(choice["week"]) or today
    monday -= timedelta(days=monday.weekday())
    length = _length(choice["minutes"])
    first = datetime.combine(monday, datetime.min.time(), zone)
    start = max(first, datetime.now(zone))  # times already past are not offered
    grid, error = None, None
    if need and start >= first + timedelta(days=7):
        error = "That week is over: pick this week or a later one."
    elif need:
        try:
            found = find_a_time.free_grid(
                db,
                hub.org_id,
                host_ids=[*need, *want],
                duration_minutes=length,
                start=start,
                end=first + timedelta(days=7),
                interval_minutes=30 if length >= 30 else 15,
            )
        except Invalid as refusal:
            error = refusal.message
        else:
            grid = week_grid.week(
                found, required=need, optional=want, names=names, monday=monday, zone=zone
            )
    picked = form_dates.instant(choice["at"])
    picked = picked.astimezone(zone) if picked is not None else None
    chosen = grid.find(picked) if grid and picked else None

    def link(*, at: datetime | None = None, on: date = monday) -> str:
        """This page's query for the same people and length, another week or a time."""
        fields = [("need", h) for h in need] + [("want", h) for h in want]
        fields += [("minutes", str(length)), ("week", on.isoformat())]
        if at is not None:
            fields.append(("at", at.isoformat()))
        return "?" + urlencode(fields)

    context = {
        "link": link,
        "length_delta": timedelta(minutes=length),
        "people": people,
        "required": ", ".join(names[h] for h in need),
        "need": need,
        "want": want,
        "week": monday,
        "previous": link(on=monday - timedelta(days=7)),
        "next": link(on=monday + timedelta(days=7)),
        "length": length,
        "lengths": LENGTHS,
        "grid": grid,
        "chosen": chosen if chosen is not None and chosen.everyone else None,
        # A refused booking keeps its form, at the time it asked for, with the reason.
        "picked": picked if errors else None,
        "error": error,
        "zone": hub.timezone,
        "form": form or {},
        "errors": errors or {},
    }
    return hub_page(
        request, db, hub, "hub/find_a_time.html", context, section="find", status_code=status_code
    )
