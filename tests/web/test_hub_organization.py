"""The Hub's Organization page (issue 11): an admin names the organization and gives it
a colour, which its booking and manage pages then wear, with readable text on it."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient

from rota.service import orgs
from rota.web.brand import Brand, brand_of, contrast
from rota.web.hub_organization import chosen_colour
from tests.teams import Team, monday
from tests.web.pages import field, text


def save(client: TestClient, csrf: str, **fields: str) -> tuple[int, str]:
    page = client.get("/hub/organization").text
    form = {
        "csrf_token": csrf,
        "name": field(page, "name"),
        "brand_colour": field(page, "brand_colour"),
        "brand_colour_pick": field(page, "brand_colour_pick"),
        "shown_colour": field(page, "shown_colour"),
        **fields,
    }
    response = client.post("/hub/organization", data=form)
    return response.status_code, response.text


def test_an_admin_names_the_organization_and_gives_it_a_colour(
    client: TestClient, team: Team, hub: str
) -> None:
    page = client.get("/hub/organization").text
    assert '<a href="/hub/organization" aria-current="page">Organization</a>' in page
    assert re.search(r'<input id="brand-colour-pick" name="brand_colour_pick" type="color"', page)
    status, page = save(client, hub, name="Acme Sales", brand_colour="#1A73E8")
    assert status == 200 and "Saved." in text(page)
    org = orgs.get_org(team.db, team.org_id)
    assert (org.name, org.brand_colour) == ("Acme Sales", "#1a73e8")
    assert field(page, "brand_colour") == "#1a73e8"
    assert field(page, "brand_colour_pick") == "#1a73e8"
    # Emptied: rota's own look again.
    save(client, hub, brand_colour="")
    assert orgs.get_org(team.db, team.org_id).brand_colour is None


def test_without_javascript_the_picker_counts_unless_the_text_was_changed(
    client: TestClient, team: Team, hub: str
) -> None:
    save(client, hub, brand_colour_pick="#ff8800")
    assert orgs.get_org(team.db, team.org_id).brand_colour == "#ff8800"
    save(client, hub, brand_colour="#00aa00", brand_colour_pick="#123456")
    assert orgs.get_org(team.db, team.org_id).brand_colour == "#00aa00"
    save(client, hub, name="Acme")  # neither touched: the colour stays
    assert orgs.get_org(team.db, team.org_id).brand_colour == "#00aa00"
    assert chosen_colour("", "#1d4ed8", "") == ""  # the picker's resting value is no choice


def test_a_bad_colour_or_name_is_said_next_to_the_field_and_the_input_kept(
    client: TestClient, team: Team, hub: str
) -> None:
    status, page = save(client, hub, name="Acme Sales", brand_colour="blue-ish")
    assert status == 422
    assert re.search(
        r'id="brand-colour"[^>]*value="blue-ish" aria-invalid="true" '
        r'aria-describedby="brand_colour-error brand-colour-hint"',
        page,
    )
    assert '<p class="field-error" id="brand_colour-error">Must be a colour written #rrggbb' in page
    assert field(page, "name") == "Acme Sales"
    status, page = save(client, hub, name=" ")
    assert status == 422
    assert '<p class="field-error" id="name-error">Must not be blank.</p>' in page
    org = orgs.get_org(team.db, team.org_id)
    assert (org.name, org.brand_colour) == ("acme", None)


def test_the_booking_and_manage_pages_wear_the_colour_with_readable_text(
    client: TestClient, team: Team, hub: str
) -> None:
    plain = client.get("/book/acme/intro?tz=UTC").text
    assert "branded" not in plain and "--brand" not in plain
    save(client, hub, brand_colour="#ffd400")  # light: black text on it
    page = client.get("/book/acme/intro?tz=UTC").text
    assert '<body class="branded" style="--brand: #ffd400; --on-brand: #000000">' in page
    booking = team.book(monday() + timedelta(days=1, hours=10))
    manage = client.get(f"/manage/{booking.manage_token}").text
    assert 'class="branded" style="--brand: #ffd400; --on-brand: #000000"' in manage
    save(client, hub, brand_colour="#1a237e")  # dark: white text on it
    page = client.get("/book/acme/intro?tz=UTC").text
    assert 'style="--brand: #1a237e; --on-brand: #ffffff"' in page


def test_the_text_on_any_colour_meets_wcag_aa() -> None:
    # Every 17th step of each channel, the hardest middle greys included.
    steps = range(0, 256, 17)
    for colour in (f"#{r:02x}{g:02x}{b:02x}" for r in steps for g in steps for b in steps):
        brand = Brand(colour)
        assert contrast(colour, brand.text) >= 4.5, colour
    assert Brand("#1d4ed8").text == "#ffffff" and Brand("#ffd400").text == "#000000"
    assert contrast("#000000", "#ffffff") == 21
    assert brand_of(None) is None and brand_of("red; color: red") is None
