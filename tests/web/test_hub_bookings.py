"""The Hub's bookings through plain forms: the table, a booking's page, reassigning."""

from __future__ import annotations

import base64
import html
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from rota import actor as actors
from rota.actor import SYSTEM
from rota.service import booking_types, bookings, hosts, orgs
from rota.store.tables import Booking, TimeOff
from tests.teams import Team, make_team, monday
from tests.web.pages import text


def test_the_table_filters_and_runs_newest_first(client: TestClient, team: Team, hub: str) -> None:
    early = team.book(monday() + timedelta(hours=9), name="Early Bird")
    late = team.book(monday() + timedelta(days=2, hours=9), name="Late Comer")
    solo = team.book(monday() + timedelta(days=1, hours=9), slug="office-hours", name="Solo Visit")
    page = text(client.get("/hub/bookings").text)
    assert page.index("Late Comer") < page.index("Solo Visit") < page.index("Early Bird")
    only_intro = text(client.get("/hub/bookings?booking_type=intro").text)
    assert "Solo Visit" not in only_intro and "Early Bird" in only_intro
    day = f"{monday() + timedelta(days=2):%Y-%m-%d}"
    in_range = text(client.get(f"/hub/bookings?start={day}&end={day}").text)
    assert "Late Comer" in in_range and "Early Bird" not in in_range
    bookings.cancel(team.db, team.org_id, solo.id, None, actor=SYSTEM)
    cancelled = text(client.get("/hub/bookings?status=cancelled").text)
    assert "Solo Visit" in cancelled and "Late Comer" not in cancelled
    host = late.host_ids[0]
    held = text(client.get(f"/hub/bookings?host_id={host}").text)
    assert "Late Comer" in held and (early.host_ids[0] == host) == ("Early Bird" in held)


def test_the_table_pages(client: TestClient, team: Team, hub: str) -> None:
    for day in range(27):
        team.book(monday() + timedelta(days=day, hours=9), slug="office-hours", name=f"P{day}")
    first = client.get("/hub/bookings").text
    assert re.findall(r"\bP(\d+)\b", text(first)) == [str(n) for n in range(26, 1, -1)]
    next_page = html.unescape(re.findall(r'href="([^"]*cursor=[^"]*)"', first)[0])
    second = client.get(next_page).text
    assert re.findall(r"\bP(\d+)\b", text(second)) == ["1", "0"]
    assert "First page" in second


def test_a_crafted_cursor_is_said_on_the_page(client: TestClient, team: Team, hub: str) -> None:
    crafted = base64.urlsafe_b64encode(b'[100000000000000000000000, "b_x"]').decode()
    response = client.get("/hub/bookings", params={"cursor": crafted})
    assert response.status_code == 200
    assert "The cursor is not one this server gave." in text(response.text)


def test_reassign_auto_then_manual_grows_the_history(
    client: TestClient, team: Team, hub: str
) -> None:
    start = monday() + timedelta(hours=10)
    booking = team.book(start)
    first_host = booking.host_ids[0]
    page = client.get(f"/hub/bookings/{booking.id}").text
    assert "Auto-pick the next fair host" in page and page.count(">free<") == 2
    auto = client.post(
        f"/hub/bookings/{booking.id}/reassign",
        data={"to_host": "auto", "reason": "sick", "csrf_token": hub},
    )
    assert auto.status_code == 200
    second_host = bookings.get_booking(team.db, team.org_id, booking.id).host_ids[0]
    assert second_host != first_host
    said = text(auto.text)
    assert f"Now hosted by {team.names[second_host]}" in said
    # The invites sent: the first host's invitation and cancellation, the second's invitation.
    first_email = team.names[first_host].split()[0].lower() + "@acme.example.com"
    second_email = team.names[second_host].split()[0].lower() + "@acme.example.com"
    assert f"{first_email} invitation 0" in said and f"{first_email} cancellation 1" in said
    assert f"{second_email} invitation 1" in said
    manual = client.post(
        f"/hub/bookings/{booking.id}/reassign",
        data={"to_host": first_host, "reason": "back", "csrf_token": hub},
    )
    assert f"Now hosted by {team.names[first_host]}" in text(manual.text)
    history = bookings.get_booking(team.db, team.org_id, booking.id).history
    assert [(h.action, h.by, h.reason) for h in history] == [
        ("created", "auto", None),
        ("reassigned", "auto", "sick"),
        ("reassigned", "manual", "back"),
    ]


