"""Each setting of a booking type, and of its hosts, reaches the slots and the bookings
made over the API (the store hands the engine the whole type and schedule): interval,
buffers, notice, window, rotation, priority and date overrides. On SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from tests.api.support import Api, assert_error, instant, iso, monday


def starts(api: Api, slug: str, days: float = 1, first_day: int = 0) -> list[str]:
    day = monday() + timedelta(days=first_day)
    return [s["start"] for s in api.slots(slug, day, day + timedelta(days=days))]


def test_the_interval_and_buffers_shape_the_slots(api: Api) -> None:
    a = api.host("Ada")["id"]
    api.booking_type("call", [a], host_mode="solo", slot_interval_minutes=15)
    api.booking_type(
        "gap", [a], host_mode="solo", buffer_before_minutes=15, buffer_after_minutes=30
    )
    nine = monday() + timedelta(hours=9)
    busy = {"start": iso(nine), "end": iso(nine + timedelta(minutes=50))}
    assert api.post(f"/v1/hosts/{a}/busy", busy).status_code == 201
    offered = [instant(s) - nine for s in starts(api, "call")]
    assert offered[:3] == [timedelta(minutes=m) for m in (60, 75, 90)]
    # 30-minute meetings need 15 free minutes before them and 30 after.
    gap = [instant(s) - nine for s in starts(api, "gap")]
    assert gap[0] == timedelta(minutes=90)  # 10:00 would start in the busy time's buffer
    assert gap[-1] == timedelta(hours=7)  # 16:30 to 17:00 leaves no 30 minutes after


def test_notice_and_window_bound_the_slots(api: Api) -> None:
    a = api.host("Ada")["id"]
    api.booking_type("soon", [a], host_mode="solo", booking_window_days=2)
    api.booking_type("later", [a], host_mode="solo", minimum_notice_minutes=60 * 24 * 15)
    # monday() is between an hour and seven days away, whatever today is
    assert starts(api, "soon", days=1, first_day=2) == []  # past the window
    assert starts(api, "later", days=7) == []  # within the notice
    assert starts(api, "later", days=1, first_day=16) != []


def test_a_preferred_host_takes_every_booking_while_free_and_strict_rotation_waits(
    api: Api,
) -> None:
    a, b = api.host("Ada")["id"], api.host("Bob")["id"]
    api.booking_type("rr", [], hosts=[{"host_id": a}, {"host_id": b, "priority": 3}])
    day = monday()
    made = [api.book("rr", day + timedelta(hours=h)).json()["host_ids"] for h in (9, 10, 11)]
    assert made == [[b], [b], [b]]
    busy = {"start": iso(day + timedelta(hours=12)), "end": iso(day + timedelta(hours=13))}
    api.post(f"/v1/hosts/{b}/busy", busy)
    assert api.book("rr", day + timedelta(hours=12)).json()["host_ids"] == [a]


def test_strict_rotation_offers_only_the_next_hosts_times(api: Api) -> None:
    a, b = api.host("Ada")["id"], api.host("Bob")["id"]
    api.booking_type("strict", [a, b], rotation="strict")
    api.booking_type("any", [a, b])
    tuesday = monday() + timedelta(days=1)
    [first] = api.book("strict", tuesday + timedelta(hours=9)).json()["host_ids"]
    [next_host] = {a, b} - {first}
    noon = tuesday + timedelta(hours=12)
    busy = {"start": iso(noon), "end": iso(noon + timedelta(hours=1))}
    assert api.post(f"/v1/hosts/{next_host}/busy", busy).status_code == 201
    assert iso(noon) not in starts(api, "strict", first_day=1)  # the other host is free
    assert iso(noon) in starts(api, "any", first_day=1)


def test_a_date_override_replaces_the_days_hours(api: Api) -> None:
    day = monday()
    overrides = [
        {"date": f"{day:%Y-%m-%d}", "intervals": [{"start": "13:00", "end": "14:00"}]},
        {"date": f"{day + timedelta(days=1):%Y-%m-%d}", "intervals": []},
    ]
    a = api.host("Ada", date_overrides=overrides)["id"]
    api.booking_type("call", [a], host_mode="solo")
    assert starts(api, "call") == [iso(day + timedelta(hours=h)) for h in (13, 13.5)]
    assert starts(api, "call", first_day=1) == []  # a day off
    assert len(starts(api, "call", first_day=2)) == 16  # Wednesday's usual 09:00-17:00


ALWAYS = [
    {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "start": "00:00", "end": "24:00"}
]


def test_a_long_meeting_sees_busy_time_near_its_end(api: Api) -> None:
    a = api.host("Ada", working_hours=ALWAYS)["id"]
    api.booking_type(
        "retreat", [a], host_mode="solo", duration_minutes=13 * 60, slot_interval_minutes=60
    )
    day = monday()
    busy = {"start": iso(day + timedelta(hours=22)), "end": iso(day + timedelta(hours=22.5))}
    assert api.post(f"/v1/hosts/{a}/busy", busy).status_code == 201
    ten = day + timedelta(hours=10)
    # 10:00 to 23:00 meets the 22:00 busy time: neither offered nor booked
    assert api.slots("retreat", ten, ten + timedelta(minutes=1)) == []
    assert_error(api.book("retreat", ten), 409, "slot_unavailable")
    assert api.book("retreat", ten - timedelta(hours=2)).status_code == 201  # 08:00-21:00


def test_a_buffer_of_a_day_before_sees_busy_time_almost_a_day_earlier(api: Api) -> None:
    a = api.host("Ada", working_hours=ALWAYS)["id"]
    api.booking_type(
        "prepared", [a], host_mode="solo", duration_minutes=60, buffer_before_minutes=24 * 60
    )
    wednesday = monday() + timedelta(days=2)
    tuesday_one = wednesday - timedelta(hours=11)
    busy = {"start": iso(tuesday_one), "end": iso(tuesday_one + timedelta(minutes=30))}
    assert api.post(f"/v1/hosts/{a}/busy", busy).status_code == 201
    noon = wednesday + timedelta(hours=12)
    # Wednesday 12:00 needs Ada free from Tuesday 12:00: the 13:00 busy time is in the way
    assert api.slots("prepared", noon, noon + timedelta(minutes=1)) == []
    assert_error(api.book("prepared", noon), 409, "slot_unavailable")
    assert api.book("prepared", noon + timedelta(hours=2)).status_code == 201


def test_a_buffer_of_a_day_after_a_long_meeting_sees_busy_time_a_day_and_a_half_later(
    api: Api,
) -> None:
    a = api.host("Ada", working_hours=ALWAYS)["id"]
    api.booking_type(
        "offsite",
        [a],
        host_mode="solo",
        duration_minutes=12 * 60,
        buffer_after_minutes=24 * 60,
        slot_interval_minutes=60,
    )
    wednesday = monday() + timedelta(days=2)
    thursday_eleven = wednesday + timedelta(hours=35)
    busy = {"start": iso(thursday_eleven), "end": iso(thursday_eleven + timedelta(minutes=30))}
    assert api.post(f"/v1/hosts/{a}/busy", busy).status_code == 201
    # Wednesday 00:00 to 12:00, then a day to recover until Thursday 12:00: blocked at 11:00
    assert api.slots("offsite", wednesday, wednesday + timedelta(minutes=1)) == []
    assert_error(api.book("offsite", wednesday), 409, "slot_unavailable")
    assert api.book("offsite", wednesday - timedelta(hours=2)).status_code == 201
