"""Issue 4, crash safety: a worker killed (SIGKILL) mid-batch loses no message."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from rota.notify.email import message_id
from rota.notify.messages import sender_address
from rota.store.tables import OutboxMessage
from tests.api.support import monday
from tests.notify.smtp_server import SmtpServer
from tests.notify.stack import SECRET_KEY, Stack

BOOKINGS = 5


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def start_worker(stack: Stack, smtp: SmtpServer, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "ROTA_DATABASE_URL": stack.db.url,
        "ROTA_SMTP_URL": f"smtp://{smtp.host}:{smtp.port}",
        "ROTA_SECRET_KEY": SECRET_KEY,
    }
    command = [
        str(Path(sys.executable).with_name("rota")),
        "worker",
        "--lease-seconds",
        "2",
        "--retry-seconds",
        "0.1",
    ]
    with log.open("ab") as output:
        return subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)


def outbox(stack: Stack) -> list[OutboxMessage]:
    with stack.db.read() as session:
        return list(session.scalars(select(OutboxMessage)))


def test_a_killed_worker_loses_nothing(
    stack: Stack, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    api = stack.api
    api.booking_type("solo", [api.host("Ada")["id"]], host_mode="solo")
    for n in range(BOOKINGS):
        assert api.book("solo", monday() + timedelta(hours=9 + n)).status_code == 201
    expected = {message_id(m.id, sender_address()) for m in outbox(stack)}
    assert len(expected) == 2 * BOOKINGS
    smtp_server.delay = 0.3  # each message takes a while: the kill lands mid-batch
    log = tmp_path / "worker.log"

    first = start_worker(stack, smtp_server, log)
    try:
        wait_for(lambda: len(smtp_server.received) >= 2, 60, "the first deliveries")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    unsent = [m for m in outbox(stack) if m.status != "sent"]
    assert unsent, "the worker finished before it was killed"
    assert len(smtp_server.received) < 2 * BOOKINGS

    smtp_server.delay = 0
    second = start_worker(stack, smtp_server, log)
    try:
        wait_for(
            lambda: all(m.status == "sent" for m in outbox(stack)),
            60,
            f"every message to be sent (worker log: {log})",
        )
    finally:
        second.send_signal(signal.SIGTERM)
        assert second.wait(20) == 0, log.read_text()
    received = {r.message["Message-ID"] for r in smtp_server.received}
    assert received == expected
