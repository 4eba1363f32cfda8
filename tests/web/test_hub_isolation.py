"""The Hub shows and changes only the signed-in organization's data."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from rota.service import booking_types, bookings, hosts
from rota.store.tables import TimeOff
from tests.teams import Team, make_team, monday
from tests.web.pages import text


def test_another_organizations_data_is_not_found(client: TestClient, team: Team, hub: str) -> None:
    other = make_team(team.db, org="globex")
    theirs = other.book(monday() + timedelta(hours=10))
    booking_types.create_booking_type(
        other.db,
        other.org_id,
        {
            "slug": "secret-demo",
            "title": "Secret demo",
            "duration_minutes": 30,
            "host_mode": "solo",
            "hosts": [{"host_id": other.ada}],
        },
    )
    for path in (
        f"/hub/bookings/{theirs.id}",
        f"/hub/hosts/{other.ada}",
        "/hub/types/secret-demo",
        "/hub/types/secret-demo/distribution",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Alan Turing" not in response.text and "Secret demo" not in response.text, path
    # A filter naming their host or type is answered as one naming nothing at all.
    for name, value, unknown in (
        ("host_id", other.ada, "host_nobody"),
        ("booking_type", "secret-demo", "no-such-type"),
    ):
        filtered = client.get(f"/hub/bookings?{name}={value}")
        nothing = client.get(f"/hub/bookings?{name}={unknown}")
        assert filtered.status_code == nothing.status_code
        assert text(filtered.text).replace(value, unknown) == text(nothing.text)
        assert "Alan Turing" not in filtered.text
    day = f"{monday():%Y-%m-%d}"
    actions = {
        f"/hub/hosts/{other.ada}": {"name": "Mallory", "email": "m@example.com", "timezone": "UTC"},
        f"/hub/hosts/{other.ada}/time-off": {"start": f"{day}T09:00", "end": f"{day}T10:00"},
        f"/hub/hosts/{other.ada}/reassign-bookings": {"start": day, "end": day},
        f"/hub/bookings/{theirs.id}/reassign": {"to_host": "auto"},
        "/hub/types/secret-demo": {"title": "Hacked", "slug": "secret-demo"},
    }
    for path, data in actions.items():
        assert client.post(path, data={"csrf_token": hub, **data}).status_code == 404, path
    assert hosts.get_host(other.db, other.org_id, other.ada).name == "Ada Lovelace"
    assert hosts.list_spans(other.db, other.org_id, other.ada, TimeOff) == []
    assert booking_types.get_booking_type(other.db, other.org_id, "secret-demo").title == (
        "Secret demo"
    )
    # Their time off cannot be deleted through one of our own hosts either.
    off = hosts.add_span(
        other.db,
        other.org_id,
        other.ada,
        TimeOff,
        start=monday(),
        end=monday() + timedelta(hours=1),
        label="Away",
    )
    delete = client.post(
        f"/hub/hosts/{team.ada}/time-off/{off.id}/delete", data={"csrf_token": hub}
    )
    assert delete.status_code == 404
    assert [t.id for t in hosts.list_spans(other.db, other.org_id, other.ada, TimeOff)] == [off.id]
    # Both organizations have a type "intro": each Hub edits its own.
    client.post(
        "/hub/types/intro",
        data={
            "csrf_token": hub,
            "title": "Ours",
            "slug": "intro",
            "duration_minutes": "30",
            "host_mode": "round_robin",
            "rotation": "availability",
            f"pool_{team.ada}": "on",
            f"pool_{team.grace}": "on",
        },
    )
    assert booking_types.get_booking_type(team.db, team.org_id, "intro").title == "Ours"
    assert booking_types.get_booking_type(other.db, other.org_id, "intro").title == "Intro call"


def test_a_team_booking_with_several_hosts_says_who_hands_over(
    client: TestClient, team: Team, hub: str
) -> None:
    booking_types.create_booking_type(
        team.db,
        team.org_id,
        {
            "slug": "panel",
            "title": "Panel",
            "duration_minutes": 60,
            "host_mode": "round_robin",
            "hosts": [
                {"host_id": team.ada, "fixed": True},
                {"host_id": team.grace},
                {"host_id": team.linus},
            ],
        },
    )
    booking = team.book(monday() + timedelta(hours=10), slug="panel")
    rotating = next(h for h in booking.host_ids if h != team.ada)
    page = client.get(f"/hub/bookings/{booking.id}").text
    assert 'for="from-host"' in page and f'<option value="{rotating}" selected>' in page
    other = ({team.grace, team.linus} - {rotating}).pop()
    moved = client.post(
        f"/hub/bookings/{booking.id}/reassign",
        data={"csrf_token": hub, "to_host": other, "from_host_id": rotating, "step": "confirm"},
    )
    assert moved.status_code == 200
    said = text(moved.text)
    assert f"Reassigned: {team.names[rotating]} handed over. Now hosted by" in said
    assert set(bookings.get_booking(team.db, team.org_id, booking.id).host_ids) == {team.ada, other}
