"""Serializing the writes that could double-book a host.

On PostgreSQL a write locks the rows of the hosts it may give a meeting to,
always in id order so that two writers over overlapping pools cannot deadlock;
whoever comes second waits, then reads the first one's booking. The exclusion
constraint of the schema backs this up. On SQLite the whole write transaction
already holds the database's write lock from its first statement
(``BEGIN IMMEDIATE``, see `rota.store.db`), so there is nothing more to take.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from rota.store.tables import Host

# Built once and run as Core: every booking transaction takes it.
LOCK = (
    select(Host.id)
    .where(Host.id.in_(bindparam("ids", expanding=True)))
    .order_by(Host.id)
    .with_for_update()
)


def lock_hosts(session: Session, host_ids: Iterable[str]) -> None:
    ids = sorted(set(host_ids))
    if not ids or session.get_bind().dialect.name == "sqlite":
        return
    session.connection().execute(LOCK, {"ids": ids})
