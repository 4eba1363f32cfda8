"""The fairness ledger's promises (DESIGN.md, Fairness), each shown on bookings in a row."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rota.engine import (
    DAY,
    MINUTE,
    Assignment,
    BookingType,
    HostMode,
    HostSchedule,
    PoolMember,
    Share,
    Standing,
    WeightedShare,
    as_spans,
    assign,
    distribution,
    fairness_since,
    list_slots,
    mean_relative_error,
    record,
    weighted_shares,
)
from rota.engine.fairness import Pool
from tests.engine.support import ALWAYS, Book, at, host, iso, round_robin

NOW = at("2026-11-30T00:00Z")


def free_all_day(
    *ids: str,
    away: dict[str, tuple[int, int]] | None = None,
    busy: dict[str, tuple[int, int]] | None = None,
) -> dict[str, HostSchedule]:
    """Hosts on duty around the clock; ``away`` is time off, ``busy`` a calendar event."""
    away, busy = away or {}, busy or {}
    return {
        h: HostSchedule(
            h,
            "UTC",
            ALWAYS,
            busy=as_spans([busy[h]] if h in busy else []),
            time_off=as_spans([away[h]] if h in away else []),
        )
        for h in ids
    }


def book_in_a_row(booking_type, schedules, book: Book, count: int, first: int) -> list[str]:
    """Book ``count`` back-to-back meetings from ``first``; returns who got each."""
    holders = []
    for i in range(count):
        start = first + i * booking_type.duration_minutes * MINUTE
        decided = assign(booking_type, schedules, book.ledger(), now=NOW, start=start)
        book.add(decided, made_at=NOW + len(book.rows))
        holders.append(decided.rotating_host_id)
    return holders


def test_weights_100_200_300_keep_every_lag_within_one() -> None:
    booking_type = round_robin(
        PoolMember("a", weight=100), PoolMember("b", weight=200), PoolMember("c", weight=300)
    )
    schedules = free_all_day("a", "b", "c")
    book = Book()
    for i in range(600):
        book_in_a_row(booking_type, schedules, book, 1, NOW + DAY + i * 30 * MINUTE)
        assert all(abs(s.lag) <= 1 for s in book.ledger().values())
    counts = {s.host_id: s.bookings for s in distribution(booking_type, book.ledger())}
    assert counts == {"a": 100, "b": 200, "c": 300}


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 500), min_size=2, max_size=6), st.integers(10, 120))
def test_any_weights_keep_lags_within_one_when_everyone_is_free(weights, count) -> None:
    ids = [f"h{i}" for i in range(len(weights))]
    booking_type = round_robin(
        *(PoolMember(h, weight=w) for h, w in zip(ids, weights, strict=True))
    )
    book = Book()
    book_in_a_row(booking_type, free_all_day(*ids), book, count, NOW + DAY)
    ledger = book.ledger()
    assert all(abs(s.lag) <= 1 + 1e-9 for s in ledger.values())
    assert abs(sum(s.expected for s in ledger.values()) - count) < 1e-6


def test_a_host_back_from_time_off_is_not_flooded() -> None:
    booking_type = round_robin("a", "b", "c")
    first = NOW + DAY
    away = free_all_day("a", "b", "c", away={"c": (first, first + 30 * 30 * MINUTE)})
    book = Book()
    assert "c" not in book_in_a_row(booking_type, away, book, 30, first)
    assert book.ledger().get("c", Standing()) == Standing()  # no credit while away
    after = book_in_a_row(booking_type, away, book, 30, first + 30 * 30 * MINUTE)
    assert 9 <= after.count("c") <= 11


def test_a_host_added_mid_window_is_not_flooded() -> None:
    book = Book()
    first = NOW + DAY
    book_in_a_row(round_robin("a", "b"), free_all_day("a", "b"), book, 30, first)
    after = book_in_a_row(
        round_robin("a", "b", "c"), free_all_day("a", "b", "c"), book, 30, first + 15 * 3600
    )
    assert 9 <= after.count("c") <= 11


def test_a_free_host_of_higher_priority_always_wins() -> None:
    booking_type = round_robin(PoolMember("oncall", priority=4), "a", "b")
    schedules = {
        "oncall": host("oncall", busy=[("2026-12-01T12:00Z", "2026-12-01T13:00Z")]),
        "a": host("a"),
        "b": host("b"),
    }
    slots = list_slots(
        booking_type,
        schedules,
        {"oncall": Standing(50, 0.0, 1)},
        now=NOW,
        start=at("2026-12-01T00:00Z"),
        end=at("2026-12-02T00:00Z"),
    )
    for slot in slots:
        busy = at("2026-12-01T12:00Z") <= slot.start < at("2026-12-01T13:00Z")
        assert (slot.host_ids[0] != "oncall") == busy
    # While the on-call host is busy the lower tier still takes the times.
    lunch = [iso(s.start) for s in slots if s.host_ids[0] != "oncall"]
    assert lunch == ["2026-12-01T12:00Z", "2026-12-01T12:30Z"]


def test_weight_zero_only_when_no_positive_weight_is_free() -> None:
    booking_type = round_robin(PoolMember("backup", weight=0), "a")
    schedules = {
        "backup": host("backup"),
        "a": host("a", busy=[("2026-12-01T09:00Z", "2026-12-01T10:00Z")]),
    }
    slots = list_slots(
        booking_type,
        schedules,
        {},
        now=NOW,
        start=at("2026-12-01T00:00Z"),
        end=at("2026-12-02T00:00Z"),
    )
    owners = {s.host_ids[0] for s in slots if s.start >= at("2026-12-01T10:00Z")}
    assert owners == {"a"}
    assert {s.host_ids[0] for s in slots if s.start < at("2026-12-01T10:00Z")} == {"backup"}
    decided = assign(booking_type, schedules, {}, now=NOW, start=at("2026-12-01T09:00Z"))
    # The backup steps in, but the share is a's: a is on duty, only busy in a meeting.
    assert decided.rotating_host_id == "backup"
    assert decided.credits == {"a": 1.0}
    off = {**schedules, "a": host("a", time_off=as_spans([(NOW, NOW + 3 * DAY)]))}
    covered = assign(booking_type, off, {}, now=NOW, start=at("2026-12-01T09:00Z"))
    assert covered.credits == {"backup": 1.0}  # nobody on duty with a weight: backups share


def test_a_weight_of_one_is_a_weight_not_a_backup() -> None:
    booking_type = round_robin(PoolMember("x", weight=1), PoolMember("backup", weight=0))
    decided = assign(booking_type, free_all_day("x", "backup"), {}, now=NOW, start=NOW + DAY)
    assert (decided.rotating_host_id, decided.credits) == ("x", {"x": 1.0})


def test_ties_go_to_the_least_recently_assigned_then_the_smallest_id() -> None:
    booking_type = round_robin("c", "b", "a")
    schedules = free_all_day("a", "b", "c")
    start = NOW + DAY
    even = {h: Standing(1, 1.0, t) for h, t in [("a", 30), ("b", 10), ("c", 20)]}
    assert assign(booking_type, schedules, even, now=NOW, start=start).rotating_host_id == "b"
    assert assign(booking_type, schedules, {}, now=NOW, start=start).rotating_host_id == "a"
    never = {"a": Standing(1, 1.0, 5)}
    assert assign(booking_type, schedules, never, now=NOW, start=start).rotating_host_id == "b"


def test_a_cancellation_gives_the_turn_back() -> None:
    booking_type = round_robin("a", "b", "c")
    schedules = free_all_day("a", "b", "c")
    book = Book()
    first = NOW + DAY
    assert book_in_a_row(booking_type, schedules, book, 3, first) == ["a", "b", "c"]
    book.cancel(1)  # b's booking
    assert book.ledger()["b"].bookings == 0
    assert book.ledger()["b"].expected == pytest.approx(2 / 3)  # from a's and c's bookings
    assert book_in_a_row(booking_type, schedules, book, 1, first + DAY) == ["b"]


def test_a_reassignment_moves_the_count_and_keeps_the_credits() -> None:
    booking_type = round_robin("a", "b", "c")
    schedules = free_all_day("a", "b", "c")
    book = Book()
    first = NOW + DAY
    book_in_a_row(booking_type, schedules, book, 3, first)
    book.move(0, "b", made_at=NOW + 100)  # a's booking goes to b
    ledger = book.ledger()
    assert (ledger["a"].bookings, ledger["b"].bookings) == (0, 2)
    assert ledger["a"].expected == pytest.approx(1.0)
    assert ledger["b"].expected == pytest.approx(1.0)
    # a lost the booking, so a is next in line; b took it, so b waits.
    holders = book_in_a_row(booking_type, schedules, book, 3, first + DAY)
    assert holders[0] == "a"
    assert holders.count("b") == 0


def test_distribution_sums_match() -> None:
    booking_type = round_robin(PoolMember("a", weight=50), "b", PoolMember("c", weight=300))
    book = Book()
    book_in_a_row(booking_type, free_all_day("a", "b", "c"), book, 37, NOW + DAY)
    shares = distribution(booking_type, book.ledger())
    assert sum(s.bookings for s in shares) == 37
    assert abs(sum(s.expected for s in shares) - 37) < 1e-9


def test_the_distribution_lists_the_rotating_hosts_then_former_ones_holding_bookings() -> None:
    booking_type = round_robin(
        PoolMember("b", weight=200, priority=3), "a", PoolMember("lead", fixed=True)
    )
    ledger = {
        "a": Standing(2, 1.5, 10),
        "gone": Standing(1, 0.0, 5),
        "left": Standing(0, 0.25, None),
        "idle": Standing(0, 0.0, None),
    }
    assert distribution(booking_type, ledger) == [
        Share("b", 200, 3, 0, 0.0),
        Share("a", 100, 2, 2, 1.5),
        Share("gone", 0, 0, 1, 0.0),
        Share("left", 0, 0, 0, 0.25),
    ]


def test_a_collective_distribution_lists_every_host() -> None:
    booking_type = BookingType(
        "panel", 30, HostMode.COLLECTIVE, (PoolMember("a"), PoolMember("chair", fixed=True))
    )
    assert [s.host_id for s in distribution(booking_type, {})] == ["a", "chair"]


def test_recording_a_booking_credits_the_credited_and_counts_the_holder() -> None:
    ledger = {"a": Standing(1, 0.5, 100), "b": Standing(0, 0.5, 50)}
    assignment = Assignment(NOW, NOW + 1800, ("c",), "c", {"a": 0.25, "b": 0.25, "c": 0.5})
    assert record(ledger, assignment, 200) == {
        "a": Standing(1, 0.75, 100),
        "b": Standing(0, 0.75, 50),
        "c": Standing(1, 0.5, 200),
    }


def test_a_backup_holding_a_booking_is_counted_without_credit() -> None:
    # A backup steps in while the weighted host is busy: the credit is the weighted host's.
    assignment = Assignment(NOW, NOW + 1800, ("backup",), "backup", {"a": 1.0})
    assert record({}, assignment, 200) == {
        "a": Standing(0, 1.0, None),
        "backup": Standing(1, 0.0, 200),
    }


def test_the_fairness_window_counts_back_from_now_or_all_time() -> None:
    assert fairness_since(round_robin("a", fairness_window_days=30), NOW) == NOW - 30 * DAY
    assert fairness_since(round_robin("a", fairness_window_days=1), NOW) == NOW - DAY
    assert fairness_since(round_robin("a", fairness_window_days=0), NOW) is None


def test_a_credit_is_cut_at_the_catch_up_limit_counting_the_booking_just_taken() -> None:
    # "a" is 3.5 behind: holding this booking brings it to -2.5, so of its 0.9 it may
    # earn 0.5 before its lag would go below -3; "b" keeps its whole credit.
    pool = Pool([PoolMember("a"), PoolMember("b")], {"a": Standing(0, 3.5, None)})
    cut = pool.cut(np.array([0.9, 0.1]), 0, 3)
    assert cut.tolist() == pytest.approx([0.5, 0.1])


def test_shares_are_weighed_within_each_priority_tier() -> None:
    shares = [
        Share("a", 100, 2, 2, 1.0),
        Share("b", 300, 2, 2, 3.0),
        Share("c", 100, 3, 0, 0.0),
        Share("gone", 0, 0, 2, 0.0),
    ]
    assert weighted_shares(shares) == [
        WeightedShare("a", 0.5, 0.25),
        WeightedShare("b", 0.5, 0.75),
        WeightedShare("c", 0.0, 1.0),
        WeightedShare("gone", 1.0, 0.0),
    ]
    # Over the weighted hosts of tiers that took bookings: |0.5-0.25|/0.25 and
    # |0.5-0.75|/0.75; "c"'s tier took none and "gone" has no weight.
    assert mean_relative_error(shares) == pytest.approx((1.0 + 1 / 3) / 2)
    assert mean_relative_error([Share("a", 100, 2, 0, 0.0)]) is None
