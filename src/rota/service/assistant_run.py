"""Running a confirmed plan: each action through the very use case the API calls for
it, so the same checks, fairness and invites apply. One action failing does not stop
the next; each result says how it went."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rota import assistant, engine
from rota.actor import Actor
from rota.service import bookings, hosts, meetings, reassign, reschedule
from rota.service.errors import ServiceError
from rota.store.db import Database
from rota.store.tables import TimeOff

REASON = "asked of the assistant"


@dataclass(frozen=True, slots=True)
class Result:
    action: dict[str, Any]
    ok: bool
    error: dict[str, Any] | None


def run(db: Database, org_id: str, action: assistant.Action, actor: Actor) -> Result:
    """Run the action on behalf of `actor` (who confirmed the plan)."""
    fields = assistant.action_json(action)
    try:
        error = _run(db, org_id, action, actor)
    except (ServiceError, engine.RoutingError) as refusal:
        error = _error(refusal)
    return Result(fields, error is None, error)


def _error(refusal: ServiceError | engine.RoutingError) -> dict[str, Any]:
    return {"code": refusal.code, "message": refusal.message, "details": refusal.details}


def _run(
    db: Database, org_id: str, action: assistant.Action, actor: Actor
) -> dict[str, Any] | None:
    """None when done, else the error of what could not be done."""
    match action:
        case assistant.ReassignBooking(booking_id=booking_id, host_id=host_id):
            reassign.reassign(
                db,
                org_id,
                booking_id,
                to_host_id=host_id,
                from_host_id=None,
                reason=REASON,
                actor=actor,
            )
        case assistant.CancelBooking(booking_id=booking_id):
            bookings.cancel(db, org_id, booking_id, REASON, actor=actor)
        case assistant.RescheduleBooking(booking_id=booking_id, start=start):
            reschedule.reschedule(db, org_id, booking_id, start=start, reason=REASON, actor=actor)
        case assistant.AddTimeOff(host_id=host_id, start=start, end=end):
            hosts.add_span(db, org_id, host_id, TimeOff, start=start, end=end, label=REASON)
        case assistant.CreateMeeting():
            meetings.create_meeting(
                db,
                org_id,
                meetings.MeetingRequest(
                    title=action.title,
                    host_ids=action.host_ids,
                    start=action.start,
                    end=action.end,
                    guests=[meetings.Guest(g["name"], g["email"]) for g in action.attendees],
                    description=action.description,
                ),
                actor=actor,
            )
        case assistant.ReassignHostBookings(host_id=host_id, start=start, end=end, time_off=off):
            if off:
                # Time off first (as the API's "time_off": true), so nothing new lands
                # on the host while its bookings move.
                hosts.add_span(db, org_id, host_id, TimeOff, start=start, end=end, label=REASON)
            outcome = reassign.reassign_host_bookings(
                db, org_id, host_id, start, end, REASON, actor=actor
            )
            if outcome.failed:
                return {
                    "code": "not_all_reassigned",
                    "message": f"{len(outcome.failed)} of the host's bookings could not move.",
                    "details": {f.booking_id: _error(f.error) for f in outcome.failed},
                }
    return None
