"""Team files: what a valid file turns into, and how an invalid one is reported."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from rota import engine, teamfile

EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("*.json"))


def host(host_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": host_id,
        "name": host_id.title(),
        "email": f"{host_id}@example.com",
        "timezone": "Europe/London",
        **fields,
    }


def team(*hosts: dict[str, Any], **booking_type: Any) -> dict[str, Any]:
    """A file with ``hosts`` and one booking type over all of them (round-robin by default)."""
    fields = {
        "slug": "call",
        "title": "Call",
        "duration_minutes": 30,
        "host_mode": "round_robin",
        "hosts": [{"host_id": h["id"]} for h in hosts],
        **booking_type,
    }
    return {"hosts": list(hosts), "booking_types": [fields]}


def parse(data: dict[str, Any]) -> teamfile.TeamFile:
    return teamfile.parse(json.dumps(data), "team.json")


def problems(data: dict[str, Any]) -> str:
    with pytest.raises(teamfile.TeamFileError) as caught:
        parse(data)
    return str(caught.value)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_loads_and_converts(path: Path) -> None:
    loaded = teamfile.load(path)
    schedules = loaded.schedules()
    assert loaded.now is not None
    assert loaded.booking_types
    for booking_type in loaded.booking_types:
        converted = teamfile.to_booking_type(booking_type)
        assert {m.host_id for m in converted.hosts} <= set(schedules)


def test_omitted_fields_take_the_defaults_of_the_api() -> None:
    loaded = parse(team(host("ada"), host("grace")))
    booking_type = teamfile.to_booking_type(loaded.booking_types[0])
    assert booking_type == engine.BookingType(
        slug="call",
        duration_minutes=30,
        host_mode=engine.HostMode.ROUND_ROBIN,
        hosts=(engine.PoolMember("ada", 100, 2, False), engine.PoolMember("grace", 100, 2, False)),
        slot_interval_minutes=30,
        minimum_notice_minutes=0,
        booking_window_days=60,
        rotation=engine.Rotation.AVAILABILITY,
        fairness_window_days=30,
        max_bookings_per_host_per_day=None,
    )
    assert loaded.booking_types[0].slot_interval_minutes == 30
    schedule = loaded.schedules()["ada"]
    assert schedule.working_hours == engine.DEFAULT_WORKING_HOURS
    assert schedule.date_overrides == ()
    assert schedule.busy.shape == (0, 2)


def test_hours_overrides_time_off_and_busy_reach_the_engine() -> None:
    ada = host(
        "ada",
        timezone="America/New_York",
        working_hours=[{"days": ["sat", "sun"], "start": "18:00", "end": "24:00"}],
        date_overrides=[
            {"date": "2026-12-24"},
            {"date": "2026-12-27", "intervals": [{"start": "10:00", "end": "12:00"}]},
        ],
        time_off=[{"start": "2026-12-01T00:00:00Z", "end": "2026-12-02T00:00:00Z", "reason": "x"}],
        busy=[{"start": "2026-12-03T10:00:00+01:00", "end": "2026-12-03T11:00:00+01:00"}],
    )
    schedule = parse(team(ada, host("grace"))).schedules()["ada"]
    assert schedule.timezone == "America/New_York"
    assert schedule.working_hours == (engine.WeeklyHours(frozenset({5, 6}), 18 * 60, 1440),)
    assert schedule.date_overrides == (
        engine.DateOverride(date(2026, 12, 24), ()),
        engine.DateOverride(date(2026, 12, 27), ((600, 720),)),
    )
    assert schedule.busy.tolist() == [[1796288400, 1796292000]]
    assert schedule.time_off.tolist() == [[1796083200, 1796169600]]


def test_the_file_now_is_the_start_of_a_simulation() -> None:
    data = team(host("ada"), host("grace"))
    data["now"] = "2026-12-01T10:00:00+01:00"
    assert parse(data).start() == 1796115600


def test_without_now_the_start_is_the_current_minute() -> None:
    assert parse(team(host("ada"), host("grace"))).start() % 60 == 0


def test_a_bad_field_is_reported_with_its_file_and_path() -> None:
    message = problems(team(host("ada"), host("grace", timezone="Mars/Olympus_Mons")))
    assert message.startswith("team.json: not a valid team file:")
    assert "hosts[1].timezone: unknown timezone 'Mars/Olympus_Mons'" in message


def test_every_bad_field_is_reported_at_once() -> None:
    data = team(
        host("ada", working_hours=[{"days": ["mon", "funday"], "start": "09:00", "end": "17:00"}]),
        host("grace", email="not an email"),
    )
    data["booking_types"][0]["hosts"][0]["priority"] = 5
    message = problems(data)
    assert "hosts[0].working_hours[0].days[1]" in message
    assert "hosts[1].email" in message
    assert "booking_types[0].hosts[0].priority" in message


@pytest.mark.parametrize(
    "instant", ["2026-12-01T09:00:00", "2026-12-01", 1796115600, "tomorrow morning"]
)
def test_an_instant_needs_an_offset(instant: object) -> None:
    data = team(host("ada"), host("grace"))
    data["hosts"][0]["busy"] = [{"start": instant, "end": "2026-12-01T10:00:00Z"}]
    assert "hosts[0].busy[0].start" in problems(data)


@pytest.mark.parametrize(
    ("start", "end"),
    [("24:00", "24:00"), ("09:00", "25:00"), ("17:00", "09:00"), ("9:00", "17:00")],
)
def test_working_hours_are_hh_mm_with_24_00_only_as_an_end(start: str, end: str) -> None:
    ada = host("ada", working_hours=[{"days": ["mon"], "start": start, "end": end}])
    assert "hosts[0].working_hours[0]" in problems(team(ada, host("grace")))


def test_a_busy_block_must_end_after_it_starts() -> None:
    busy = [{"start": "2026-12-01T10:00:00Z", "end": "2026-12-01T09:00:00Z"}]
    message = problems(team(host("ada", busy=busy), host("grace")))
    assert "hosts[0].busy[0]: end must be after start" in message


def test_a_misspelt_field_is_an_error_not_a_silent_default() -> None:
    data = team(host("ada"), host("grace"))
    data["booking_types"][0]["hosts"][0]["wieght"] = 300
    assert "booking_types[0].hosts[0].wieght: Extra inputs are not permitted" in problems(data)


@pytest.mark.parametrize(
    ("mode", "count"), [("solo", 2), ("collective", 1), ("round_robin", 1), ("solo", 0)]
)
def test_team_needs_more_hosts(mode: str, count: int) -> None:
    hosts = [host("ada"), host("grace")]
    data = team(*hosts, host_mode=mode, hosts=[{"host_id": h["id"]} for h in hosts[:count]])
    with pytest.raises(ValidationError) as caught:
        teamfile.TeamFile.model_validate(data)
    assert [e["type"] for e in caught.value.errors()] == ["team_needs_more_hosts"]
    assert caught.value.errors()[0]["loc"] == ("booking_types", 0, "hosts")
    assert "booking_types[0].hosts:" in problems(data)


def test_fixed_hosts_belong_to_round_robin_with_someone_rotating() -> None:
    both_fixed = [{"host_id": "ada", "fixed": True}, {"host_id": "grace", "fixed": True}]
    assert "not fixed" in problems(team(host("ada"), host("grace"), hosts=both_fixed))
    collective = team(host("ada"), host("grace"), host_mode="collective", hosts=both_fixed)
    assert "only round_robin pools have fixed hosts" in problems(collective)


def test_pool_hosts_must_be_hosts_of_the_file() -> None:
    data = team(host("ada"), host("grace"))
    data["booking_types"][0]["hosts"].append({"host_id": "alan"})
    message = problems(data)
    assert "booking_types[0].hosts[2].host_id: no host with id 'alan' in this file" in message


def test_host_ids_and_slugs_are_unique() -> None:
    data = team(host("ada"), host("grace"))
    data["hosts"].append(host("ada"))
    data["booking_types"].append(data["booking_types"][0])
    message = problems(data)
    assert "hosts[2].id: 'ada' is used by another host" in message
    assert "booking_types[1].slug: 'call' is used twice" in message


def test_a_pool_names_each_host_once() -> None:
    data = team(host("ada"), host("grace"), hosts=[{"host_id": "ada"}, {"host_id": "ada"}])
    assert "more than once: ada" in problems(data)


def test_json_that_does_not_parse_names_the_place() -> None:
    with pytest.raises(teamfile.TeamFileError) as caught:
        teamfile.parse('{"hosts": [}', "broken.json")
    assert "broken.json" in str(caught.value)
    assert "line 1 column 12" in str(caught.value)


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(teamfile.TeamFileError) as caught:
        teamfile.load(tmp_path / "nope.json")
    assert str(caught.value) == f"{tmp_path / 'nope.json'}: cannot read the file: " + (
        "No such file or directory"
    )


def test_an_unknown_booking_type_lists_the_known_ones() -> None:
    with pytest.raises(KeyError, match="it has: call"):
        parse(team(host("ada"), host("grace"))).booking_type("demo")
