"""Signing in to the Hub: no session, no Hub; no CSRF token, no change."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from rota.service import bookings, orgs
from rota.web import hub_auth, hub_bookings, hub_hosts, hub_types
from tests.teams import Team, monday
from tests.web.pages import field, sign_in, text


def hub_routes(method: str) -> list[str]:
    """Every Hub address answering `method` except sign-in (with an API key or a
    one-time link), its parameters filled in."""
    routers = (hub_auth.router, hub_bookings.router, hub_hosts.router, hub_types.router)
    paths = [
        route.path
        for router in routers
        for route in router.routes
        if isinstance(route, APIRoute)
        and route.path not in ("/hub/login", "/hub/sign-in", "/hub/sign-in/{token}")
        and method in (route.methods or ())
    ]
    assert len(paths) >= 5
    return [re.sub(r"\{[a-z_]+\}", "x", path) for path in paths]


def test_without_a_session_every_hub_page_sends_to_sign_in(client: TestClient, team: Team) -> None:
    for path in hub_routes("GET"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"] == f"/hub/login?next={path}"
    for path in hub_routes("POST"):
        response = client.post(path, data={"csrf_token": "x"}, follow_redirects=False)
        assert response.status_code == 401, path
        assert "Sign in first" in response.text
    booking = team.book(monday() + timedelta(hours=10))
    action = client.post(f"/hub/bookings/{booking.id}/reassign", data={"to_host": "auto"})
    assert action.status_code == 401
    htmx = client.get("/hub/bookings", headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"].startswith("/hub/login")
    assert len(bookings.get_booking(team.db, team.org_id, booking.id).history) == 1


def test_every_hub_action_needs_the_csrf_token(client: TestClient, team: Team, hub: str) -> None:
    for path in hub_routes("POST"):
        response = client.post(path, data={"reason": "x"}, follow_redirects=False)
        assert response.status_code == 403, path


def test_a_form_post_without_the_csrf_token_is_refused(
    client: TestClient, team: Team, hub: str
) -> None:
    booking = team.book(monday() + timedelta(hours=10))
    for token in (None, "forged"):
        data = {"to_host": "auto", **({"csrf_token": token} if token else {})}
        response = client.post(f"/hub/bookings/{booking.id}/reassign", data=data)
        assert response.status_code == 403
        assert "Form expired" in response.text
    assert len(bookings.get_booking(team.db, team.org_id, booking.id).history) == 1
    other = next(h for h in (team.ada, team.grace, team.linus) if h not in booking.host_ids)
    header = client.post(
        f"/hub/bookings/{booking.id}/reassign",
        data={"to_host": other, "step": "confirm"},
        headers={"X-CSRF-Token": hub},
    )
    assert header.status_code == 200
    assert len(bookings.get_booking(team.db, team.org_id, booking.id).history) == 2


def test_signing_in_needs_the_sign_in_forms_csrf_token(client: TestClient, team: Team) -> None:
    """Another site cannot sign a visitor in to its own organization (login CSRF)."""
    key = orgs.create_key(team.db, "acme")
    token = field(client.get("/hub/login").text, "csrf_token")
    for sent in ({}, {"csrf_token": "forged"}):
        response = client.post("/hub/login", data={"api_key": key, **sent})
        assert response.status_code == 403 and "Form expired" in response.text
        assert client.get("/hub/bookings", follow_redirects=False).status_code == 303
    client.cookies.clear()  # a form posted from elsewhere carries no sign-in cookie
    for sent in ({}, {"csrf_token": token}):
        response = client.post("/hub/login", data={"api_key": key, **sent})
        assert response.status_code == 403
        assert client.get("/hub/bookings", follow_redirects=False).status_code == 303
    token = field(client.get("/hub/login").text, "csrf_token")
    client.post("/hub/login", data={"api_key": key, "csrf_token": token})
    assert client.get("/hub/bookings", follow_redirects=False).status_code == 200


def test_the_session_cookie_is_signed_httponly_and_lax(client: TestClient, team: Team) -> None:
    form = client.get("/hub/login")
    key = orgs.create_key(team.db, "acme")
    response = client.post(
        "/hub/login",
        data={"api_key": key, "csrf_token": field(form.text, "csrf_token")},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/hub" in cookie
    assert key not in cookie
    value = client.cookies["rota_hub"]
    client.cookies.set("rota_hub", value[:-2] + "xx", path="/hub")
    assert client.get("/hub/bookings", follow_redirects=False).status_code == 303


def test_a_wrong_key_is_refused_and_signing_out_ends_the_session(
    client: TestClient, team: Team
) -> None:
    form = client.get("/hub/login")
    wrong = client.post(
        "/hub/login",
        data={"api_key": "rota_wrong", "csrf_token": field(form.text, "csrf_token")},
    )
    assert wrong.status_code == 401 and "That API key is not valid" in text(wrong.text)
    csrf = sign_in(client, orgs.create_key(team.db, "acme"))
    assert client.get("/hub/bookings").status_code == 200
    out = client.post("/hub/logout", data={"csrf_token": csrf})
    assert "You are signed out." in text(out.text)
    assert client.get("/hub/bookings", follow_redirects=False).status_code == 303


def test_sign_in_goes_back_only_to_a_hub_page(client: TestClient, team: Team) -> None:
    key = orgs.create_key(team.db, "acme")
    for target, expected in (
        ("/hub/hosts", "/hub/hosts"),
        ("https://evil.example", "/hub/bookings"),
    ):
        form = client.get(f"/hub/login?next={target}")
        response = client.post(
            "/hub/login",
            data={"api_key": key, "csrf_token": field(form.text, "csrf_token"), "next": target},
            follow_redirects=False,
        )
        assert response.headers["location"] == expected
        client.cookies.clear()


def test_the_hub_cannot_be_framed_or_cached(client: TestClient, team: Team) -> None:
    login = client.get("/hub/login")
    sign_in(client, orgs.create_key(team.db, "acme"))
    for response in (login, client.get("/hub/bookings")):
        assert response.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert client.get("/hub/bookings").headers["cache-control"] == "no-store"
