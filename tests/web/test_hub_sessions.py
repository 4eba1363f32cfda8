"""A Hub session ends on the server: after signing out, once expired, or once its
API key is revoked, a copy of its cookie taken earlier is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from rota.service import bookings, clock, hub_sessions, orgs
from tests.keys import revoke_key
from tests.teams import Team, monday
from tests.web.pages import sign_in

BOOKINGS = "/hub/bookings"


def _cookie(client: TestClient) -> str:
    return str(client.cookies["rota_hub"])


def _replay(client: TestClient, cookie: str) -> None:
    client.cookies.clear()
    client.cookies.set("rota_hub", cookie, path="/hub")


def _refused(client: TestClient) -> bool:
    """Whether the Hub sends this client to sign in instead of showing its bookings."""
    response = client.get(BOOKINGS, follow_redirects=False)
    location: str = response.headers.get("location", "")
    return response.status_code == 303 and location.startswith("/hub/login")


def test_after_signing_out_a_copy_of_the_cookie_is_refused(client: TestClient, team: Team) -> None:
    csrf = sign_in(client, orgs.create_key(team.db, "acme"))
    copy = _cookie(client)
    out = client.post("/hub/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert out.status_code == 303 and "Max-Age=0" in out.headers["set-cookie"]
    _replay(client, copy)
    assert _refused(client)
    booking = team.book(monday() + timedelta(hours=10))
    action = client.post(
        f"/hub/bookings/{booking.id}/reassign", data={"csrf_token": csrf, "to_host": "auto"}
    )
    assert action.status_code == 401 and "Sign in first" in action.text
    htmx = client.get(BOOKINGS, headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"].startswith("/hub/login")
    assert len(bookings.get_booking(team.db, team.org_id, booking.id).history) == 1
    # The sign-in page no longer takes the copy for a session either.
    assert client.get("/hub/login", follow_redirects=False).status_code == 200


def test_a_session_is_refused_twelve_hours_after_sign_in(
    client: TestClient, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    signed_in_at = clock.now()
    monkeypatch.setattr(clock, "now", lambda: signed_in_at)
    sign_in(client, orgs.create_key(team.db, "acme"))
    monkeypatch.setattr(clock, "now", lambda: signed_in_at + timedelta(hours=11, minutes=59))
    assert not _refused(client)
    monkeypatch.setattr(clock, "now", lambda: signed_in_at + hub_sessions.LIFETIME)
    assert _refused(client)


def test_revoking_the_key_ends_the_sessions_opened_with_it(client: TestClient, team: Team) -> None:
    old, new = orgs.create_key(team.db, "acme"), orgs.create_key(team.db, "acme")
    sign_in(client, old)
    on_old = _cookie(client)
    client.cookies.clear()
    sign_in(client, new)
    on_new = _cookie(client)
    revoke_key(team.db, old)
    _replay(client, on_old)
    assert _refused(client)
    _replay(client, on_new)
    assert not _refused(client)


def test_signing_in_again_gives_a_new_session_and_leaves_the_other_open(
    client: TestClient, team: Team
) -> None:
    key = orgs.create_key(team.db, "acme")
    first_csrf = sign_in(client, key)
    first = _cookie(client)
    client.cookies.clear()
    second_csrf = sign_in(client, key)
    assert _cookie(client) != first and second_csrf != first_csrf
    client.post("/hub/logout", data={"csrf_token": second_csrf})
    _replay(client, first)
    assert not _refused(client)
