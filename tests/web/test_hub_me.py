"""A member's own pages (issue 10): My schedule (hours, time off and the bookings it
overlaps, calendar), My bookings (handing one over), I'm out (preview, then time
off and the hand-over in one step); and for admins the coverage swap's preview and
"block the host", users and API keys."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from fastapi.testclient import TestClient

from rota.actor import SYSTEM
from rota.service import bookings, calendars, hosts, meetings, orgs, users
from rota.store.tables import Booking, TimeOff
from tests.teams import Team, monday
from tests.web.pages import field, text
from tests.web.test_hub_authorization import sign_in_as

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@pytest.fixture
def grace(client: TestClient, team: Team) -> str:
    """`client` signed in as Grace, a member; the CSRF token."""
    return sign_in_as(
        client,
        team.db,
        "acme",
        email="grace@example.com",
        name="Grace Hopper",
        role="member",
        host_id=team.grace,
    )


def held_by(team: Team, host_id: str, count: int, day: int = 0) -> list[Booking]:
    """Round-robin bookings from 09:00 of Monday + `day` until `host_id` holds `count`."""
    start, held = monday() + timedelta(days=day, hours=9), []
    while len(held) < count:
        booking = team.book(start)
        start += timedelta(minutes=30)
        if booking.host_ids == [host_id]:
            held.append(booking)
    return held


def test_my_schedule_saves_my_hours_but_not_my_name(
    client: TestClient, team: Team, grace: str
) -> None:
    page = client.get("/hub/me")
    assert page.status_code == 200 and "My schedule" in page.text
    form = {f"hours_{d}": "" for d in DAYS}
    posted = {
        **form,
        "csrf_token": grace,
        "back": "me",
        "timezone": "Europe/Paris",
        "hours_mon": "10:00-16:00",
        "date_overrides": "2026-12-24 off",
        "name": "Someone Else",
        "email": "else@example.com",
    }
    saved = client.post(f"/hub/hosts/{team.grace}/hours", data=posted, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].startswith("/hub/me")
    host = hosts.get_host(team.db, team.org_id, team.grace)
    assert host.timezone == "Europe/Paris"
    assert host.working_hours == [{"days": ["mon"], "start": "10:00", "end": "16:00"}]
    assert host.date_overrides == [{"date": "2026-12-24", "intervals": []}]
    assert (host.name, host.email) == ("Grace Hopper", "grace@acme.example.com")
    bad = client.post(f"/hub/hosts/{team.grace}/hours", data={**posted, "hours_tue": "soon"})
    assert bad.status_code == 422 and "Tuesday: 'soon' is not a time range" in text(bad.text)
    assert "My schedule" in bad.text
    other = client.post(f"/hub/hosts/{team.linus}/hours", data=posted)
    assert other.status_code == 403 and "only your own schedule" in text(other.text)
    assert hosts.get_host(team.db, team.org_id, team.linus).timezone == "UTC"


def test_time_off_over_my_bookings_names_them_and_hands_them_over(
    client: TestClient, team: Team, grace: str
) -> None:
    mine = held_by(team, team.grace, 2)
    day = f"{monday():%Y-%m-%d}"
    added = client.post(
        f"/hub/hosts/{team.grace}/time-off",
        data={"csrf_token": grace, "back": "me", "start": f"{day}T00:00", "end": f"{day}T23:00"},
    )
    assert added.status_code == 200
    said = text(added.text)
    assert "overlaps 2 bookings Grace Hopper still hosts" in said
    assert "Hand them over to the next fair hosts" in said
    [item] = hosts.list_spans(team.db, team.org_id, team.grace, TimeOff)
    handed = client.post(
        f"/hub/hosts/{team.grace}/time-off/{item.id}/hand-over",
        data={"csrf_token": grace, "back": "me"},
    )
    assert handed.status_code == 200 and "2 moved, 0 could not be moved" in text(handed.text)
    for booking in mine:
        now = bookings.get_booking(team.db, team.org_id, booking.id)
        assert team.grace not in now.host_ids
        assert now.history[-1].actor_name == "Grace Hopper"
    # Time off over nothing goes straight back to the page.
    later = f"{monday() + timedelta(days=9):%Y-%m-%d}"
    quiet = client.post(
        f"/hub/hosts/{team.grace}/time-off",
        data={
            "csrf_token": grace,
            "back": "me",
            "start": f"{later}T09:00",
            "end": f"{later}T10:00",
        },
        follow_redirects=False,
    )
    assert quiet.status_code == 303 and quiet.headers["location"] == "/hub/me#time-off"


def test_i_connect_my_own_calendar(
    client: TestClient, team: Team, grace: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROTA_ALLOW_PRIVATE_URLS", "1")
    form = {
        "csrf_token": grace,
        "back": "me",
        "kind": "caldav",
        "url": "https://dav.example.com/g/",
    }
    missing = client.post(f"/hub/hosts/{team.grace}/calendar", data=form)
    assert missing.status_code == 422 and "needs a username and a password" in text(missing.text)
    done = client.post(
        f"/hub/hosts/{team.grace}/calendar",
        data={**form, "username": "grace", "password": "s3cret-pass"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    row = calendars.get(team.db, team.org_id, team.grace)
    assert (row.kind, row.username) == ("caldav", "grace")
    assert row.password_encrypted and "s3cret-pass" not in row.password_encrypted
    page = client.get("/hub/me").text
    assert "dav.example.com" in page and "s3cret-pass" not in page
    client.post(f"/hub/hosts/{team.grace}/calendar/delete", data={"csrf_token": grace})
    assert client.get("/hub/me").status_code == 200
    assert "No calendar connected" in text(client.get("/hub/me").text)


def test_my_bookings_lists_mine_upcoming_first_and_i_hand_one_over(
    client: TestClient, team: Team, grace: str
) -> None:
    later, sooner = held_by(team, team.grace, 1, day=2) + held_by(team, team.grace, 1, day=1)
    page = text(client.get("/hub/me/bookings").text)
    assert page.index("Upcoming") < page.index(f"{sooner.start_at:%H:%M}")
    response = client.post(
        f"/hub/me/bookings/{sooner.id}/hand-over",
        data={"csrf_token": grace, "reason": "dentist"},
    )
    assert response.status_code == 200
    now = bookings.get_booking(team.db, team.org_id, sooner.id)
    assert team.grace not in now.host_ids and now.history[-1].reason == "dentist"
    assert f"now hosted by {team.names[now.host_ids[0]]}" in text(response.text)
    # Not mine (any more): refused, nothing moves.
    again = client.post(f"/hub/me/bookings/{sooner.id}/hand-over", data={"csrf_token": grace})
    assert again.status_code == 403
    assert bookings.get_booking(team.db, team.org_id, sooner.id).host_ids == now.host_ids
    assert later.id in client.get("/hub/me/bookings").text


def test_im_out_previews_then_blocks_me_and_hands_everything_over(
    client: TestClient, team: Team, grace: str
) -> None:
    mine = held_by(team, team.grace, 2)
    day = f"{monday():%Y-%m-%d}"
    asked = {"csrf_token": grace, "start": day, "end": day, "reason": "flu"}
    preview = client.post("/hub/me/out", data={**asked, "step": "preview"})
    assert preview.status_code == 200
    said = text(preview.text)
    assert "Preview: 2 would move, 0 would stay" in said and "Nothing has changed yet." in said
    assert all(
        bookings.get_booking(team.db, team.org_id, b.id).host_ids == [team.grace] for b in mine
    )
    assert hosts.list_spans(team.db, team.org_id, team.grace, TimeOff) == []
    confirm = {"csrf_token": grace, "start": field(preview.text, "start"), "end": day}
    done = client.post("/hub/me/out", data={**confirm, "reason": "flu", "step": "confirm"})
    assert done.status_code == 200 and "2 moved, 0 could not be moved" in text(done.text)
    [off] = hosts.list_spans(team.db, team.org_id, team.grace, TimeOff)
    assert (off.start_at, off.end_at, off.reason) == (monday(), monday() + timedelta(days=1), "flu")
    for booking in mine:
        assert team.grace not in bookings.get_booking(team.db, team.org_id, booking.id).host_ids
    bad = client.post("/hub/me/out", data={**asked, "end": "someday", "step": "preview"})
    assert bad.status_code == 422 and "Give the first and the last day" in text(bad.text)


def test_the_coverage_swap_previews_and_can_block_the_host(
    client: TestClient, team: Team, hub: str
) -> None:
    mine = held_by(team, team.ada, 2)
    day = f"{monday():%Y-%m-%d}"
    form = {"csrf_token": hub, "start": day, "end": day, "reason": "ill", "block": "1"}
    preview = client.post(
        f"/hub/hosts/{team.ada}/reassign-bookings", data={**form, "step": "preview"}
    )
    assert "Preview: 2 would move" in text(preview.text)
    assert hosts.list_spans(team.db, team.org_id, team.ada, TimeOff) == []
    done = client.post(f"/hub/hosts/{team.ada}/reassign-bookings", data={**form, "step": "confirm"})
    assert "2 moved" in text(done.text)
    assert len(hosts.list_spans(team.db, team.org_id, team.ada, TimeOff)) == 1
    assert all(
        team.ada not in bookings.get_booking(team.db, team.org_id, b.id).host_ids for b in mine
    )


def test_admins_make_users_with_a_link_and_keys_shown_once(
    client: TestClient, team: Team, hub: str
) -> None:
    made = client.post(
        "/hub/users",
        data={
            "csrf_token": hub,
            "name": "Linus T",
            "email": "linus@example.com",
            "role": "member",
            "host_id": team.linus,
        },
    )
    assert made.status_code == 201
    url = field(made.text, "shown")
    assert urlsplit(url).path.startswith("/hub/sign-in/")
    member = TestClient(client.app)
    page = member.get(urlsplit(url).path)
    member.post(urlsplit(url).path, data={"csrf_token": field(page.text, "csrf_token")})
    assert "My schedule" in member.get("/hub/me").text
    assert member.get("/hub/users").status_code == 403
    no_host = client.post(
        "/hub/users",
        data={"csrf_token": hub, "name": "M", "email": "m@example.com", "role": "member"},
    )
    assert no_host.status_code == 422 and "A member is one host of the team" in text(no_host.text)
    twice = client.post(
        "/hub/users",
        data={"csrf_token": hub, "name": "L", "email": "LINUS@example.com", "role": "admin"},
    )
    assert twice.status_code == 409
    [user] = users.list_users(team.db, team.org_id)
    client.post(f"/hub/users/{user.id}/delete", data={"csrf_token": hub})
    assert member.get("/hub/me", follow_redirects=False).status_code == 303  # signed out
    key = client.post("/hub/keys", data={"csrf_token": hub})
    assert key.status_code == 201 and "not shown again" in text(key.text)
    [_, new] = orgs.list_keys(team.db, "acme")
    assert new.prefix in key.text
    client.post(f"/hub/keys/{new.id}/revoke", data={"csrf_token": hub})
    assert orgs.list_keys(team.db, "acme")[1].revoked_at is not None


def test_time_off_over_a_meeting_names_it_and_says_why_it_stays(
    client: TestClient, team: Team, grace: str
) -> None:
    start = monday() + timedelta(days=3, hours=10)
    request = meetings.MeetingRequest(
        title="Planning",
        host_ids=[team.grace, team.ada],
        start=start,
        end=start + timedelta(hours=1),
    )
    meeting = meetings.create_meeting(team.db, team.org_id, request, actor=SYSTEM)
    day = f"{start:%Y-%m-%d}"
    added = client.post(
        f"/hub/hosts/{team.grace}/time-off",
        data={"csrf_token": grace, "back": "me", "start": f"{day}T00:00", "end": f"{day}T23:00"},
    )
    assert "overlaps 1 booking" in text(added.text) and "Planning" in text(added.text)
    [item] = hosts.list_spans(team.db, team.org_id, team.grace, TimeOff)
    handed = client.post(
        f"/hub/hosts/{team.grace}/time-off/{item.id}/hand-over", data={"csrf_token": grace}
    )
    said = text(handed.text)
    assert "0 moved, 1 could not be moved" in said and "Planning" in said
    assert "None" not in said
    assert team.grace in bookings.get_booking(team.db, team.org_id, meeting.id).host_ids


def test_a_role_change_counts_at_the_next_request(
    client: TestClient, team: Team, grace: str
) -> None:
    assert client.get("/hub/users").status_code == 403
    [user] = users.list_users(team.db, team.org_id)
    users.update_user(team.db, team.org_id, user.id, {"role": "admin"})
    assert client.get("/hub/users").status_code == 200
    users.update_user(team.db, team.org_id, user.id, {"role": "member"})
    refused = client.get("/hub/users")
    assert refused.status_code == 403 and "Grace Hopper" not in refused.text


def test_an_api_key_session_has_no_pages_of_its_own(
    client: TestClient, team: Team, hub: str
) -> None:
    bookings_page = client.get("/hub/bookings").text
    assert "/hub/users" in bookings_page and "/hub/me" not in bookings_page
    for path in ("/hub/me", "/hub/me/bookings", "/hub/me/out"):
        refused = client.get(path)
        assert refused.status_code == 403 and "not tied to a host" in text(refused.text)


def test_im_out_today_leaves_what_is_over_alone(client: TestClient, team: Team) -> None:
    early, *late = held_by(team, team.grace, 3)
    meanwhile = early.start_at + timedelta(minutes=15)
    with time_machine.travel(meanwhile, tick=False):
        csrf = sign_in_as(
            client,
            team.db,
            "acme",
            email="g@example.com",
            name="Grace Hopper",
            role="member",
            host_id=team.grace,
        )
        day = f"{meanwhile:%Y-%m-%d}"
        done = client.post("/hub/me/out", data={"csrf_token": csrf, "start": day, "end": day})
        assert done.status_code == 200, text(done.text)
        [off] = hosts.list_spans(team.db, team.org_id, team.grace, TimeOff)
        assert off.start_at == meanwhile
        assert bookings.get_booking(team.db, team.org_id, early.id).host_ids == [team.grace]
        for booking in late:
            assert team.grace not in bookings.get_booking(team.db, team.org_id, booking.id).host_ids
        yesterday = f"{meanwhile - timedelta(days=1):%Y-%m-%d}"
        over = client.post(
            "/hub/me/out", data={"csrf_token": csrf, "start": yesterday, "end": yesterday}
        )
        assert over.status_code == 422 and "Those days are over" in text(over.text)
