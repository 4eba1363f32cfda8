"""The assistant names only the organization's own live hosts: a host of another
organization, or one deleted, is no host here. On SQLite and PostgreSQL."""

from __future__ import annotations

from rota.actor import SYSTEM
from rota.service import assistant, booking_types, hosts
from rota.store.db import Database
from tests.databases import database_url, db, postgres_url
from tests.teams import make_team

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
