"""Issue 13: dates at the edges of the calendar (years 0001 and 9999, offsets that
carry them past the edge once in UTC) are a clear 422 everywhere, never a 500: in
every date and time field of the Hub and the booking page, and in every instant of
the API. On SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from rota.service import hosts, orgs
from rota.store.db import Database
from rota.store.tables import TimeOff
from tests.api.support import Api, assert_error, iso, monday
from tests.teams import Team, make_team
from tests.web.pages import sign_in, text

INSTANTS = [
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59-14:00",  # year 10000 in UTC
    "9999-12-31T23:59:59.999999-23:59",
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00+14:00",  # year 0 in UTC
    "0001-01-01T00:00:00.000001+23:59",
]
DAYS = ["9999-12-31", "0001-01-01"]
LOCAL_TIMES = ["9999-12-31T23:59", "0001-01-01T00:00"]
ZONES = ["Pacific/Kiritimati", "Pacific/Niue"]  # +14:00 and -11:00


def refused(response: httpx.Response) -> None:
    assert response.status_code == 422, (response.status_code, response.text)
    details = assert_error(response, 422, "invalid_request")["error"]["details"]
    assert isinstance(details, dict) and details, details


@pytest.fixture
def team(db: Database) -> dict[str, Any]:
    made = make_team(db)
    far = [
        hosts.create_host(db, made.org_id, name=zone, email=f"{n}@acme.example.com", timezone=zone)
        for n, zone in enumerate(ZONES)
    ]
    return {"team": made, "far": [h.id for h in far]}


@pytest.fixture
def hub(client: TestClient, db: Database, team: dict[str, Any]) -> str:
    return sign_in(client, orgs.create_key(db, "acme"))


@pytest.mark.parametrize("moment", INSTANTS)
def test_extreme_instants_in_the_api_are_422(
    client: TestClient, db: Database, team: dict[str, Any], moment: str
) -> None:
    api = Api(client, orgs.create_key(db, "acme"))
    made: Team = team["team"]
    host = made.ada
    soon = iso(monday() + timedelta(hours=10))
    booked = api.book("intro", soon).json()
    between = {"start": moment, "end": "9999-12-31T23:59:59Z"}
    responses = [
        api.get("/v1/booking-types/intro/slots", params={"start": moment, "end": moment}),
        api.get("/v1/booking-types/intro/slots", params={"start": soon, "end": moment}),
        api.get("/v1/bookings", params={"start": moment}),
        api.get("/v1/bookings", params={"end": moment}),
        api.book("intro", moment),
        api.post(f"/v1/hosts/{host}/time-off", {"start": soon, "end": moment}),
        api.post(f"/v1/hosts/{host}/time-off", between),
        api.post(f"/v1/hosts/{host}/busy", {"start": soon, "end": moment}),
        api.post(f"/v1/hosts/{host}/reassign-bookings", {"start": soon, "end": moment}),
        api.post(f"/v1/bookings/{booked['id']}/reschedule", {"start": moment}),
        api.post(
            "/v1/find-a-time",
            {"host_ids": [host], "duration_minutes": 30, "start": soon, "end": moment},
        ),
    ]
    for response in responses:
        if response.status_code == 404:
            continue  # a route another change adds
        refused(response)
    assert hosts.list_spans(db, made.org_id, host, TimeOff) == []


@pytest.mark.parametrize("day", DAYS)
def test_extreme_dates_in_the_hub_and_the_booking_page_are_no_5xx(
    client: TestClient, db: Database, team: dict[str, Any], hub: str, day: str
) -> None:
    made: Team = team["team"]
    for filters in ({"start": day}, {"end": day}, {"start": "2026-12-01", "end": day}):
        listed = client.get("/hub/bookings", params=filters)
        assert listed.status_code == 422, listed.text
        assert "Dates are days like 2026-12-24, from 1970 to 9000." in text(listed.text)
    for host in [made.ada, *team["far"]]:
        for local in LOCAL_TIMES:
            for start, end in ((local, "9999-12-31T23:59"), ("0001-01-01T00:00", local)):
                answer = client.post(
                    f"/hub/hosts/{host}/time-off",
                    data={"csrf_token": hub, "start": start, "end": end},
                )
                assert answer.status_code == 422, answer.text
                assert "Give the time off" in text(answer.text)
        swap = client.post(
            f"/hub/hosts/{host}/reassign-bookings",
            data={"csrf_token": hub, "start": day, "end": day},
        )
        assert swap.status_code == 422, swap.text
        assert "Give the first and the last day" in text(swap.text)
        override = client.post(
            f"/hub/hosts/{host}",
            data={
                "csrf_token": hub,
                "name": "Far",
                "email": "far@acme.example.com",
                "timezone": "UTC",
                "hours_mon": "09:00-17:00",
                "date_overrides": f"{day} 10:00-12:00",
            },
        )
        assert override.status_code < 500, override.text  # an override is a date, no instant
        assert client.get(f"/hub/hosts/{host}").status_code == 200
    for query in (
        {"day": day},
        {"month": day[:7]},
        {"month": "8999-12"},
        {"start": f"{day}T00:00:00+14:00"},
        {"start": f"{day}T23:59:59-14:00", "tz": "Pacific/Kiritimati"},
    ):
        page = client.get("/book/acme/intro", params=query)
        assert page.status_code == 200, (query, page.text)
    for host in team["far"]:
        assert hosts.list_spans(db, made.org_id, host, TimeOff) == []
