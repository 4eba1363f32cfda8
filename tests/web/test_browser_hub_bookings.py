"""The Hub's bookings list and the reassign preview in a browser on a phone: they fit
the screen, and the search narrows the list as a person types."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from rota.service import bookings, orgs
from tests.teams import Team, monday
from tests.web.browser import check_accessibility, sign_in
from tests.web.test_browser_phone import assert_fits, phone

pytestmark = pytest.mark.browser
__all__ = ["phone"]


def test_search_and_the_reassign_preview_fit_a_phone(
    phone: Page, live_server: str, team: Team, request: pytest.FixtureRequest
) -> None:
    booking = team.book(monday() + timedelta(hours=10), name="Bartholomew Featherstonehaugh")
    team.book(monday() + timedelta(hours=11), name="Early Bird")
    sign_in(phone, live_server, orgs.create_key(team.db, "acme"))
    phone.goto(f"{live_server}/hub/bookings")
    expect(phone.locator("#view-said")).to_contain_text("Upcoming, soonest first")
    phone.get_by_label("Search").fill("featherstone")
    expect(phone.locator("#bookings-table tbody tr")).to_have_count(1)
    expect(phone.locator("#bookings-table")).to_contain_text("Bartholomew")
    assert "q=featherstone" in phone.url
    assert_fits(phone, request)
    check_accessibility(phone)
    phone.goto(f"{live_server}/hub/bookings/{booking.id}")
    phone.get_by_role("button", name="Reassign").click()
    expect(phone.locator("#reassign-told")).to_contain_text("a cancellation")
    assert len(bookings.get_booking(team.db, team.org_id, booking.id).history) == 1
    assert_fits(phone, request)
    check_accessibility(phone)
