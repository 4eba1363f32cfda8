"""The Hub's booking type form and the distribution page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from rota.service import booking_types
from tests.teams import Team, monday
from tests.web.pages import text


def form(hub: str, team: Team, **changes: Any) -> dict[str, Any]:
    data = {
        "csrf_token": hub,
        "title": "Demo",
        "slug": "demo",
        "duration_minutes": "45",
        "slot_interval_minutes": "",
        "host_mode": "round_robin",
        "rotation": "availability",
        "fairness_window_days": "30",
        "catch_up_limit": "5",
        "max_bookings_per_host_per_day": "",
        "buffer_before_minutes": "0",
        "buffer_after_minutes": "10",
        "minimum_notice_minutes": "60",
        "booking_window_days": "30",
        f"pool_{team.ada}": "on",
        f"weight_{team.ada}": "200",
        f"priority_{team.ada}": "3",
        f"pool_{team.grace}": "on",
        f"weight_{team.grace}": "100",
        f"priority_{team.grace}": "2",
        f"fixed_{team.linus}": "on",  # not in the pool: ignored
    }
    return {**data, **changes}


def test_a_booking_type_is_created_then_edited(client: TestClient, team: Team, hub: str) -> None:
    page = client.get("/hub/types/new").text
    assert "The heading bookers see on the booking page." in page
    assert "Catch-up limit (bookings)" in page and "busy in other meetings" in page
    created = client.post("/hub/types", data=form(hub, team), follow_redirects=False)
    assert created.status_code == 303 and created.headers["location"] == "/hub/types/demo?saved=1"
    row = booking_types.get_booking_type(team.db, team.org_id, "demo")
    assert (row.duration_minutes, row.slot_interval_minutes, row.buffer_after_minutes) == (
        45,
        45,
        10,
    )
    assert row.catch_up_limit == 5
    assert [(m.host_id, m.weight, m.priority, m.fixed) for m in row.pool] == [
        (team.ada, 200, 3, False),
        (team.grace, 100, 2, False),
    ]
    edit = form(hub, team, title="Demo call", **{f"pool_{team.linus}": "on"})
    client.post("/hub/types/demo", data=edit)
    row = booking_types.get_booking_type(team.db, team.org_id, "demo")
    assert row.title == "Demo call"
    assert [(m.host_id, m.fixed) for m in row.pool][-1] == (team.linus, True)
    assert "Saved." in client.get("/hub/types/demo?saved=1").text


def test_a_type_the_api_would_refuse_is_not_saved(client: TestClient, team: Team, hub: str) -> None:
    solo = client.post("/hub/types", data=form(hub, team, host_mode="solo"))
    assert solo.status_code == 422
    assert "A solo booking type takes exactly one host." in text(solo.text)
    taken = client.post("/hub/types", data=form(hub, team, slug="intro"))
    assert taken.status_code == 422 and "already exists" in text(taken.text)
    bad = client.post("/hub/types", data=form(hub, team, duration_minutes="", slug="Not A Slug"))
    assert bad.status_code == 422
    said = text(bad.text)
    assert "Please fill this in." in said
    assert "Use lowercase letters, digits and single dashes only, as in intro-call." in said
    assert "Input should" not in said and "String should" not in said
    negative = client.post("/hub/types", data=form(hub, team, buffer_before_minutes="-5"))
    assert negative.status_code == 422 and "Must be 0 or more." in text(negative.text)
    assert 'value="-5"' in negative.text  # what was typed stays, next to what is wrong
    assert [t.slug for t in booking_types.list_booking_types(team.db, team.org_id)] == [
        "intro",
        "office-hours",
    ]


def test_the_distribution_shows_each_hosts_bookings_and_share(
    client: TestClient, team: Team, hub: str
) -> None:
    for day in range(6):
        team.book(monday() + timedelta(days=day, hours=10))
    page = client.get("/hub/types/intro/distribution").text
    assert "<svg" in page and 'role="img"' in page
    said = text(page)
    for name in team.names.values():
        assert f"{name} 100 2 2 2.0 +0.0 33.3% 33.3%" in said
    assert "never more than 3 bookings behind" in said
    assert client.get("/hub/types/nope/distribution").status_code == 404


def test_the_editor_sets_description_location_and_what_a_decline_does(
    client: TestClient, team: Team, hub: str
) -> None:
    page = client.get("/hub/types/new").text
    assert "Address, number or link" in page and "When a host declines" in page
    fields = {
        "description": "Talk to us.",
        "location_kind": "in_person",
        "location_value": "1 Main Street",
        "on_host_decline": "keep",
    }
    created = client.post("/hub/types", data=form(hub, team, **fields), follow_redirects=False)
    assert created.status_code == 303
    row = booking_types.get_booking_type(team.db, team.org_id, "demo")
    assert (row.description, row.location_kind, row.location_value, row.on_host_decline) == (
        "Talk to us.",
        "in_person",
        "1 Main Street",
        "keep",
    )
    assert "1 Main Street" in client.get("/hub/types/demo").text
    bad = form(hub, team, location_kind="video", location_value="no link")
    refused = client.post("/hub/types/demo", data=bad)
    assert refused.status_code == 422 and "https://" in refused.text
    client.post("/hub/types/demo", data=form(hub, team, location_value=""))
    row = booking_types.get_booking_type(team.db, team.org_id, "demo")
    assert (row.location_kind, row.location_value, row.description) == (None, None, None)
