"""Group commit: requests of one process that would queue for the same lock are
served together, in one transaction.

Bookings of a round-robin type serialize on the pool's lock (fairness decisions
must see each other), so their rate is one over the time the lock is held. A
request that arrives while another of its lane is being prepared waits here
instead of at the database. Whoever finds the lane free leads the next batch:
it reads what does not depend on the requests, takes the lock, and only then
takes every request waiting by that time (up to a limit), so that the batch
gathers all that queued while the lock was held elsewhere. Reading, locking and
committing are then paid once for the whole batch. Once a leader has taken its
batch the lane is free again: the next leader prepares while this batch holds
the lock, and takes its own batch when this one has committed.

Each request still gets its own answer: `serve` returns one result (or
refusal) per request taken, in order. If it fails as a whole, each of its
requests is served again `alone`, in its own transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
R = TypeVar("R")
T = TypeVar("T")

Take = Callable[[], list[R]]
"""Hands the leader the requests waiting now; called once, with the lock held."""


@dataclass(eq=False)
class _Entry(Generic[R, T]):
    request: R
    answer: Future[T] = field(default_factory=Future)
    taken: bool = False


@dataclass(eq=False)
class _Lane(Generic[R, T]):
    ready: threading.Condition
    """Notified whenever the lane stops being led."""
    waiting: list[_Entry[R, T]] = field(default_factory=list)
    led: bool = False
    """Someone is preparing a batch that has not taken its requests yet."""


class GroupCommit(Generic[K, R, T]):
    """Serves the requests of each lane (key) in batches."""

    def __init__(
        self,
        serve: Callable[[K, Take[R]], Sequence[T | Exception]],
        alone: Callable[[K, R], T],
        *,
        limit: int,
    ) -> None:
        self._serve, self._alone, self._limit = serve, alone, limit
        self._guard = threading.Lock()
        self._lanes: dict[K, _Lane[R, T]] = {}

    def submit(self, key: K, request: R) -> T:
        """Serve `request` in the lane `key` and return its outcome (or raise its error)."""
        mine: _Entry[R, T] = _Entry(request)
        with self._guard:
            lane = self._lanes.setdefault(key, _Lane(threading.Condition(self._guard)))
            lane.waiting.append(mine)
        while True:
            with self._guard:
                while lane.led and not mine.taken:
                    lane.ready.wait()
                if mine.taken:
                    break
                lane.led = True
            self._lead(key, lane, mine)
        return mine.answer.result()

    def _lead(self, key: K, lane: _Lane[R, T], mine: _Entry[R, T]) -> None:
        taken: list[_Entry[R, T]] = []

        def take() -> list[R]:
            with self._guard:
                taken.extend(lane.waiting[: self._limit])
                del lane.waiting[: self._limit]
                for entry in taken:
                    entry.taken = True
                self._free(key, lane)
            return [entry.request for entry in taken]

        try:
            results = self._serve(key, take)
            if len(results) != len(taken):
                raise RuntimeError("a batch must answer every request it took, in order")
            for entry, result in zip(taken, results, strict=True):
                if isinstance(result, Exception):
                    entry.answer.set_exception(result)
                else:
                    entry.answer.set_result(result)
        except Exception:
            with self._guard:
                if not taken:  # failed before taking: only the leader's own request is answered
                    lane.waiting.remove(mine)
                    mine.taken = True
                    taken.append(mine)
                    self._free(key, lane)
            for entry in taken:
                if not entry.answer.done():
                    _settle(entry.answer, self._alone, key, entry.request)
        finally:
            # Not even an interrupt may leave a waiting thread behind.
            with self._guard:
                if lane.led and not taken:
                    self._free(key, lane)
            for entry in taken:
                if not entry.answer.done():
                    entry.answer.set_exception(RuntimeError("the batch was interrupted"))

    def _free(self, key: K, lane: _Lane[R, T]) -> None:
        """Let the next leader in (called with the guard held)."""
        lane.led = False
        if not lane.waiting and self._lanes.get(key) is lane:
            del self._lanes[key]
        lane.ready.notify_all()


def _settle(answer: Future[T], alone: Callable[[K, R], T], key: K, request: R) -> None:
    try:
        answer.set_result(alone(key, request))
    except Exception as error:
        answer.set_exception(error)
