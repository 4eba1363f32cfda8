"""Input that mail cannot carry is refused at the door (API.md, Conventions: names are
one line, emails deliverable syntax with an ASCII local part, international domains
sent as punycode): a 422 naming the field, and nothing stored; on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from rota import teamfile
from rota.store.db import Database
from rota.store.tables import Booking, Host, OutboxMessage
from tests.api.support import Api, assert_error, iso, monday

BAD_NAMES = ["Ada\nLovelace", "Ada\u2028Lovelace", "Ada\u0085Lovelace", "Ada\u2029L", "  "]
BAD_EMAILS = ["é@x.com", "a,b@x.com", "a@b", "ada@@example.com", "ada example@x.com", "a@x..com"]


def count(db: Database, table: type[Host] | type[Booking] | type[OutboxMessage]) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


@pytest.mark.parametrize("name", BAD_NAMES)
def test_a_host_name_that_is_not_one_line_is_refused(api: Api, db: Database, name: str) -> None:
    body = {"name": name, "email": "ada@example.com", "timezone": "UTC"}
    error = assert_error(api.post("/v1/hosts", body), 422, "invalid_request")
    assert "name" in error["error"]["details"]
    assert count(db, Host) == 0
    ada = api.host("Ada")["id"]
    assert_error(api.patch(f"/v1/hosts/{ada}", {"name": name}), 422, "invalid_request")
    assert api.get(f"/v1/hosts/{ada}").json()["name"] == "Ada"


@pytest.mark.parametrize("email", BAD_EMAILS)
def test_an_email_mail_cannot_go_to_is_refused(api: Api, db: Database, email: str) -> None:
    body = {"name": "Ada", "email": email, "timezone": "UTC"}
    error = assert_error(api.post("/v1/hosts", body), 422, "invalid_request")
    assert "email" in error["error"]["details"]
    assert count(db, Host) == 0


def test_an_international_domain_is_kept_as_punycode(api: Api) -> None:
    host = api.host("Ana", email="ana@bücher.example")
    assert host["email"] == "ana@xn--bcher-kva.example"


@pytest.mark.parametrize(
    "attendee",
    [{"name": n, "email": "grace@example.com"} for n in BAD_NAMES[:3]]
    + [{"name": "Grace", "email": e} for e in BAD_EMAILS[:3]],
)
def test_a_booking_for_an_attendee_mail_cannot_reach_stores_nothing(
    api: Api, db: Database, attendee: dict[str, str]
) -> None:
    ada = api.host("Ada")["id"]
    api.booking_type("solo", [ada], host_mode="solo")
    body = {"booking_type": "solo", "start": iso(monday() + timedelta(hours=9))}
    error = assert_error(
        api.post("/v1/bookings", {**body, "attendee": attendee}), 422, "invalid_request"
    )
    assert any(key.startswith("attendee.") for key in error["error"]["details"])
    assert (count(db, Booking), count(db, OutboxMessage)) == (0, 0)


def test_a_title_with_a_line_separator_is_refused(api: Api) -> None:
    ada = api.host("Ada")["id"]
    body = {
        "slug": "intro",
        "title": "Intro\u2028call",
        "duration_minutes": 30,
        "host_mode": "solo",
        "hosts": [{"host_id": ada}],
    }
    assert_error(api.post("/v1/booking-types", body), 422, "invalid_request")
    assert api.get("/v1/booking-types").json()["booking_types"] == []


def test_a_team_file_with_such_a_host_does_not_load() -> None:
    data = '{"hosts": [{"id": "a", "name": "A\\u2028B", "email": "a,b@x.com", "timezone": "UTC"}]}'
    with pytest.raises(teamfile.TeamFileError) as raised:
        teamfile.parse(data)
    assert "hosts[0].name: must be one line" in str(raised.value)
    assert "hosts[0].email: is not an email address" in str(raised.value)
