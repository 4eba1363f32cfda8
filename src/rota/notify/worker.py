"""The delivery loop: claim due outbox messages, deliver each, settle it.

A message that fails is tried again later, each wait twice the one before
(with jitter, so a recovering server is not hit by every message at once)
up to a cap; after ``max_attempts`` it is marked ``failed`` and stays in the
table, visible in the booking's messages with its last error.

No tenant can stall the others. Deliveries run side by side in a small pool of
threads (``concurrency``), at most ``per_org`` of one organization at a time,
and each claim takes organizations in turn (`rota.notify.outbox`): a receiver
that answers slowly holds its own organization's slot, never another's. Each
request has a total deadline (`rota.outbound`, `rota.calendars.caldav_client`).
While deliveries run, a thread pushes their leases on every third of a lease,
so a delivery that takes longer than the lease is not handed to a second
worker and sent twice.
"""

from __future__ import annotations

import logging
import random
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from rota.notify.errors import DeliveryError, PermanentDeliveryError
from rota.notify.outbox import Delivery

log = logging.getLogger("rota.worker")

Handler = Callable[[Delivery], None]
"""Delivers one message of a kind, or raises ``DeliveryError``."""


class Outbox(Protocol):
    def claim(
        self,
        now: datetime,
        limit: int,
        lease: timedelta,
        *,
        per_org: int | None = None,
        busy: Mapping[str, int] | None = None,
    ) -> list[Delivery]: ...
    def extend(self, held: Mapping[str, int], until: datetime) -> set[str]: ...
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
        concurrency: int = 8,
        per_org: int = 2,
    ) -> None:
        self.outbox = outbox
        self.handlers = dict(handlers)
        self.backoff = backoff or Backoff()
        self.batch_size = batch_size
        self.lease = lease
        self.periodic = list(periodic)
        self.clock = clock
        self.concurrency = concurrency
        self.per_org = per_org
        self._lock = threading.Lock()
        self._running: dict[str, Delivery] = {}
        """The deliveries on their way, by message id: their leases are kept alive."""

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

    def _deliver_held(self, message: Delivery) -> None:
        try:
            self.deliver(message)
        finally:
            with self._lock:
                self._running.pop(message.id, None)

    def _start(self, pool: ThreadPoolExecutor, messages: list[Delivery]) -> list[Future[None]]:
        with self._lock:
            self._running.update((message.id, message) for message in messages)
        return [pool.submit(self._deliver_held, message) for message in messages]

    def extend_leases(self) -> None:
        """Push on the lease of every delivery on its way."""
        with self._lock:
            held = {m.id: m.attempts for m in self._running.values()}
        if held:
            self.outbox.extend(held, self.clock() + self.lease)

    @contextmanager
    def _keeping_leases(self) -> Iterator[None]:
        done = threading.Event()
        every = max(self.lease.total_seconds() / 3, 0.05)

        def keep() -> None:
            while not done.wait(every):
                try:
                    self.extend_leases()
                except Exception:
                    log.exception("extending the leases of outbox messages failed")

        keeper = threading.Thread(target=keep, name="rota-worker-leases", daemon=True)
        keeper.start()
        try:
            yield
        finally:
            done.set()
            keeper.join()

    def run_once(self) -> int:
        """Deliver one batch of due messages, side by side, and wait for them all;
        how many there were."""
        messages = self.outbox.claim(self.clock(), self.batch_size, self.lease)
        if not messages:
            return 0
        with (
            self._keeping_leases(),
            ThreadPoolExecutor(self.concurrency, thread_name_prefix="rota-deliver") as pool,
        ):
            wait(self._start(pool, messages))
        return len(messages)

    def _claim_fairly(self, pool: ThreadPoolExecutor) -> list[Future[None]]:
        with self._lock:
            free = self.concurrency - len(self._running)
            busy = Counter(m.org_id for m in self._running.values())
        if free <= 0:
            return []
        messages = self.outbox.claim(
            self.clock(), min(free, self.batch_size), self.lease, per_org=self.per_org, busy=busy
        )
        return self._start(pool, messages)

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
        """Deliver until ``stop`` is set, resting up to ``idle`` seconds when nothing
        more can start; deliveries on their way when it is set are finished."""
        finished = threading.Event()
        on_its_way: set[Future[None]] = set()

        def periodic() -> None:
            # Apart from delivery: a long calendar sync must not hold up the mail.
            while not stop.is_set():
                self.run_periodic()
                stop.wait(idle)

        jobs = threading.Thread(target=periodic, name="rota-worker-periodic", daemon=True)
        jobs.start()
        with (
            self._keeping_leases(),
            ThreadPoolExecutor(self.concurrency, thread_name_prefix="rota-deliver") as pool,
        ):
            while not stop.is_set():
                on_its_way = {f for f in on_its_way if not f.done()}
                finished.clear()
                try:
                    started = self._claim_fairly(pool)
                except Exception:
                    # The database may be briefly locked or unreachable: try again soon.
                    log.exception("claiming outbox messages failed")
                    started = []
                for future in started:
                    future.add_done_callback(lambda _: finished.set())
                on_its_way.update(started)
                if not started:
                    # Rest until a delivery ends (freeing a slot) or ``idle`` passes.
                    finished.wait(idle) if on_its_way else stop.wait(idle)
        jobs.join()
