"""The Hub's booking types: the list, the create and edit form with its host pool,
and the distribution page (each host's bookings against its fair share).

The form's fields are API.md's; what is typed is checked by the same model as
``POST /v1/booking-types`` (`rota.teamfile.BookingTypeIn`) and saved through the
same use cases, so the Hub cannot make a booking type the API would refuse.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response

from rota import engine, teamfile
from rota.api.auth import Db
from rota.service import booking_types, distribution, hosts
from rota.service.errors import NotFound, ServiceError
from rota.store.db import Database
from rota.store.tables import BookingType, Host
from rota.web import distribution_chart, form_errors
from rota.web.hub_access import Admin
from rota.web.hub_auth import Hub
from rota.web.hub_frame import hub_page, not_found

router = APIRouter(prefix="/hub/types", include_in_schema=False)

NUMBERS = (
    "duration_minutes",
    "slot_interval_minutes",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "minimum_notice_minutes",
    "booking_window_days",
    "fairness_window_days",
    "max_bookings_per_host_per_day",
    "catch_up_limit",
)
OPTIONAL = frozenset({"slot_interval_minutes", "max_bookings_per_host_per_day"})
HELP = {
    "title": "The heading bookers see on the booking page.",
    "slug": "The booking page's address, /book/ORG/SLUG: lowercase letters, digits, dashes.",
    "duration_minutes": "How long each meeting lasts, in minutes.",
    "host_mode": "Solo: one host. Collective: the whole pool meets together. "
    "Round-robin: one host of the pool per booking, taking fair turns.",
    "hosts": "Weight: share of bookings (200 gets twice what 100 gets). Priority 0-4: higher "
    "is chosen first while free. Fixed: joins every round-robin booking beside the "
    "rotating host.",
    "rotation": "Availability: a time is offered when any host is free, and the fairest free "
    "host takes it. Strict: only the next host in turn's times are offered.",
    "fairness_window_days": "How many days back bookings count for fairness (0: all time).",
    "catch_up_limit": "How many bookings a host who was busy in other meetings may fall "
    "behind, and so take in a row to catch up (0: no catching up).",
    "slot_interval_minutes": "Minutes between the start times offered (empty: the duration).",
    "buffer_before_minutes": "Free minutes kept before each meeting in its hosts' calendars.",
    "buffer_after_minutes": "Free minutes kept after each meeting in its hosts' calendars.",
    "minimum_notice_minutes": "How many minutes ahead a booking must be made at the latest.",
    "booking_window_days": "How many days ahead times are offered.",
    "description": "Shown on the booking page and in the invitations.",
    "location_kind": "Where the meeting happens: in person (an address), by phone (a number), "
    "by video (a link) or anything else.",
    "location_value": "The address, number or link (empty: no location).",
    "on_host_decline": "When a host declines the invitation: hand the booking to the next "
    "fair host, or keep the host on it.",
    "max_bookings_per_host_per_day": "A host with this many bookings of the type that day "
    "is not offered (empty: no cap).",
}


@router.get("")
def type_list(request: Request, hub: Admin, db: Db) -> Response:
    context = {"types": booking_types.list_booking_types(db, hub.org_id)}
    return hub_page(request, db, hub, "hub/types.html", context, section="types")


def _form_of(row: BookingType | None) -> dict[str, Any]:
    if row is None:
        defaults = teamfile.BookingTypeIn.model_fields
        form = {name: defaults[name].default for name in NUMBERS if name != "duration_minutes"}
        return {
            **form,
            "duration_minutes": 30,
            "host_mode": "round_robin",
            "on_host_decline": "reassign",
            "pool": {},
        }
    named = ("title", "slug", "host_mode", "rotation", "description", "on_host_decline")
    form = {name: getattr(row, name) for name in named}
    form["description"] = row.description or ""
    form["location_kind"] = row.location_kind or ""
    form["location_value"] = row.location_value or ""
    form.update({name: getattr(row, name) for name in NUMBERS})
    form["slot_interval_minutes"] = row.slot_interval_minutes or row.duration_minutes
    form["pool"] = {
        m.host_id: {"weight": m.weight, "priority": m.priority, "fixed": m.fixed} for m in row.pool
    }
    return form


def _editor(
    request: Request,
    db: Database,
    hub: Hub,
    row: BookingType | None,
    *,
    form: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "row": row,
        "form": form if form is not None else _form_of(row),
        "errors": errors or {},
        "notice": notice,
        "help": HELP,
        "people": hosts.list_hosts(db, hub.org_id),
    }
    return hub_page(
        request, db, hub, "hub/type.html", context, section="types", status_code=status_code
    )


async def _posted(request: Request) -> dict[str, str]:
    """The form (a pool row per host of the organization) as one mapping."""
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


Posted = Annotated[dict[str, str], Depends(_posted)]


def _pool(posted: Mapping[str, str], people: Sequence[Host]) -> dict[str, dict[str, Any]]:
    return {
        h.id: {
            "weight": posted.get(f"weight_{h.id}", "100"),
            "priority": posted.get(f"priority_{h.id}", "2"),
            "fixed": f"fixed_{h.id}" in posted,
        }
        for h in people
        if f"pool_{h.id}" in posted
    }


def read_form(
    posted: Mapping[str, str], people: Sequence[Host]
) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """The form as typed (to show again), the booking type as the API takes it, and the
    problems per field (messages of the API's own validation)."""
    form: dict[str, Any] = {k: posted.get(k, "").strip() for k in HELP if k != "hosts"}
    form["pool"] = _pool(posted, people)
    fields: dict[str, Any] = {k: v for k, v in form.items() if k != "pool"}
    for name in NUMBERS:
        # An empty optional setting means "none"; an empty other one takes its default.
        if fields.get(name) == "" and name in OPTIONAL:
            fields[name] = None
        elif fields.get(name) == "":
            del fields[name]
    fields["hosts"] = [{"host_id": host_id, **member} for host_id, member in form["pool"].items()]
    kind, value = fields.pop("location_kind", ""), fields.pop("location_value", "")
    fields["location"] = {"kind": kind or "custom", "value": value} if value else None
    fields["description"] = fields.get("description") or None
    if not fields.get("on_host_decline"):
        fields.pop("on_host_decline", None)
    try:
        checked = teamfile.BookingTypeIn.model_validate(fields)
    except ValidationError as error:
        errors = form_errors.by_field(error, "title", rename={"location": "location_value"})
        return form, fields, errors
    return form, checked.model_dump(mode="json"), {}


@router.get("/new")
def new_type(request: Request, hub: Admin, db: Db) -> Response:
    return _editor(request, db, hub, None)


@router.post("")
def create_type(request: Request, hub: Admin, db: Db, posted: Posted) -> Response:
    return _save(
        request,
        db,
        hub,
        None,
        posted,
        lambda fields: booking_types.create_booking_type(db, hub.org_id, fields),
    )


@router.get("/{slug}")
def type_page(request: Request, slug: str, hub: Admin, db: Db) -> Response:
    try:
        row = booking_types.get_booking_type(db, hub.org_id, slug)
    except NotFound:
        return not_found(request, "Booking type")
    notice = "Saved." if request.query_params.get("saved") else None
    return _editor(request, db, hub, row, notice=notice)


@router.post("/{slug}")
def update_type(request: Request, slug: str, hub: Admin, db: Db, posted: Posted) -> Response:
    try:
        row = booking_types.get_booking_type(db, hub.org_id, slug)
    except NotFound:
        return not_found(request, "Booking type")
    return _save(
        request,
        db,
        hub,
        row,
        posted,
        lambda fields: booking_types.update_booking_type(db, hub.org_id, slug, fields),
    )


def _save(
    request: Request,
    db: Database,
    hub: Hub,
    row: BookingType | None,
    posted: Mapping[str, str],
    save: Callable[[dict[str, Any]], BookingType],
) -> Response:
    """Read the form and `save` its fields: to the saved type's page, or back to the
    editor with what was wrong (`row` is None for a new type)."""
    form, fields, errors = read_form(posted, hosts.list_hosts(db, hub.org_id))
    if not errors:
        try:
            saved = save(fields)
        except ServiceError as refusal:
            errors = {"slug" if refusal.code == "slug_taken" else "hosts": refusal.message}
        else:
            return RedirectResponse(f"/hub/types/{saved.slug}?saved=1", status_code=303)
    return _editor(request, db, hub, row, form=form, errors=errors, status_code=422)


@router.get("/{slug}/distribution")
def distribution_page(request: Request, slug: str, hub: Admin, db: Db) -> Response:
    try:
        row = booking_types.get_booking_type(db, hub.org_id, slug)
        shares = distribution.distribution(db, hub.org_id, slug)
    except NotFound:
        return not_found(request, "Booking type")
    names = hosts.host_names(db, hub.org_id)
    window = f"the last {shares.window_days} days" if shares.window_days else "all time"
    bars = [
        distribution_chart.Bar(names.get(s.host_id, s.host_id), s.bookings, s.expected)
        for s in shares.hosts
    ]
    title = f"{row.title}: bookings per host against their fair share, {window}"
    context = {
        "row": row,
        "shares": shares.hosts,
        "names": names,
        "window": window,
        "chart": distribution_chart.render(bars, title=title),
        "round_robin": row.host_mode == engine.HostMode.ROUND_ROBIN,
        "weighted": {w.host_id: w for w in engine.weighted_shares(shares.hosts)},
    }
    return hub_page(request, db, hub, "hub/distribution.html", context, section="types")
