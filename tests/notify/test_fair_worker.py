"""Issue 13: one tenant's slow webhook receiver stalls neither another tenant's
invites nor, by outliving its lease, gets the same event twice."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from rota.calendars.secrets import SecretBox
from rota.notify.delivery import handlers
from rota.notify.outbox import SqlOutbox
from rota.notify.worker import Backoff, Worker
from rota.service import orgs
from tests.api.support import Api, monday
from tests.notify.smtp_server import SmtpServer
from tests.notify.stack import SECRET_KEY, Stack


@dataclass
class SlowReceiver:
    """Answers each POST after ``seconds``, dripping its status line a byte a second."""

    seconds: float
    url: str = ""
    finished: list[float] = field(default_factory=list)
    """When each answer was complete (`time.monotonic`)."""
    ids: list[str] = field(default_factory=list)


@contextmanager
def slow_receiver(seconds: float) -> Iterator[SlowReceiver]:
    receiver = SlowReceiver(seconds)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            receiver.ids.append(self.headers.get("Rota-Delivery", ""))
            answer = b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"
            done = time.monotonic() + receiver.seconds
            for byte in answer[:-1]:
                if time.monotonic() < done:
                    time.sleep(1)
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            time.sleep(max(0.0, done - time.monotonic()))
            self.wfile.write(answer[-1:])
            self.wfile.flush()
            receiver.finished.append(time.monotonic())
            self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


def make_worker(stack: Stack, **options: object) -> Worker:
    return Worker(
        SqlOutbox(stack.db.engine),
        handlers(stack.db, stack.transport, stack.http, SecretBox(SECRET_KEY)),
        backoff=Backoff(base=timedelta(minutes=5)),
        **options,  # type: ignore[arg-type]
    )


@contextmanager
def running(*workers: Worker) -> Iterator[None]:
    stop = threading.Event()
    threads = [threading.Thread(target=w.run, args=(stop, 0.05), daemon=True) for w in workers]
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)


def wait_for(condition: object, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)


def subscribe(api: Api, url: str) -> None:
    created = api.post("/v1/webhooks", {"url": url, "events": ["booking.created"]})
    assert created.status_code == 201, created.text


def test_a_slow_receiver_of_one_org_does_not_delay_another_orgs_invite(
    stack: Stack, smtp_server: SmtpServer
) -> None:
    slow = stack.api
    api_b = Api(stack.api.client, orgs.create_key(stack.db, "beta"))
    slow.booking_type("solo", [slow.host("Ada")["id"]], host_mode="solo")
    api_b.booking_type("solo", [api_b.host("Bea")["id"]], host_mode="solo")
    with slow_receiver(seconds=6) as receiver:
        subscribe(slow, receiver.url)
        # Four slow deliveries of org A are due first: they would fill both slots.
        for hour in (9, 10, 11, 12):
            assert slow.book("solo", monday() + timedelta(hours=hour)).status_code == 201
        booked = api_b.book("solo", monday() + timedelta(hours=9))
        assert booked.status_code == 201, booked.text
        began = time.monotonic()
        with running(make_worker(stack, concurrency=2, per_org=1)):
            wait_for(lambda: smtp_server.to("bea@example.com"), seconds=20)
            invited = time.monotonic()
            wait_for(lambda: receiver.finished, seconds=20)
    assert smtp_server.to("bea@example.com"), "org B's invite never arrived"
    assert receiver.finished, "org A's receiver never answered"
    assert invited < receiver.finished[0]  # B's invite went out while A's receiver was busy
    assert invited - began < 4  # generous: delivering it takes well under a second


def test_a_delivery_outliving_its_lease_is_not_delivered_again(stack: Stack) -> None:
    api = stack.api
    api.booking_type("solo", [api.host("Ada")["id"]], host_mode="solo")
    with slow_receiver(seconds=4) as receiver:
        subscribe(api, receiver.url)
        booking = api.book("solo", monday() + timedelta(hours=10)).json()
        lease = timedelta(seconds=1)
        first, second = make_worker(stack, lease=lease), make_worker(stack, lease=lease)
        with running(first):
            wait_for(lambda: receiver.ids, seconds=5)
            with running(second):  # polls every 50 ms, through and past the first lease
                wait_for(lambda: receiver.finished, seconds=10)
                time.sleep(1.5)
    [webhook] = [m for m in stack.messages(booking["id"]) if m["kind"] == "webhook"]
    assert len(receiver.ids) == 1, receiver.ids
    assert (webhook["status"], webhook["attempts"]) == ("sent", 1)
