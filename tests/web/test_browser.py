"""The pages in a real browser: a visitor books, an admin reassigns and swaps cover,
the Hub refuses what it must, and every page passes the accessibility check."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from rota.service import bookings, orgs
from tests.teams import Team, monday
from tests.web.browser import check_accessibility, docs_screenshot, sign_in

pytestmark = pytest.mark.browser


def pick_first_time(page: Page) -> str:
    """Click next week's Tuesday (well past the booking notice, so the time cannot pass
    while the test runs) and its first time; the time's label."""
    day = page.locator(f"#day-{monday() + timedelta(days=1):%Y-%m-%d}")
    if not day.count():
        page.get_by_role("link", name="Next month").click()
    day.click()
    expect(day).to_have_attribute("aria-current", "date")  # the day's times are in
    first_time = page.locator("ul.times a").first
    label = first_time.inner_text()
    first_time.click()
    expect(page.get_by_role("heading", name="Your details")).to_be_visible()
    return label


def test_a_visitor_books_and_the_booking_appears_in_the_hub(
    page: Page, live_server: str, team: Team
) -> None:
    page.goto(f"{live_server}/book/acme/intro")
    # The browser's zone (the context is in New York) is detected and used.
    expect(page.get_by_label("Your timezone")).to_have_value(re.compile(r"\) New York$"))
    expect(page.get_by_role("heading", level=1, name="Intro call")).to_be_visible()
    check_accessibility(page)
    label = pick_first_time(page)
    page.get_by_label("Your name").fill("Grace Visitor")
    page.get_by_label("Your email").fill("grace.visitor@example.com")
    check_accessibility(page)
    docs_screenshot(page, "booking-page.png")
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.get_by_role("heading", level=1, name="You are booked")).to_be_visible()
    expect(page.locator("#booking-when")).to_contain_text(f"{label} to")
    expect(page.locator("#booking-when")).to_contain_text("(America/New_York)")
    host = page.locator("#booking-hosts").inner_text()
    assert host in team.names.values()
    expect(page.get_by_role("link", name="Add to calendar (.ics)")).to_be_visible()
    expect(page.get_by_label("Manage link")).to_have_value(re.compile(r"/manage/[\w-]{40,}$"))
    check_accessibility(page)
    page.get_by_role("link", name="Pick another time").click()
    expect(page.get_by_role("heading", level=1, name="Move your booking")).to_be_visible()
    check_accessibility(page)
    page.goto(f"{live_server}/book/acme/no-such-type")
    expect(page.get_by_role("heading", level=1)).to_have_text("Booking page not found")
    check_accessibility(page)

    sign_in(page, live_server, orgs.create_key(team.db, "acme"))
    row = page.locator("#bookings-table tbody tr").filter(has_text="Grace Visitor")
    expect(row).to_contain_text(host)
    expect(row).to_contain_text("confirmed")
    check_accessibility(page)


def test_moving_a_booking_from_its_manage_page_keeps_the_same_link(
    page: Page, live_server: str, team: Team
) -> None:
    booking = team.book(monday() + timedelta(days=1, hours=9), slug="office-hours")
    link = f"{live_server}/manage/{booking.manage_token}"
    page.goto(link)
    page.get_by_role("link", name="Pick another time").click()
    expect(page.get_by_role("heading", level=1, name="Move your booking")).to_be_visible()
    pick_first_time_of(page, monday() + timedelta(days=2))
    page.get_by_role("button", name="Move my booking to this time").click()
    expect(page.locator(".notice")).to_contain_text("Your booking has moved")
    assert page.url.startswith(link)
    page.goto(link)  # the link the attendee saved leads to the moved booking
    expect(page.get_by_role("heading", level=1, name="Your booking")).to_be_visible()
    expect(page.locator("#booking-when")).to_contain_text(f"{monday() + timedelta(days=2):%a}")
    check_accessibility(page)
    [only] = bookings.list_bookings(team.db, team.org_id).bookings
    assert (only.id, only.status) == (booking.id, "confirmed")


def pick_first_time_of(page: Page, day: datetime) -> None:
    link = page.locator(f"#day-{day:%Y-%m-%d}")
    if not link.count():
        page.get_by_role("link", name="Next month").click()
    link.click()
    expect(link).to_have_attribute("aria-current", "date")
    page.locator("ul.times a").first.click()


def test_a_visitor_whose_time_was_taken_is_told_so(
    page: Page, live_server: str, team: Team
) -> None:
    page.goto(f"{live_server}/book/acme/intro?tz=Europe/Berlin")
    pick_first_time(page)
    page.get_by_label("Your name").fill("Late Visitor")
    page.get_by_label("Your email").fill("late@example.com")
    start = datetime.fromisoformat(page.locator("input[name=start]").input_value())
    for name in ("First Other", "Second Other", "Third Other"):  # meanwhile, on the phone
        team.book(start, name=name)
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "was booked by someone else a moment ago, so it was not booked for you"
    )
    expect(page.locator("ul.times a").first).to_be_visible()
    check_accessibility(page)
    names = sorted(b.attendee_name for b in bookings.list_bookings(team.db, team.org_id).bookings)
    assert names == ["First Other", "Second Other", "Third Other"]


