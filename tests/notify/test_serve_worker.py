"""`rota serve` delivers the outbox itself: it says where emails go, and they get there."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import httpx

from rota.service import orgs
from rota.serving import free_port
from rota.store.db import Database
from tests.api.support import iso, monday


def test_serve_prints_the_outbox_folder_and_writes_invites_there(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'rota.db'}"
    database = Database(url)
    database.upgrade()
    key = orgs.create_key(database, "acme")
    database.dispose()
    port = free_port()
    env = {**os.environ, "ROTA_DATABASE_URL": url, "ROTA_SECRET_KEY": "k"}
    env.pop("ROTA_SMTP_URL", None)
    command = [str(Path(sys.executable).with_name("rota")), "serve", "--port", str(port)]
    process = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.strip() == (
            f"outbox worker running: emails written as .eml files to {tmp_path / 'outbox'}"
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}) as api:
            while True:
                try:
                    host = api.post(
                        "/v1/hosts",
                        json={"name": "Ada", "email": "ada@example.com", "timezone": "UTC"},
                    ).json()
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, "the server did not start"
                    time.sleep(0.2)
            api.post(
                "/v1/booking-types",
                json={
                    "slug": "s",
                    "title": "Intro",
                    "duration_minutes": 30,
                    "host_mode": "solo",
                    "hosts": [{"host_id": host["id"]}],
                },
            )
            booked = api.post(
                "/v1/bookings",
                json={
                    "booking_type": "s",
                    "start": iso(monday() + timedelta(hours=10)),
                    "attendee": {"name": "Grace", "email": "grace@example.com"},
                },
            )
            assert booked.status_code == 201, booked.text
        while len(list((tmp_path / "outbox").glob("*.eml"))) < 2:
            assert time.monotonic() < deadline + 30, "the invites were not written"
            time.sleep(0.2)
    finally:
        process.terminate()
        process.wait(timeout=15)
