"""A local HTTP receiver for webhook deliveries that checks each signature."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from rota.notify.webhook import SIGNATURE_HEADER, verify


@dataclass
class Delivered:
    body: bytes
    headers: dict[str, str]
    signature_ok: bool


@dataclass
class Receiver:
    secret: str
    url: str = ""
    status: int = 200
    """What the receiver answers (set to 500 to make deliveries fail)."""
    received: list[Delivered] = field(default_factory=list)


@contextmanager
def running_receiver(secret: str) -> Iterator[Receiver]:
    receiver = Receiver(secret)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            ok = verify(receiver.secret, body, self.headers.get(SIGNATURE_HEADER, ""))
            receiver.received.append(Delivered(body, dict(self.headers.items()), ok))
            self.send_response(receiver.status if ok else 400)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the test output is not the place for access logs."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
