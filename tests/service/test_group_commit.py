"""Group commit: requests that queue while a batch is being prepared are served in the
next batch, each with its own answer, and a failed batch falls back to one by one."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from rota.service.group_commit import GroupCommit, Take


def queued(desk: GroupCommit[str, int, int], lane: str, count: int) -> None:
    """Wait until `count` requests wait in the lane (they queue behind a leader)."""
    deadline = time.monotonic() + 10
    while len(desk._lanes[lane].waiting) < count:
        assert time.monotonic() < deadline, "the requests did not queue"
        time.sleep(0.001)


def alone(_lane: str, request: int) -> int:
    return -request


def behind_a_stalled_leader(
    desk: GroupCommit[str, int, int],
    pool: ThreadPoolExecutor,
    calls: list[list[int]],
    release: threading.Event,
) -> tuple[Future[int], list[Future[int]]]:
    """Request 1 leads and stalls in `serve` (which notes its call, then waits for
    `release`) while requests 2 and 3 queue behind it; then `release` is set."""
    leader = pool.submit(desk.submit, "rr", 1)
    while not calls:
        time.sleep(0.001)
    others = [pool.submit(desk.submit, "rr", n) for n in (2, 3)]
    queued(desk, "rr", 3)
    release.set()
    return leader, others


def test_requests_that_queue_while_the_leader_waits_for_the_lock_join_its_batch() -> None:
    locked = threading.Event()
    batches: list[list[int]] = []

    def serve(_lane: str, take: Take[int]) -> Sequence[int | Exception]:
        locked.wait()  # the leader waits for the database lock before it takes
        requests = take()
        batches.append(requests)
        return [ValueError(r) if r == 3 else r * 10 for r in requests]

    desk = GroupCommit(serve, alone, limit=16)
    with ThreadPoolExecutor(5) as pool:
        first = pool.submit(desk.submit, "rr", 1)
        while "rr" not in desk._lanes or not desk._lanes["rr"].led:
            time.sleep(0.001)
        others = [pool.submit(desk.submit, "rr", n) for n in (2, 3, 4)]
        queued(desk, "rr", 4)
        locked.set()
        assert first.result() == 10
        assert (others[0].result(), others[2].result()) == (20, 40)
        with pytest.raises(ValueError):
            others[1].result()
    assert batches == [[1, 2, 3, 4]]
    assert desk._lanes == {}


def test_a_batch_that_fails_serves_each_of_its_requests_alone() -> None:
    taken: list[list[int]] = []

    def serve(_lane: str, take: Take[int]) -> Sequence[int | Exception]:
        taken.append(take())
        raise RuntimeError("lost a race")

    desk = GroupCommit(serve, alone, limit=16)
    assert desk.submit("rr", 7) == -7
    assert taken == [[7]]


def test_a_failure_before_taking_answers_the_leader_alone_and_leaves_the_others_queued() -> None:
    release = threading.Event()
    calls: list[list[int]] = []

    def serve(_lane: str, take: Take[int]) -> Sequence[int | Exception]:
        if not calls:
            calls.append([])
            release.wait()
            raise RuntimeError("the database is gone")
        requests = take()
        calls.append(requests)
        return requests

    desk = GroupCommit(serve, alone, limit=16)
    with ThreadPoolExecutor(3) as pool:
        leader, others = behind_a_stalled_leader(desk, pool, calls, release)
        assert leader.result() == -1
        assert [f.result() for f in others] == [2, 3]
    assert calls == [[], [2, 3]]


def test_a_batch_takes_at_most_the_limit_and_the_rest_come_next() -> None:
    locked = threading.Event()
    batches: list[list[int]] = []

    def serve(_lane: str, take: Take[int]) -> Sequence[int | Exception]:
        locked.wait()
        requests = take()
        batches.append(requests)
        return list(requests)

    desk = GroupCommit(serve, alone, limit=2)
    with ThreadPoolExecutor(5) as pool:
        futures: list[Future[int]] = [pool.submit(desk.submit, "rr", 1)]
        while "rr" not in desk._lanes or not desk._lanes["rr"].led:
            time.sleep(0.001)
        futures += [pool.submit(desk.submit, "rr", n) for n in (2, 3, 4, 5)]
        queued(desk, "rr", 5)
        locked.set()
        assert [f.result() for f in futures] == [1, 2, 3, 4, 5]
    assert batches[0] == [1, 2]
    assert sorted(r for batch in batches for r in batch) == [1, 2, 3, 4, 5]
    assert all(len(batch) <= 2 for batch in batches)


def test_the_next_leader_prepares_while_the_batch_before_holds_the_lock() -> None:
    holding = threading.Event()
    finish = threading.Event()
    preparing = threading.Event()

    def serve(_lane: str, take: Take[int]) -> Sequence[int | Exception]:
        if holding.is_set():
            preparing.set()  # entered while the first batch has not committed
            return take()
        requests = take()
        holding.set()
        finish.wait()
        return requests

    desk = GroupCommit(serve, alone, limit=16)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(desk.submit, "rr", 1)
        holding.wait(10)
        second = pool.submit(desk.submit, "rr", 2)
        assert preparing.wait(10)
        assert second.result() == 2
        finish.set()
        assert first.result() == 1


def test_a_lane_is_not_held_up_by_another_lanes_batch() -> None:
    """Bookings of one type go through while a batch of another type holds its lock."""
    leading, release = threading.Event(), threading.Event()
    batches: list[tuple[str, list[int]]] = []

    def serve(lane: str, take: Take[int]) -> Sequence[int | Exception]:
        if lane == "a":
            leading.set()
            release.wait()  # lane a's leader waits for its lock
        requests = take()
        batches.append((lane, requests))
        return [r * 10 for r in requests]

    desk = GroupCommit(serve, alone, limit=16)
    with ThreadPoolExecutor(2) as pool:
        a = pool.submit(desk.submit, "a", 1)
        assert leading.wait(10)
        b = pool.submit(desk.submit, "b", 2)
        try:
            assert b.result(timeout=10) == 20
            assert not a.done()
        finally:
            release.set()
        assert a.result() == 10
    assert batches == [("b", [2]), ("a", [1])]


def test_a_leader_failing_alone_before_taking_leaves_no_lane_behind() -> None:
    def serve(_lane: str, take: Take[int]) -> Sequence[int | Exception]:
        raise RuntimeError("the database is gone")

    desk = GroupCommit(serve, alone, limit=16)
    assert desk.submit("rr", 4) == -4
    assert desk._lanes == {}


def test_a_leader_interrupted_before_taking_lets_the_waiting_requests_through() -> None:
    """A KeyboardInterrupt (or any BaseException) in the leader's thread before it takes
    its batch: the leader's request fails with it, the others queued behind it are
    still served, by the next leader."""
    release = threading.Event()
    calls: list[list[int]] = []

    def serve(_lane: str, take: Take[int]) -> Sequence[int | Exception]:
        if not calls:
            calls.append([])
            release.wait()
            raise KeyboardInterrupt
        requests = take()
        calls.append(requests)
        return [r * 10 for r in requests]

    desk = GroupCommit(serve, alone, limit=16)
    with ThreadPoolExecutor(3) as pool:
        leader, others = behind_a_stalled_leader(desk, pool, calls, release)
        with pytest.raises(KeyboardInterrupt):
            leader.result(timeout=10)
        assert [f.result(timeout=10) for f in others] == [20, 30]
    assert desk._lanes == {}
