"""The Hub's Find a Time: the week's grid of who is free, picking a time, and booking
the meeting there (through the same use case as ``POST /v1/meetings``)."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from rota.service import bookings, hosts
from rota.store.tables import BusyBlock, OutboxMessage, TimeOff
from tests.teams import Team, monday
from tests.web.pages import field, text

TO = "\N{EN DASH}"


def _busy_week(team: Team) -> datetime:
    """Everyone works 08:00-18:00 UTC every day. On the coming Monday Grace is in a
    meeting until noon, Linus is away from 14:00 on, and Ada takes office hours at 12:00."""
    week = monday(1)
    hosts.add_span(
        team.db,
        team.org_id,
        team.grace,
        BusyBlock,
        start=week + timedelta(hours=8),
        end=week + timedelta(hours=12),
        label=None,
    )
    hosts.add_span(
        team.db,
        team.org_id,
        team.linus,
        TimeOff,
        start=week + timedelta(hours=14),
        end=week + timedelta(days=7),
        label=None,
    )
    team.book(week + timedelta(hours=12), slug="office-hours")
    return week


def _cell(page: str, day: int, at: str) -> str:
    """The grid cell of the row starting `at` (HH:MM) on the week's `day` (0: Monday)."""
    rows = re.findall(r'<tr>\s*<th scope="row">(\d\d:\d\d)</th>(.*?)</tr>', page, flags=re.S)
    [cells] = [r for time, r in rows if time == at]
    return re.findall(r"<td[^>]*>.*?</td>|<td></td>", cells, flags=re.S)[day]


def _pick_link(page: str, day: int, at: str) -> str:
    match = re.search(r'href="([^"]+)"', _cell(page, day, at))
    assert match, f"no link at {at} on day {day}"
    return html.unescape(match.group(1))


def _query(team: Team, week: datetime) -> str:
    return f"need={team.ada}&need={team.grace}&want={team.linus}&minutes=60&week={week:%Y-%m-%d}"


def test_the_week_grid_shows_who_is_free_and_a_picked_time_books_the_meeting(
    client: TestClient, team: Team, hub: str
) -> None:
    week = _busy_week(team)
    page = client.get(f"/hub/find-a-time?{_query(team, week)}")
    assert page.status_code == 200
    assert 'aria-current="page">Find a time' in page.text
    # Monday 08:00: only Ada and Linus are free, so it cannot be booked.
    morning = _cell(page.text, 0, "08:00")
    assert 'class="some"' in morning and "href" not in morning
    assert text(morning) == "Ada Lovelace, Linus Torvalds"
    # 12:00 is Ada's office hours; 12:30 has everyone required, and Linus too.
    assert "href" not in _cell(page.text, 0, "12:00")
    assert text(_cell(page.text, 0, "12:30")) == "12:30 + Linus Torvalds"
    assert text(_cell(page.text, 0, "17:00")) == "17:00 no optional person"
    # The phone's list has Monday's bookable times too.
    monday_list = text(page.text).split("Monday")[-1].split("Tuesday")[0]
    assert "12:30 + Linus Torvalds" in monday_list and "08:00" not in monday_list

    chosen = client.get("/hub/find-a-time" + _pick_link(page.text, 0, "12:30"))
    assert chosen.status_code == 200
    said = text(chosen.text)
    assert "Book a meeting" in said and "Free then: Ada Lovelace, Grace Hopper, Linus" in said
    form = {
        "csrf_token": hub,
        "need": [team.ada, team.grace],
        "want": [team.linus],
        "minutes": "60",
        "week": f"{week:%Y-%m-%d}",
        "at": field(chosen.text, "at"),
        "title": "Roadmap",
        "guests": "Linus Pauling <linus@example.com>\n\nkaty@example.com",
        "description": "Next quarter",
    }
    booked = client.post("/hub/find-a-time/book", data=form, follow_redirects=False)
    assert booked.status_code == 303, booked.text
    booking_page = client.get(booked.headers["location"])
    assert "Roadmap (internal meeting)" in text(booking_page.text)
    booking_id = booked.headers["location"].split("/")[-1].split("?")[0]
    meeting = bookings.get_booking(team.db, team.org_id, booking_id)
    assert meeting.booking_type_id is None and meeting.title == "Roadmap"
    assert meeting.host_ids == [team.ada, team.grace]
    assert meeting.start_at == week + timedelta(hours=12, minutes=30)
    assert meeting.end_at == week + timedelta(hours=13, minutes=30)
    assert meeting.guests == [
        {"name": "Linus Pauling", "email": "linus@example.com"},
        {"name": "katy@example.com", "email": "katy@example.com"},
    ]
    with team.db.read() as session:
        sent = session.scalars(
            select(OutboxMessage.payload).where(
                OutboxMessage.booking_id == booking_id, OutboxMessage.kind == "email"
            )
        )
        to = sorted(json.loads(payload)["to"] for payload in sent)
    ada, grace = (hosts.get_host(team.db, team.org_id, h).email for h in (team.ada, team.grace))
    assert to == sorted([ada, grace, "linus@example.com", "katy@example.com"])
    listed = text(client.get("/hub/bookings").text)
    assert "Roadmap (meeting)" in listed and "Linus Pauling, katy@example.com" in listed
    # A meeting has no attendee's manage page: its token leads nowhere.
    assert client.get(f"/manage/{meeting.manage_token}").status_code == 404
    # The time is taken now: the grid no longer offers it.
    again = client.get(f"/hub/find-a-time?{_query(team, week)}")
    assert "href" not in _cell(again.text, 0, "12:30")


