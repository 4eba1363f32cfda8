"""The pages on a phone (issue 11): nothing wider than the screen, the details form in
view after choosing a time, and the booking page's own controls (timezone search, the
12/24-hour switch) as a visitor uses them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from rota.service import orgs
from tests.teams import Team, monday
from tests.web.browser import check_accessibility, docs_screenshot, sign_in

pytestmark = pytest.mark.browser

PHONES = [pytest.param((390, 844), id="390x844"), pytest.param((360, 740), id="360x740")]
SCREENS = [*PHONES, pytest.param((1280, 800), id="1280x800")]


@pytest.fixture(params=PHONES)
def phone(chromium: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A tab the size of a phone's screen, touch and all, in New York (or of a
    laptop's, where a test says so)."""
    width, height = request.param
    context = chromium.new_context(
        timezone_id="America/New_York",
        locale="en-US",
        viewport={"width": width, "height": height},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    folder = request.config.rootpath / "test-output" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=folder / f"{request.node.name}.png", full_page=True)
    context.close()


def overflow(page: Page) -> str:
    """What sticks out past the right edge of the screen ("" when nothing does)."""
    # The screen's width, not innerWidth: a mobile browser zooms out to fit a page
    # that is too wide, and innerWidth grows with it.
    width = page.viewport_size["width"] if page.viewport_size else 0
    result: str = page.evaluate(
        """width => {
          if (document.scrollingElement.scrollWidth <= width) return "";
          const wide = [...document.querySelectorAll("body *")]
            .filter(e => e.getBoundingClientRect().right > width + 0.5)
            .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
              + (e.className && typeof e.className === "string" ? "." + e.className : ""));
          return `scrollWidth ${document.scrollingElement.scrollWidth} > ${width}: `
            + wide.join(", ");
        }""",
        width,
    )
    return result


def assert_fits(page: Page, request: pytest.FixtureRequest) -> None:
    """No horizontal scroll; the page is kept as a screenshot under test-output/phone/."""
    folder = request.config.rootpath / "test-output" / "phone"
    folder.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or {"width": 0}
    name = re.sub(r"[^\w-]+", "_", page.url.split("/", 3)[-1])[:60]
    page.screenshot(path=folder / f"{size['width']}-{name}.png", full_page=True)
    assert overflow(page) == "", f"{page.url} is wider than the screen: {overflow(page)}"


@pytest.mark.parametrize("phone", SCREENS, indirect=True)
def test_booking_and_manage_pages_fit_a_phone(
    phone: Page, live_server: str, team: Team, request: pytest.FixtureRequest
) -> None:
    booking = team.book(monday() + timedelta(days=1, hours=10))
    for path in (
        "/book/acme/intro",
        "/book/acme/office-hours?tz=America/Argentina/ComodRivadavia",
        f"/manage/{booking.manage_token}",
        f"/manage/{booking.manage_token}/move",
        "/book/acme/no-such-type",
    ):
        phone.goto(f"{live_server}{path}")
        if path.startswith("/book/acme/intro"):
            # the times come in the phone's zone
            expect(phone.locator("#zone-note")).to_contain_text("New York")
        assert_fits(phone, request)
        check_accessibility(phone)


@pytest.mark.parametrize("phone", SCREENS, indirect=True)
def test_hub_pages_fit_a_phone(
    phone: Page, live_server: str, team: Team, request: pytest.FixtureRequest
) -> None:
    start = monday() + timedelta(hours=10)
    booking = team.book(start, name="Bartholomew Featherstonehaugh-Wolfeschlegel")
    team.time_off(team.ada, start, start + timedelta(hours=2), "dentist")
    sign_in(phone, live_server, orgs.create_key(team.db, "acme"))
    for path in (
        "/hub/bookings",
        f"/hub/bookings/{booking.id}",
        "/hub/hosts",
        f"/hub/hosts/{team.ada}",
        "/hub/hosts/new",
        "/hub/types",
        "/hub/types/intro",
        "/hub/types/new",
        "/hub/types/intro/distribution",
        "/hub/find-a-time",
        "/hub/organization",
    ):
        phone.goto(f"{live_server}{path}")
        assert_fits(phone, request)
        if path == "/hub/bookings" and (phone.viewport_size or {}).get("width") == 390:
            # the filters leave room for the list to start on a 390 x 844 phone's screen
            expect(phone.locator("#results tbody tr").first).to_be_in_viewport()
            docs_screenshot(phone, "hub-bookings-phone.png", full_page=False)


def test_on_a_phone_hub_fields_and_the_chart_are_usable(
    phone: Page, live_server: str, team: Team
) -> None:
    team.book(monday() + timedelta(hours=10))
    sign_in(phone, live_server, orgs.create_key(team.db, "acme"))
    phone.goto(f"{live_server}/hub/hosts/{team.ada}")
    monday_hours = phone.get_by_label("Monday")
    monday_hours.fill("09:00-12:00, 13:00-17:30")
    box = monday_hours.bounding_box()
    assert box is not None and box["width"] >= 250 and box["height"] >= 40
    # the whole of two spans is in sight, not scrolled inside a narrow box
    assert monday_hours.evaluate("e => e.scrollWidth <= e.clientWidth")
    phone.goto(f"{live_server}/hub/types/intro/distribution")
    smallest: float = phone.evaluate(
        """() => Math.min(...[...document.querySelectorAll("svg.chart text")].map(
             t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a))"""
    )
    assert smallest >= 12, f"the chart's text is {smallest:.1f} px tall on a phone"
    # a table row on a phone says what each value is
    row = phone.locator("#distribution-table tbody tr").first
    expect(row.locator("td").first).to_have_attribute("data-label", "Weight")
    assert_no_overflow(phone)


def assert_no_overflow(page: Page) -> None:
    assert overflow(page) == "", f"{page.url} is wider than the screen: {overflow(page)}"


def test_after_tapping_a_time_the_details_form_is_in_view_with_focus(
    phone: Page, live_server: str, team: Team
) -> None:
    phone.goto(f"{live_server}/book/acme/intro")
    day = phone.locator(f"#day-{monday() + timedelta(days=1):%Y-%m-%d}")
    if not day.count():
        phone.get_by_role("link", name="Next month").click()
    day.tap()
    expect(day).to_have_attribute("aria-current", "date")
    phone.locator("ul.times a").last.tap()
    expect(phone.get_by_label("Your name")).to_be_focused()
    expect(phone.locator("#details")).to_be_in_viewport()
    expect(phone.get_by_role("heading", name="Your details")).to_be_in_viewport()
    if (phone.viewport_size or {}).get("width") == 390:
        phone.get_by_label("Your name").fill("Grace Visitor")
        docs_screenshot(phone, "booking-page-phone.png", full_page=False)
