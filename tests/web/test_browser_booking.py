"""The booking page's own controls in a browser (issue 11): the timezone found by
searching, the browser's zone used from the first page without loading it twice, and
the 12/24-hour clock kept in the browser."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Browser, Page, Request, expect

from rota.service import orgs
from tests.teams import Team, monday
from tests.web.browser import check_accessibility, sign_in

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
    expect(search).to_be_focused()  # the keyboard user goes on from where they were
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


def test_the_booking_page_embedded_on_another_site_grows_to_fit(
    page: Page, live_server: str, team: Team
) -> None:
    sign_in(page, live_server, orgs.create_key(team.db, "acme"))
    page.goto(f"{live_server}/hub/types/intro")
    snippet = page.get_by_label("Embed code").input_value()
    hub_frame = f'<iframe id="hub" src="{live_server}/hub/sign-in" title="Hub"></iframe>'
    shop_page = (
        f"<!doctype html><html lang=en><title>Shop</title><h1>Book us</h1>{snippet}{hub_frame}"
    )
    with another_site(shop_page) as shop:
        page.goto(shop)
        embedded_page_fits(page)


def embedded_page_fits(page: Page) -> None:
    booking = page.frame_locator("iframe[data-rota-embed]")
    expect(booking.get_by_role("heading", level=1, name="Intro call")).to_be_visible()
    frame = page.locator("iframe[data-rota-embed]")

    def fits() -> bool:
        inside: int = booking.locator("html").evaluate(
            "e => Math.ceil(e.getBoundingClientRect().height)"
        )
        box = frame.bounding_box()
        return box is not None and abs(box["height"] - inside) <= 2

    def settles() -> bool:
        for _ in range(50):
            if fits():
                return True
            page.wait_for_timeout(100)
        return False

    expect(frame).to_have_attribute("style", re.compile(r"(^|; )height: \d+px"))
    assert settles(), "the frame is not the height of the page in it"
    booking.locator("ul.times a").first.click()  # the details form makes the page taller
    expect(booking.get_by_label("Your name")).to_be_visible()
    assert settles(), "the frame did not grow with the page in it"
    # the Hub refuses to be shown in another site's frame
    hub = page.locator("#hub").element_handle().content_frame()
    assert hub is not None and hub.url.startswith("chrome-error:"), hub and hub.url


@contextmanager
def another_site(body: str) -> Iterator[str]:
    """`body` served at / by another origin on this machine (a port of its own); its
    address."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_a_visitor_books_with_the_keyboard_alone(page: Page, live_server: str, team: Team) -> None:
    page.goto(f"{live_server}/book/acme/intro?tz=America/New_York")
    day = f"day-{monday() + timedelta(days=1):%Y-%m-%d}"
    if not page.locator(f"#{day}").count():
        tab_to(page, "#next-month")
        page.keyboard.press("Enter")
        expect(page.locator("#previous-month")).to_be_visible()
    tab_to(page, f"#{day}")
    page.keyboard.press("Enter")
    # the swapped-in calendar keeps the focus on the day, so Tab goes on from there
    expect(page.locator(f"#{day}")).to_have_attribute("aria-current", "date")
    expect(page.locator(f"#{day}")).to_be_focused()
    tab_to(page, "ul.times a")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Your name")).to_be_focused()
    page.keyboard.type("Kay Board")
    page.keyboard.press("Tab")
    page.keyboard.type("kay@example.com")
    tab_to(page, "#details button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="You are booked")).to_be_visible()
    expect(page.locator("#booking-when")).to_contain_text("(America/New_York)")


def tab_to(page: Page, selector: str, most: int = 80) -> None:
    """Press Tab until the focus is on the first element matching `selector`."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_without_javascript_the_times_show_at_once_and_the_zone_is_chosen_by_a_button(
    chromium: Browser, live_server: str, team: Team
) -> None:
    context = chromium.new_context(java_script_enabled=False, timezone_id="America/New_York")
    page = context.new_page()
    try:
        page.goto(f"{live_server}/book/acme/intro")
        expect(page.locator("#zone-note")).to_have_text(
            "Times are shown in UTC. To see them in your own timezone, choose it above "
            "and press \u201cShow times\u201d."
        )
        # at once, not after the moment the page gives a script that never runs
        assert page.locator("ul.times a").first.is_visible()
        page.get_by_label("Your timezone").select_option("America/New_York")
        page.get_by_role("button", name="Show times").click()
        expect(page.locator("#zone-note")).to_contain_text("New York (America/New_York).")
        expect(page.get_by_role("group", name="Clock")).to_be_hidden()  # it needs the script
    finally:
        context.close()
