"""The public booking page ``/book/{org}/{slug}``: pick a day, a time, say who you are.

A visitor needs no account. The times are the booking type's slots as the
service lists them at this moment, in the visitor's timezone; confirming books
through the same use case as ``POST /v1/bookings``, so a time taken meanwhile
is refused there and the visitor is told so in words, with the times still free.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import unquote

from fastapi import APIRouter, Form, Request
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response

from rota import actor as actors
from rota import engine, metrics
from rota.api.auth import Db
from rota.api.schemas import AttendeeIn
from rota.service import booking_types, bookings, clock, hosts, orgs
from rota.service.errors import NotFound
from rota.store.db import Database
from rota.store.tables import BookingType, Organization
from rota.web import slot_picker
from rota.web.templating import at_text, is_timezone, page, problem, request_locale
from rota.web.zone_picker import zone_choices, zone_label

router = APIRouter(include_in_schema=False)

ATTEMPT = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
TAKEN = (
    "Sorry, {when} was booked by someone else a moment ago, so it was not booked for you. "
    "The times still free are shown below; please pick another."
)


ZONE_COOKIE = "rota_tz"
"""The zone the visitor last used (booking.js sets it): a later visit shows its times
in that zone at once, without asking the browser first."""
AVATAR_COLOURS = 6


@dataclass(frozen=True, slots=True)
class Person:
    name: str

    @property
    def initials(self) -> str:
        """``AL`` for Ada Lovelace, ``P`` for Plato: the first letters of the first and
        last words."""
        words = [w for w in self.name.split() if w[:1].isalnum()]
        if not words:
            return "?"
        ends = words[:1] if len(words) == 1 else [words[0], words[-1]]
        return "".join(w[0] for w in ends).upper()

    @property
    def colour(self) -> int:
        """Which of the avatar colours (rota.css) is this name's, the same on every page."""
        return zlib.crc32(self.name.encode()) % AVATAR_COLOURS


@dataclass(frozen=True, slots=True)
class Hosting:
    """Who the visitor will meet: everyone in `always`, and for round-robin one of
    `one_of`, whoever is free and next in fairness."""

    always: list[Person] = field(default_factory=list)
    one_of: list[Person] = field(default_factory=list)


def hosting(db: Database, row: BookingType) -> Hosting:
    names = hosts.host_names(db, row.org_id)
    members = sorted(row.pool, key=lambda m: m.position)
    if row.host_mode != "round_robin":
        return Hosting([Person(names.get(m.host_id, "")) for m in members])
    fixed = [Person(names.get(m.host_id, "")) for m in members if m.fixed]
    pool = sorted(
        (Person(names.get(m.host_id, "")) for m in members if not m.fixed),
        key=lambda p: p.name.casefold(),
    )
    if len(pool) == 1:
        return Hosting(fixed + pool)
    return Hosting(fixed, pool)


def not_found(request: Request) -> Response:
    return problem(
        request,
        404,
        "Booking page not found",
        "There is no booking page at this address. Check the link you were given.",
    )


def find(db: Database, org: str, slug: str) -> tuple[Organization, BookingType]:
    organization = orgs.find_org(db, org)
    return organization, booking_types.get_booking_type(db, organization.id, slug)


