"""Choosing who takes over a booking: automatic, manual, collective and refusals."""

from __future__ import annotations

import pytest

from rota.engine import (
    FromHostRequired,
    HostMode,
    HostNotInPool,
    HostUnavailable,
    InvalidRequest,
    Meeting,
    NoHostAvailable,
    NotATeamBooking,
    PoolMember,
    RoutingError,
    Standing,
    WeeklyHours,
    reassign,
)
from tests.engine.support import at, host, round_robin, team

TEN = at("2026-12-01T10:00Z")
MEETING = Meeting(TEN, TEN + 1800, ("a",), "a")


def schedules(*ids: str, busy: tuple[str, ...] = ()) -> dict:
    ten_thirty = [("2026-12-01T10:00Z", "2026-12-01T10:30Z")]
    return {h: host(h, busy=ten_thirty if h in busy else []) for h in ids}


def test_auto_picks_the_fairest_free_host_other_than_the_current_one() -> None:
    booking_type = round_robin("a", "b", "c", "d")
    ledger = {"b": Standing(3, 1.0, 1), "c": Standing(1, 1.0, 2), "d": Standing(0, 1.0, 3)}
    chosen = reassign(
        booking_type,
        schedules("a", "b", "c", "d", busy=("d",)),
        ledger,
        MEETING,
        from_host_id=None,
        to_host_id=None,
    )
    assert (chosen.from_host_ids, chosen.host_ids, chosen.by) == (("a",), ("c",), "auto")
    assert chosen.rotating_host_id == "c"


def test_auto_respects_priority() -> None:
    booking_type = round_robin("a", "b", PoolMember("senior", priority=3))
    ledger = {"senior": Standing(9, 0.0, 1)}
    chosen = reassign(
        booking_type,
        schedules("a", "b", "senior"),
        ledger,
        MEETING,
        from_host_id=None,
        to_host_id=None,
    )
    assert chosen.host_ids == ("senior",)


def test_auto_with_nobody_free() -> None:
    with pytest.raises(NoHostAvailable):
        reassign(
            round_robin("a", "b"),
            schedules("a", "b", busy=("b",)),
            {},
            MEETING,
            from_host_id=None,
            to_host_id=None,
        )


def test_manual_checks_the_pool_and_freedom() -> None:
    booking_type = round_robin("a", "b", "c")
    hosts = schedules("a", "b", "c", "x", busy=("b",))
    with pytest.raises(HostNotInPool):
        reassign(booking_type, hosts, {}, MEETING, from_host_id=None, to_host_id="x")
    with pytest.raises(HostUnavailable):
        reassign(booking_type, hosts, {}, MEETING, from_host_id=None, to_host_id="b")
    with pytest.raises(HostUnavailable):
        reassign(booking_type, hosts, {}, MEETING, from_host_id=None, to_host_id="a")
    chosen = reassign(booking_type, hosts, {}, MEETING, from_host_id=None, to_host_id="c")
    assert (chosen.host_ids, chosen.by) == (("c",), "manual")


def test_manual_outside_working_hours_is_unavailable() -> None:
    evening = Meeting(at("2026-12-01T19:00Z"), at("2026-12-01T19:30Z"), ("a",), "a")
    with pytest.raises(HostUnavailable):
        reassign(
            round_robin("a", "b"),
            schedules("a", "b"),
            {},
            evening,
            from_host_id=None,
            to_host_id="b",
        )


def test_solo_cannot_be_reassigned() -> None:
    with pytest.raises(NotATeamBooking):
        reassign(
            team(HostMode.SOLO, ["a"]),
            schedules("a"),
            {},
            MEETING,
            from_host_id=None,
            to_host_id=None,
        )


def test_collective_says_who_leaves() -> None:
    panel = team(HostMode.COLLECTIVE, ["a", "b", "c"])
    meeting = Meeting(TEN, TEN + 1800, ("a", "b"))
    hosts = schedules("a", "b", "c")
    with pytest.raises(FromHostRequired) as refused:
        reassign(panel, hosts, {}, meeting, from_host_id=None, to_host_id="c")
    assert refused.value.code == "invalid_request"
    with pytest.raises(InvalidRequest):
        reassign(panel, hosts, {}, meeting, from_host_id="c", to_host_id=None)
    chosen = reassign(panel, hosts, {}, meeting, from_host_id="a", to_host_id=None)
    assert (chosen.from_host_ids, chosen.to_host_ids, chosen.host_ids) == (
        ("a",),
        ("c",),
        ("c", "b"),
    )


def test_fixed_host_stays_when_the_rotating_host_moves() -> None:
    booking_type = round_robin("a", "b", PoolMember("lead", fixed=True))
    meeting = Meeting(TEN, TEN + 1800, ("a", "lead"), "a")
    hosts = schedules("a", "b", "lead")
    with pytest.raises(FromHostRequired):
        reassign(booking_type, hosts, {}, meeting, from_host_id=None, to_host_id=None)
    chosen = reassign(booking_type, hosts, {}, meeting, from_host_id="a", to_host_id=None)
    assert (chosen.host_ids, chosen.rotating_host_id) == (("b", "lead"), "b")


