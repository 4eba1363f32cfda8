"""Who may open each Hub page and take each Hub action (issue 10, API.md People): every
route of every Hub router (found from the routers, as the CSRF test finds them) for
an anonymous visitor, a member, another member, an admin and an admin of another
organization. A refusal is a 403 page (401 or a sign-in redirect without a session,
404 for another organization's data) and never shows the data asked for."""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

import rota.web
from rota.service import hosts, orgs, users
from rota.store.db import Database
from rota.store.tables import Booking, TimeOff
from tests.teams import Team, monday
from tests.web.pages import field

PUBLIC = {"/hub/login", "/hub/sign-in", "/hub/sign-in/{token}"}
PRINCIPALS = ("anonymous", "member", "other_member", "admin", "other_org_admin")
# What a refusal must never show: the attendee of the member's booking, the reason
# of the member's time off, and the member's address.
SECRETS = ("Zed Secretname", "secret-holiday", "grace@acme.example.com")


def hub_routes() -> set[tuple[str, str]]:
    """(method, path) of every route of every Hub router in `rota.web`, sign-in aside."""
    found = set()
    for module in pkgutil.iter_modules(rota.web.__path__):
        router = getattr(importlib.import_module(f"rota.web.{module.name}"), "router", None)
        for route in getattr(router, "routes", []):
            if isinstance(route, APIRoute) and route.path.startswith("/hub"):
                found |= {(m, route.path) for m in route.methods if route.path not in PUBLIC}
    return found


def _page(member: int, admin: int = 200, stranger: int | None = None) -> dict[str, int]:
    """A GET's statuses: signed-out visitors are sent to sign in (303)."""
    return _statuses(303, member, member, admin, admin if stranger is None else stranger)


def _action(member: int, admin: int, stranger: int | None = None) -> dict[str, int]:
    """A POST's statuses: without a session it is refused (401)."""
    return _statuses(401, member, member, admin, admin if stranger is None else stranger)


def _statuses(anon: int, member: int, other: int, admin: int, stranger: int) -> dict[str, int]:
    return dict(zip(PRINCIPALS, (anon, member, other, admin, stranger), strict=True))


ADMIN_PAGE = _page(403)
NOWHERE = "nothing_here"
"""An id of nothing: where an action is allowed it answers 404, and changes nothing."""

# Each route: the expected status per principal. Path parameters: the member's (Grace's)
# host and time off, her round-robin booking, the intro type; NOWHERE where an allowed
# action would change something another cell needs.
MATRIX: dict[tuple[str, str], dict[str, int]] = {
    ("POST", "/hub/logout"): _action(303, 303),
    ("GET", "/hub"): _page(303, 303),
    ("GET", "/hub/"): _page(303, 303),
    ("GET", "/hub/bookings"): _page(200),
    ("GET", "/hub/bookings/{booking_id}"): _page(200, 200, 404),
    ("POST", "/hub/bookings/{booking_id}/messages/{message_id}/retry"): _action(403, 404),
    ("POST", "/hub/bookings/{booking_id}/reassign"): _action(403, 404),
    ("POST", "/hub/bookings/{booking_id}/reschedule"): _action(403, 422, 404),
    ("POST", "/hub/bookings/{booking_id}/cancel"): _action(403, 404),
    ("GET", "/hub/find-a-time"): ADMIN_PAGE,
    ("POST", "/hub/find-a-time/book"): _action(403, 422),
    # Ask rota: everyone signed in asks (a member about their own things only).
    ("POST", "/hub/ask"): _action(200, 200),
    ("POST", "/hub/ask/plans/{plan_id}/confirm"): _action(404, 404),
    ("GET", "/hub/hosts"): ADMIN_PAGE,
    ("GET", "/hub/hosts/new"): ADMIN_PAGE,
    ("POST", "/hub/hosts"): _action(403, 422),
    ("GET", "/hub/hosts/{host_id}"): _page(403, 200, 404),
    ("POST", "/hub/hosts/{host_id}"): _action(403, 422, 404),
    ("POST", "/hub/hosts/{host_id}/reassign-bookings"): _action(403, 422, 404),
    # A host's own schedule: the member on theirs, not the other member; admins on any.
    ("POST", "/hub/hosts/{host_id}/hours"): _statuses(401, 422, 403, 422, 404),
    ("POST", "/hub/hosts/{host_id}/time-off"): _statuses(401, 422, 403, 422, 404),
    ("POST", "/hub/hosts/{host_id}/time-off/{item_id}/delete"): _statuses(401, 404, 403, 404, 404),
    ("POST", "/hub/hosts/{host_id}/time-off/{item_id}/hand-over"): _statuses(
        401, 200, 403, 200, 404
    ),
    ("POST", "/hub/hosts/{host_id}/calendar"): _statuses(401, 422, 403, 422, 404),
    ("POST", "/hub/hosts/{host_id}/calendar/delete"): _statuses(401, 404, 403, 404, 404),
    ("GET", "/hub/types"): ADMIN_PAGE,
    ("GET", "/hub/types/new"): ADMIN_PAGE,
    ("POST", "/hub/types"): _action(403, 422),
    ("GET", "/hub/types/{slug}"): _page(403, 200, 404),
    ("POST", "/hub/types/{slug}"): _action(403, 422, 404),
    ("GET", "/hub/types/{slug}/distribution"): _page(403, 200, 404),
    # One's own pages: every signed-in host has them, each sees only their own.
    ("GET", "/hub/me"): _page(200),
    ("GET", "/hub/me/bookings"): _page(200),
    ("GET", "/hub/me/out"): _page(200),
    ("POST", "/hub/me/out"): _action(422, 422),
    # Only the member holds the booking: anyone else may not hand it over.
    ("POST", "/hub/me/bookings/{booking_id}/hand-over"): _statuses(401, 303, 403, 403, 403),
    ("GET", "/hub/users"): ADMIN_PAGE,
    ("POST", "/hub/users"): _action(403, 422),
    ("POST", "/hub/users/{user_id}/link"): _action(403, 200, 404),
    ("POST", "/hub/users/{user_id}/delete"): _action(403, 404),
    ("POST", "/hub/keys"): _action(403, 201),
    ("POST", "/hub/keys/{key_id}/revoke"): _action(403, 404),
    ("GET", "/hub/organization"): ADMIN_PAGE,
    # An empty form: admins are told the name is missing, and nothing changes.
    ("POST", "/hub/organization"): _action(403, 422),
}


