"""A message the worker gave up on is queued again by
``POST /v1/bookings/{id}/messages/{message_id}/retry`` and then delivered."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from rota.notify import runner
from rota.store.db import Database
from rota.store.tables import OutboxMessage
from tests.api.support import Api, assert_error, monday


def give_up_on(db: Database, message_id: str) -> None:
    """What the worker does after its last attempt."""
    with db.write() as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(status="failed", attempts=12, last_error="the mail server refused it")
        )


def test_a_failed_message_is_retried_and_delivered(
    api: Api, other_api: Api, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ada = api.host("Ada")["id"]
    api.booking_type("call", [ada], host_mode="solo")
    booking = api.book("call", monday() + timedelta(hours=9)).json()["id"]
    messages = f"/v1/bookings/{booking}/messages"
    first = api.get(messages).json()["messages"][0]
    give_up_on(db, first["id"])
    retry = f"{messages}/{first['id']}/retry"

    assert_error(other_api.post(retry), 404, "not_found")
    assert_error(api.post(f"{messages}/msg_nope/retry"), 404, "not_found")
    again = api.post(retry)
    assert again.status_code == 200, again.text
    body = again.json()
    assert body["id"] == first["id"]
    assert (body["status"], body["attempts"]) == ("pending", 0)
    assert body["last_error"] == "the mail server refused it"  # why it failed, until retried
    assert_error(api.post(retry), 409, "message_not_failed")

    monkeypatch.setenv("ROTA_OUTBOX_DIR", str(tmp_path))
    monkeypatch.delenv("ROTA_SMTP_URL", raising=False)
    runner.run(db, runner.WorkerSettings.from_env(), threading.Event(), once=True)
    delivered = next(m for m in api.get(messages).json()["messages"] if m["id"] == first["id"])
    assert (delivered["status"], delivered["attempts"]) == ("sent", 1)
    assert_error(api.post(retry), 409, "message_not_failed")
