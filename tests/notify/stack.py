"""The whole of rota for end-to-end tests: the API on a fresh SQLite database and
a worker that delivers the outbox on demand, in this process."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from rota import outbound
from rota.api import create_app
from rota.calendars.secrets import SecretBox
from rota.notify.delivery import handlers
from rota.notify.outbox import SqlOutbox
from rota.notify.transport import FolderTransport, MailTransport
from rota.notify.worker import Backoff, Worker
from rota.service import orgs
from rota.store.db import Database
from tests.api.support import Api

SECRET_KEY = "test-secret-key-for-calendar-passwords"


@dataclass
class Stack:
    api: Api
    db: Database
    transport: MailTransport
    http: httpx.Client

    def worker(self, retry: timedelta = timedelta(milliseconds=50)) -> Worker:
        box = SecretBox(SECRET_KEY)
        return Worker(
            SqlOutbox(self.db.engine),
            handlers(self.db, self.transport, self.http, box),
            backoff=Backoff(base=retry),
        )

    def deliver(self) -> int:
        """Deliver every message due now; how many were tried."""
        worker, tried = self.worker(), 0
        while batch := worker.run_once():
            tried += batch
        return tried

    def messages(self, booking_id: str) -> list[dict[str, Any]]:
        response = self.api.get(f"/v1/bookings/{booking_id}/messages")
        assert response.status_code == 200, response.text
        found: list[dict[str, Any]] = response.json()["messages"]
        return found


@contextmanager
def running_stack(folder: Path, transport: MailTransport | None = None) -> Iterator[Stack]:
    """Needs ``ROTA_SECRET_KEY`` set to `SECRET_KEY` (the fixtures do it)."""
    url = f"sqlite:///{folder / 'rota.db'}"
    db = Database(url)
    db.upgrade()
    with (
        TestClient(create_app(url), raise_server_exceptions=False) as client,
        outbound.client() as http,
    ):
        api = Api(client, orgs.create_key(db, "acme"))
        yield Stack(api, db, transport or FolderTransport(folder / "outbox"), http)
    db.dispose()