@dataclass
class World:
    team: Team
    booking: Booking
    time_off_id: str
    member_user_id: str
    clients: dict[str, TestClient]

    def path(self, template: str) -> str:
        values = {
            "host_id": self.team.grace,
            "booking_id": self.booking.id,
            "item_id": self.time_off_id,
            "slug": "intro",
            "message_id": NOWHERE,
            "user_id": self.member_user_id,
            "key_id": NOWHERE,
            "plan_id": NOWHERE,
        }
        if template.endswith(("/reassign", "/cancel", "/delete")):
            values |= {"booking_id": NOWHERE, "user_id": NOWHERE, "item_id": NOWHERE}
        return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], template)


def sign_in_as(
    client: TestClient, db: Database, org: str, *, email: str, name: str, role: str, host_id: str
) -> str:
    """Sign `client` in with a one-time link of a new user; the session's CSRF token."""
    link = users.create_with_link(db, org, email=email, name=name, role=role, host_id=host_id)
    path = urlsplit(link.url).path
    form = client.get(path)
    done = client.post(path, data={"csrf_token": field(form.text, "csrf_token")})
    assert done.status_code == 200, done.text
    return field(client.get("/hub/bookings").text, "csrf_token")


@pytest.fixture
def world(client: TestClient, team: Team) -> World:
    db = team.db
    start = monday() + timedelta(hours=9)
    while (booking := team.book(start, name="Zed Secretname")).host_ids != [team.grace]:
        start += timedelta(hours=1)
    off = hosts.add_span(
        db,
        team.org_id,
        team.grace,
        TimeOff,
        start=monday() + timedelta(days=20),
        end=monday() + timedelta(days=21),
        label="secret-holiday",
    )
    other_org = orgs.ensure_org(db, "globex")
    stranger_host = hosts.create_host(
        db, other_org, name="Sam Stranger", email="sam@globex.example.com", timezone="UTC"
    )
    clients = {name: TestClient(client.app) for name in PRINCIPALS}
    for name, org, email, role, host in (
        ("member", "acme", "grace@example.com", "member", team.grace),
        ("other_member", "acme", "linus@example.com", "member", team.linus),
        ("admin", "acme", "ada@example.com", "admin", team.ada),
        ("other_org_admin", "globex", "sam@example.com", "admin", stranger_host.id),
    ):
        token = sign_in_as(clients[name], db, org, email=email, name=name, role=role, host_id=host)
        clients[name].headers["X-CSRF-Token"] = token
    [member] = [u for u in users.list_users(db, team.org_id) if u.host_id == team.grace]
    return World(team, booking, off.id, member.id, clients)


def test_every_hub_route_is_in_the_matrix() -> None:
    routes = hub_routes()
    assert len(routes) > 30
    assert routes - MATRIX.keys() == set(), "a Hub route without its row in MATRIX"
    assert MATRIX.keys() - routes == set(), "a row of MATRIX for a route that is gone"


def test_each_person_gets_what_the_matrix_says_and_refusals_show_no_data(world: World) -> None:
    # The member goes last (their hand-over moves the booking), and signing out ends
    # each person's round.
    order = ("anonymous", "other_member", "admin", "other_org_admin", "member")
    ordered = sorted(MATRIX, key=lambda route: route == ("POST", "/hub/logout"))
    wrong = []
    for who in order:
        client = world.clients[who]
        for method, template in ordered:
            path = world.path(template)
            response = client.request(method, path, follow_redirects=False)
            expected = MATRIX[method, template][who]
            if response.status_code != expected:
                wrong.append(f"{who} {method} {path}: {response.status_code}, not {expected}")
            refused = response.status_code in (401, 403, 404) or who == "other_org_admin"
            shown = [s for s in SECRETS if refused and s in response.text]
            if shown:
                wrong.append(f"{who} {method} {path} shows {shown}")
            if response.status_code == 403 and "Not allowed" not in response.text:
                wrong.append(f"{who} {method} {path}: a 403 that is not the refusal page")
    assert wrong == [], "\n".join(wrong)


def test_a_member_sees_only_the_bookings_of_their_pools(world: World) -> None:
    team, member = world.team, world.clients["member"]
    solo = team.book(monday() + timedelta(days=2, hours=9), slug="office-hours", name="Solo Secret")
    assert member.get(f"/hub/bookings/{solo.id}").status_code == 403
    assert "Solo Secret" not in member.get(f"/hub/bookings/{solo.id}").text
    table = member.get("/hub/bookings")
    assert "Zed Secretname" in table.text and "Solo Secret" not in table.text
    assert member.get("/hub/bookings?booking_type=office-hours").status_code == 403
    admin = world.clients["admin"].get("/hub/bookings")
    assert "Solo Secret" in admin.text and "Zed Secretname" in admin.text
    # The member's page of a booking offers no admin action, and nobody's host page.
    page = member.get(f"/hub/bookings/{world.booking.id}").text
    assert "Hand over this booking" in page
    assert "/reschedule" not in page and "/cancel" not in page and "/hub/hosts/" not in page
