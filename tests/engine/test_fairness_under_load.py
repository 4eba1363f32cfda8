"""Weights that hold when the team is busy (DESIGN.md, Fairness): hosts on duty earn
their credit even while in a meeting, and catch-up is bounded by ``catch_up_limit``."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rota.engine import (
    DAY,
    MINUTE,
    BookingType,
    HostSchedule,
    PoolMember,
    Standing,
    as_spans,
    assign,
    list_slots,
    record,
)
from tests.engine.support import ALWAYS, at, round_robin

NOW = at("2026-11-30T00:00Z")
HALF_HOUR = 30 * MINUTE


def random_busy(rng: random.Random, start: int, days: int, share: float) -> list[tuple[int, int]]:
    """Calendar events of one to four hours covering about ``share`` of the time."""
    spans, t, end = [], start, start + days * DAY
    while t < end:
        length = rng.randint(2, 8) * HALF_HOUR
        if rng.random() < share:
            spans.append((t, t + length))
        t += length
    return spans


def book_from_offers(
    booking_type: BookingType,
    schedules: dict[str, HostSchedule],
    count: int,
    rng: random.Random,
    *,
    days: int,
) -> tuple[dict[str, Standing], float]:
    """Book ``count`` times, each at a start drawn from what is offered at that moment;
    the booked host loses the time. Returns the ledger and the lowest lag ever seen."""
    ledger: dict[str, Standing] = {}
    lowest = 0.0
    first, last = NOW + DAY, NOW + (days + 1) * DAY
    for n in range(count):
        offered = list_slots(booking_type, schedules, ledger, now=NOW, start=first, end=last)
        slot = rng.choice(offered)
        decided = assign(booking_type, schedules, ledger, now=NOW, start=slot.start)
        assert decided.host_ids == slot.host_ids  # the host shown is the host booked
        held = schedules[decided.host_ids[0]]
        lost = as_spans([(decided.start, decided.end)])
        schedules[held.host_id] = replace(held, busy=np.concatenate((held.busy, lost)))
        ledger = record(ledger, decided, at=n)
        lowest = min(lowest, *(s.lag for s in ledger.values()))
    return ledger, lowest


def trio(catch_up_limit: int = 3) -> BookingType:
    return round_robin(
        PoolMember("a", weight=100),
        PoolMember("b", weight=200),
        PoolMember("c", weight=300),
        catch_up_limit=catch_up_limit,
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_busy_trio_weighted_1_2_3_gets_1_2_3(seed: int) -> None:
    rng = random.Random(seed)
    schedules = {
        # In meetings about a third of the time, on top of the bookings they take.
        h: HostSchedule(h, "UTC", ALWAYS, busy=as_spans(random_busy(rng, NOW, 40, 0.3)))
        for h in ("a", "b", "c")
    }
    ledger, lowest = book_from_offers(trio(), schedules, 600, rng, days=30)
    shares = {h: ledger[h].bookings / 600 for h in ("a", "b", "c")}
    assert shares["a"] == pytest.approx(1 / 6, abs=0.01)
    assert shares["b"] == pytest.approx(2 / 6, abs=0.01)
    assert shares["c"] == pytest.approx(3 / 6, abs=0.01)
    assert lowest >= -3 - 1e-9


def test_a_host_in_meetings_keeps_earning_down_to_the_catch_up_limit() -> None:
    first = NOW + DAY
    meetings = {"c": (first, first + 30 * HALF_HOUR)}  # c in meetings, on duty
    for limit in (1, 3, 5):
        booking_type = round_robin("a", "b", "c", catch_up_limit=limit)
        schedules = {
            h: HostSchedule(h, "UTC", ALWAYS, busy=as_spans([meetings[h]] if h in meetings else []))
            for h in ("a", "b", "c")
        }
        ledger: dict[str, Standing] = {}
        for n in range(30):
            decided = assign(booking_type, schedules, ledger, now=NOW, start=first + n * HALF_HOUR)
            assert decided.rotating_host_id != "c"
            ledger = record(ledger, decided, at=n)
            assert ledger.get("c", Standing()).lag >= -limit - 1e-9
        # c earned a third of each booking until its lag reached the floor; the rest is cut.
        assert ledger.get("c", Standing()).expected == pytest.approx(limit)
        assert ledger["a"].expected + ledger["b"].expected == pytest.approx(20)
        assert sum(s.expected for s in ledger.values()) == pytest.approx(20 + limit)


def test_a_host_back_from_meetings_catches_up_by_the_limit_and_no_more() -> None:
    first = NOW + DAY
    runs = {}
    for limit in (0, 3, 6):
        booking_type = round_robin("a", "b", "c", catch_up_limit=limit)
        busy = {"c": as_spans([(first, first + 30 * HALF_HOUR)])}
        schedules = {
            h: HostSchedule(h, "UTC", ALWAYS, busy=busy.get(h, as_spans([])))
            for h in ("a", "b", "c")
        }
        ledger: dict[str, Standing] = {}
        holders = ""
        for n in range(60):
            decided = assign(booking_type, schedules, ledger, now=NOW, start=first + n * HALF_HOUR)
            ledger = record(ledger, decided, at=n)
            holders += str(decided.rotating_host_id)
        assert holders[:30] == "ab" * 15
        back = holders[30:]
        runs[limit] = len(back) - len(back.lstrip("c"))
    # What a and b did beyond their share while c was busy comes back to c either way
    # (the cut credit is lost to everyone); the limit adds exactly its own bookings.
    assert runs[3] == runs[0] + 3
    assert runs[6] == runs[0] + 6


def test_time_off_earns_nothing_where_a_meeting_earns_a_share() -> None:
    booking_type = round_robin("a", "b", "c")
    start = NOW + DAY
    meeting = {
        h: HostSchedule(h, "UTC", ALWAYS, busy=as_spans([(start, start + DAY)] if h == "c" else []))
        for h in ("a", "b", "c")
    }
    away = {
        h: HostSchedule(
            h, "UTC", ALWAYS, time_off=as_spans([(start, start + DAY)] if h == "c" else [])
        )
        for h in ("a", "b", "c")
    }
    in_meeting = assign(booking_type, meeting, {}, now=NOW, start=start)
    on_time_off = assign(booking_type, away, {}, now=NOW, start=start)
    assert in_meeting.credits == pytest.approx({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3})
    assert on_time_off.credits == pytest.approx({"a": 1 / 2, "b": 1 / 2})
    assert "c" not in (in_meeting.rotating_host_id, on_time_off.rotating_host_id)


def test_outside_working_hours_earns_nothing() -> None:
    from rota.engine import WeeklyHours

    mornings = (WeeklyHours(frozenset(range(7)), 0, 12 * 60),)
    booking_type = round_robin("a", "b")
    schedules = {
        "a": HostSchedule("a", "UTC", ALWAYS),
        "b": HostSchedule("b", "UTC", mornings),
    }
    decided = assign(booking_type, schedules, {}, now=NOW, start=NOW + DAY + 15 * 3600)
    assert decided.credits == {"a": 1.0}


def test_a_busy_top_tier_host_earns_nothing_in_a_lower_tiers_booking() -> None:
    start = NOW + DAY
    booking_type = round_robin(PoolMember("lead", priority=4), "a", "b")
    schedules = {
        "lead": HostSchedule("lead", "UTC", ALWAYS, busy=as_spans([(start, start + DAY)])),
        "a": HostSchedule("a", "UTC", ALWAYS),
        "b": HostSchedule("b", "UTC", ALWAYS),
    }
    decided = assign(booking_type, schedules, {}, now=NOW, start=start)
    assert decided.rotating_host_id in ("a", "b")
    assert decided.credits == pytest.approx({"a": 0.5, "b": 0.5})
    later = assign(booking_type, schedules, {}, now=NOW, start=start + DAY)
    assert later.rotating_host_id == "lead"
    assert later.credits == {"lead": 1.0}


def test_a_free_top_tier_host_wins_however_far_ahead() -> None:
    booking_type = round_robin(PoolMember("lead", priority=3), "a")
    schedules = {h: HostSchedule(h, "UTC", ALWAYS) for h in ("lead", "a")}
    ahead = {"lead": Standing(500, 0.0, 1), "a": Standing(0, 40.0, None)}
    decided = assign(booking_type, schedules, ahead, now=NOW, start=NOW + DAY)
    assert decided.rotating_host_id == "lead"


def test_the_choice_counts_the_new_credits() -> None:
    # Equal lags: before the new credits a and b tie and a (smaller id) would win; after
    # them b, who earns three quarters of this booking, is the one furthest behind.
    booking_type = round_robin(PoolMember("a", weight=100), PoolMember("b", weight=300))
    schedules = {h: HostSchedule(h, "UTC", ALWAYS) for h in ("a", "b")}
    decided = assign(booking_type, schedules, {}, now=NOW, start=NOW + DAY)
    assert decided.rotating_host_id == "b"


def _pools() -> st.SearchStrategy[list[tuple[int, int, int, int]]]:
    """(weight, priority, busy share in tenths, time off days) per host."""
    return st.lists(
        st.tuples(st.integers(0, 400), st.integers(0, 2), st.integers(0, 8), st.integers(0, 3)),
        min_size=2,
        max_size=5,
    )


@settings(max_examples=40, deadline=None)
@given(_pools(), st.integers(0, 4), st.integers(1, 60), st.integers(0, 2**16))
def test_no_lag_ever_goes_below_the_catch_up_limit(pool, limit, count, seed) -> None:
    rng = random.Random(seed)
    members = [PoolMember(f"h{i}", weight=w, priority=p) for i, (w, p, _, _) in enumerate(pool)]
    booking_type = round_robin(*members, catch_up_limit=limit)
    schedules = {
        m.host_id: HostSchedule(
            m.host_id,
            "UTC",
            ALWAYS,
            busy=as_spans(random_busy(rng, NOW, 12, share / 10)),
            time_off=as_spans([(NOW + DAY, NOW + (1 + off) * DAY)] if off else []),
        )
        for m, (_, _, share, off) in zip(members, pool, strict=True)
    }
    ledger: dict[str, Standing] = {}
    for n in range(count):
        offered = list_slots(
            booking_type, schedules, ledger, now=NOW, start=NOW + DAY, end=NOW + 11 * DAY
        )
        if not offered:
            break
        decided = assign(booking_type, schedules, ledger, now=NOW, start=rng.choice(offered).start)
        assert sum(decided.credits.values()) <= 1 + 1e-9
        held = schedules[decided.host_ids[0]]
        lost = as_spans([(decided.start, decided.end)])
        schedules[held.host_id] = replace(held, busy=np.concatenate((held.busy, lost)))
        ledger = record(ledger, decided, at=n)
        assert all(s.lag >= -limit - 1e-9 for s in ledger.values())
        assert sum(s.bookings for s in ledger.values()) == n + 1
