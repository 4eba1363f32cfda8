"""Retention: what is kept only for a while.

- Outbox messages that were delivered: their record in a booking's messages
  is useful for a few weeks, not forever. Pending and failed ones stay (one
  is still to be delivered, the other may be retried).
- Idempotency keys: a client retries a request within minutes or hours; after
  the retention period the same key makes a new booking.
- Hub sessions that expired or were revoked: they can never be used again.

`purge` runs from ``rota purge`` and, every hour, from the worker.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import CursorResult, Delete, delete, or_

from rota import clock
from rota.store.db import Database
from rota.store.tables import HubSession, IdempotencyKey, OutboxMessage

DEFAULT_DAYS = 30


def retention_from_env(environ: Mapping[str, str] | None = None) -> timedelta:
    """``ROTA_RETENTION_DAYS`` (default 30): how long sent messages and idempotency keys stay."""
    env = os.environ if environ is None else environ
    value = env.get("ROTA_RETENTION_DAYS") or str(DEFAULT_DAYS)
    try:
        days = float(value)
    except ValueError:
        days = -1
    if days <= 0:
        raise ValueError(f"ROTA_RETENTION_DAYS={value!r} must be a positive number of days")
    return timedelta(days=days)


@dataclass(frozen=True, slots=True)
class Purged:
    sent_messages: int
    idempotency_keys: int
    hub_sessions: int


def purge(db: Database, older_than: timedelta, *, now: datetime | None = None) -> Purged:
    """Delete what the retention period no longer keeps; how many rows of each."""
    moment = now or clock.now()
    cutoff = moment - older_than
    with db.write() as session:

        def deleted(statement: Delete) -> int:
            result = session.execute(statement)
            assert isinstance(result, CursorResult)
            return result.rowcount

        return Purged(
            sent_messages=deleted(
                delete(OutboxMessage).where(
                    OutboxMessage.status == "sent", OutboxMessage.sent_at < cutoff
                )
            ),
            idempotency_keys=deleted(
                delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff)
            ),
            hub_sessions=deleted(
                delete(HubSession).where(
                    or_(HubSession.expires_at <= moment, HubSession.revoked_at.is_not(None))
                )
            ),
        )