def test_a_refused_booking_says_why_next_to_the_field_and_keeps_what_was_typed(
    client: TestClient, team: Team, hub: str
) -> None:
    week = _busy_week(team)
    at = (week + timedelta(days=1, hours=9)).astimezone(UTC).isoformat()
    form = {
        "csrf_token": hub,
        "need": [team.ada],
        "minutes": "30",
        "week": f"{week:%Y-%m-%d}",
        "at": at,
        "title": "",
        "guests": "Linus Pauling <linus@example.com>",
    }
    no_title = client.post("/hub/find-a-time/book", data=form)
    assert no_title.status_code == 422
    assert 'id="title-error"' in no_title.text
    assert "Linus Pauling &lt;linus@example.com&gt;</textarea>" in no_title.text

    bad_guest = client.post(
        "/hub/find-a-time/book", data={**form, "title": "Sync", "guests": "Linus <not-an-email>"}
    )
    assert bad_guest.status_code == 422
    said = text(bad_guest.text)
    assert "Guest 1:" in said and 'id="guests-error"' in bad_guest.text
    assert field(bad_guest.text, "title") == "Sync"

    ok = client.post("/hub/find-a-time/book", data={**form, "title": "Sync"})
    assert ok.status_code == 200  # followed to the meeting's page
    taken = client.post("/hub/find-a-time/book", data={**form, "title": "Clash"})
    assert taken.status_code == 409
    assert 'id="at-error"' in taken.text and "Not free at that time: Ada Lovelace" in text(
        taken.text
    )
    assert field(taken.text, "title") == "Clash"

    nobody = client.post("/hub/find-a-time/book", data={**form, "need": [], "title": "T"})
    assert nobody.status_code == 422 and 'id="need-error"' in nobody.text
    no_time = client.post("/hub/find-a-time/book", data={**form, "at": "soon", "title": "T"})
    assert no_time.status_code == 422 and 'id="at-error"' in no_time.text
    assert len(bookings.list_bookings(team.db, team.org_id).bookings) == 2  # office hours + Sync


def test_booking_needs_the_sessions_csrf_token(client: TestClient, team: Team, hub: str) -> None:
    week = monday(1)
    form = {
        "need": [team.ada],
        "minutes": "30",
        "at": (week + timedelta(hours=9)).isoformat(),
        "title": "Sync",
    }
    refused = client.post("/hub/find-a-time/book", data=form)
    assert refused.status_code == 403
    refused = client.post("/hub/find-a-time/book", data={**form, "csrf_token": "forged"})
    assert refused.status_code == 403
    assert bookings.list_bookings(team.db, team.org_id).bookings == []


def test_with_nobody_chosen_the_page_only_asks(client: TestClient, team: Team, hub: str) -> None:
    page = client.get("/hub/find-a-time")
    assert page.status_code == 200
    assert "Must come" in page.text and "Who is free" not in page.text
    # Another organization's host ids and a year 9999 week are ignored, never a 500.
    odd = client.get("/hub/find-a-time?need=host_elsewhere&week=9999-01-01&minutes=7&at=x")
    assert odd.status_code == 200 and "Who is free" not in odd.text
    last_week = monday(-1)
    over = client.get(f"/hub/find-a-time?need={team.ada}&week={last_week:%Y-%m-%d}")
    assert "That week is over" in over.text and 'id="week-grid"' not in over.text


def test_a_meeting_moves_and_is_cancelled_from_its_hub_page(
    client: TestClient, team: Team, hub: str
) -> None:
    week = monday(1)
    form = {
        "csrf_token": hub,
        "need": [team.ada, team.grace],
        "minutes": "30",
        "week": f"{week:%Y-%m-%d}",
        "at": (week + timedelta(days=1, hours=9)).isoformat(),
        "title": "Sync",
    }
    booked = client.post("/hub/find-a-time/book", data=form, follow_redirects=False)
    path = booked.headers["location"].split("?")[0]
    page = client.get(path)
    assert "Reschedule" in page.text and "Reassign" not in text(page.text)
    moved = client.post(
        f"{path}/reschedule",
        data={"csrf_token": hub, "start": f"{week + timedelta(days=1, hours=15):%Y-%m-%dT%H:%M}"},
    )
    assert moved.status_code == 200, moved.text
    meeting = bookings.get_booking(team.db, team.org_id, path.split("/")[-1])
    assert meeting.start_at == week + timedelta(days=1, hours=15)
    assert meeting.host_ids == [team.ada, team.grace]
    cancelled = client.post(f"{path}/cancel", data={"csrf_token": hub, "reason": "not needed"})
    assert cancelled.status_code == 200, cancelled.text
    assert bookings.get_booking(team.db, team.org_id, meeting.id).status == "cancelled"
