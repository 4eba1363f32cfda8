"""The delivery loop: claim due outbox messages, deliver each, settle it.

A message that fails is tried again later, each wait twice the one before
(with jitter, so a recovering server is not hit by every message at once)
up to a cap; after ``max_attempts`` it is marked ``failed`` and stays in the
table, visible in the booking's messages with its last error.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from rota.notify.errors import DeliveryError, PermanentDeliveryError
from rota.notify.outbox import Delivery

log = logging.getLogger("rota.worker")

Handler = Callable[[Delivery], None]
"""Delivers one message of a kind, or raises ``DeliveryError``."""


class Outbox(Protocol):
    def claim(self, now: datetime, limit: int, lease: timedelta) -> list[Delivery]: ...
    def mark_sent(self, message_id: str, now: datetime) -> None: ...
    def retry_at(self, message_id: str, at: datetime, error: str) -> None: ...
    def mark_failed(self, message_id: str, error: str) -> None: ...


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Backoff:
    base: timedelta = timedelta(seconds=30)
    cap: timedelta = timedelta(hours=1)
    max_attempts: int = 12
    """About seven hours of trying with the defaults."""

    def delay(self, attempts: int, rand: Callable[[], float] = random.random) -> timedelta:
        """The wait after the ``attempts``-th failure: between half and all of base·2^(n-1)."""
        full: timedelta = min(self.cap, self.base * 2 ** max(attempts - 1, 0))
        return full / 2 + full / 2 * rand()


@dataclass(slots=True)
class Periodic:
    """A job the worker runs every ``interval`` besides delivering (calendar sync)."""

    interval: timedelta
    run: Callable[[], None]
    name: str
    due: datetime = field(default_factory=lambda: datetime.min.replace(tzinfo=UTC))


class Worker:
    def __init__(
        self,
        outbox: Outbox,
        handlers: Mapping[str, Handler],
        *,
        backoff: Backoff | None = None,
        batch_size: int = 20,
        lease: timedelta = timedelta(minutes=5),
        periodic: Sequence[Periodic] = (),
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.outbox = outbox
        self.handlers = dict(handlers)
        self.backoff = backoff or Backoff()
        self.batch_size = batch_size
        self.lease = lease
        self.periodic = list(periodic)
        self.clock = clock

    def deliver(self, message: Delivery) -> None:
        handler = self.handlers.get(message.kind)
        try:
            if handler is None:
                raise PermanentDeliveryError(f"no delivery for messages of kind {message.kind!r}")
            handler(message)
        except DeliveryError as error:
            self._failed(message, error, permanent=error.permanent)
        except Exception as error:
            # A bug in one handler must not stop the others' mail: log it, retry later.
            log.exception("delivering outbox message %s failed unexpectedly", message.id)
            self._failed(message, error, permanent=False)
        else:
            self.outbox.mark_sent(message.id, self.clock())

    def _failed(self, message: Delivery, error: Exception, *, permanent: bool) -> None:
        text = str(error) or type(error).__name__
        if permanent or message.attempts >= self.backoff.max_attempts:
            log.warning("outbox message %s failed for good: %s", message.id, text)
            self.outbox.mark_failed(message.id, text)
        else:
            at = self.clock() + self.backoff.delay(message.attempts)
            log.info("outbox message %s will be retried at %s: %s", message.id, at, text)
            self.outbox.retry_at(message.id, at, text)

    def run_once(self) -> int:
        """Deliver one batch of due messages; how many there were."""
        messages = self.outbox.claim(self.clock(), self.batch_size, self.lease)
        for message in messages:
            self.deliver(message)
        return len(messages)

    def run_periodic(self) -> None:
        for job in self.periodic:
            now = self.clock()
            if now < job.due:
                continue
            job.due = now + job.interval
            try:
                job.run()
            except Exception:
                log.exception("periodic job %s failed", job.name)

    def run(self, stop: threading.Event, idle: float = 1.0) -> None:
        """Deliver until ``stop`` is set, resting ``idle`` seconds when nothing is due."""
        while not stop.is_set():
            self.run_periodic()
            try:
                busy = self.run_once() > 0
            except Exception:
                # The database may be briefly locked or unreachable: try again soon.
                log.exception("claiming outbox messages failed")
                busy = False
            if not busy:
                stop.wait(idle)
