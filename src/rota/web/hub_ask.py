"""The Hub's "Ask rota" box, on every Hub page: a request in plain language, answered
in words (a question's answer, or what was not understood and how to say it), or a
plan of changes shown in words with a button to confirm it.

It is the assistant of ``POST /v1/assistant`` and its confirmation, with the Hub's
session: dates are read in the session's timezone, changes run on behalf of the
signed-in person, and a member may ask only about their own things
(`rota.service.assistant_scope`), checked again when a plan is confirmed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from rota.api.auth import Db
from rota.service import assistant, hosts
from rota.service.assistant_scope import Member
from rota.service.errors import ServiceError
from rota.web.hub_auth import Hub, SignedIn
from rota.web.hub_frame import hub_page, refused
from rota.web.templating import span_text

router = APIRouter(prefix="/hub/ask", include_in_schema=False)

LONGEST = 2000
"""Characters of a request, as the API's."""
NOT_TIED = (
    "Your sign-in is not tied to a host of the team, so there is nothing of yours to ask"
    " about. An admin can tie your user to a host."
)
ACTION_WORDS = {
    "reassign_booking": "Hand over the booking",
    "reassign_host_bookings": "Hand over the host's bookings",
    "add_time_off": "Add time off",
    "cancel_booking": "Cancel the booking",
    "reschedule_booking": "Move the booking",
    "create_meeting": "Book the meeting",
}


def _when(item: Mapping[str, str], zone: str) -> str:
    start, end = (datetime.fromisoformat(item[k]) for k in ("start", "end"))
    return span_text(start, end, zone)


def answer_lines(answer: Mapping[str, Any], zone: str, names: Mapping[str, str]) -> list[str]:
    """A question's answer (as the API gives it) in sentences, times in `zone`."""
    if "free" in answer:
        return [
            f"{person['name']}: " + "; ".join(_when(t, zone) for t in person["times"])
            for person in answer["free"]
        ] or ["Nobody is free then."]
    if "slots" in answer:
        return [_when(t, zone) for t in answer["slots"]] or ["No time when all are free."]
    if "hosts" in answer:
        return [
            f"{h['name']}: {h['bookings']} bookings, fair share {h['expected']:g}"
            for h in answer["hosts"]
        ]
    if "bookings" in answer:
        return [
            f"{_when(b, zone)}: {b.get('attendee_name') or b.get('title') or 'a meeting'}"
            + (f" ({b['booking_type']})" if b.get("booking_type") else " (internal meeting)")
            for b in answer["bookings"]
        ] or ["Nothing booked then."]
    return []


def _member(hub: Hub) -> Member | None:
    return None if hub.is_admin or hub.host_id is None else Member(hub.host_id)


@router.post("")
def ask(
    request: Request,
    hub: SignedIn,
    db: Db,
    text: Annotated[str, Form(max_length=LONGEST)] = "",
) -> Response:
    context: dict[str, Any] = {"asked": text, "outcome": None}
    if not hub.is_admin and hub.host_id is None:
        context["refusal"] = NOT_TIED
        return hub_page(request, db, hub, "hub/ask.html", context, section="ask", status_code=403)
    said = assistant.ask(db, hub.org_id, text, hub.timezone, member=_member(hub))
    context["outcome"] = said
    if isinstance(said, assistant.Answer):
        names = hosts.host_names(db, hub.org_id)
        context["lines"] = answer_lines(said.answer, hub.timezone, names)
    return hub_page(request, db, hub, "hub/ask.html", context, section="ask")


@router.post("/plans/{plan_id}/confirm")
def confirm(request: Request, plan_id: str, hub: SignedIn, db: Db) -> Response:
    context: dict[str, Any] = {"asked": "", "outcome": None, "words": ACTION_WORDS}
    if not hub.is_admin and hub.host_id is None:
        context["refusal"] = NOT_TIED
        return hub_page(request, db, hub, "hub/ask.html", context, section="ask", status_code=403)
    try:
        results = assistant.confirm(db, hub.org_id, plan_id, hub.actor, member=_member(hub))
    except ServiceError as error:
        status, message = refused(error)
        context["refusal"] = message
        return hub_page(
            request, db, hub, "hub/ask.html", context, section="ask", status_code=status
        )
    context["results"] = results
    return hub_page(request, db, hub, "hub/ask.html", context, section="ask")
