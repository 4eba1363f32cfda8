"""The assistant names only the organization's own live hosts: a host of another
organization, or one deleted, is no host here. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from rota.actor import SYSTEM
from rota.service import assistant, booking_types, bookings, hosts, meetings
from rota.store.db import Database
from tests.databases import database_url, db, postgres_url
from tests.teams import make_team, monday

__all__ = ["database_url", "db", "postgres_url"]


def test_hosts_of_another_organization_or_deleted_are_no_hosts_here(db: Database) -> None:
    team = make_team(db)
    other = make_team(db, "globex")
    hosts.update_host(db, other.org_id, other.grace, {"name": "Zora Neale"})
    hosts.delete_host(db, team.org_id, team.linus)
    for name in ("Zora", "Linus"):
        said = assistant.ask(db, team.org_id, f"find a time for Ada and {name} next week", "UTC")
        assert isinstance(said, assistant.NotUnderstood), said
        assert said.message == f"No host here is called {name.lower()!r}."
    found = assistant.ask(db, team.org_id, "find a time for Ada and Grace next week", "UTC")
    assert isinstance(found, assistant.Answer), found


def test_an_unknown_name_is_answered_with_the_first_five_hosts_in_the_order_they_joined(
    db: Database,
) -> None:
    team = make_team(db)
    joined = ["Ada Lovelace", "Grace Hopper", "Linus Torvalds"]
    for name in ("Mary Somerville", "Emmy Noether", "Alan Kay", "Barbara Liskov"):
        hosts.create_host(
            db, team.org_id, name=name, email=f"{name.split()[0].lower()}@acme.test", timezone="UTC"
        )
        joined.append(name)
    said = assistant.ask(db, team.org_id, "find a time for Ada and Xavier next week", "UTC")
    assert isinstance(said, assistant.NotUnderstood), said
    assert said.message == "No host here is called 'xavier'."
    assert said.suggestions == joined[:5]


def test_the_types_offered_are_the_organizations_live_ones_by_slug(db: Database) -> None:
    team = make_team(db)
    other = make_team(db, "globex")
    booking_types.update_booking_type(db, other.org_id, "intro", {"title": "Globex secret"})
    team.add_type("demo", "Demo", [team.ada, team.grace])
    booking_types.delete_booking_type(db, team.org_id, "demo", actor=SYSTEM)
    team.add_type("aaa", "Zebra talk", [team.ada, team.grace])
    said = assistant.ask(db, team.org_id, "how is the distribution?", "UTC")
    assert isinstance(said, assistant.NotUnderstood), said
    titles = [t.title for t in booking_types.list_booking_types(db, team.org_id)]
    assert sorted(titles) == ["Intro call", "Office hours", "Zebra talk"]
    assert said.message == "Which booking type do you mean: Zebra talk, Intro call, Office hours?"


def test_the_bookings_a_request_may_name_are_upcoming_confirmed_and_asked_about_in_start_order(
    db: Database,
) -> None:
    team = make_team(db)
    booking_types.update_booking_type(db, team.org_id, "intro", {"booking_window_days": 90})
    starts = [monday() + timedelta(days=d, hours=10) for d in (3, 0, 2, 1)]
    made = [team.book(start, name="Alan Turing") for start in starts]
    over = (datetime.now(UTC) - timedelta(days=9)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    with time_machine.travel(over - timedelta(days=1), tick=True):
        team.book(over, name="Alan Turing")
    far = team.book(monday() + timedelta(days=70, hours=10), name="Alan Turing")
    said = assistant.ask(db, team.org_id, "cancel Alan Turing's call", "UTC")
    assert isinstance(said, assistant.NotUnderstood), said
    by_start = sorted(made, key=lambda b: b.start_at)
    assert said.suggestions == [f"booking {b.id}" for b in by_start]
    for booking in made[1:]:
        bookings.cancel(db, team.org_id, booking.id, None, actor=SYSTEM)
    plan = assistant.ask(db, team.org_id, "cancel Alan Turing's call", "UTC")
    assert isinstance(plan, assistant.Preview), plan
    assert plan.actions == [{"kind": "cancel_booking", "booking_id": made[0].id}]
    assert far.id not in str(plan.actions)


def test_a_meeting_is_named_by_its_title(db: Database) -> None:
    team = make_team(db)
    request = meetings.MeetingRequest(
        title="Budget review",
        host_ids=[team.grace, team.ada],
        start=monday() + timedelta(hours=11),
        end=monday() + timedelta(hours=12),
    )
    meeting = meetings.create_meeting(db, team.org_id, request, actor=SYSTEM)
    plan = assistant.ask(db, team.org_id, "cancel the budget review", "UTC")
    assert isinstance(plan, assistant.Preview), plan
    assert plan.actions == [{"kind": "cancel_booking", "booking_id": meeting.id}]
