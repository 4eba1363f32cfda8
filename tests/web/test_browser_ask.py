"""Browser: Ask rota end to end (issue 12): ask in the Hub's box, read the plan, confirm
it, and find the booking moved."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from rota.service import bookings, orgs
from tests.teams import Team, monday
from tests.web.browser import check_accessibility, sign_in

pytestmark = pytest.mark.browser


def test_ask_preview_confirm_and_the_booking_moves(
    page: Page, live_server: str, team: Team
) -> None:
    booking = team.book(monday(1) + timedelta(hours=14), name="Grace Hopper")
    sign_in(page, live_server, orgs.create_key(team.db, "acme"))
    page.goto(f"{live_server}/hub/bookings")
    page.get_by_role("textbox", name="Ask rota").fill("what's the weather")
    page.get_by_role("button", name="Ask", exact=True).click()
    # Not understood: it says so and offers phrasings.
    expect(page.locator("#ask-message")).to_contain_text("did not understand")
    day = (monday(1) + timedelta(days=1)).strftime("%A")
    page.get_by_role("textbox", name="Ask rota").fill(f"move Grace Hopper's call to {day} at 9am")
    page.get_by_role("button", name="Ask", exact=True).click()
    expect(page.locator("#ask-summary")).to_contain_text("Move Grace Hopper")
    check_accessibility(page)
    assert bookings.get_booking(team.db, team.org_id, booking.id).start_at == booking.start_at
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("#ask-results")).to_contain_text("done")
    moved = bookings.get_booking(team.db, team.org_id, booking.id)
    # 9am in New York (the browser's zone, so the session's) is 14:00 UTC in December.
    assert moved.start_at == monday(1) + timedelta(days=1, hours=14)
    page.get_by_role("link", name=re.compile(booking.id)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("with Grace Hopper")
