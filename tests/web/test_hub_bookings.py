"""The Hub's bookings through plain forms: the table, a booking's page, reassigning."""

from __future__ import annotations

import base64
import html
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from httpx import Response

from rota import actor as actors
from rota.actor import SYSTEM
from rota.service import booking_types, bookings, hosts, meetings, orgs
from rota.store.tables import Booking, TimeOff
from tests.teams import Team, make_team, monday
from tests.web.pages import field, text


def test_the_table_opens_on_upcoming_soonest_first_and_switches(
    client: TestClient, team: Team, hub: str
) -> None:
    early = team.book(monday() + timedelta(hours=9), name="Early Bird")
    team.book(monday() + timedelta(days=2, hours=9), name="Late Comer")
    solo = team.book(monday() + timedelta(days=1, hours=9), slug="office-hours", name="Solo Visit")
    page = text(client.get("/hub/bookings").text)
    assert "Upcoming, soonest first" in page
    assert page.index("Early Bird") < page.index("Solo Visit") < page.index("Late Comer")
    bookings.cancel(team.db, team.org_id, solo.id, None, actor=SYSTEM)
    assert "Solo Visit" not in text(client.get("/hub/bookings").text)
    cancelled = text(client.get("/hub/bookings?show=cancelled").text)
    assert "Solo Visit" in cancelled and "Late Comer" not in cancelled
    everything = text(client.get("/hub/bookings?show=all").text)
    assert everything.index("Late Comer") < everything.index("Solo Visit")
    assert everything.index("Solo Visit") < everything.index("Early Bird")
    # Once the first meeting is over, it leaves the upcoming view for the past.
    with team.db.write() as session:
        held = session.get_one(Booking, early.id)
        held.start_at, held.end_at = (
            held.start_at - timedelta(weeks=2),
            held.end_at - timedelta(weeks=2),
        )
    upcoming = text(client.get("/hub/bookings").text)
    assert "Early Bird" not in upcoming and "Late Comer" in upcoming
    past = text(client.get("/hub/bookings?show=past").text)
    assert "Early Bird" in past and "Late Comer" not in past and "Solo Visit" not in past
    # An unknown view is the first one, not an error.
    assert text(client.get("/hub/bookings?show=<b>").text) == upcoming


def test_the_table_filters_by_type_day_and_host(client: TestClient, team: Team, hub: str) -> None:
    early = team.book(monday() + timedelta(hours=9), name="Early Bird")
    late = team.book(monday() + timedelta(days=2, hours=9), name="Late Comer")
    team.book(monday() + timedelta(days=1, hours=9), slug="office-hours", name="Solo Visit")
    only_intro = text(client.get("/hub/bookings?booking_type=intro").text)
    assert "Solo Visit" not in only_intro and "Early Bird" in only_intro
    day = f"{monday() + timedelta(days=2):%Y-%m-%d}"
    in_range = text(client.get(f"/hub/bookings?start={day}&end={day}").text)
    assert "Late Comer" in in_range and "Early Bird" not in in_range
    host = late.host_ids[0]
    held = text(client.get(f"/hub/bookings?host_id={host}").text)
    assert "Late Comer" in held and (early.host_ids[0] == host) == ("Early Bird" in held)


def test_the_table_finds_an_attendee_by_name_or_email(
    client: TestClient, team: Team, hub: str
) -> None:
    team.book(monday() + timedelta(hours=9), name="Early Bird")
    team.book(monday() + timedelta(hours=10), name="Late Comer")
    request = meetings.MeetingRequest(
        title="Quarterly planning",
        host_ids=[team.linus],
        start=monday() + timedelta(days=1, hours=9),
        end=monday() + timedelta(days=1, hours=10),
        guests=[meetings.Guest("Mary Somerville", "mary@science.example.org")],
    )
    meetings.create_meeting(team.db, team.org_id, request, actor=SYSTEM)
    by_name = client.get("/hub/bookings", params={"q": "  late  "})
    said = text(by_name.text)
    assert "Late Comer" in said and "Early Bird" not in said and "Quarterly" not in said
    assert 'value="late"' in by_name.text  # the search box keeps what was searched
    said = text(client.get("/hub/bookings", params={"q": "EARLY.BIRD@"}).text)
    assert "Early Bird" in said and "Late Comer" not in said
    for meeting_text in ("planning", "somerville"):
        said = text(client.get("/hub/bookings", params={"q": meeting_text}).text)
        assert "Quarterly planning" in said and "Late Comer" not in said
    nothing = client.get("/hub/bookings", params={"q": "x" * 5000})
    assert nothing.status_code == 200 and "No bookings match these filters." in nothing.text


