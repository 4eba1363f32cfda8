"""The Hub's host form in a browser (issue 11): its timezone found by searching for a
city, as on the booking page, while the form keeps sending the zone's IANA name."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from rota.service import hosts, orgs
from tests.teams import Team
from tests.web.browser import check_accessibility, sign_in

pytestmark = pytest.mark.browser


def test_an_admin_finds_the_hosts_timezone_by_its_city(
    page: Page, live_server: str, team: Team
) -> None:
    sign_in(page, live_server, orgs.create_key(team.db, "acme"))
    page.goto(f"{live_server}/hub/hosts/new")
    page.get_by_label("Name").fill("Barbara Liskov")
    page.get_by_label("Email").fill("barbara@acme.example.com")
    search = page.get_by_role("combobox", name="Timezone")
    expect(search).to_have_value("(UTC+00:00) UTC")
    search.click()
    search.fill("kolkata")
    expect(page.get_by_role("option", name=re.compile(r"^\(UTC\+05:30\) Kolkata"))).to_be_visible()
    check_accessibility(page)
    search.press("Enter")
    expect(search).to_have_value("(UTC+05:30) Kolkata")
    expect(page).to_have_url(re.compile(r"/hub/hosts/new$"))  # choosing saves nothing yet
    page.get_by_role("button", name="Add host").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    [added] = [h for h in hosts.list_hosts(team.db, team.org_id) if h.name == "Barbara Liskov"]
    assert added.timezone == "Asia/Kolkata"
    expect(page.get_by_role("combobox", name="Timezone")).to_have_value("(UTC+05:30) Kolkata")
