"""The Hub's host pages: hours as typed, time off, and the coverage swap."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient

from rota.service import bookings, hosts
from rota.store.tables import TimeOff
from tests.teams import Team, monday
from tests.web.pages import text
from tests.web.test_hub_authorization import sign_in_as

HOURS = {f"hours_{d}": "" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def test_a_host_is_added_with_hours_per_weekday_and_overrides(
    client: TestClient, team: Team, hub: str
) -> None:
    form = {
        "csrf_token": hub,
        "name": "Barbara Liskov",
        "email": "barbara@acme.example.com",
        "timezone": "Europe/Berlin",
        **HOURS,
        "hours_mon": "9:00-12:00, 13:00-17:00",
        "hours_tue": "09:00 - 12:00,13:00-17:00",
        "hours_fri": "10:00-14:00",
        "date_overrides": "2026-12-24 off\n2026-12-27: 10:00-12:00",
    }
    response = client.post("/hub/hosts", data=form, follow_redirects=False)
    assert response.status_code == 303
    host_id = response.headers["location"].split("/")[3].split("?")[0]
    host = hosts.get_host(team.db, team.org_id, host_id)
    assert host.timezone == "Europe/Berlin"
    assert sorted(host.working_hours, key=lambda h: (h["start"], h["days"])) == [
        {"days": ["mon", "tue"], "start": "09:00", "end": "12:00"},
        {"days": ["fri"], "start": "10:00", "end": "14:00"},
        {"days": ["mon", "tue"], "start": "13:00", "end": "17:00"},
    ]
    assert host.date_overrides == [
        {"date": "2026-12-24", "intervals": []},
        {"date": "2026-12-27", "intervals": [{"start": "10:00", "end": "12:00"}]},
    ]
    page = client.get(response.headers["location"]).text
    assert 'value="09:00-12:00, 13:00-17:00"' in page and "Saved." in page


def test_hours_that_cannot_be_read_are_explained(client: TestClient, team: Team, hub: str) -> None:
    form = {"csrf_token": hub, "name": "X", "email": "x@example.com", "timezone": "UTC", **HOURS}
    bad = client.post("/hub/hosts", data={**form, "hours_wed": "nine to five"})
    assert bad.status_code == 422
    assert "Wednesday: 'nine to five' is not a time range like 09:00-17:00." in text(bad.text)
    backwards = client.post(f"/hub/hosts/{team.ada}", data={**form, "hours_wed": "17:00-09:00"})
    assert backwards.status_code == 422
    said = text(backwards.text)
    assert "Wednesday: 17:00-09:00 ends before it starts" in said and "working_hours[" not in said
    assert hosts.get_host(team.db, team.org_id, team.ada).name == "Ada Lovelace"


def test_time_off_is_added_in_the_hosts_zone_and_removed(
    client: TestClient, team: Team, hub: str
) -> None:
    day = f"{monday():%Y-%m-%d}"
    client.post(
        f"/hub/hosts/{team.ada}/time-off",
        data={
            "csrf_token": hub,
            "start": f"{day}T09:00",
            "end": f"{day}T12:00",
            "reason": "dentist",
        },
    )
    (item,) = hosts.list_spans(team.db, team.org_id, team.ada, TimeOff)
    assert isinstance(item, TimeOff)
    assert item.start_at == monday() + timedelta(hours=9) and item.reason == "dentist"
    assert "dentist" in client.get(f"/hub/hosts/{team.ada}").text
    client.post(f"/hub/hosts/{team.ada}/time-off/{item.id}/delete", data={"csrf_token": hub})
    assert hosts.list_spans(team.db, team.org_id, team.ada, TimeOff) == []


def test_time_off_that_ends_before_it_starts_keeps_what_was_typed(
    client: TestClient, team: Team, hub: str
) -> None:
    day = f"{monday():%Y-%m-%d}"
    typed = {"start": f"{day}T12:00", "end": f"{day}T09:00", "reason": "dentist"}
    refused = client.post(f"/hub/hosts/{team.ada}/time-off", data={"csrf_token": hub, **typed})
    assert refused.status_code == 422
    assert "Give the time off a start and an end after it." in text(refused.text)
    for value in typed.values():
        assert f'value="{value}"' in refused.text
    assert hosts.list_spans(team.db, team.org_id, team.ada, TimeOff) == []


def test_the_coverage_swap_moves_a_hosts_bookings_and_says_where(
    client: TestClient, team: Team, hub: str
) -> None:
    made = [team.book(monday() + timedelta(days=d, hours=10)) for d in range(6)]
    solo = team.book(monday() + timedelta(days=1, hours=12), slug="office-hours")
    stuck, *movable = [b for b in made if b.host_ids == [team.ada]]
    for other in (team.grace, team.linus):  # nobody can take over `stuck`
        hosts.add_span(
            team.db, team.org_id, other, TimeOff, start=stuck.start_at, end=stuck.end_at, label=None
        )
    first, last = f"{monday():%Y-%m-%d}", f"{monday() + timedelta(days=6):%Y-%m-%d}"
    response = client.post(
        f"/hub/hosts/{team.ada}/reassign-bookings",
        data={"csrf_token": hub, "start": first, "end": last, "reason": "vacation"},
    )
    assert response.status_code == 200
    said = text(response.text)
    assert f"{len(movable)} moved, 1 could not be moved" in said
    for booking in movable:
        now = bookings.get_booking(team.db, team.org_id, booking.id)
        assert now.host_ids != [team.ada] and now.history[-1].reason == "vacation"
        assert team.names[now.host_ids[0]] in said
    assert "No other host of the pool is free at the booking's time." in said
    assert bookings.get_booking(team.db, team.org_id, stuck.id).host_ids == [team.ada]
    assert bookings.get_booking(team.db, team.org_id, solo.id).host_ids == [team.ada]


def test_a_name_or_email_mail_cannot_carry_is_refused(
    client: TestClient, team: Team, hub: str
) -> None:
    form = {"csrf_token": hub, "name": "X", "email": "x@example.com", "timezone": "UTC", **HOURS}
    two_lines = client.post("/hub/hosts", data={**form, "name": "Bar\u2028bara"})
    assert two_lines.status_code == 422 and "Must be one line" in text(two_lines.text)
    odd = client.post("/hub/hosts", data={**form, "email": "a,b@example.com"})
    assert odd.status_code == 422 and "not an email address" in text(odd.text)
    assert len(hosts.list_hosts(team.db, team.org_id)) == 3


def test_the_host_form_offers_the_zones_as_the_booking_page_does_and_stores_the_iana_name(
    client: TestClient, team: Team, hub: str
) -> None:
    page = client.get("/hub/hosts/new").text
    zones = dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', page))
    assert re.fullmatch(r"\(UTC\u22120[45]:00\) New York", zones["America/New_York"])
    assert zones["Asia/Kolkata"] == "(UTC+05:30) Kolkata"
    assert '<option value="UTC" selected>(UTC+00:00) UTC</option>' in page
    assert "Asia/Calcutta" not in zones  # each city once
    assert re.search(r'<select id="timezone" name="timezone" data-zone-picker', page)
    form = {
        "csrf_token": hub,
        "name": "Barbara Liskov",
        "email": "barbara@acme.example.com",
        "timezone": "America/New_York",
        **HOURS,
    }
    response = client.post("/hub/hosts", data=form, follow_redirects=False)
    assert response.status_code == 303
    host_id = response.headers["location"].split("/")[3].split("?")[0]
    assert hosts.get_host(team.db, team.org_id, host_id).timezone == "America/New_York"
    page = client.get(f"/hub/hosts/{host_id}").text
    assert re.search(r'<option value="America/New_York" selected>\(UTC\u2212', page)
    # A zone the list does not offer, as a hand-made form sends it: refused in words.
    bad = client.post("/hub/hosts", data={**form, "timezone": "Mars/Olympus_Mons"})
    assert bad.status_code == 422
    assert 'id="timezone-error"' in bad.text and "Barbara Liskov" in bad.text


def test_my_schedule_offers_the_labelled_zones_too(client: TestClient, team: Team) -> None:
    # an old name of the zone (Kolkata's), which the list offers only to whoever has it
    hosts.update_host(team.db, team.org_id, team.grace, {"timezone": "Asia/Calcutta"})
    sign_in_as(
        client,
        team.db,
        "acme",
        email="grace@example.com",
        name="Grace",
        role="member",
        host_id=team.grace,
    )
    page = client.get("/hub/me").text
    assert '<option value="Asia/Calcutta" selected>(UTC+05:30) Kolkata</option>' in page
