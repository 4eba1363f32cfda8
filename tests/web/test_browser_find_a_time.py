"""Browser: Find a time end to end, on a desktop screen (the week's grid) and on a
phone (each day's list), booking an internal meeting (issue 12)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from rota.service import bookings, orgs
from tests.teams import Team, monday
from tests.web.browser import check_accessibility, sign_in

pytestmark = pytest.mark.browser


def _week(team: Team) -> str:
    week = monday(1)
    return f"need={team.ada}&need={team.grace}&want={team.linus}&minutes=30&week={week:%Y-%m-%d}"


def test_a_time_picked_in_the_grid_books_a_meeting(
    page: Page, live_server: str, team: Team
) -> None:
    sign_in(page, live_server, orgs.create_key(team.db, "acme"))
    page.goto(f"{live_server}/hub/find-a-time?{_week(team)}")
    expect(page.locator("#week-grid")).to_be_visible()
    expect(page.locator(".day-lists")).to_be_hidden()
    check_accessibility(page)
    page.locator("#week-grid").get_by_role(
        "link", name=re.compile(r"^Book Tuesday .* 10:00$")
    ).click()
    expect(page.get_by_role("heading", name=re.compile("Book a meeting"))).to_be_visible()
    page.get_by_label("Title").fill("Roadmap")
    page.get_by_label(re.compile("Guests")).fill("Linus Pauling <linus@example.com>")
    page.get_by_role("button", name="Book the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Roadmap")
    [meeting] = bookings.list_bookings(team.db, team.org_id).bookings
    assert meeting.booking_type_id is None and meeting.host_ids == [team.ada, team.grace]
    assert meeting.start_at == monday(1) + timedelta(days=1, hours=15)  # 10:00 in New York


def test_on_a_phone_the_grid_is_each_days_list(page: Page, live_server: str, team: Team) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, orgs.create_key(team.db, "acme"))
    page.goto(f"{live_server}/hub/find-a-time?{_week(team)}")
    expect(page.locator("#week-grid")).to_be_hidden()
    lists = page.locator(".day-lists")
    expect(lists).to_be_visible()
    # Nothing is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    lists.get_by_role("link", name="11:00").first.click()
    page.get_by_label("Title").fill("Standup")
    page.get_by_role("button", name="Book the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Standup")
    assert len(bookings.list_bookings(team.db, team.org_id).bookings) == 1
