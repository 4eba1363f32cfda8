"""The Hub's Find a Time page: each day's times when everyone required is free."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from rota.service import hosts
from rota.store.tables import BusyBlock, TimeOff
from tests.teams import Team, monday
from tests.web.pages import text

TO = "\N{EN DASH}"


def test_the_week_lists_times_everyone_required_is_free_with_who_else_is(
    client: TestClient, team: Team, hub: str
) -> None:
    week = monday(1)
    # Everyone works 08:00-18:00 UTC every day. Grace is in a meeting until noon on
    # Monday, Linus is away from 14:00 on, and Ada takes her office hours at 12:00.
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
    query = f"need={team.ada}&need={team.grace}&want={team.linus}&minutes=60&week={week:%Y-%m-%d}"
    page = client.get(f"/hub/find-a-time?{query}")
    assert page.status_code == 200
    said = text(page.text)
    monday_times = said.split("Monday")[1].split("Tuesday")[0]
    assert "08:00" not in monday_times and f"12:00 {TO} 13:00" not in monday_times
    assert f"12:30 {TO} 13:30 : also free: Linus Torvalds" in monday_times
    assert f"16:30 {TO} 17:30 : no optional person free" in monday_times
    assert f"17:00 {TO} 18:00 : no optional person free" in monday_times
    tuesday = said.split("Tuesday")[1].split("Wednesday")[0]
    assert f"08:00 {TO} 09:00 : no optional person free" in tuesday
    assert 'aria-current="page">Find a time' in page.text
    last_week = monday(-1)
    over = client.get(f"/hub/find-a-time?need={team.ada}&week={last_week:%Y-%m-%d}")
    assert "That week is over" in over.text and "<time" not in over.text


def test_with_nobody_chosen_the_page_only_asks(client: TestClient, team: Team, hub: str) -> None:
    page = client.get("/hub/find-a-time")
    assert page.status_code == 200
    assert "Must come" in page.text and "Times when" not in page.text
    # Another organization's host ids and a year 9999 week are ignored, never a 500.
    odd = client.get("/hub/find-a-time?need=host_elsewhere&week=9999-01-01&minutes=7")
    assert odd.status_code == 200 and "Times when" not in odd.text
