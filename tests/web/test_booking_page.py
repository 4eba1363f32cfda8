"""The public booking page and the attendee's manage page, through plain HTTP forms."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from httpx import Response

from rota.service import booking_types, bookings
from tests.teams import Team, monday
from tests.web.pages import field, links, text

BERLIN = "Europe/Berlin"


def choose(client: TestClient, path: str, zone: str = BERLIN, pick: int = 0) -> str:
    """Open the page, take next week's Tuesday (well past the booking notice, so the
    time cannot pass while the test runs) and its `pick`-th time: the details form."""
    day = monday() + timedelta(days=1)
    page = client.get(f"{path}?tz={zone}&month={day:%Y-%m}").text
    (day_link,) = links(page, f"day-{day:%Y-%m-%d}")
    time = links(client.get(day_link).text, "time-")[pick]
    form: Response = client.get(time)
    assert form.status_code == 200
    return form.text


def book(client: TestClient, form: str, name: str = "Alan Turing", **extra: str) -> Response:
    data = {
        "start": field(form, "start"),
        "tz": field(form, "tz"),
        "attempt": field(form, "attempt"),
        "name": name,
        "email": name.lower().replace(" ", ".") + "@example.com",
        **extra,
    }
    response: Response = client.post("/book/acme/intro", data=data, follow_redirects=False)
    return response


def test_a_visitor_books_and_gets_the_confirmation_in_their_time(
    client: TestClient, team: Team
) -> None:
    page = client.get("/book/acme/intro?tz=Asia/Tokyo")
    assert page.status_code == 200
    assert "Intro call" in page.text and "30 minutes" in text(page.text)
    form = choose(client, "/book/acme/intro", "Asia/Tokyo")
    start = datetime.fromisoformat(field(form, "start"))
    response = book(client, form)
    assert response.status_code == 303
    confirmation = client.get(response.headers["location"])
    said = text(confirmation.text)
    assert "You are booked" in said
    local = start.astimezone(ZoneInfo("Asia/Tokyo"))
    # no Accept-Language: written as CLDR's English does, on a 12-hour clock
    assert f"{local:%-I:%M %p} to" in said and "(Asia/Tokyo)" in said
    assert any(name in said for name in team.names.values())
    assert "/booking.ics" in confirmation.text
    token = response.headers["location"].split("/")[2].split("?")[0]
    assert f'value="http://testserver/manage/{token}"' in confirmation.text
    assert len(token) >= 40


def test_a_time_taken_meanwhile_is_refused_in_words(client: TestClient, team: Team) -> None:
    form = choose(client, "/book/acme/intro")
    start = datetime.fromisoformat(field(form, "start"))
    for name in ("Ann Other", "Bea Other", "Cid Other"):  # the three hosts take that time
        team.book(start, name=name)
    response = book(client, form)
    assert response.status_code == 409
    said = text(response.text)
    assert "was booked by someone else a moment ago, so it was not booked for you" in said
    assert links(response.text, "time-"), "the times still free are shown"
    page = bookings.list_bookings(team.db, team.org_id, start=start, end=start + timedelta(1))
    assert sorted(b.attendee_name for b in page.bookings if b.start_at == start) == [
        "Ann Other",
        "Bea Other",
        "Cid Other",
    ]


def test_a_double_submit_books_once(client: TestClient, team: Team) -> None:
    form = choose(client, "/book/acme/intro")
    first, second = book(client, form), book(client, form)
    assert first.headers["location"] == second.headers["location"]
    assert len(bookings.list_bookings(team.db, team.org_id).bookings) == 1


def test_missing_details_are_asked_for_and_nothing_is_booked(
    client: TestClient, team: Team
) -> None:
    form = choose(client, "/book/acme/intro")
    response = book(client, form, name=" ", email="not-an-email")
    assert response.status_code == 422
    assert "Enter your name." in response.text
    assert "Enter an email address" in response.text
    assert bookings.list_bookings(team.db, team.org_id).bookings == []


def test_an_unknown_page_or_link_is_a_404_page(client: TestClient, team: Team) -> None:
    for path in ("/book/acme/nope", "/book/nobody/intro", "/manage/not-a-token"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")


def test_the_manage_link_moves_then_cancels(client: TestClient, team: Team) -> None:
    start = monday() + timedelta(hours=9)
    booking = team.book(start, slug="office-hours")
    move = client.get(f"/manage/{booking.manage_token}/move?tz=UTC")
    assert move.status_code == 200
    assert move.headers["referrer-policy"] == "no-referrer"
    day = f"{start + timedelta(days=1):%Y-%m-%d}"
    times = links(client.get(f"/manage/{booking.manage_token}/move?tz=UTC&day={day}").text, "time-")
    form = client.get(times[2]).text
    moved = client.post(
        f"/manage/{booking.manage_token}/move",
        data={"start": field(form, "start"), "tz": "UTC"},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    new_page = client.get(moved.headers["location"])
    assert "Your booking has moved" in text(new_page.text)
    # The same booking moved: the link the attendee saved still leads to it.
    assert moved.headers["location"].startswith(f"/manage/{booking.manage_token}")
    assert "Booking cancelled" not in client.get(f"/manage/{booking.manage_token}").text
    cancelled = client.post(f"/manage/{booking.manage_token}/cancel", data={"reason": "ill"})
    assert "Your booking is cancelled." in text(cancelled.text)
    everything = bookings.list_bookings(team.db, team.org_id).bookings
    assert [(b.id, b.status) for b in everything] == [(booking.id, "cancelled")]


def test_add_to_calendar_downloads_the_meeting(client: TestClient, team: Team) -> None:
    booking = team.book(monday() + timedelta(hours=9), slug="office-hours")
    response = client.get(f"/manage/{booking.manage_token}/booking.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert "attachment" in response.headers["content-disposition"]
    assert "BEGIN:VEVENT" in response.text and "SUMMARY:Office hours" in response.text


def test_the_page_shows_description_and_location_and_keeps_the_note(
    client: TestClient, team: Team
) -> None:
    booking_types.update_booking_type(
        team.db,
        team.org_id,
        "intro",
        {
            "description": "A first talk.",
            "location": {"kind": "video", "value": "https://meet.example.com/x"},
        },
    )
    page = client.get("/book/acme/intro").text
    assert "A first talk." in page and 'href="https://meet.example.com/x"' in page
    booked = book(client, choose(client, "/book/acme/intro"), notes="Line one\nline two")
    assert booked.status_code == 303
    [made] = bookings.list_bookings(team.db, team.org_id).bookings
    assert made.notes == "Line one\nline two"
    manage = text(client.get(booked.headers["location"]).text)
    assert "Your note Line one line two" in manage
    assert "Video call: https://meet.example.com/x" in manage


def test_a_name_on_two_lines_or_an_odd_email_is_asked_again_and_nothing_booked(
    client: TestClient, team: Team
) -> None:
    form = choose(client, "/book/acme/intro")
    for name, email in (("Alan\nTuring", "alan@example.com"), ("Alan", "é@example.com")):
        refused = book(client, form, email=email, name=name)
        assert refused.status_code == 422
        said = text(refused.text)
        assert "Write your name on one line." in said or "Enter an email address" in said
    assert bookings.list_bookings(team.db, team.org_id).bookings == []
    booked = book(client, form, name="Ana", email="ana@bücher.example")
    assert booked.status_code == 303
    [made] = bookings.list_bookings(team.db, team.org_id).bookings
    assert made.attendee_email == "ana@xn--bcher-kva.example"
