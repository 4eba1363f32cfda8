"""``GET /v1/bookings/{id}/messages`` says what each message is and when it went."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest

from rota.notify import runner
from rota.store.db import Database
from tests.api.support import Api, monday

HOOK = "http://127.0.0.1:9/hooks"


def test_each_message_says_what_it_is_and_when_it_went(
    api: Api, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROTA_ALLOW_PRIVATE_URLS", "1")
    ada = api.host("Ada")["id"]
    assert api.post("/v1/webhooks", {"url": HOOK, "events": ["booking.created"]}).status_code == 201
    api.booking_type("call", [ada], host_mode="solo")
    booking = api.book("call", monday() + timedelta(hours=9)).json()["id"]
    listed = f"/v1/bookings/{booking}/messages"

    messages = api.get(listed).json()["messages"]
    invite = next(m for m in messages if m["kind"] == "email")
    hook = next(m for m in messages if m["kind"] == "webhook")
    assert (invite["method"], invite["sequence"]) == ("REQUEST", 0)
    assert isinstance(invite["subject"], str) and invite["subject"]
    assert (hook["event"], hook["url"]) == ("booking.created", HOOK)
    assert invite["status"] == "pending"
    assert invite["sent_at"] is None and invite["next_attempt_at"] is not None

    monkeypatch.setenv("ROTA_OUTBOX_DIR", str(tmp_path))
    monkeypatch.delenv("ROTA_SMTP_URL", raising=False)
    runner.run(db, runner.WorkerSettings.from_env(), threading.Event(), once=True)
    sent = next(m for m in api.get(listed).json()["messages"] if m["id"] == invite["id"])
    assert sent["status"] == "sent"
    assert sent["sent_at"] is not None and sent["next_attempt_at"] is None
