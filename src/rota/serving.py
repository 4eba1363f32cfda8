"""A real rota server in child processes (uvicorn), on a free port of 127.0.0.1.

For whatever needs the API over HTTP from the outside: tests across server
processes and the benchmarks that time requests as a client sees them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (for a server to start on)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve(database_url: str, *, workers: int = 2) -> Iterator[str]:
    """Serve rota on `database_url` with `workers` processes; yields the base URL."""
    port = free_port()
    env = {**os.environ, "ROTA_DATABASE_URL": database_url}
    command = [sys.executable, "-m", "uvicorn", "rota.api:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    command += ["--log-level", "warning"]
    process = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited with {process.returncode}")
            try:
                if httpx.get(f"{base}/openapi.json", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start within 60 s")
            time.sleep(0.2)
        # Every worker should be up before the test starts: give the others a moment.
        for _ in range(workers * 3):
            httpx.get(f"{base}/openapi.json", timeout=5)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