def test_an_admin_reassigns_auto_then_manually(page: Page, live_server: str, team: Team) -> None:
    booking = team.book(monday() + timedelta(hours=10))
    first = booking.host_ids[0]
    sign_in(page, live_server, orgs.create_key(team.db, "acme"))
    page.goto(f"{live_server}/hub/bookings/{booking.id}")
    expect(page.locator("#history tbody tr")).to_have_count(1)
    check_accessibility(page)

    page.get_by_role("radio", name=re.compile("Auto-pick the next fair host")).check()
    page.get_by_label("Reason").fill("sick today")
    page.get_by_role("button", name="Reassign").click()
    # Nothing moves before the person has seen who takes it and who is told.
    expect(page.locator("#reassign-told")).to_contain_text("a cancellation")
    assert len(bookings.get_booking(team.db, team.org_id, booking.id).history) == 1
    check_accessibility(page)
    page.get_by_role("button", name=re.compile("^Confirm: move it to")).click()
    expect(page.locator("#booking-notice")).to_contain_text("Now hosted by")
    expect(page.locator("#history tbody tr")).to_have_count(2)
    second = bookings.get_booking(team.db, team.org_id, booking.id).host_ids[0]
    assert second != first
    expect(page.locator("#current-hosts")).to_have_text(team.names[second])

    page.get_by_role("radio", name=f"{team.names[first]}: free at that time").check()
    page.get_by_label("Reason").fill("back again")
    page.get_by_role("button", name="Reassign").click()
    page.get_by_role("button", name=f"Confirm: move it to {team.names[first]}").click()
    expect(page.locator("#current-hosts")).to_have_text(team.names[first])
    expect(page.locator("#history tbody tr")).to_have_count(3)
    expect(page.locator("#history tbody tr").nth(2)).to_contain_text("manual")
    expect(page.locator("#history tbody tr").nth(2)).to_contain_text("back again")
    check_accessibility(page)
    docs_screenshot(page, "hub-booking-reassign.png")


def test_a_coverage_swap_moves_a_hosts_bookings(page: Page, live_server: str, team: Team) -> None:
    made = [team.book(monday() + timedelta(days=d, hours=10)) for d in range(6)]
    adas = [b for b in made if b.host_ids == [team.ada]]
    sign_in(page, live_server, orgs.create_key(team.db, "acme"))
    page.goto(f"{live_server}/hub/hosts/{team.ada}")
    check_accessibility(page)
    page.get_by_label("First day").fill(f"{monday():%Y-%m-%d}")
    page.get_by_label("Last day").fill(f"{monday() + timedelta(days=6):%Y-%m-%d}")
    page.get_by_label("Reason", exact=True).last.fill("vacation")
    page.get_by_role("button", name="Reassign bookings").click()
    expect(page.locator("#coverage-result")).to_contain_text(
        f"{len(adas)} moved, 0 could not be moved"
    )
    for booking in adas:
        assert team.ada not in bookings.get_booking(team.db, team.org_id, booking.id).host_ids
    check_accessibility(page)


def test_the_hub_refuses_without_a_session_or_csrf_token(
    page: Page, live_server: str, team: Team
) -> None:
    booking = team.book(monday() + timedelta(hours=10))
    page.goto(f"{live_server}/hub/bookings/{booking.id}")
    expect(page).to_have_url(re.compile(r"/hub/login\?next="))
    check_accessibility(page)
    sign_in(page, live_server, orgs.create_key(team.db, "acme"))
    # A form post carrying the session cookie but not the token (a forged form).
    forged = page.request.post(
        f"{live_server}/hub/bookings/{booking.id}/reassign", form={"to_host": "auto"}
    )
    assert forged.status == 403
    assert len(bookings.get_booking(team.db, team.org_id, booking.id).history) == 1
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_have_text("You are signed out.")
    page.goto(f"{live_server}/hub/bookings")
    expect(page).to_have_url(re.compile(r"/hub/login"))


def test_every_hub_page_passes_the_accessibility_check(
    page: Page, live_server: str, team: Team
) -> None:
    start = monday() + timedelta(hours=10)
    team.book(start)
    team.time_off(team.ada, start, start + timedelta(hours=2), "dentist")
    sign_in(page, live_server, orgs.create_key(team.db, "acme"))
    for path in (
        "/hub/bookings",
        "/hub/hosts",
        f"/hub/hosts/{team.ada}",
        "/hub/hosts/new",
        "/hub/types",
        "/hub/types/intro",
        "/hub/types/new",
        "/hub/types/intro/distribution",
    ):
        page.goto(f"{live_server}{path}")
        check_accessibility(page)


def test_the_accessibility_check_catches_what_it_promises(page: Page) -> None:
    page.set_content(
        '<html lang="en"><body><main><h1>Form</h1><h4>Skipped levels</h4>'
        '<input type="text"><button></button>'
        '<p style="color:#bbb;background:#fff">faint</p></main></body></html>'
    )
    with pytest.raises(AssertionError) as failure:
        check_accessibility(page)
    for rule in ("label", "button-name", "heading-order", "color-contrast"):
        assert f"{rule} (" in str(failure.value)
