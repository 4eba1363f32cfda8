from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import httpx
import icalendar
import pytest

from rota.calendars import ics
from rota.calendars.ics import BusyEvent, CalendarError, busy_events, fetch, parse


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, tz: str = "UTC") -> int:
    return int(datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(tz)).timestamp())


def feed(*events: str, header: str = "") -> icalendar.Calendar:
    """A calendar of VEVENTs, each given as its property lines."""
    body = "".join(f"BEGIN:VEVENT\nDTSTAMP:20261101T000000Z\n{e}END:VEVENT\n" for e in events)
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//t//EN\n{header}{body}END:VCALENDAR\n"
    return parse(text.replace("\n", "\r\n").encode())


DEC = (at(2026, 12, 1), at(2027, 1, 1))


def spans(cal: icalendar.Calendar, tz: str = "Europe/London") -> list[tuple[int, int]]:
    return [(e.start, e.end) for e in busy_events(cal, *DEC, timezone=tz)]


def test_a_timed_event_is_busy_in_utc() -> None:
    cal = feed(
        "UID:a\nDTSTART;TZID=Europe/Berlin:20261202T100000\nDTEND;TZID=Europe/Berlin:20261202T113000\n"
    )
    assert busy_events(cal, *DEC, timezone="UTC") == [
        BusyEvent(at(2026, 12, 2, 9), at(2026, 12, 2, 10, 30), f"a/{at(2026, 12, 2, 9)}")
    ]


def test_a_weekly_series_blocks_every_occurrence_but_its_exceptions() -> None:
    cal = feed(
        "UID:w\nDTSTART:20261201T140000Z\nDURATION:PT1H\nRRULE:FREQ=WEEKLY\nEXDATE:20261215T140000Z\n",
        "UID:w\nRECURRENCE-ID:20261222T140000Z\nDTSTART:20261222T160000Z\nDURATION:PT1H\n",
    )
    assert spans(cal) == [
        (at(2026, 12, 1, 14), at(2026, 12, 1, 15)),
        (at(2026, 12, 8, 14), at(2026, 12, 8, 15)),
        (at(2026, 12, 22, 16), at(2026, 12, 22, 17)),  # moved
        (at(2026, 12, 29, 14), at(2026, 12, 29, 15)),
    ]


def test_free_and_cancelled_events_do_not_block() -> None:
    cal = feed(
        "UID:f\nDTSTART:20261202T100000Z\nDTEND:20261202T110000Z\nTRANSP:TRANSPARENT\n",
        "UID:c\nDTSTART:20261203T100000Z\nDTEND:20261203T110000Z\nSTATUS:CANCELLED\n",
        "UID:t\nDTSTART:20261204T100000Z\nDTEND:20261204T110000Z\nSTATUS:TENTATIVE\n",
        "UID:s\nDTSTART:20261205T100000Z\nDURATION:PT1H\nRRULE:FREQ=DAILY;COUNT=2\n",
        "UID:s\nRECURRENCE-ID:20261206T100000Z\nDTSTART:20261206T100000Z\nDURATION:PT1H\nSTATUS:CANCELLED\n",
    )
    assert spans(cal) == [
        (at(2026, 12, 4, 10), at(2026, 12, 4, 11)),
        (at(2026, 12, 5, 10), at(2026, 12, 5, 11)),
    ]


def test_all_day_events_use_the_calendars_zone_else_the_hosts() -> None:
    event = "UID:d\nDTSTART;VALUE=DATE:20261224\nDTEND;VALUE=DATE:20261226\n"
    tokyo = feed(event, header="X-WR-TIMEZONE:Asia/Tokyo\n")
    assert spans(tokyo) == [(at(2026, 12, 24, tz="Asia/Tokyo"), at(2026, 12, 26, tz="Asia/Tokyo"))]
    plain = feed(event)
    ny = "America/New_York"
    assert spans(plain, ny) == [(at(2026, 12, 24, tz=ny), at(2026, 12, 26, tz=ny))]
    no_end = feed("UID:n\nDTSTART;VALUE=DATE:20261224\n")
    assert spans(no_end, ny) == [(at(2026, 12, 24, tz=ny), at(2026, 12, 25, tz=ny))]


