"""The worker as a process or a background thread: delivery plus scheduled calendar
sync and, every hour, the retention purge (`rota.store.retention`).

``rota worker`` runs it on its own; ``rota serve`` runs it in a thread beside
the API unless ``--no-worker``. Several may run at once on one database: the
outbox hands each message to one of them (see `rota.notify.outbox`).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

import httpx

from rota import outbound
from rota.calendars.secrets import SecretBox, box_from_env
from rota.calendars.sync import sync_due
from rota.notify.delivery import handlers
from rota.notify.outbox import SqlOutbox
from rota.notify.transport import describe, transport_from_env
from rota.notify.worker import Backoff, Periodic, Worker, utcnow
from rota.store import retention
from rota.store.db import Database

log = logging.getLogger("rota.worker")


@dataclass(frozen=True, slots=True)
class WorkerSettings:
    lease: timedelta = timedelta(minutes=5)
    """How long a claimed message is left to its worker before another may take it."""
    retry_base: timedelta = timedelta(seconds=30)
    poll: float = 1.0
    """Seconds to rest when nothing is due."""
    sync_every: timedelta = timedelta(minutes=15)
    """How often each host's calendar is synced (``ROTA_CALENDAR_SYNC_MINUTES``)."""
    retention: timedelta = timedelta(days=retention.DEFAULT_DAYS)
    """How long sent messages and idempotency keys are kept (``ROTA_RETENTION_DAYS``)."""

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, **overrides: object
    ) -> WorkerSettings:
        env = os.environ if environ is None else environ
        minutes = float(env.get("ROTA_CALENDAR_SYNC_MINUTES", "15"))
        values: dict[str, object] = {
            "sync_every": timedelta(minutes=minutes),
            "retention": retention.retention_from_env(env),
            **overrides,
        }
        return cls(**values)  # type: ignore[arg-type]


def build(db: Database, settings: WorkerSettings, http: httpx.Client) -> tuple[Worker, str]:
    """The worker over ``db``, and a line saying where its emails go."""
    transport = transport_from_env()
    box = box_from_env()
    sync = Periodic(
        interval=timedelta(seconds=30),
        run=lambda: _log_syncs(db, box, http, settings.sync_every),
        name="calendar sync",
    )
    purge = Periodic(
        interval=timedelta(hours=1),
        run=lambda: _log_purge(db, settings.retention),
        name="retention purge",
    )
    worker = Worker(
        SqlOutbox(db.engine),
        handlers(db, transport, http, box),
        backoff=Backoff(base=settings.retry_base),
        lease=settings.lease,
        periodic=[sync, purge],
    )
    return worker, describe(transport)


def _log_syncs(db: Database, box: SecretBox, http: httpx.Client, every: timedelta) -> None:
    for result in sync_due(db, box=box, http=http, every=every, clock=utcnow):
        if result.error:
            log.warning("calendar of host %s: %s", result.host_id, result.error)


def _log_purge(db: Database, older_than: timedelta) -> None:
    purged = retention.purge(db, older_than)
    log.info(
        "purged %d sent messages, %d idempotency keys, %d hub sessions",
        purged.sent_messages,
        purged.idempotency_keys,
        purged.hub_sessions,
    )


def run(
    db: Database, settings: WorkerSettings, stop: threading.Event, *, once: bool = False
) -> None:
    with outbound.client() as http:
        worker, where = build(db, settings, http)
        log.info("worker started: %s", where)
        if once:
            worker.run_periodic()
            while worker.run_once():
                pass
            return
        worker.run(stop, idle=settings.poll)


def start_in_background(
    db: Database, settings: WorkerSettings
) -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(
        target=run, args=(db, settings, stop), name="rota-worker", daemon=True
    )
    thread.start()
    return thread, stop
