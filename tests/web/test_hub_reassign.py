"""Reassigning from a booking's Hub page: the next fair host is chosen unless a person
picks another, and nothing moves, and nobody is emailed, before they have seen who
takes the booking and who is told, and confirmed."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from rota.actor import SYSTEM
from rota.service import booking_types, bookings, meetings, subscriptions
from tests.teams import Team, monday
from tests.web.pages import field, text


def test_reassign_with_nothing_chosen_only_shows_what_would_happen(
    client: TestClient, team: Team, hub: str
) -> None:
    booking = team.book(monday() + timedelta(hours=10))
    holder = booking.host_ids[0]
    page = client.get(f"/hub/bookings/{booking.id}").text
    assert 'name="to_host" value="auto" checked' in page
    sent = len(subscriptions.booking_messages(team.db, team.org_id, booking.id))
    looked = client.post(f"/hub/bookings/{booking.id}/reassign", data={"csrf_token": hub})
    assert looked.status_code == 200
    stored = bookings.get_booking(team.db, team.org_id, booking.id)
    assert stored.host_ids == [holder] and len(stored.history) == 1
    assert len(subscriptions.booking_messages(team.db, team.org_id, booking.id)) == sent
    form = looked.text[looked.text.index('id="reassign-preview"') :]
    joining = field(form, "expect")
    said = text(looked.text)
    assert (
        f"{team.names[joining]} hosts this booking instead of {team.names[holder]}"
        " (the next fair host)"
    ) in said
    assert f"{team.names[holder]}: a cancellation" in said
    assert f"{team.names[joining]}: an invitation" in said
    assert "Alan Turing <alan.turing@example.com> (the attendee): the updated invitation" in said
    assert field(form, "step") == "confirm"


def test_a_confirmation_whose_next_fair_host_changed_is_shown_again(
    client: TestClient, team: Team, hub: str
) -> None:
    booking = team.book(monday() + timedelta(hours=10))
    holder = booking.host_ids[0]
    looked = client.post(f"/hub/bookings/{booking.id}/reassign", data={"csrf_token": hub})
    shown = field(looked.text[looked.text.index('id="reassign-preview"') :], "expect")
    other = next(h for h in (team.ada, team.grace, team.linus) if h not in (holder, shown))
    stale = client.post(
        f"/hub/bookings/{booking.id}/reassign",
        data={"csrf_token": hub, "to_host": "auto", "step": "confirm", "expect": other},
    )
    assert stale.status_code == 409
    assert "The next fair host has changed" in text(stale.text)
    assert f'name="expect" value="{shown}"' in stale.text
    assert bookings.get_booking(team.db, team.org_id, booking.id).host_ids == [holder]


def test_a_host_outside_the_pool_is_refused_in_the_preview(
    client: TestClient, team: Team, hub: str
) -> None:
    booking = team.book(monday() + timedelta(hours=10))
    looked = client.post(
        f"/hub/bookings/{booking.id}/reassign", data={"csrf_token": hub, "to_host": "nobody"}
    )
    assert looked.status_code == 200
    said = text(looked.text)
    assert "Nothing changes: Choose a host of this booking type's pool" in said
    assert 'name="step"' not in looked.text


def test_a_booking_cancelled_after_the_preview_is_refused_as_cancelled(
    client: TestClient, team: Team, hub: str
) -> None:
    booking = team.book(monday() + timedelta(hours=10))
    looked = client.post(f"/hub/bookings/{booking.id}/reassign", data={"csrf_token": hub})
    shown = field(looked.text[looked.text.index('id="reassign-preview"') :], "expect")
    bookings.cancel(team.db, team.org_id, booking.id, None, actor=SYSTEM)
    late = client.post(
        f"/hub/bookings/{booking.id}/reassign",
        data={"csrf_token": hub, "to_host": "auto", "step": "confirm", "expect": shown},
    )
    assert late.status_code == 409
    said = text(late.text)
    assert "cancelled" in said and "next fair host has changed" not in said


def test_the_choices_say_why_a_host_is_busy_or_passed_by(
    client: TestClient, team: Team, hub: str
) -> None:
    booking_types.update_booking_type(
        team.db, team.org_id, "intro", {"max_bookings_per_host_per_day": 1}
    )
    morning = team.book(monday() + timedelta(hours=9))
    start = monday() + timedelta(hours=12)
    booking = team.book(start)
    [third] = {team.ada, team.grace, team.linus} - {*morning.host_ids, *booking.host_ids}
    request = meetings.MeetingRequest(
        title="Budget review", host_ids=[third], start=start, end=start + timedelta(minutes=30)
    )
    meetings.create_meeting(team.db, team.org_id, request, actor=SYSTEM)
    said = text(client.get(f"/hub/bookings/{booking.id}").text)
    assert f"{team.names[third]}: busy at that time (in Budget review)" in said
    capped = team.names[morning.host_ids[0]]
    assert f"{capped}: free at that time (at the daily cap: auto-pick passes them by)" in said
    assert "Auto-pick the next fair host (nobody is free now)" in said
    looked = client.post(f"/hub/bookings/{booking.id}/reassign", data={"csrf_token": hub})
    assert "nobody free is: choose a host yourself" in text(looked.text)