def test_floating_times_are_the_hosts_wall_clock() -> None:
    cal = feed("UID:f\nDTSTART:20261202T090000\nDTEND:20261202T100000\n")
    assert spans(cal, "Europe/Paris") == [
        (at(2026, 12, 2, 9, tz="Europe/Paris"), at(2026, 12, 2, 10, tz="Europe/Paris"))
    ]


def test_only_the_range_and_not_our_own_bookings() -> None:
    cal = feed(
        "UID:old\nDTSTART:20261101T100000Z\nDTEND:20261101T110000Z\n",
        "UID:bk_1@rota\nDTSTART:20261202T100000Z\nDTEND:20261202T110000Z\n",
        "UID:zero\nDTSTART:20261202T120000Z\n",
        "UID:keep\nDTSTART:20261130T230000Z\nDTEND:20261201T010000Z\n",
    )
    found = busy_events(cal, *DEC, timezone="UTC", skip_uid=lambda uid: uid.endswith("@rota"))
    assert [(e.start, e.end) for e in found] == [(at(2026, 11, 30, 23), at(2026, 12, 1, 1))]


def test_fetch_reads_a_feed_over_http_and_webcal_means_https() -> None:
    requested: list[str] = []

    def serve(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        if request.url.path == "/missing.ics":
            return httpx.Response(404)
        return httpx.Response(200, content=feed("UID:a\nDTSTART:20261202T100000Z\n").to_ical())

    with httpx.Client(transport=httpx.MockTransport(serve)) as client:
        cal = fetch(client, "webcal://cal.example/feed.ics")
        assert requested == ["https://cal.example/feed.ics"]
        assert cal.walk("VEVENT")[0]["UID"] == "a"
        with pytest.raises(CalendarError, match="404"):
            fetch(client, "https://cal.example/missing.ics")


def test_garbage_is_a_calendar_error() -> None:
    with pytest.raises(CalendarError):
        parse(b"<html>not a calendar</html>")


def test_busy_event_times_are_utc_epoch_seconds() -> None:
    cal = feed("UID:a\nDTSTART:20261202T100000Z\nDTEND:20261202T110000Z\n")
    [event] = busy_events(cal, *DEC, timezone="UTC")
    assert datetime.fromtimestamp(event.start, UTC) == datetime(2026, 12, 2, 10, tzinfo=UTC)


def test_an_exploding_series_is_cut_off_with_a_short_error() -> None:
    """Eleven lines that would be 44,640 busy spans over December."""
    cal = feed("UID:storm\nDTSTART:20261201T000000Z\nDURATION:PT1M\nRRULE:FREQ=MINUTELY\n")
    with pytest.raises(CalendarError) as failed:
        busy_events(cal, *DEC, timezone="UTC")
    assert str(failed.value) == "the calendar has more than 5000 events in the next 31 days"


def test_free_occurrences_count_towards_the_cap_too() -> None:
    cal = feed(
        "UID:free\nDTSTART:20261201T000000Z\nDURATION:PT1M\nRRULE:FREQ=MINUTELY\n"
        "TRANSP:TRANSPARENT\n"
    )
    with pytest.raises(CalendarError, match="more than 5000 events"):
        busy_events(cal, *DEC, timezone="UTC")


def test_a_feed_with_too_many_events_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ics, "MAX_EVENTS", 2)
    events = [f"UID:e{n}\nDTSTART:2026120{n}T100000Z\nDURATION:PT1H\n" for n in range(1, 4)]
    with pytest.raises(CalendarError, match="more than 2 events"):
        busy_events(feed(*events), *DEC, timezone="UTC")
    assert len(busy_events(feed(*events[:2]), *DEC, timezone="UTC")) == 2


def test_a_broken_series_does_not_hide_the_others() -> None:
    cal = feed(
        "UID:bad\nDTSTART:20261202T100000Z\nRRULE:FREQ=SOMETIMES\n",
        "UID:good\nDTSTART:20261203T100000Z\nDTEND:20261203T110000Z\n",
    )
    [event] = busy_events(cal, *DEC, timezone="UTC")
    assert event.external_uid.startswith("good")
