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
    Standing,
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