def render_picker(
    request: Request,
    db: Database,
    organization: Organization,
    row: BookingType,
    choice: slot_picker.Choice,
    *,
    base: str,
    action: str,
    template: str = "book/page.html",
    extra: Mapping[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    """The picker page of a booking type; the booking and the move-a-booking pages
    share it, with their own address (`base`) and where the form goes (`action`)."""
    now = clock.now()
    locale = request_locale(request)
    picker = slot_picker.build(
        db,
        organization.id,
        row.slug,
        choice,
        base=base,
        window_days=row.booking_window_days,
        now=now,
        first_weekday=locale.first_week_day,
    )
    days = locale.days["format"]
    context = {
        "org": organization,
        "booking_type": row,
        "hosting": hosting(db, row),
        "picker": picker,
        "action": action,
        "stale_start": choice.start is not None and picker.chosen is None,
        "attempt": secrets.token_urlsafe(18),
        "weekdays": [(days["abbreviated"][d], days["wide"][d]) for d in picker.weekday_order],
        "zone_choices": zone_choices(now, locale, choice.timezone),
        "zone_label": zone_label(choice.timezone, now, locale),
        "twelve_hour": "a" in str(locale.time_formats["short"].pattern),
        **(extra or {}),
    }
    return page(request, template, context, status_code=status_code)


@router.get("/book/{org}/{slug}")
def booking_page(request: Request, org: str, slug: str, db: Db) -> Response:
    try:
        organization, row = find(db, org, slug)
    except NotFound:
        return not_found(request)
    params = dict(request.query_params)
    remembered = unquote(request.cookies.get(ZONE_COOKIE, ""))  # booking.js encodes it
    if not is_timezone(params.get("tz", "")) and is_timezone(remembered):
        params["tz"] = remembered
    choice = slot_picker.read_choice(params, clock.now())
    base = f"/book/{organization.slug}/{row.slug}"
    return render_picker(request, db, organization, row, choice, base=base, action=base)


def checked_attendee(name: str, email: str) -> tuple[AttendeeIn | None, dict[str, str]]:
    """The attendee as the API would store it (an international domain as punycode),
    or the problems per field in words for the form."""
    try:
        return AttendeeIn(name=name, email=email), {}
    except ValidationError as error:
        errors: dict[str, str] = {}
        for e in error.errors():
            if e["loc"][0] == "name":
                one_line = "one line" in str(e["msg"])
                errors["name"] = "Write your name on one line." if one_line else "Enter your name."
            else:
                errors["email"] = "Enter an email address like name@example.com."
        return None, errors


def taken_message(request: Request, start: datetime, timezone: str) -> str:
    return TAKEN.format(when=at_text(start, timezone, request_locale(request)))


@router.post("/book/{org}/{slug}")
def confirm(
    request: Request,
    org: str,
    slug: str,
    db: Db,
    start: Annotated[str, Form()] = "",
    tz: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
    notes: Annotated[str, Form(max_length=5000)] = "",
    attempt: Annotated[str, Form()] = "",
) -> Response:
    try:
        organization, row = find(db, org, slug)
    except NotFound:
        return not_found(request)
    base = f"/book/{organization.slug}/{row.slug}"
    choice = slot_picker.read_choice({"tz": tz, "start": start}, clock.now())
    name, email = name.strip(), email.strip()
    attendee, errors = checked_attendee(name, email)
    if choice.start is None or attendee is None:
        extra = {"errors": errors, "name": name, "email": email, "notes": notes}
        if choice.start is None:
            extra["error"] = "Pick a time first."
        return render_picker(
            request,
            db,
            organization,
            row,
            choice,
            base=base,
            action=base,
            extra=extra,
            status_code=422,
        )
    idempotency = None
    if ATTEMPT.match(attempt):
        # A double click or a resent form books once: the second gets the first's link.
        typed = f"{row.slug}|{start}|{name}|{email}|{tz}|{notes}"
        digest = hashlib.sha256(typed.encode()).hexdigest()
        idempotency = bookings.Idempotency(f"web-{attempt}", digest, lambda b: b.manage_token)
    try:
        outcome = bookings.book(
            db,
            organization.id,
            booking_type=row.slug,
            start=choice.start,
            attendee=bookings.Attendee(attendee.name, attendee.email, choice.timezone),
            idempotency=idempotency,
            notes=notes.strip() or None,
            actor=actors.attendee(attendee.name),
        )
    except engine.SlotUnavailable:
        retry = slot_picker.Choice(choice.timezone, True, choice.month, choice.day)
        extra = {
            "error": taken_message(request, choice.start, choice.timezone),
            "name": name,
            "email": email,
            "notes": notes,
        }
        return render_picker(
            request,
            db,
            organization,
            row,
            retry,
            base=base,
            action=base,
            extra=extra,
            status_code=409,
        )
    if isinstance(outcome, bookings.Replay):
        token = outcome.body
    else:
        token = outcome.manage_token
        metrics.BOOKINGS_MADE.inc()
    return RedirectResponse(f"/manage/{token}?booked=1", status_code=303)
