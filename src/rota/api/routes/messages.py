"""``GET /v1/bookings/{id}/messages``: what was sent about a booking, with its status;
``POST .../messages/{message_id}/retry`` queues a failed one again."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Literal, Self

from fastapi import APIRouter
from pydantic import BaseModel, Field

from rota.api.auth import Db, OrgId
from rota.api.errors import responses
from rota.service import subscriptions
from rota.store.tables import OutboxMessage

router = APIRouter(prefix="/v1/bookings", tags=["bookings"], responses=responses(401, 404))


class MessageOut(BaseModel):
    id: str
    kind: Literal["email", "webhook", "caldav"]
    status: Literal["pending", "sent", "failed"]
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime | None = Field(description="When a pending message is tried next.")
    last_error: str | None
    to: str | None = Field(None, description="email: the recipient")
    method: Literal["REQUEST", "CANCEL"] | None = Field(None, description="email: the iTIP method")
    sequence: int | None = Field(None, description="email: the invite's SEQUENCE")
    subject: str | None = Field(None, description="email: the subject")
    event: str | None = Field(None, description="webhook: the event, e.g. booking.created")
    url: str | None = Field(None, description="webhook: where it is posted")
    host_id: str | None = Field(None, description="caldav: whose calendar")
    action: Literal["put", "delete"] | None = Field(None, description="caldav: write or remove")

    @classmethod
    def of(cls, row: OutboxMessage) -> Self:
        payload = json.loads(row.payload)
        fields = ("to", "method", "sequence", "subject", "event", "url", "host_id", "action")
        return cls(
            id=row.id,
            kind=row.kind,
            status=row.status,
            attempts=row.attempts,
            created_at=row.created_at,
            sent_at=row.sent_at,
            next_attempt_at=row.next_attempt_at if row.status == "pending" else None,
            last_error=row.last_error,
            **{name: payload[name] for name in fields if name in payload},
        )


class MessageList(BaseModel):
    messages: list[MessageOut]


@router.get("/{booking_id}/messages", response_model=MessageList)
def booking_messages(booking_id: str, org_id: OrgId, db: Db) -> MessageList:
    """Invites, webhook deliveries and calendar writes of the booking, oldest first."""
    rows = subscriptions.booking_messages(db, org_id, booking_id)
    return MessageList(messages=[MessageOut.of(row) for row in rows])


@router.post(
    "/{booking_id}/messages/{message_id}/retry",
    response_model=MessageOut,
    responses=responses(409),
)
def retry_message(booking_id: str, message_id: str, org_id: OrgId, db: Db) -> MessageOut:
    """Queue a failed message again with a fresh set of attempts; the worker delivers it
    shortly. 409 ``message_not_failed`` for a message still pending or already sent."""
    return MessageOut.of(subscriptions.retry_message(db, org_id, booking_id, message_id))
