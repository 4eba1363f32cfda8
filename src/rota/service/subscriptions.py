"""Webhook subscriptions of an organization, and the messages sent about a booking."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from rota import outbound
from rota.ids import new_id
from rota.notify.webhook import new_secret
from rota.service import clock, lookup
from rota.service.errors import Conflict, NotFound
from rota.store.db import Database
from rota.store.tables import OutboxMessage, Webhook


def subscribe(db: Database, org_id: str, url: str, events: Sequence[str]) -> Webhook:
    """A new subscription with a fresh signing secret (shown to the caller once)."""
    outbound.check_url(url)
    with db.write() as session:
        row = Webhook(
            id=new_id("wh"),
            org_id=org_id,
            url=url,
            events=sorted(set(events)),
            secret=new_secret(),
            created_at=clock.now(),
        )
        session.add(row)
        return row


def subscriptions(db: Database, org_id: str) -> list[Webhook]:
    with db.read() as session:
        query = select(Webhook).where(Webhook.org_id == org_id)
        return list(session.scalars(query.order_by(Webhook.created_at, Webhook.id)))


def subscription(db: Database, org_id: str, webhook_id: str) -> Webhook:
    with db.read() as session:
        row = session.get(Webhook, webhook_id)
        if row is None or row.org_id != org_id:
            raise NotFound(f"No webhook with id {webhook_id!r}.")
        return row


def unsubscribe(db: Database, org_id: str, webhook_id: str) -> None:
    """Deliveries still queued for it are then dropped as failed by the worker."""
    with db.write() as session:
        row = session.get(Webhook, webhook_id)
        if row is None or row.org_id != org_id:
            raise NotFound(f"No webhook with id {webhook_id!r}.")
        session.delete(row)


def booking_messages(db: Database, org_id: str, booking_id: str) -> list[OutboxMessage]:
    """Everything queued about a booking (emails, webhooks, calendar writes), oldest first."""
    with db.read() as session:
        lookup.booking(session, org_id, booking_id)
        query = select(OutboxMessage).where(OutboxMessage.booking_id == booking_id)
        return list(session.scalars(query.order_by(OutboxMessage.created_at, OutboxMessage.id)))


def retry_message(db: Database, org_id: str, booking_id: str, message_id: str) -> OutboxMessage:
    """Queue a message the worker gave up on once more, with a fresh set of attempts
    (after fixing what made it fail: a mail server, a webhook receiver)."""
    with db.write() as session:
        lookup.booking(session, org_id, booking_id)
        row = session.scalar(
            select(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.booking_id == booking_id)
            .with_for_update()
        )
        if row is None:
            raise NotFound(f"The booking has no message {message_id!r}.")
        if row.status != "failed":
            raise Conflict(
                f"Only a failed message can be retried; this one is {row.status}.",
                code="message_not_failed",
            )
        row.status = "pending"
        row.attempts = 0
        row.next_attempt_at = clock.now()
        session.flush()
        return row
