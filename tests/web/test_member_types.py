"""The Hub's bookings page for a member (API.md, People): its booking type filter offers
the live types whose pool they are in, by title, and no other; asking for another is
refused; the meeting they host is on their page and another type's booking is not."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

from fastapi.testclient import TestClient

from rota.actor import SYSTEM
from rota.service import booking_types, meetings, users
from tests.teams import Team, make_team, monday
from tests.web.pages import field, text


def sign_in_as_grace(client: TestClient, team: Team) -> None:
    link = users.create_with_link(
        team.db, "acme", email="grace@example.com", name="Grace", role="member", host_id=team.grace
    )
    path = urlsplit(link.url).path
    form = client.get(path)
    done = client.post(path, data={"csrf_token": field(form.text, "csrf_token")})
    assert done.status_code == 200, done.text


def type_options(page: str) -> list[str]:
    [select] = re.findall(r'<select id="f-type".*?</select>', page, flags=re.S)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_a_members_type_filter_offers_the_live_types_of_their_pools_by_title(
    client: TestClient, team: Team
) -> None:
    make_team(team.db, "globex")
    for n, title in enumerate(("Zebra review", "Apple tasting", "Mango sync", "Kiwi talk")):
        team.add_type(f"grace-{n}", title, [team.grace, team.linus])
    team.add_type("ada-only", "Aardvark hour", [team.ada])
    team.add_type("gone", "A type since deleted", [team.grace])
    booking_types.delete_booking_type(team.db, team.org_id, "gone", actor=SYSTEM)
    sign_in_as_grace(client, team)
    page = client.get("/hub/bookings")
    assert page.status_code == 200
    assert type_options(page.text) == [
        "All types",
        "Apple tasting",
        "Intro call",
        "Kiwi talk",
        "Mango sync",
        "Zebra review",
    ]
    for slug in ("ada-only", "gone"):
        assert client.get(f"/hub/bookings?booking_type={slug}").status_code == 403


def test_a_members_page_shows_the_meeting_they_host_and_not_another_types_booking(
    client: TestClient, team: Team
) -> None:
    start = monday() + timedelta(hours=10)
    request = meetings.MeetingRequest(
        title="Grace's sync", host_ids=[team.grace], start=start, end=start + timedelta(hours=1)
    )
    meeting = meetings.create_meeting(team.db, team.org_id, request, actor=SYSTEM)
    solo = team.book(monday() + timedelta(days=1, hours=9), slug="office-hours", name="Solo Guest")
    sign_in_as_grace(client, team)
    page = text(client.get("/hub/bookings").text)
    assert "Grace's sync" in page and "Solo Guest" not in page
    assert client.get(f"/hub/bookings/{meeting.id}").status_code == 200
    assert client.get(f"/hub/bookings/{solo.id}").status_code == 403
