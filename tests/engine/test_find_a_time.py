"""Find a Time against an independent wall-clock computation, across clock changes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rota.engine import MINUTE, HostSchedule, as_spans, find_a_time, free_grid, not_free
from tests.engine.support import ALWAYS, at
from tests.engine.test_slots import RANGE, oracle_free, pools


def free(schedule: HostSchedule, start: int, end: int) -> bool:
    away = schedule.time_off.tolist()
    return oracle_free(schedule, start, end) and not any(a < end and start < b for a, b in away)


@settings(max_examples=40, deadline=None)
@given(pools(), st.sampled_from([15, 30, 60]), st.integers(0, 95))
def test_a_meeting_finds_not_free_exactly_the_hosts_the_oracle_finds_busy(
    pool, duration, quarter
) -> None:
    """What booking a meeting checks (`not_free`), at any start, not only on a grid."""
    schedules, _, _, now, _ = pool
    start = now + quarter * 15 * MINUTE + 7 * MINUTE
    end = start + duration * MINUTE
    busy = not_free(schedules, start=start, end=end)
    assert busy == tuple(s.host_id for s in schedules if not free(s, start, end))


@settings(max_examples=40, deadline=None)
@given(pools(), st.sampled_from([15, 30, 60]), st.sampled_from([15, 30]))
def test_the_grid_of_who_is_free_is_each_persons_own_find_a_time(pool, duration, interval) -> None:
    """The Hub's week of who is free: each row is the times that person alone is free."""
    schedules, _, _, now, _ = pool
    grid = free_grid(
        schedules,
        duration=duration * MINUTE,
        start=now,
        end=now + RANGE,
        interval=interval * MINUTE,
    )
    for row, schedule in enumerate(schedules):
        alone = find_a_time(
            [schedule],
            [],
            duration=duration * MINUTE,
            start=now,
            end=now + RANGE,
            interval=interval * MINUTE,
        )
        assert [int(s) for s in grid.starts[grid.free[row]]] == [t.start for t in alone]


@settings(max_examples=60, deadline=None)
@given(pools(), st.integers(1, 3), st.sampled_from([15, 30, 60]), st.sampled_from([15, 30]))
def test_every_time_has_every_required_host_free_and_none_is_missed(
    pool, required, duration, interval
) -> None:
    schedules, _, _, now, _ = pool
    needed, wanted = schedules[:required], schedules[required:]
    found = find_a_time(
        needed,
        wanted,
        duration=duration * MINUTE,
        start=now,
        end=now + RANGE,
        interval=interval * MINUTE,
    )
    by_start = {t.start: t for t in found}
    grid = range(-(-now // (interval * MINUTE)) * interval * MINUTE, now + RANGE, interval * MINUTE)
    for start in grid:
        end = start + duration * MINUTE
        if end > now + RANGE:
            assert start not in by_start
            continue
        everyone = all(free(s, start, end) for s in needed)
        assert (start in by_start) == everyone, start
        if everyone:
            listed = by_start[start]
            assert listed.end == end
            assert listed.host_ids == tuple(s.host_id for s in needed)
            assert listed.optional_free == tuple(s.host_id for s in wanted if free(s, start, end))


def test_time_off_and_busy_time_keep_a_person_out() -> None:
    day = at("2026-12-07T00:00Z")
    ada = HostSchedule("ada", "UTC", busy=as_spans([(day + 10 * 3600, day + 11 * 3600)]))
    bob = HostSchedule("bob", "UTC", time_off=as_spans([(day + 13 * 3600, day + 24 * 3600)]))
    cy = HostSchedule("cy", "UTC", ALWAYS, busy=as_spans([(day + 9 * 3600, day + 12 * 3600)]))
    found = find_a_time(
        [ada, bob], [cy], duration=3600, start=day, end=day + 24 * 3600, interval=3600
    )
    hours = {(t.start - day) // 3600: t.optional_free for t in found}
    assert hours == {9: (), 11: (), 12: ("cy",)}


def test_the_grid_falls_on_whole_intervals_and_meetings_end_inside_the_range() -> None:
    day = at("2026-12-07T00:00Z")
    ada = HostSchedule("ada", "UTC", ALWAYS)
    found = find_a_time(
        [ada],
        [],
        duration=30 * MINUTE,
        start=day + 7 * MINUTE,
        end=day + 90 * MINUTE,
        interval=15 * MINUTE,
    )
    assert [(t.start - day) // MINUTE for t in found] == [15, 30, 45, 60]


def test_a_range_with_room_for_exactly_one_meeting_finds_it() -> None:
    day = at("2026-12-07T00:00Z")
    ada = HostSchedule("ada", "UTC", ALWAYS)
    found = find_a_time(
        [ada], [], duration=30 * MINUTE, start=day, end=day + 30 * MINUTE, interval=15 * MINUTE
    )
    assert [(t.start, t.end) for t in found] == [(day, day + 30 * MINUTE)]
