"""What the booking page tells a visitor before they pick a time (issue 11): the
meeting, who hosts it, the timezone the times are in (with or without JavaScript),
and dates written the way the reader's language writes them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from rota.service import booking_types, clock
from tests.teams import Team, monday
from tests.web.pages import links, text

MONTHS_DE = "Januar Februar März April Mai Juni Juli August September Oktober November Dezember"
MONTHS_DE_LIST = MONTHS_DE.split()
WEEKDAYS_DE = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]


def zone_label(zone: str, city: str) -> str:
    """``(UTC-05:00) New York`` with a true minus sign, as it is today (daylight saving
    moves the offset)."""
    offset = clock.now().astimezone(ZoneInfo(zone)).utcoffset() or timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "\u2212" if minutes < 0 else "+"
    return f"(UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}) {city}"


def test_the_page_says_what_the_meeting_is_and_who_hosts_it(client: TestClient, team: Team) -> None:
    booking_types.update_booking_type(
        team.db,
        team.org_id,
        "intro",
        {
            "description": "A first talk.\nBring your questions.",
            "location": {"kind": "video", "value": "https://meet.example.com/acme"},
        },
    )
    page = client.get("/book/acme/intro?tz=UTC").text
    said = text(page)
    assert "Intro call" in said and "acme" in said
    assert "Duration: 30 minutes" in said
    assert "Where: Video call: https://meet.example.com/acme" in said
    assert "A first talk. Bring your questions." in said
    assert "With: One of: AL Ada Lovelace , GH Grace Hopper or LT Linus Torvalds" in said
    solo = text(client.get("/book/acme/office-hours?tz=UTC").text)
    assert "With: AL Ada Lovelace" in solo and "One of" not in solo
    # the initials are decoration: a screen reader hears each name once
    assert re.search(r'<span class="avatar avatar-\d" aria-hidden="true">AL</span>', page)


def test_the_pages_have_an_icon(client: TestClient, team: Team) -> None:
    page = client.get("/book/acme/intro").text
    (icon,) = re.findall(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    response = client.get(icon)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")


def test_without_javascript_the_page_says_which_zone_its_times_are_in(
    client: TestClient, team: Team
) -> None:
    first = client.get("/book/acme/intro")
    said = text(first.text)
    assert "Times are shown in UTC. To see them in your own timezone" in said
    assert "your timezone" not in said.replace("Your timezone", "")
    assert re.search(r'<button type="submit"[^>]*>Show times</button>', first.text)
    new_york = zone_label("America/New_York", "New York")
    assert f'<option value="America/New_York">{new_york}</option>' in first.text
    # choosing a zone and pressing the button (a plain GET form) shows the times in it
    chosen = client.get("/book/acme/intro", params={"tz": "America/New_York"})
    assert f"Times are shown in {new_york} (America/New_York)." in text(chosen.text)
    assert f'<option value="America/New_York" selected>{new_york}</option>' in chosen.text


def test_the_picker_lists_each_city_once_by_offset(client: TestClient, team: Team) -> None:
    page = client.get("/book/acme/intro?tz=Asia/Calcutta").text
    options = re.findall(r'<option value="([^"]+)"( selected)?>\(UTC([^)]+)\) ([^<]+)<', page)
    zones = [o[0] for o in options]
    cities = [o[3] for o in options]
    assert "Asia/Kolkata" in zones and "America/Indiana/Indianapolis" in zones
    assert "America/Indianapolis" not in zones  # an old name of the line above
    # the visitor's own old name stays chosen
    assert [o[0] for o in options if o[1]] == ["Asia/Calcutta"]
    assert len(set(cities)) >= len(cities) - 1
    offsets = [
        (-1 if o[2][0] == "\u2212" else 1) * (int(o[2][1:3]) * 60 + int(o[2][4:6])) for o in options
    ]
    assert offsets == sorted(offsets)


def test_dates_and_times_are_written_in_the_readers_language(
    client: TestClient, team: Team
) -> None:
    day = monday() + timedelta(days=1)
    path = f"/book/acme/intro?tz=Europe/Berlin&day={day:%Y-%m-%d}"
    german = client.get(path, headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}).text
    american = client.get(path, headers={"Accept-Language": "en-US,en;q=0.9"}).text
    assert links(german, "time-") and links(american, "time-")
    berlin = datetime.fromtimestamp(_first_slot(german), UTC).astimezone(ZoneInfo("Europe/Berlin"))
    month_de = MONTHS_DE_LIST[day.month - 1]
    assert f"Times on {_weekday_de(day)}, {day.day}. {month_de} {day.year}" in text(german)
    assert f"Times on {day:%A}, {day:%B} {day.day}, {day.year}" in text(american)
    assert f">{berlin:%H:%M}</time>" in german
    assert f">{berlin:%-I:%M}\u202f{berlin:%p}</time>" in american
    # the month starts on Monday in Germany, on Sunday in the US
    assert _first_column(german) == "Mo." and _first_column(american) == "Sun"


def _first_slot(page: str) -> int:
    return int(re.findall(r'id="time-(\d+)"', page)[0])


def _weekday_de(day: datetime) -> str:
    return ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"][
        day.weekday()
    ]


def _first_column(page: str) -> str:
    return re.findall(r'<th scope="col"><abbr title="[^"]+">([^<]+)</abbr>', page)[0]


def test_the_move_page_says_its_times_are_in_the_attendees_zone(
    client: TestClient, team: Team
) -> None:
    booking = team.book(monday() + timedelta(days=1, hours=9), slug="office-hours")
    assert booking.attendee_timezone == "Europe/Berlin"
    said = text(client.get(f"/manage/{booking.manage_token}/move").text)
    berlin = zone_label("Europe/Berlin", "Berlin")
    assert f"Times are shown in {berlin} (Europe/Berlin). To see them in your own" in said


def test_the_manage_page_and_the_hub_write_dates_in_the_readers_language(
    client: TestClient, team: Team, hub: str
) -> None:
    day = monday() + timedelta(days=1)
    booking = team.book(day.replace(hour=13), slug="office-hours")
    german = {"Accept-Language": "de"}
    manage = text(client.get(f"/manage/{booking.manage_token}", headers=german).text)
    # 13:00 UTC in Berlin, the attendee's zone: 14:00 in winter, 15:00 in summer
    berlin = day.replace(hour=13).astimezone(ZoneInfo("Europe/Berlin"))
    assert f"{_weekday_de(day)}, {day.day}. {MONTHS_DE_LIST[day.month - 1]} {day.year}" in manage
    assert f"{berlin:%H}:00 to {berlin:%H}:20 (Europe/Berlin)" in manage
    english = text(client.get(f"/manage/{booking.manage_token}").text)
    hour = f"{berlin.hour - 12}:00 PM to {berlin.hour - 12}:20 PM"
    assert f"{day:%A}, {day:%B} {day.day}, {day.year}, {hour}" in english
    listed = text(client.get("/hub/bookings", headers=german).text)
    short_month = MONTHS_DE_LIST[day.month - 1][:3]
    assert re.search(rf"\b{day.day}\. {short_month}\w*\.? {day.year}, \d\d:\d\d \(", listed), listed
