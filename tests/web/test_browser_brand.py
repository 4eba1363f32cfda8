"""The booking page in an organization's colour, in a browser on a phone (issue 11):
its buttons, chosen day and time wear the colour, and axe-core finds the text on them
readable."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from rota.service import orgs
from tests.teams import Team, monday
from tests.web.browser import check_accessibility, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(
        timezone_id="America/New_York",
        locale="en-US",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def background(page: Page, selector: str) -> str:
    colour: str = page.locator(selector).first.evaluate("e => getComputedStyle(e).backgroundColor")
    return colour


@pytest.mark.parametrize(
    ("colour", "rgb", "text"),
    [
        ("#ffd400", "rgb(255, 212, 0)", "rgb(0, 0, 0)"),  # light: black text
        ("#7b1fa2", "rgb(123, 31, 162)", "rgb(255, 255, 255)"),  # dark: white text
    ],
)
def test_the_booking_page_wears_the_colour_and_stays_readable(
    phone: Page, live_server: str, team: Team, colour: str, rgb: str, text: str
) -> None:
    orgs.update_org(team.db, team.org_id, {"name": "Acme Sales", "brand_colour": colour})
    phone.goto(f"{live_server}/book/acme/intro")
    expect(phone.locator(".org-name")).to_have_text("Acme Sales")
    assert background(phone, ".org-name") == rgb
    day = phone.locator(f"#day-{monday() + timedelta(days=1):%Y-%m-%d}")
    if not day.count():
        phone.get_by_role("link", name="Next month").click()
    day.tap()
    expect(day).to_have_attribute("aria-current", "date")
    assert background(phone, "table.month a.day[aria-current=date]") == rgb
    phone.locator("ul.times a").first.tap()
    confirm = phone.locator("#details button[type=submit]")
    expect(confirm).to_be_visible()
    assert background(phone, "#details button[type=submit]") == rgb
    assert confirm.evaluate("e => getComputedStyle(e).color") == text
    assert background(phone, ".times a[aria-current=true]") == rgb
    check_accessibility(phone)


def test_an_admin_picks_the_colour_and_the_text_field_follows(
    phone: Page, live_server: str, team: Team
) -> None:
    sign_in(phone, live_server, orgs.create_key(team.db, "acme"))
    phone.goto(f"{live_server}/hub/organization")
    check_accessibility(phone)
    typed = phone.get_by_label("Colour", exact=True)
    picker = phone.get_by_label("Pick the colour")
    picker.evaluate(
        "e => { e.value = '#7b1fa2'; e.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    expect(typed).to_have_value("#7b1fa2")
    typed.fill("#FFD400")
    expect(picker).to_have_value("#ffd400")
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_text("Saved.")).to_be_visible()
    assert orgs.get_org(team.db, team.org_id).brand_colour == "#ffd400"
    typed.fill("yellow")
    phone.get_by_role("button", name="Save").click()
    expect(phone.locator("#brand_colour-error")).to_have_text(
        "Must be a colour written #rrggbb, like #1a73e8."
    )
    expect(typed).to_have_value("yellow")
    check_accessibility(phone)