def test_auto_chooses_on_the_lag_as_it_stands_then_by_rank() -> None:
    # No new credits are earned by a reassignment: with everyone's lag at zero the
    # never-assigned host with the smallest id takes it, however heavy another's weight.
    booking_type = round_robin("a", "b", PoolMember("c", weight=300))
    chosen = reassign(
        booking_type, schedules("a", "b", "c"), {}, MEETING, from_host_id=None, to_host_id=None
    )
    assert chosen.host_ids == ("b",)


def test_auto_keeps_the_daily_cap() -> None:
    earlier = (at("2026-12-01T08:00Z"),)
    hosts = schedules("a", "c")
    hosts["b"] = host("b", booked_starts=earlier)
    booking_type = round_robin("a", "b", "c", max_bookings_per_host_per_day=1)
    chosen = reassign(booking_type, hosts, {}, MEETING, from_host_id=None, to_host_id=None)
    assert chosen.host_ids == ("c",)


def test_auto_keeps_both_buffers_clear() -> None:
    hosts = {
        "a": host("a"),
        "b": host("b", busy=[("2026-12-01T09:40Z", "2026-12-01T09:50Z")]),
        "c": host("c", busy=[("2026-12-01T10:40Z", "2026-12-01T10:50Z")]),
        "d": host("d"),
    }
    booking_type = round_robin(
        "a", "b", "c", "d", buffer_before_minutes=15, buffer_after_minutes=15
    )
    chosen = reassign(booking_type, hosts, {}, MEETING, from_host_id=None, to_host_id=None)
    assert chosen.host_ids == ("d",)


@pytest.mark.parametrize(
    ("start", "buffers"),
    [
        ("2026-12-02T00:00Z", {"buffer_before_minutes": 15}),
        ("2026-12-01T23:20Z", {"buffer_after_minutes": 15}),
    ],
)
def test_a_buffer_may_reach_into_the_next_or_previous_day(start, buffers) -> None:
    around_the_clock = (WeeklyHours(frozenset(range(7)), 0, 1440),)
    hosts = {h: host(h, hours=around_the_clock) for h in ("a", "b")}
    meeting = Meeting(at(start), at(start) + 1800, ("a",), "a")
    booking_type = round_robin("a", "b", **buffers)
    chosen = reassign(booking_type, hosts, {}, meeting, from_host_id=None, to_host_id=None)
    assert chosen.host_ids == ("b",)
    assert reassign(booking_type, hosts, {}, meeting, from_host_id=None, to_host_id="b")


def test_auto_never_makes_a_fixed_host_the_rotating_one() -> None:
    # The boss (a fixed host) was replaced on this booking by hand; moving "c" on must not bring the
    # boss back as the rotating host.
    booking_type = round_robin("c", "d", "x", PoolMember("boss", fixed=True))
    meeting = Meeting(TEN, TEN + 1800, ("c", "x"), "c")
    hosts = schedules("c", "d", "x", "boss")
    chosen = reassign(booking_type, hosts, {}, meeting, from_host_id="c", to_host_id=None)
    assert (chosen.host_ids, chosen.rotating_host_id) == (("d", "x"), "d")


def refusal(error: pytest.ExceptionInfo[RoutingError]) -> tuple[str, str, object]:
    return error.value.code, error.value.message, error.value.details


def test_each_refusal_says_why_in_words_and_fields() -> None:
    booking_type = round_robin("a", "b", "c")
    hosts = schedules("a", "b", "c", "x", busy=("b",))
    cases = [
        (
            team(HostMode.SOLO, ["a"]),
            MEETING,
            None,
            None,
            "not_a_team_booking",
            "A solo booking type has one host: there is nobody to move it to.",
            None,
        ),
        (
            booking_type,
            MEETING,
            None,
            "x",
            "host_not_in_pool",
            "That host is not in this booking type's host pool.",
            None,
        ),
        (
            booking_type,
            MEETING,
            None,
            "a",
            "host_unavailable",
            "That host is already on this booking.",
            None,
        ),
        (
            booking_type,
            MEETING,
            None,
            "b",
            "host_unavailable",
            "That host is not free at the booking's time.",
            None,
        ),
        (
            round_robin("a", "b"),
            MEETING,
            None,
            None,
            "no_host_available",
            "No other host of the pool is free at the booking's time.",
            None,
        ),
        (
            team(HostMode.COLLECTIVE, ["a", "b", "c"]),
            Meeting(TEN, TEN + 1800, ("a", "c")),
            None,
            None,
            "invalid_request",
            "This booking has several hosts: say which one leaves with from_host_id.",
            {"from_host_id": "required when the booking has several hosts"},
        ),
        (
            booking_type,
            MEETING,
            "c",
            None,
            "invalid_request",
            "from_host_id is not a host of this booking.",
            {"from_host_id": "not a host of this booking"},
        ),
    ]
    for bt, meeting, from_host, to_host, *expected in cases:
        with pytest.raises(RoutingError) as refused:
            reassign(bt, hosts, {}, meeting, from_host_id=from_host, to_host_id=to_host)
        assert refusal(refused) == tuple(expected)
        assert str(refused.value) == expected[1]
