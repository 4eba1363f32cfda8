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

Fairness: with ``per_org`` a claim takes at most that many messages of each
organization, organizations taken in the order of their oldest due message,
so one tenant's thousand messages (or its slow receiver) do not push another
tenant's invite to the back. A delivery that outlives its lease would be taken
again by another worker, so the worker holding it pushes the lease on while it
runs (`SqlOutbox.extend`); the attempt count claimed serves as its token.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Table, and_, func, select, update

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
        # On SQLite a claim reads and then writes: it takes the write lock first
        # (``BEGIN IMMEDIATE``, `rota.store.db`), or two claims would deadlock.
        self.writes = engine.execution_options(rota_write=True)
        self.table: Table = OutboxMessage.__table__  # type: ignore[assignment]

    def claim(
        self,
        now: datetime,
        limit: int,
        lease: timedelta,
        *,
        per_org: int | None = None,
        busy: Mapping[str, int] | None = None,
    ) -> list[Delivery]:
        """Up to ``limit`` due messages, leased until ``now + lease``.

        With ``per_org``, at most that many per organization, less what
        ``busy`` says this worker already has on its way for it.
        """
        t = self.table
        is_due = and_(t.c.status == PENDING, t.c.next_attempt_at <= now)
        with self.writes.begin() as conn:
            if per_org is None:
                due = (
                    select(t.c.id)
                    .where(is_due)
                    .order_by(t.c.next_attempt_at, t.c.id)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
                ids = list(conn.scalars(due))
            else:
                ids = self._fair(conn, now, limit, per_org, busy or {})
            if not ids:
                return []
            claim = (
                update(t)
                # Due again checked: another worker may have claimed a row since it was read.
                .where(t.c.id.in_(ids), is_due)
                .values(attempts=t.c.attempts + 1, next_attempt_at=now + lease)
                .returning(t.c.id, t.c.org_id, t.c.booking_id, t.c.kind, t.c.payload, t.c.attempts)
            )
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

    def _fair(
        self, conn: Connection, now: datetime, limit: int, per_org: int, busy: Mapping[str, int]
    ) -> list[str]:
        """Round robin: the organizations with due messages, oldest first, each giving
        what it has left of ``per_org``."""
        t = self.table
        is_due = and_(t.c.status == PENDING, t.c.next_attempt_at <= now)
        full = [org for org, count in busy.items() if count >= per_org]
        first = func.min(t.c.next_attempt_at)
        waiting = and_(is_due, t.c.org_id.not_in(full)) if full else is_due
        orgs = conn.execute(
            select(t.c.org_id)
            .where(waiting)
            .group_by(t.c.org_id)
            .order_by(first, t.c.org_id)
            .limit(limit)
        ).scalars()
        ids: list[str] = []
        for org in list(orgs):
            take = min(per_org - busy.get(org, 0), limit - len(ids))
            if take <= 0:
                break
            ids += conn.scalars(
                select(t.c.id)
                .where(is_due, t.c.org_id == org)
                .order_by(t.c.next_attempt_at, t.c.id)
                .limit(take)
                .with_for_update(skip_locked=True)
            )
        return ids

    def extend(self, held: Mapping[str, int], until: datetime) -> set[str]:
        """Push the lease of each message still held (pending, at the attempt claimed)
        to ``until``; the ids it could push."""
        t = self.table
        kept: set[str] = set()
        if not held:
            return kept
        with self.writes.begin() as conn:
            for message_id, attempts in held.items():
                pushed = conn.execute(
                    update(t)
                    .where(t.c.id == message_id, t.c.status == PENDING, t.c.attempts == attempts)
                    .values(next_attempt_at=until)
                )
                if pushed.rowcount:
                    kept.add(message_id)
        return kept

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
