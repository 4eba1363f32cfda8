"""People in a real browser (issue 10): a user signs in with a one-time link and the
booking's history names them; the sign-in pages pass the accessibility check."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from rota.service import users
from tests.teams import Team, monday
from tests.web.browser import check_accessibility

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
