"""The outbox table as a queue: claim the rows that are due, then settle each.

A row is claimed by pushing its ``next_attempt_at`` one lease ahead and
counting the attempt, in one UPDATE. A worker that dies while delivering
(even by SIGKILL) holds no lock and leaves nothing half-done: the row simply
comes due again when the lease runs out, and another run delivers it. That
is what makes delivery at-least-once; invites and webhooks are built so a
repeat is harmless (stable UID and SEQUENCE, a stable ``Rota-Delivery`` id).

On PostgreSQL the rows to claim are picked ``FOR UPDATE SKIP LOCKED``, so
concurrent workers take different rows without waiting on each other. On
SQLite the UPDATE runs under the database's single write lock, which gives
the same exclusivity.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Table, select, update

from rota.store.tables import OutboxMessage

PENDING, SENT, FAILED = "pending", "sent", "failed"
MAX_ERROR_LENGTH = 2000


@dataclass(frozen=True, slots=True)
class Delivery:
    """An outbox message claimed by a worker, on its way."""

    id: str
    org_id: str
    booking_id: str | None
    kind: str
    """``email``, ``webhook`` or ``caldav``."""
    payload: dict[str, Any]
    attempts: int
    """Attempts made so far, the current one included."""


def _payload(value: Any) -> dict[str, Any]:
    loaded = json.loads(value) if isinstance(value, str | bytes) else value
    if not isinstance(loaded, dict):
        raise TypeError("an outbox payload is a JSON object")
    return loaded


class SqlOutbox:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.table: Table = OutboxMessage.__table__  # type: ignore[assignment]

    def claim(self, now: datetime, limit: int, lease: timedelta) -> list[Delivery]:
        t = self.table
        due = (
            select(t.c.id)
            .where(t.c.status == PENDING, t.c.next_attempt_at <= now)
            .order_by(t.c.next_attempt_at, t.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        claim = (
            update(t)
            .where(t.c.id.in_(due))
            .values(attempts=t.c.attempts + 1, next_attempt_at=now + lease)
            .returning(t.c.id, t.c.org_id, t.c.booking_id, t.c.kind, t.c.payload, t.c.attempts)
        )
        with self.engine.begin() as conn:
            rows = conn.execute(claim).all()
        # RETURNING gives no order; none is needed: each invite carries its
        # SEQUENCE, so a calendar applies the latest whatever arrives first.
        return [
            Delivery(
                id=row.id,
                org_id=row.org_id,
                booking_id=row.booking_id,
                kind=row.kind,
                payload=_payload(row.payload),
                attempts=row.attempts,
            )
            for row in rows
        ]

    def _settle(self, message_id: str, **values: Any) -> None:
        t = self.table
        with self.engine.begin() as conn:
            conn.execute(update(t).where(t.c.id == message_id).values(**values))

    def mark_sent(self, message_id: str, now: datetime) -> None:
        self._settle(message_id, status=SENT, sent_at=now, last_error=None)

    def retry_at(self, message_id: str, at: datetime, error: str) -> None:
        self._settle(message_id, next_attempt_at=at, last_error=error[:MAX_ERROR_LENGTH])

    def mark_failed(self, message_id: str, error: str) -> None:
        self._settle(message_id, status=FAILED, last_error=error[:MAX_ERROR_LENGTH])
