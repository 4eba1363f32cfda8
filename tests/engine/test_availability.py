"""Working hours stay on the host's wall clock across zones and daylight-saving changes."""

from __future__ import annotations

from datetime import date

import numpy as np

from rota.engine import DAY, DateOverride, HostMode, WeeklyHours, as_spans, list_slots
from rota.engine.availability import merge
from tests.engine.support import at, host, iso, team

EVERY_DAY = frozenset(range(7))


def day_slots(schedule, day: str, duration: int = 30) -> list[str]:
    """The solo slots of a host over one UTC day around ``day`` (with a day either side)."""
    booking_type = team(HostMode.SOLO, [schedule.host_id], duration, booking_window_days=400)
    start = at(f"{day}T00:00Z") - DAY // 2
    slots = list_slots(
        booking_type,
        {schedule.host_id: schedule},
        {},
        now=at("2026-01-01T00:00Z"),
        start=start,
        end=start + 2 * DAY,
    )
    return [iso(s.start) for s in slots]


def first_and_last(schedule, day: str) -> tuple[str, str]:
    slots = [s for s in day_slots(schedule, day) if s.startswith(day)]
    return slots[0], slots[-1]


def test_london_nine_to_five_follows_british_summer_time() -> None:
    ada = host("ada", "Europe/London")
    assert first_and_last(ada, "2026-03-27") == ("2026-03-27T09:00Z", "2026-03-27T16:30Z")
    assert first_and_last(ada, "2026-03-30") == ("2026-03-30T08:00Z", "2026-03-30T15:30Z")
    assert first_and_last(ada, "2026-10-26") == ("2026-10-26T09:00Z", "2026-10-26T16:30Z")


def test_new_york_nine_to_five_across_the_fall_back() -> None:
    grace = host("grace", "America/New_York")
    assert first_and_last(grace, "2026-10-30") == ("2026-10-30T13:00Z", "2026-10-30T20:30Z")
    assert first_and_last(grace, "2026-11-02") == ("2026-11-02T14:00Z", "2026-11-02T21:30Z")


def test_half_hour_zones() -> None:
    kolkata = host("k", "Asia/Kolkata")
    assert first_and_last(kolkata, "2026-12-01") == ("2026-12-01T03:30Z", "2026-12-01T11:00Z")
    # Adelaide is +09:30 in winter and +10:30 from the first Sunday of October.
    adelaide = host("a", "Australia/Adelaide")
    friday = [s for s in day_slots(adelaide, "2026-10-01") if s >= "2026-10-01T20"]
    monday = [s for s in day_slots(adelaide, "2026-10-04") if s >= "2026-10-04T20"]
    assert friday[0] == "2026-10-01T23:30Z"
    assert monday[0] == "2026-10-04T22:30Z"


def test_a_wall_time_skipped_by_spring_forward_lands_past_the_gap() -> None:
    # London skips 01:00-02:00 on 2026-03-29; hours 01:30-03:30 start at 02:30 BST (01:30Z).
    night = host("n", "Europe/London", hours=(WeeklyHours(EVERY_DAY, 90, 210),))
    slots = [s for s in day_slots(night, "2026-03-29") if s.startswith("2026-03-29")]
    assert slots == ["2026-03-29T01:30Z", "2026-03-29T02:00Z"]


def test_a_wall_time_that_happens_twice_is_its_first_occurrence() -> None:
    # London repeats 01:00-02:00 on 2026-10-25; 01:30 is the BST one (00:30Z), 04:00 is GMT.
    night = host("n", "Europe/London", hours=(WeeklyHours(EVERY_DAY, 90, 240),))
    slots = [s for s in day_slots(night, "2026-10-25") if s.startswith("2026-10-25")]
    assert slots[0] == "2026-10-25T00:30Z"
    assert slots[-1] == "2026-10-25T03:30Z"
    assert len(slots) == 7


def test_date_overrides_replace_the_day() -> None:
    overrides = (
        DateOverride(date(2026, 12, 24)),
        DateOverride(date(2026, 12, 27), ((600, 720),)),
    )
    ada = host("ada", "Europe/London", date_overrides=overrides)
    assert not [s for s in day_slots(ada, "2026-12-24") if s.startswith("2026-12-24")]
    sunday = [s for s in day_slots(ada, "2026-12-27") if s.startswith("2026-12-27")]
    assert sunday == [
        "2026-12-27T10:00Z",
        "2026-12-27T10:30Z",
        "2026-12-27T11:00Z",
        "2026-12-27T11:30Z",
    ]
    assert first_and_last(ada, "2026-12-23") == ("2026-12-23T09:00Z", "2026-12-23T16:30Z")


def test_hours_to_midnight_join_the_next_morning() -> None:
    # 22:00-24:00 Monday and 00:00-02:00 Tuesday: an hour-long call at 23:30 fits.
    late = host(
        "late",
        "UTC",
        hours=(WeeklyHours(frozenset({0}), 22 * 60, 1440), WeeklyHours(frozenset({1}), 0, 120)),
    )
    booking_type = team(HostMode.SOLO, ["late"], 60, slot_interval_minutes=30)
    slots = list_slots(
        booking_type,
        {"late": late},
        {},
        now=at("2026-11-29T00:00Z"),
        start=at("2026-11-30T00:00Z"),
        end=at("2026-12-02T00:00Z"),
    )
    assert [iso(s.start) for s in slots] == [
        "2026-11-30T22:00Z",
        "2026-11-30T22:30Z",
        "2026-11-30T23:00Z",
        "2026-11-30T23:30Z",
        "2026-12-01T00:00Z",
        "2026-12-01T00:30Z",
        "2026-12-01T01:00Z",
    ]


def test_hours_off_the_whole_hour_keep_their_minutes() -> None:
    half_past = host("ada", hours=(WeeklyHours(EVERY_DAY, 9 * 60 + 30, 17 * 60 + 15),))
    assert first_and_last(half_past, "2026-12-01") == ("2026-12-01T09:30Z", "2026-12-01T16:30Z")


def test_merging_joins_nested_and_touching_spans_as_whole_seconds() -> None:
    merged = merge(as_spans([(20, 30), (0, 10), (2, 3), (10, 12)]))
    assert merged.tolist() == [[0, 12], [20, 30]]
    assert merged.dtype == np.int64


def test_a_date_override_is_read_on_the_hosts_own_clock() -> None:
    grace = host(
        "grace",
        "America/New_York",
        date_overrides=(DateOverride(date(2026, 12, 24), ((600, 660),)),),
    )
    assert [s for s in day_slots(grace, "2026-12-24") if s.startswith("2026-12-24")] == [
        "2026-12-24T15:00Z",
        "2026-12-24T15:30Z",
    ]
