"""Which times are offered: buffers, notice, window, interval, modes, the free-time invariant."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from rota.engine import (
    DAY,
    MINUTE,
    HostMode,
    HostSchedule,
    PoolMember,
    Rotation,
    Slot,
    SlotUnavailable,
    WeeklyHours,
    as_spans,
    assign,
    list_slots,
    widen,
)
from rota.engine.availability import zone
from tests.engine.support import at, clock_changes, host, iso, round_robin, team

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


def test_buffers_are_minutes_not_moments() -> None:
    # A busy block ten minutes after a meeting's end, or ten minutes before its start,
    # still lies inside the 15-minute buffers.
    ada = host("ada", busy=[("2026-11-30T12:40Z", "2026-11-30T12:50Z")])
    booking_type = team(HostMode.SOLO, ["ada"], buffer_before_minutes=15, buffer_after_minutes=15)
    offered = starts(booking_type, [ada])
    assert "2026-11-30T11:30Z" in offered
    assert "2026-11-30T12:00Z" not in offered
    assert "2026-11-30T13:00Z" not in offered
    assert "2026-11-30T13:30Z" in offered


def test_a_pool_host_without_a_schedule_is_an_error_naming_it() -> None:
    with pytest.raises(ValueError, match=r"no schedule for pool hosts \['grace'\]"):
        starts(team(HostMode.COLLECTIVE, ["ada", "grace"]), [host("ada")])


def test_minimum_notice_and_booking_window() -> None:
    ada = host("ada")
    noon = at("2026-11-30T12:00Z")
    booking_type = team(HostMode.SOLO, ["ada"], minimum_notice_minutes=90, booking_window_days=2)
    offered = starts(booking_type, [ada], end="2026-12-10T00:00Z", now=noon)
    assert offered[0] == "2026-11-30T13:30Z"
    assert offered[-1] == "2026-12-02T11:30Z"


def test_a_slot_ends_one_duration_after_it_starts() -> None:
    slots = list_slots(
        team(HostMode.SOLO, ["ada"], 45),
        {"ada": host("ada")},
        {},
        now=NOW,
        start=NOW,
        end=NOW + DAY,
    )
    assert slots and all(s.end == s.start + 45 * MINUTE for s in slots)


def test_nothing_is_offered_past_the_booking_window() -> None:
    booking_type = team(HostMode.SOLO, ["ada"], booking_window_days=2)
    assert starts(booking_type, [host("ada")], "2026-12-03T00:00Z", "2026-12-04T00:00Z") == []


def test_a_booking_loses_its_buffers_too() -> None:
    assert widen(1000, 2000, 15, 10) == (1000 - 15 * MINUTE, 2000 + 10 * MINUTE)


def test_assign_refuses_a_time_not_offered_and_says_why() -> None:
    ada = host("ada", busy=[("2026-11-30T10:00Z", "2026-11-30T11:00Z")])
    booking_type = team(HostMode.SOLO, ["ada"], minimum_notice_minutes=60)
    too_soon = "That time is not offered: it is too soon or beyond the booking window."
    cases = [
        (NOW + 1800, too_soon),
        (NOW + 3599, too_soon),  # one second short of the notice
        (at("2026-11-30T20:00Z"), "That time is not offered: it is outside the hosts' hours."),
        (at("2026-11-30T10:00Z"), "That time is no longer available: the host is busy then."),
    ]
    for start, message in cases:
        with pytest.raises(SlotUnavailable) as refused:
            assign(booking_type, {"ada": ada}, {}, now=NOW, start=start)
        assert str(refused.value) == message, iso(start)
    taken = assign(booking_type, {"ada": ada}, {}, now=NOW, start=at("2026-11-30T09:00Z"))
    assert (taken.start, taken.end, taken.host_ids) == (
        at("2026-11-30T09:00Z"),
        at("2026-11-30T09:30Z"),
        ("ada",),
    )
    assert (taken.rotating_host_id, taken.credits) == (None, {})


def test_slot_interval_sets_the_grid() -> None:
    booking_type = team(HostMode.SOLO, ["ada"], 60, slot_interval_minutes=15)
    offered = starts(booking_type, [host("ada")])
    assert offered[:3] == ["2026-11-30T09:00Z", "2026-11-30T09:15Z", "2026-11-30T09:30Z"]
    assert offered[-1] == "2026-11-30T16:00Z"


def test_each_working_span_has_its_own_grid_ending_before_its_end() -> None:
    # Ada's day ends at 17:00, where no time of her grid starts; Bob's evening shift
    # starts at 16:50. A time at 17:00 would fit Bob, but lies on nobody's grid.
    bob = host("bob", hours=(WeeklyHours(frozenset(range(7)), 16 * 60 + 50, 17 * 60 + 50),))
    offered = starts(round_robin("ada", "bob"), [host("ada"), bob])
    assert offered[-3:] == ["2026-11-30T16:30Z", "2026-11-30T16:50Z", "2026-11-30T17:20Z"]


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


def test_fixed_hosts_do_not_shape_the_grid() -> None:
    # The lead's day starts at 09:15, but the times stay on the rotating hosts' half hours.
    lead = host("lead", hours=(WeeklyHours(frozenset(range(7)), 9 * 60 + 15, 17 * 60),))
    booking_type = round_robin("a", PoolMember("lead", fixed=True))
    assert starts(booking_type, [host("a"), lead])[:2] == ["2026-11-30T09:30Z", "2026-11-30T10:00Z"]


def test_a_buffer_before_the_first_time_asked_for_reaches_into_the_day_before() -> None:
    always = host("ada", hours=(WeeklyHours(frozenset(range(7)), 0, 1440),))
    booking_type = team(HostMode.SOLO, ["ada"], buffer_before_minutes=15)
    offered = starts(booking_type, [always], "2026-12-01T00:00Z", "2026-12-01T02:00Z")
    assert offered[0] == "2026-12-01T00:00Z"


def test_strict_rotation_offers_only_the_next_hosts_times() -> None:
    a = host("a", busy=[("2026-11-30T09:00Z", "2026-11-30T13:00Z")])
    booking_type = round_robin("a", "b", rotation=Rotation.STRICT)
    offered = starts(booking_type, [a, host("b")])
    assert offered[0] == "2026-11-30T13:00Z"  # "a" is next in line (never assigned, smallest id)
    availability = starts(round_robin("a", "b"), [a, host("b")])
    assert availability[0] == "2026-11-30T09:00Z"


def test_strict_rotation_credits_everyone_on_duty() -> None:
    booking_type = round_robin("a", "b", rotation=Rotation.STRICT)
    decided = assign(
        booking_type, {"a": host("a"), "b": host("b")}, {}, now=NOW, start=at("2026-11-30T09:00Z")
    )
    assert (decided.rotating_host_id, decided.credits) == ("a", {"a": 0.5, "b": 0.5})


def test_a_pool_of_fixed_hosts_alone_offers_nothing() -> None:
    # Nobody takes turns, so there is no next host in line and no time to offer.
    for rotation in Rotation:
        only_fixed = round_robin(PoolMember("lead", fixed=True), rotation=rotation)
        assert starts(only_fixed, [host("lead")]) == []


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


def test_a_booking_at_local_midnight_fills_the_day_it_opens() -> None:
    # "a" (second in the pool) holds a booking at 00:00 on Tuesday in New York: Monday
    # is still open to it, Tuesday is not, from its first minute.
    ny = WeeklyHours(frozenset(range(7)), 0, 1440)
    tuesday = at("2026-12-01T05:00Z")
    a = HostSchedule("a", "America/New_York", working_hours=(ny,), booked_starts=(tuesday,))
    b = HostSchedule("b", "America/New_York", working_hours=(ny,))
    booking_type = round_robin("b", "a", max_bookings_per_host_per_day=1)
    slots = list_slots(
        booking_type,
        {"a": a, "b": b},
        {},
        now=NOW,
        start=at("2026-11-30T12:00Z"),
        end=tuesday + DAY,
    )
    owners = {(s.start < tuesday, s.host_ids) for s in slots}
    assert owners == {(True, ("a",)), (False, ("b",))}


def test_a_booking_gets_the_host_its_slot_showed() -> None:
    schedules = {h: host(h, tz) for h, tz in [("a", "Europe/London"), ("b", "America/New_York")]}
    booking_type = round_robin(PoolMember("a", weight=300), "b")
    slots = list_slots(booking_type, schedules, {}, now=NOW, start=NOW, end=NOW + DAY)
    for slot in slots:
        decided = assign(booking_type, schedules, {}, now=NOW, start=slot.start)
        assert decided.host_ids == slot.host_ids


# --- the free-time invariant, against an oracle that reads wall clocks forwards ----------

ZONES = [
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Sydney",
    "Australia/Adelaide",
]
# Every spring-forward and fall-back night of the zones that have them, autumn 2026 to
# spring 2027 (Adelaide's on a half hour of UTC).
CHANGES = [
    (tz, change)
    for tz in ZONES
    for change in clock_changes(tz, "2026-09-01T00:00Z", "2027-05-01T00:00Z")
]
RANGE = 4 * DAY
SHARED = 3 * 60  # minutes everyone is free around the meeting a collective case must offer


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


def hours_around(draw: st.DrawFn, tz: str, start: int, end: int) -> tuple[WeeklyHours, ...]:
    """Whole-hour working hours, in ``tz``, that hold ``[start, end)`` with some margin."""
    first = datetime.fromtimestamp(start, zone(tz))
    last = datetime.fromtimestamp(end - 1, zone(tz))
    opens = max(0, first.hour - draw(st.integers(0, 3))) * 60
    closes = min(24, last.hour + 1 + draw(st.integers(0, 3))) * 60
    if first.date() == last.date():
        # Across a fall-back night the last wall time can come before the first one.
        opens, closes = min(opens, last.hour * 60), max(closes, (first.hour + 1) * 60)
        days = {first.weekday()} | draw(st.sets(st.integers(0, 6)))
        return (WeeklyHours(frozenset(days), opens, closes),)
    # Over the host's midnight: the evening of one day and the morning of the next.
    return (
        WeeklyHours(frozenset({first.weekday()}), opens, 1440),
        WeeklyHours(frozenset({last.weekday()}), 0, closes),
    )


def outside(spans: list[tuple[int, int]], lo: int, hi: int) -> list[tuple[int, int]]:
    """``spans`` with ``[lo, hi)`` cut out of them."""
    cut = [(a, min(b, lo)) for a, b in spans] + [(max(a, hi), b) for a, b in spans]
    return [(a, b) for a, b in cut if a < b]


def drawn_hours(draw: st.DrawFn, tz: str, change: int) -> WeeklyHours:
    """Whole-hour working hours, often starting or ending at the wall times that the clock
    change skips or repeats (where the rule for those times matters)."""
    before = datetime.fromtimestamp(change - 1, zone(tz))
    after = datetime.fromtimestamp(change, zone(tz))
    near = sorted({before.hour, after.hour, after.hour + 1} - {0, 24})
    day_start = draw(st.one_of(st.integers(0, 20), st.sampled_from(near)))
    later = [h for h in near if h > day_start] or [day_start + 1]
    day_end = draw(st.one_of(st.integers(day_start + 1, 24), st.sampled_from(later)))
    days = draw(st.sets(st.integers(0, 6), min_size=1))
    if draw(st.booleans()):
        days.add(after.weekday())
    return WeeklyHours(frozenset(days), day_start * 60, day_end * 60)


@st.composite
def pools(
    draw: st.DrawFn, shared: bool | None = None
) -> tuple[list[HostSchedule], int, int, int, bool]:
    """Hosts in several zones over four days that take in a clock change of the first
    host's zone: ``(schedules, buffer before, buffer after, now, shared)``. When
    ``shared``, everyone works and is free for the same three hours (so a collective
    type has a slot to offer); otherwise each host's hours are drawn on their own."""
    first_zone, change = draw(st.sampled_from(CHANGES))
    now = change - draw(st.integers(1, 4 * 24 - 1)) * 3600
    if shared is None:
        shared = draw(st.booleans())
    meeting = now + draw(st.integers(0, RANGE // (15 * MINUTE) - SHARED // 15)) * 15 * MINUTE
    size = draw(st.integers(1, 4))
    schedules = []
    for i in range(size):
        tz = first_zone if i == 0 else draw(st.sampled_from(ZONES))
        if shared:
            hours = hours_around(draw, tz, meeting, meeting + SHARED * MINUTE)
        else:
            hours = (drawn_hours(draw, tz, change),)
        busy = [
            (now + b * 15 * MINUTE, now + b * 15 * MINUTE + length * 15 * MINUTE)
            for b, length in draw(
                st.lists(st.tuples(st.integers(0, 4 * 24 * 4), st.integers(1, 16)), max_size=12)
            )
        ]
        if shared:
            busy = outside(busy, meeting, meeting + SHARED * MINUTE)
        schedules.append(HostSchedule(f"h{i}", tz, hours, busy=as_spans(busy)))
    before = draw(st.sampled_from([0, 5, 15]))
    after = draw(st.sampled_from([0, 10]))
    return schedules, before, after, now, shared


def test_the_property_ranges_cross_every_kind_of_clock_change() -> None:
    zones = {tz for tz, _ in CHANGES}
    assert {"Europe/Berlin", "America/New_York", "Australia/Sydney"} <= zones
    assert len(CHANGES) == 2 * len(zones)  # one spring forward and one fall back each


def check_slots_in_free_time(pool, mode, duration) -> list[Slot]:
    schedules, before, after, now, _ = pool
    ids = [s.host_id for s in schedules]
    if mode == HostMode.SOLO:
        ids = ids[:1]
    booking_type = team(
        mode, ids, duration, buffer_before_minutes=before, buffer_after_minutes=after
    )
    by_id = {s.host_id: s for s in schedules}
    slots = list_slots(booking_type, by_id, {}, now=now, start=now, end=now + RANGE)
    for slot in slots:
        widened = (slot.start - before * MINUTE, slot.end + after * MINUTE)
        for host_id in slot.host_ids:
            assert oracle_free(by_id[host_id], *widened), (iso(slot.start), host_id)
        if mode == HostMode.COLLECTIVE:
            assert set(slot.host_ids) == set(ids)
    return slots


@settings(max_examples=60, deadline=None)
@given(
    pools(), st.sampled_from([HostMode.SOLO, HostMode.ROUND_ROBIN]), st.sampled_from([15, 30, 45])
)
def test_every_slot_lies_in_its_hosts_free_time(pool, mode, duration) -> None:
    slots = check_slots_in_free_time(pool, mode, duration)
    if pool[4]:
        assert slots, "everyone is free for three hours"


@settings(max_examples=60, deadline=None)
@given(pools(shared=True), st.sampled_from([15, 30, 45]))
def test_collective_slots_lie_in_everyones_free_time(pool, duration) -> None:
    slots = check_slots_in_free_time(pool, HostMode.COLLECTIVE, duration)
    assert slots, "everyone is free for three hours"
    event("ten slots or more" if len(slots) >= 10 else "under ten slots")


@settings(max_examples=30, deadline=None)
@given(pools(shared=False), st.sampled_from([15, 30, 45]))
def test_collective_with_hours_drawn_apart_offers_only_shared_free_time(pool, duration) -> None:
    check_slots_in_free_time(pool, HostMode.COLLECTIVE, duration)


@settings(max_examples=40, deadline=None)
@given(pools())
def test_solo_misses_no_free_time_on_its_grid(pool) -> None:
    schedules, before, after, now, _ = pool
    only = schedules[0]
    booking_type = team(
        HostMode.SOLO, [only.host_id], 30, buffer_before_minutes=before, buffer_after_minutes=after
    )
    offered = {
        s.start
        for s in list_slots(
            booking_type, {only.host_id: only}, {}, now=now, start=now, end=now + 3 * DAY
        )
    }
    # Hours start on whole local hours (a skipped one moves to the end of the gap) and
    # every zone here is a whole or half hour off UTC, so each free half-hour start is on
    # the host's grid and must be offered.
    for t in range(now, now + 3 * DAY, 30 * MINUTE):
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
    # March and April clock changes of New York, Europe and Australia: each listed time can
    # be booked, and asking for a shorter range lists the same times for the days it covers.
    schedule = HostSchedule("a", tz, (WeeklyHours(frozenset(range(7)), *hours),))
    booking_type = team(HostMode.SOLO, ["a"], duration, booking_window_days=400)
    now = at("2027-03-01T00:00Z")
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
