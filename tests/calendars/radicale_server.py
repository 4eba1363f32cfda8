"""A real CalDAV server for the tests: Radicale on 127.0.0.1, started as a subprocess."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from rota.calendars.caldav_client import CalDavAccount
from rota.serving import free_port
from tests.services import unavailable

USERS = {"ada": "ada-secret", "alan": "alan-secret"}


@dataclass(frozen=True)
class Radicale:
    base_url: str

    def account(self, user: str, calendar: str = "work") -> CalDavAccount:
        """A calendar collection of ``user``, made on first use."""
        url = f"{self.base_url}/{user}/{calendar}/"
        auth = (user, USERS[user])
        response = httpx.request("MKCALENDAR", url, auth=auth, timeout=10)
        if response.status_code not in (201, 405, 409):  # 405/409: it exists already
            raise RuntimeError(f"MKCALENDAR {url}: {response.status_code} {response.text}")
        return CalDavAccount(url, user, USERS[user])


def _wait_for(port: int, process: subprocess.Popen[bytes], seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


@contextmanager
def running_radicale(folder: Path) -> Iterator[Radicale]:
    try:
        import radicale  # noqa: F401
    except ImportError:
        unavailable("Radicale is not installed (pip install radicale)")
    port = free_port()
    (folder / "users").write_text("".join(f"{u}:{p}\n" for u, p in USERS.items()))
    (folder / "config").write_text(
        f"""[server]
hosts = 127.0.0.1:{port}
[auth]
type = htpasswd
htpasswd_filename = {folder / "users"}
htpasswd_encryption = plain
delay = 0
[rights]
type = owner_only
[storage]
filesystem_folder = {folder / "storage"}
[logging]
level = warning
"""
    )
    log = (folder / "radicale.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", str(folder / "config")],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        if not _wait_for(port, process):
            unavailable(f"Radicale did not start: {(folder / 'radicale.log').read_text()[-500:]}")
        yield Radicale(f"http://127.0.0.1:{port}")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(folder / "storage", ignore_errors=True)
