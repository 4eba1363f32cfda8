"""Signing in to the Hub with a one-time link from `rota users create|link` (API.md,
People): the link works once, within 15 minutes, and the user is the actor."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import time_machine
from fastapi.testclient import TestClient
from httpx import Response
from typer.testing import CliRunner

from rota.cli import app
from rota.service import bookings, users
from tests.teams import Team, monday
from tests.web.pages import field


def cli(database_url: str, *args: str) -> str:
    """Run ``rota`` and give the link it printed as its last line (its path)."""
    result = CliRunner().invoke(app, [*args, "--database-url", database_url])
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert re.fullmatch(r"http://\S+/hub/sign-in/[\w-]{40,}", last), result.output
    return urlsplit(last).path


def use(client: TestClient, path: str) -> Response:
    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["referrer-policy"] == "no-referrer"
    response: Response = client.post(
        path,
        data={"csrf_token": field(page.text, "csrf_token"), "timezone": "Europe/Berlin"},
        follow_redirects=False,
    )
    return response


def test_the_link_signs_the_user_in_once_and_they_are_the_actor(
    client: TestClient, team: Team, database_url: str
) -> None:
    path = cli(
        database_url,
        "users",
        "create",
        "--org",
        "acme",
        "--email",
        "ada@example.com",
        "--name",
        "Ada Lovelace",
        "--role",
        "admin",
        "--host",
        team.ada,
    )
    assert client.get("/hub/bookings", follow_redirects=False).status_code == 303
    # Without the page's CSRF token nothing is used up (a forged cross-site POST).
    assert client.post(path, data={"csrf_token": "forged"}).status_code == 403
    signed_in = use(client, path)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/hub/bookings"
    assert client.get("/hub/bookings").status_code == 200
    booking = team.book(monday() + timedelta(hours=10))
    page = client.get(f"/hub/bookings/{booking.id}")
    client.post(
        f"/hub/bookings/{booking.id}/cancel",
        data={"reason": "ill", "csrf_token": field(page.text, "csrf_token")},
    )
    last = bookings.get_booking(team.db, team.org_id, booking.id).history[-1]
    [user] = users.list_users(team.db, team.org_id)
    assert (last.actor_kind, last.actor_id, last.actor_name) == ("user", user.id, "Ada Lovelace")
    assert "Ada Lovelace (user)" in client.get(f"/hub/bookings/{booking.id}").text
    # Used once: a second time (in another browser) signs nobody in.
    other = TestClient(client.app)
    again = use(other, path)
    assert again.status_code == 401 and "rota_hub" not in again.cookies
    assert other.get("/hub/bookings", follow_redirects=False).status_code == 303


def test_a_link_expires_after_15_minutes_and_a_new_one_can_be_had(
    client: TestClient, team: Team, database_url: str
) -> None:
    users.create_user(
        team.db, team.org_id, email="boss@example.com", name="Bo Ss", role="admin", host_id=None
    )
    with time_machine.travel(monday(), tick=False) as traveller:
        late = cli(database_url, "users", "link", "--org", "acme", "--email", "BOSS@example.com")
        fresh = cli(database_url, "users", "link", "--org", "acme", "--email", "boss@example.com")
        traveller.shift(timedelta(minutes=16))
        assert use(client, late).status_code == 401
        newer = cli(database_url, "users", "link", "--org", "acme", "--email", "boss@example.com")
        traveller.shift(timedelta(minutes=14))
        assert use(client, newer).status_code == 303
    assert fresh != newer


def test_an_unknown_user_or_bad_input_gets_a_one_line_error(team: Team, database_url: str) -> None:
    for line in (
        "users link --org acme --email nobody@example.com",
        "users create --org acme --email x --name X --role admin",
        "users create --org acme --email m@example.com --name M --role member",
    ):
        args = line.split()
        result = CliRunner().invoke(app, [*args, "--database-url", database_url])
        assert result.exit_code == 1, result.output
        assert result.output.strip().startswith("error: "), result.output
