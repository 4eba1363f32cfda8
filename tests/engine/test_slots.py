"""Which times are offered: buffers, notice, window, interval, modes, the free-time invariant."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from rota.engine import (
    DAY,
    MINUTE,
    HostMode,
    HostSchedule,
    PoolMember,
    Rotation,
    WeeklyHours,
    as_spans,
    assign,
    list_slots,
)
from rota.engine.availability import zone
from tests.engine.support import at, host, iso, round_robin, team

NOW = at("2026-11-30T00:00Z")  # a Monday


def starts(booking_type, schedules, start="2026-11-30T00:00Z", end="2026-12-01T00:00Z", now=NOW):
    slots = list_slots(
        booking_type, {s.host_id: s for s in schedules}, {}, now=now, start=at(start), end=at(end)
    )
    return [iso(s.start) for s in slots]


def test_solo_offers_the_working_day_minus_busy_time() -> None:
    ada = host("ada", busy=[("2026-11-30T10:15Z", "2026-11-30T11:00Z")])
    offered = starts(team(HostMode.SOLO, ["ada"]), [ada])
    assert offered[:3] == ["2026-11-30T09:00Z", "2026-11-30T09:30Z", "2026-11-30T11:00Z"]
    assert offered[-1] == "2026-11-30T16:30Z"
    assert len(offered) == 14


def test_buffers_widen_the_meeting_inside_working_hours_and_around_busy_time() -> None:
    ada = host("ada", busy=[("2026-11-30T12:00Z", "2026-11-30T12:30Z")])
    booking_type = team(HostMode.SOLO, ["ada"], buffer_before_minutes=15, buffer_after_minutes=15)
    offered = starts(booking_type, [ada])
    assert "2026-11-30T09:00Z" not in offered  # its buffer would begin at 08:45
    assert "2026-11-30T09:30Z" in offered
    assert "2026-11-30T11:30Z" not in offered  # its buffer runs into the 12:00 busy block
    assert "2026-11-30T12:30Z" not in offered
    assert "2026-11-30T13:00Z" in offered
    assert offered[-1] == "2026-11-30T16:00Z"


def test_minimum_notice_and_booking_window() -> None:
    ada = host("ada")
    noon = at("2026-11-30T12:00Z")
    booking_type = team(HostMode.SOLO, ["ada"], minimum_notice_minutes=90, booking_window_days=2)
    offered = starts(booking_type, [ada], end="2026-12-10T00:00Z", now=noon)
    assert offered[0] == "2026-11-30T13:30Z"
    assert offered[-1] == "2026-12-02T11:30Z"


def test_slot_interval_sets_the_grid() -> None:
    booking_type = team(HostMode.SOLO, ["ada"], 60, slot_interval_minutes=15)
    offered = starts(booking_type, [host("ada")])
    assert offered[:3] == ["2026-11-30T09:00Z", "2026-11-30T09:15Z", "2026-11-30T09:30Z"]
    assert offered[-1] == "2026-11-30T16:00Z"


def test_collective_needs_everyone_free_and_books_everyone() -> None:
    london = host("ada", "Europe/London")
    new_york = host("grace", "America/New_York", busy=[("2026-11-30T15:00Z", "2026-11-30T16:00Z")])
    booking_type = team(HostMode.COLLECTIVE, ["ada", "grace"])
    slots = list_slots(
        booking_type,
        {"ada": london, "grace": new_york},
        {},
        now=NOW,
        start=at("2026-11-30T00:00Z"),
        end=at("2026-12-01T00:00Z"),
    )
    assert [iso(s.start) for s in slots] == [
        "2026-11-30T14:00Z",
        "2026-11-30T14:30Z",
        "2026-11-30T16:00Z",
        "2026-11-30T16:30Z",
    ]
    assert all(s.host_ids == ("ada", "grace") for s in slots)


def test_fixed_hosts_must_be_free_and_join_every_booking() -> None:
    lead = host("lead", busy=[("2026-11-30T09:00Z", "2026-11-30T12:00Z")])
    booking_type = round_robin("a", "b", PoolMember("lead", fixed=True))
    slots = list_slots(
        booking_type,
        {"a": host("a"), "b": host("b"), "lead": lead},
        {},
        now=NOW,
        start=at("2026-11-30T00:00Z"),
        end=at("2026-12-01T00:00Z"),
    )
    assert iso(slots[0].start) == "2026-11-30T12:00Z"
    assert all(s.host_ids[1:] == ("lead",) and s.host_ids[0] in {"a", "b"} for s in slots)


def test_strict_rotation_offers_only_the_next_hosts_times() -> None:
    a = host("a", busy=[("2026-11-30T09:00Z", "2026-11-30T13:00Z")])
    booking_type = round_robin("a", "b", rotation=Rotation.STRICT)
    offered = starts(booking_type, [a, host("b")])
    assert offered[0] == "2026-11-30T13:00Z"  # "a" is next in line (never assigned, smallest id)
    availability = starts(round_robin("a", "b"), [a, host("b")])
    assert availability[0] == "2026-11-30T09:00Z"


def test_daily_cap_counts_the_hosts_own_day() -> None:
    # 23:30 in New York on Monday is Tuesday in UTC: it still fills Monday's cap.
    ny = WeeklyHours(frozenset(range(7)), 0, 1440)
    monday_late = at("2026-12-01T04:30Z")
    a = HostSchedule("a", "America/New_York", working_hours=(ny,), booked_starts=(monday_late,))
    b = HostSchedule("b", "America/New_York", working_hours=(ny,))
    booking_type = round_robin("a", "b", max_bookings_per_host_per_day=1)
    slots = list_slots(
        booking_type,
        {"a": a, "b": b},
        {},
        now=NOW,
        start=at("2026-11-30T12:00Z"),
        end=at("2026-12-01T12:00Z"),
    )
    monday = [s for s in slots if s.start < at("2026-12-01T05:00Z")]
    tuesday = [s for s in slots if s.start >= at("2026-12-01T05:00Z")]
    assert {s.host_ids for s in monday} == {("b",)}
    assert ("a",) in {s.host_ids for s in tuesday}


def test_a_booking_gets_the_host_its_slot_showed() -> None:
    schedules = {h: host(h, tz) for h, tz in [("a", "Europe/London"), ("b", "America/New_York")]}
    booking_type = round_robin(PoolMember("a", weight=300), "b")
    slots = list_slots(booking_type, schedules, {}, now=NOW, start=NOW, end=NOW + DAY)
    for slot in slots:
        decided = assign(booking_type, schedules, {}, now=NOW, start=slot.start)
        assert decided.host_ids == slot.host_ids


# --- the free-time invariant, against an oracle that reads wall clocks forwards ----------

ZONES = ["UTC", "Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Adelaide"]


def works_at(schedule: HostSchedule, instant: int) -> bool:
    local = datetime.fromtimestamp(instant, zone(schedule.timezone))
    minute = local.hour * 60 + local.minute
    return any(
        local.weekday() in h.days and h.start <= minute < h.end for h in schedule.working_hours
    )


def oracle_free(schedule: HostSchedule, start: int, end: int) -> bool:
    if any(b_start < end and start < b_end for b_start, b_end in schedule.busy.tolist()):
        return False
    return all(works_at(schedule, t) for t in range(start, end, 5 * MINUTE))


@st.composite
def pools(draw: st.DrawFn) -> tuple[list[HostSchedule], int, int]:
    size = draw(st.integers(1, 4))
    schedules = []
    for i in range(size):
        day_start = draw(st.integers(0, 20)) * 60
        day_end = draw(st.integers(day_start // 60 + 1, 24)) * 60
        hours = (
            WeeklyHours(
                frozenset(draw(st.sets(st.integers(0, 6), min_size=1))), day_start, day_end
            ),
        )
        busy = [
            (NOW + b * 15 * MINUTE, NOW + b * 15 * MINUTE + length * 15 * MINUTE)
            for b, length in draw(
                st.lists(st.tuples(st.integers(0, 4 * 24 * 4), st.integers(1, 16)), max_size=12)
            )
        ]
        schedules.append(
            HostSchedule(f"h{i}", draw(st.sampled_from(ZONES)), hours, busy=as_spans(busy))
        )
    before = draw(st.sampled_from([0, 5, 15]))
    after = draw(st.sampled_from([0, 10]))
    return schedules, before, after


@settings(max_examples=60, deadline=None)
@given(pools(), st.sampled_from(list(HostMode)), st.sampled_from([15, 30, 45]))
def test_every_slot_lies_in_its_hosts_free_time(pool, mode, duration) -> None:
    schedules, before, after = pool
    ids = [s.host_id for s in schedules]
    if mode == HostMode.SOLO:
        ids = ids[:1]
    booking_type = team(
        mode, ids, duration, buffer_before_minutes=before, buffer_after_minutes=after
    )
    by_id = {s.host_id: s for s in schedules}
    slots = list_slots(booking_type, by_id, {}, now=NOW, start=NOW, end=NOW + 4 * DAY)
    for slot in slots:
        widened = (slot.start - before * MINUTE, slot.end + after * MINUTE)
        for host_id in slot.host_ids:
            assert oracle_free(by_id[host_id], *widened), (iso(slot.start), host_id)
        if mode == HostMode.COLLECTIVE:
            assert set(slot.host_ids) == set(ids)


@settings(max_examples=40, deadline=None)
@given(pools())
def test_solo_misses_no_free_time_on_its_grid(pool) -> None:
    schedules, before, after = pool
    only = schedules[0]
    booking_type = team(
        HostMode.SOLO, [only.host_id], 30, buffer_before_minutes=before, buffer_after_minutes=after
    )
    offered = {
        s.start
        for s in list_slots(
            booking_type, {only.host_id: only}, {}, now=NOW, start=NOW, end=NOW + 3 * DAY
        )
    }
    # Hours start on whole local hours and every zone here is a whole or half hour off
    # UTC, so each free half-hour start is on the host's grid and must be offered.
    for t in range(NOW, NOW + 3 * DAY, 30 * MINUTE):
        if oracle_free(only, t - before * MINUTE, t + 30 * MINUTE + after * MINUTE):
            assert t in offered, iso(t)


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(ZONES),
    st.sampled_from([(0, 1440), (22 * 60, 1440), (60, 23 * 60)]),
    st.sampled_from([25, 45, 50]),
    st.integers(0, 40),
    st.integers(1, 15),
)
def test_a_days_times_do_not_depend_on_the_range_asked(tz, hours, duration, skip, span) -> None:
    # Hours that run into the next day, with a step that does not divide them, across the
    # March and October daylight-saving changes: each listed time can be booked, and
    # asking for a shorter range lists the same times for the days it covers.
    schedule = HostSchedule("a", tz, (WeeklyHours(frozenset(range(7)), *hours),))
    booking_type = team(HostMode.SOLO, ["a"], duration, booking_window_days=400)
    now = at("2027-03-15T00:00Z")
    everything = list_slots(
        booking_type, {"a": schedule}, {}, now=now, start=now, end=now + 60 * DAY
    )
    lo = now + skip * DAY + 3600
    part = list_slots(booking_type, {"a": schedule}, {}, now=now, start=lo, end=lo + span * DAY)
    assert [s.start for s in part] == [
        s.start for s in everything if lo <= s.start < lo + span * DAY
    ]
    for slot in part[:: max(1, len(part) // 10)]:
        assert assign(booking_type, {"a": schedule}, {}, now=now, start=slot.start).host_ids == (
            "a",
        )
