"""Find a Time's refusals say in words what is wrong and name the field a client sent
(a host of another organization or a deleted one is no host here), and the Hub's week
of who is free counts the whole meeting. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rota import engine
from rota.service import find_a_time, hosts
from rota.service.errors import Invalid
from rota.store.db import Database
from rota.store.tables import BusyBlock
from tests.databases import database_url, db, postgres_url
from tests.teams import make_team, monday

__all__ = ["database_url", "db", "postgres_url"]

NOT_HOSTS = "Some of the people named are not hosts here."


def search(
    db: Database, org_id: str, host_ids: list[str], optional: list[str]
) -> list[engine.FreeTime]:
    start = monday() + timedelta(hours=8)
    return find_a_time.find_a_time(
        db,
        org_id,
        host_ids=host_ids,
        optional_host_ids=optional,
        duration_minutes=30,
        start=start,
        end=start + timedelta(hours=10),
        interval_minutes=30,
    )


def grid(db: Database, org_id: str, host_ids: list[str]) -> engine.Grid:
    start = monday() + timedelta(hours=9)
    return find_a_time.free_grid(
        db,
        org_id,
        host_ids=host_ids,
        duration_minutes=60,
        start=start,
        end=start + timedelta(hours=3),
        interval_minutes=30,
    )


def test_a_search_naming_nobody_who_must_attend_is_refused_in_words(db: Database) -> None:
    team = make_team(db)
    with pytest.raises(Invalid) as refused:
        search(db, team.org_id, [], [team.ada])
    assert refused.value.message == "Name at least one person who must attend."
    assert refused.value.details == {"host_ids": "must name at least one host"}
    with pytest.raises(Invalid) as empty_grid:
        grid(db, team.org_id, [])
    assert empty_grid.value.message == "Name at least one person who must attend."
    assert empty_grid.value.details == {"host_ids": "must name at least one host"}


def test_a_person_named_twice_is_refused_in_words(db: Database) -> None:
    team = make_team(db)
    for required, optional in ([team.ada, team.ada], []), ([team.ada], [team.ada]):
        with pytest.raises(Invalid) as refused:
            search(db, team.org_id, required, optional)
        assert refused.value.message == "A person is named twice."
        assert refused.value.details == {"host_ids": "a host is named more than once"}


def test_a_required_host_of_another_organization_is_named_by_its_place(db: Database) -> None:
    team = make_team(db)
    theirs = make_team(db, "globex").ada
    with pytest.raises(Invalid) as refused:
        search(db, team.org_id, [team.ada, theirs], [team.grace])
    assert refused.value.message == NOT_HOSTS
    assert refused.value.details == {"host_ids.1": "no such host"}


def test_a_deleted_host_is_no_host_here(db: Database) -> None:
    team = make_team(db)
    hosts.delete_host(db, team.org_id, team.linus)
    with pytest.raises(Invalid) as refused:
        search(db, team.org_id, [team.ada], [team.linus])
    assert refused.value.message == NOT_HOSTS
    assert refused.value.details == {"optional_host_ids.0": "no such host"}
    with pytest.raises(Invalid) as in_grid:
        grid(db, team.org_id, [team.linus, team.ada])
    assert in_grid.value.message == NOT_HOSTS
    assert in_grid.value.details == {"host_ids.0": "no such host"}


def test_the_week_of_who_is_free_counts_the_whole_meeting(db: Database) -> None:
    team = make_team(db)
    day = monday()
    hosts.add_span(
        db,
        team.org_id,
        team.ada,
        BusyBlock,
        start=day + timedelta(hours=10),
        end=day + timedelta(hours=11),
        label="Dentist",
    )
    found = grid(db, team.org_id, [team.ada, team.grace])
    starts = [int(s) for s in found.starts]
    first = int((day + timedelta(hours=9)).timestamp())
    # An hour's meeting from 9:00 to 12:00: Ada's 10-11 keeps her from 9:30 to 10:30.
    assert starts == [first + minutes * 60 for minutes in (0, 30, 60, 90, 120)]
    assert found.free.tolist() == [
        [True, False, False, False, True],
        [True, True, True, True, True],
    ]