def test_a_busy_host_is_shown_busy_and_refused(client: TestClient, team: Team, hub: str) -> None:
    start = monday() + timedelta(hours=10)
    booking = team.book(start)
    busy = next(h for h in (team.ada, team.grace, team.linus) if h not in booking.host_ids)
    hosts.add_span(
        team.db, team.org_id, busy, TimeOff, start=start, end=start + timedelta(hours=1), label=None
    )
    page = client.get(f"/hub/bookings/{booking.id}").text
    assert f'value="{busy}" disabled' in page
    refused = client.post(
        f"/hub/bookings/{booking.id}/reassign", data={"to_host": busy, "csrf_token": hub}
    )
    assert refused.status_code == 409
    assert "not free at the booking's time" in text(refused.text)


def test_another_organizations_booking_is_not_found(
    client: TestClient, team: Team, hub: str
) -> None:
    other = make_team(team.db, org="globex")
    theirs = other.book(monday() + timedelta(hours=10))
    assert client.get(f"/hub/bookings/{theirs.id}").status_code == 404
    response = client.post(
        f"/hub/bookings/{theirs.id}/reassign", data={"to_host": "auto", "csrf_token": hub}
    )
    assert response.status_code == 404
    assert bookings.get_booking(other.db, other.org_id, theirs.id).history[-1].action == "created"
    assert "Alan Turing" not in client.get("/hub/bookings").text


def test_reschedule_then_cancel_from_the_booking_page(
    client: TestClient, team: Team, hub: str
) -> None:
    start = monday() + timedelta(hours=10)
    booking = team.book(start)
    page = text(client.get(f"/hub/bookings/{booking.id}").text)
    assert "Reschedule" in page and "Cancel booking" in page
    zone = re.search(r"New start \(([^)]+)\)", page)
    assert zone is not None
    later = (start + timedelta(days=1)).astimezone(ZoneInfo(zone.group(1)))
    moved = client.post(
        f"/hub/bookings/{booking.id}/reschedule",
        data={"start": f"{later:%Y-%m-%dT%H:%M}", "reason": "clash", "csrf_token": hub},
    )
    assert moved.status_code == 200, moved.text
    assert "Rescheduled: everyone is sent the new time." in text(moved.text)
    stored = bookings.get_booking(team.db, team.org_id, booking.id)
    assert stored.start_at == start + timedelta(days=1)
    bad = client.post(
        f"/hub/bookings/{booking.id}/reschedule", data={"start": "soon", "csrf_token": hub}
    )
    assert bad.status_code == 422
    night = client.post(
        f"/hub/bookings/{booking.id}/reschedule",
        data={"start": f"{later:%Y-%m-%d}T03:00", "csrf_token": hub},
    )
    assert night.status_code == 409
    cancelled = client.post(
        f"/hub/bookings/{booking.id}/cancel", data={"reason": "ill", "csrf_token": hub}
    )
    assert "Cancelled: everyone is told." in text(cancelled.text)
    history = bookings.get_booking(team.db, team.org_id, booking.id).history
    assert [(h.action, h.reason) for h in history] == [
        ("created", None),
        ("rescheduled", "clash"),
        ("cancelled", "ill"),
    ]
    assert "Cancel booking" not in text(cancelled.text)


def test_the_history_says_who_made_each_change(client: TestClient, team: Team, hub: str) -> None:
    booking = team.book(monday() + timedelta(hours=10))
    attendee = team.book(monday() + timedelta(hours=11), name="Alan Turing")
    client.post(f"/hub/bookings/{booking.id}/cancel", data={"reason": "ill", "csrf_token": hub})
    [key] = orgs.list_keys(team.db, "acme")
    rows = re.findall(
        r'<td class="actor">(.*?)</td>', client.get(f"/hub/bookings/{booking.id}").text
    )
    assert [html.unescape(row) for row in rows] == ["rota", f"API key {key.prefix}…"]
    bookings.cancel(team.db, team.org_id, attendee.id, None, actor=actors.attendee("Alan Turing"))
    rows = re.findall(
        r'<td class="actor">(.*?)</td>', client.get(f"/hub/bookings/{attendee.id}").text
    )
    assert rows[-1] == "Alan Turing (attendee)"


def test_the_booking_page_shows_each_participants_reply(
    client: TestClient, team: Team, hub: str
) -> None:
    booking_types.update_booking_type(
        team.db,
        team.org_id,
        "office-hours",
        {"location": {"kind": "phone", "value": "+44 20 7946 0000"}},
    )
    booking = team.book(monday() + timedelta(hours=10), slug="office-hours")
    with team.db.write() as session:
        row = session.get(Booking, booking.id)
        assert row is not None
        row.responses = {"ada@acme.example.com": "accepted"}
    said = text(client.get(f"/hub/bookings/{booking.id}").text)
    assert "Ada Lovelace (host): accepted" in said
    assert "Alan Turing (attendee): no answer yet" in said
    assert "Where Phone: +44 20 7946 0000" in said
