"""The seam where a booking change is told to the outside world.

Every use case that creates, reassigns or cancels a booking calls
`booking_changed` inside its own transaction, after the change is flushed (the
outbox rows refer to the booking's row, and the ORM orders inserts only along
relationships), so whatever is queued here (invites, webhooks, calendar writes
through the outbox) commits or rolls back together with the change.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from rota.notify.messages import Audience, BookingEvent, queue_booking_change
from rota.service import clock
from rota.store.tables import Booking


def booking_changed(
    session: Session,
    booking: Booking,
    event: BookingEvent,
    *,
    from_host_ids: Sequence[str] = (),
    to_host_ids: Sequence[str] = (),
    audience: Audience | None = None,
    from_start: datetime | None = None,
    reason: str | None = None,
) -> None:
    """Record that `booking` changed. Each change raises the invites' SEQUENCE, so a
    calendar applies the latest one whatever order messages arrive in; then queue the
    invites, webhooks and calendar writes that tell everyone concerned. `audience`
    (see `rota.notify.messages.load_audience`) is loaded here unless given;
    `from_start` is where a reschedule moved the booking from, `reason` why it changed."""
    if event != "created":
        booking.sequence += 1
    queue_booking_change(
        session,
        booking,
        event,
        from_host_ids=from_host_ids,
        to_host_ids=to_host_ids,
        at=clock.now(),
        audience=audience,
        rescheduled_from=from_start,
        reason=reason,
    )
