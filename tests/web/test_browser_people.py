"""People in a real browser (issue 10): a user signs in with a one-time link and the
booking's history names them; a member signs in by email and says "I'm out", and the
booking page stops offering them; the pages pass the accessibility check."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from rota import outbound
from rota.calendars.secrets import SecretBox
from rota.notify.delivery import handlers
from rota.notify.outbox import SqlOutbox
from rota.notify.transport import SmtpTransport, parse_smtp_url
from rota.notify.worker import Worker
from rota.service import booking_types, bookings, orgs, users
from rota.store.tables import Booking
from tests.notify.smtp_server import SmtpServer, running_smtp
from tests.notify.test_sign_in_e2e import link_in
from tests.teams import Team, monday
from tests.web.browser import check_accessibility, sign_in

pytestmark = pytest.mark.browser


def test_a_user_signs_in_with_a_link_and_the_history_names_them(
    page: Page, live_server: str, team: Team
) -> None:
    page.goto(f"{live_server}/hub/sign-in")
    check_accessibility(page)
    page.get_by_label("Your email").fill("ada@example.com")
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.get_by_role("status")).to_contain_text("a sign-in link is on its way")

    link = users.create_with_link(
        team.db, "acme", email="ada@example.com", name="Ada Lovelace", role="admin", host_id=None
    )
    page.goto(live_server + urlsplit(link.url).path)
    check_accessibility(page)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Bookings")).to_be_visible()

    booking = team.book(monday() + timedelta(hours=10))
    page.goto(f"{live_server}/hub/bookings/{booking.id}")
    page.get_by_role("button", name="Cancel booking").click()
    history = page.locator("#history tbody tr")
    expect(history).to_have_count(2)
    expect(history.nth(1)).to_contain_text("Ada Lovelace (user)")
    expect(history.nth(0)).to_contain_text("rota")
    check_accessibility(page)


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    monkeypatch.setenv("ROTA_MAIL_FROM", "bookings@acme.example")
    with running_smtp() as server:
        yield server


def deliver(team: Team, smtp: SmtpServer) -> None:
    """Run the worker once over the outbox, sending its emails to `smtp`."""
    transport = SmtpTransport(parse_smtp_url(f"smtp://{smtp.host}:{smtp.port}"))
    with outbound.client() as http:
        worker = Worker(
            SqlOutbox(team.db.engine), handlers(team.db, transport, http, SecretBox("x"))
        )
        while worker.run_once():
            pass


def offered(page: Page, base_url: str, day: str) -> bool:
    """Whether the booking page of Grace's own type offers times on `day`."""
    page.goto(f"{base_url}/book/acme/chat-with-grace?tz=UTC&month={day[:7]}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return page.locator(f"a#day-{day}").count() == 1


def test_a_member_says_im_out_and_is_no_longer_offered(
    page: Page, live_server: str, team: Team, smtp: SmtpServer
) -> None:
    booking_types.create_booking_type(
        team.db,
        team.org_id,
        {
            "slug": "chat-with-grace",
            "title": "Chat with Grace",
            "duration_minutes": 30,
            "host_mode": "solo",
            "hosts": [{"host_id": team.grace}],
        },
    )
    users.create_user(
        team.db,
        team.org_id,
        email="grace@example.com",
        name="Grace Hopper",
        role="member",
        host_id=team.grace,
    )
    tuesday = monday() + timedelta(days=1)
    day = f"{tuesday:%Y-%m-%d}"
    held: list[Booking] = []
    start = tuesday + timedelta(hours=9)
    while len(held) < 2:
        booking = team.book(start, name="Zed Attendee")
        start += timedelta(minutes=30)
        held += [booking] if booking.host_ids == [team.grace] else []
    assert offered(page, live_server, day)

    page.goto(f"{live_server}/hub/sign-in")
    page.get_by_label("Your email").fill("grace@example.com")
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.get_by_role("status")).to_contain_text("a sign-in link is on its way")
    deliver(team, smtp)
    page.goto(live_server + link_in(smtp, "grace@example.com"))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Bookings")).to_be_visible()
    # A member is not shown the settings, and is refused them all the same.
    expect(page.get_by_role("link", name="Booking types")).to_have_count(0)
    page.goto(f"{live_server}/hub/hosts")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")

    page.goto(f"{live_server}/hub/me/bookings")
    check_accessibility(page)
    page.get_by_role("link", name="I'm out").first.click()
    page.get_by_label("First day").fill(day)
    page.get_by_label("Last day").fill(day)
    page.get_by_label("Reason (optional)").fill("flu")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#coverage-preview")
    expect(preview).to_contain_text("Preview: 2 would move, 0 would stay")
    check_accessibility(page)
    for booking in held:  # nothing has changed yet
        assert bookings.get_booking(team.db, team.org_id, booking.id).host_ids == [team.grace]
    page.get_by_role("button", name="Confirm: I'm out, hand them over").click()
    expect(page.locator("#coverage-result")).to_contain_text("2 moved, 0 could not be moved")
    for booking in held:
        assert team.grace not in bookings.get_booking(team.db, team.org_id, booking.id).host_ids
    page.goto(f"{live_server}/hub/me")
    expect(page.locator("#time-off")).to_contain_text("flu")
    check_accessibility(page)
    page.get_by_role("button", name="Sign out").click()

    assert not offered(page, live_server, day)
    assert offered(page, live_server, f"{tuesday + timedelta(days=1):%Y-%m-%d}")

    sign_in(page, live_server, orgs.create_key(team.db, "acme"))
    page.goto(f"{live_server}/hub/bookings/{held[0].id}")
    history = page.locator("#history tbody tr")
    expect(history).to_have_count(2)
    expect(history.nth(1)).to_contain_text("Grace Hopper (user)")
    expect(history.nth(1)).to_contain_text("flu")
    page.goto(f"{live_server}/hub/users")
    check_accessibility(page)
