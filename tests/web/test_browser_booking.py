"""The booking page's own controls in a browser (issue 11): the timezone found by
searching, the browser's zone used from the first page without loading it twice, and
the 12/24-hour clock kept in the browser."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, Request, expect

from tests.teams import Team, monday
from tests.web.browser import check_accessibility

pytestmark = pytest.mark.browser


def open_next_tuesday(page: Page) -> None:
    day = page.locator(f"#day-{monday() + timedelta(days=1):%Y-%m-%d}")
    if not day.count():
        page.get_by_role("link", name="Next month").click()
    day.click()
    expect(day).to_have_attribute("aria-current", "date")


def test_the_browsers_timezone_is_used_from_the_first_page_without_a_second_load(
    page: Page, live_server: str, team: Team
) -> None:
    documents: list[str] = []

    def count(request: Request) -> None:
        if request.resource_type == "document":
            documents.append(request.url)

    page.on("request", count)
    page.goto(f"{live_server}/book/acme/intro")
    search = page.get_by_label("Your timezone")
    expect(search).to_have_value("(UTC\u221205:00) New York")
    expect(page.locator("#zone-note")).to_have_text(
        "Times are shown in (UTC\u221205:00) New York (America/New_York)."
    )
    expect(page.locator("ul.times a").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"tz=America%2FNew_York"))
    assert len(documents) == 1, documents
    check_accessibility(page)
    # The zone is remembered: the next visit comes in it straight from the server.
    response = page.goto(f"{live_server}/book/acme/office-hours")
    assert response is not None
    assert not re.search(r'<div id="picker"[^>]*data-detect-timezone', response.text())
    assert 'value="America/New_York" selected' in response.text()
    expect(page.get_by_label("Your timezone")).to_have_value("(UTC\u221205:00) New York")


def test_a_visitor_finds_a_timezone_by_searching_for_its_city(
    page: Page, live_server: str, team: Team
) -> None:
    page.goto(f"{live_server}/book/acme/intro?tz=Europe/Berlin")
    expect(page.locator("#zone-note")).to_contain_text("(UTC+01:00) Berlin")
    loads: list[str] = []
    page.on("request", lambda request: loads.append(request.url))
    search = page.get_by_role("combobox", name="Your timezone")
    search.click()
    search.fill("new york")
    option = page.get_by_role("option", name=re.compile(r"^\(UTC\u221205:00\) New York"))
    expect(option).to_be_visible()
    search.press("ArrowDown")
    search.press("ArrowUp")
    assert loads == [], "moving through the list loads nothing"
    check_accessibility(page)
    search.press("Enter")
    expect(page.locator("#zone-note")).to_contain_text("(UTC\u221205:00) New York")
    expect(page).to_have_url(re.compile(r"tz=America%2FNew_York"))
    # the offset finds zones too
    search.click()
    search.fill("utc+05:30")
    expect(page.get_by_role("option", name=re.compile(r"Kolkata"))).to_be_visible()


def test_the_12_or_24_hour_choice_is_kept_in_the_browser(
    page: Page, live_server: str, team: Team
) -> None:
    page.goto(f"{live_server}/book/acme/intro?tz=America/New_York")
    open_next_tuesday(page)
    first = page.locator("ul.times a").first
    expect(first).to_have_text(re.compile(r"^\d{1,2}:\d\d\s[AP]M$"))  # en-US: 12-hour
    page.get_by_label("24-hour").check()
    expect(first).to_have_text(re.compile(r"^\d\d:\d\d$"))
    page.reload()
    expect(page.get_by_label("24-hour")).to_be_checked()
    expect(page.locator("ul.times a").first).to_have_text(re.compile(r"^\d\d:\d\d$"))
    # another page of the site, and the chosen time's details, follow the choice too
    page.goto(f"{live_server}/book/acme/office-hours?tz=America/New_York")
    open_next_tuesday(page)
    page.locator("ul.times a").first.click()
    expect(page.locator("#details strong")).to_contain_text(re.compile(r"\d\d:\d\d to \d\d:\d\d"))
    page.get_by_label("12-hour").check()
    expect(page.locator("#details strong")).to_contain_text(re.compile(r"[AP]M to "))