def test_the_table_pages_soonest_first_keeping_the_filters(
    client: TestClient, team: Team, hub: str
) -> None:
    for day in range(27):
        team.book(monday() + timedelta(days=day, hours=9), slug="office-hours", name=f"P{day}")
        team.book(monday() + timedelta(days=day, hours=10), name=f"Q{day}")
    first = client.get("/hub/bookings", params={"q": "p", "booking_type": "office-hours"}).text
    assert re.findall(r"\b[PQ](\d+)\b", text(first)) == [str(n) for n in range(25)]
    next_page = html.unescape(re.findall(r'href="([^"]*cursor=[^"]*)"', first)[0])
    assert "q=p" in next_page and "booking_type=office-hours" in next_page
    second = client.get(next_page).text
    assert re.findall(r"\b[PQ](\d+)\b", text(second)) == ["25", "26"]
    assert "First page" in second and 'value="p"' in second
    past = client.get("/hub/bookings", params={"show": "all", "q": "q"}).text
    later = html.unescape(re.findall(r'href="([^"]*cursor=[^"]*)"', past)[0])
    assert "show=all" in later and "q=q" in later


def test_a_crafted_cursor_is_said_on_the_page(client: TestClient, team: Team, hub: str) -> None:
    crafted = base64.urlsafe_b64encode(b'[100000000000000000000000, "b_x"]').decode()
    response = client.get("/hub/bookings", params={"cursor": crafted})
    assert response.status_code == 200
    assert "The cursor is not one this server gave." in text(response.text)


def confirmed(client: TestClient, booking_id: str, data: dict[str, str]) -> Response:
    """Reassign as a person does: choose, look at what would happen, confirm."""
    path = f"/hub/bookings/{booking_id}/reassign"
    looked = client.post(path, data=data)
    assert looked.status_code == 200 and "Check before it happens" in text(looked.text)
    form = looked.text[looked.text.index('id="reassign-preview"') :]
    names = ("step", "to_host", "expect", "from_host_id", "reason", "csrf_token")
    return client.post(path, data={name: field(form, name) for name in names})


def test_reassign_auto_then_manual_grows_the_history(
    client: TestClient, team: Team, hub: str
) -> None:
    start = monday() + timedelta(hours=10)
    booking = team.book(start)
    first_host = booking.host_ids[0]
    page = client.get(f"/hub/bookings/{booking.id}").text
    assert "Auto-pick the next fair host" in page and page.count(">free<") == 2
    auto = confirmed(client, booking.id, {"to_host": "auto", "reason": "sick", "csrf_token": hub})
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
    manual = confirmed(
        client, booking.id, {"to_host": first_host, "reason": "back", "csrf_token": hub}
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
    assert f"{team.names[busy]}: busy at that time (on time off)" in text(page)
    looked = client.post(
        f"/hub/bookings/{booking.id}/reassign", data={"to_host": busy, "csrf_token": hub}
    )
    assert "is not free at the booking's time (on time off)" in text(looked.text)
    assert 'name="step"' not in looked.text
    refused = client.post(
        f"/hub/bookings/{booking.id}/reassign",
        data={"to_host": busy, "csrf_token": hub, "step": "confirm"},
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


def test_a_search_that_finds_nothing_upcoming_offers_all_bookings(
    client: TestClient, team: Team, hub: str
) -> None:
    booking = team.book(monday() + timedelta(hours=9), name="Early Bird")
    bookings.cancel(team.db, team.org_id, booking.id, None, actor=SYSTEM)
    page = client.get("/hub/bookings", params={"q": "bird"}).text
    assert "This shows upcoming bookings only" in text(page)
    [link] = re.findall(r'href="(/hub/bookings\?[^"]*show=all[^"]*)"', page)
    assert "Early Bird" in text(client.get(html.unescape(link)).text)
