"""An internal meeting refused says why in words, naming the field, exactly where the
limits lie; and one that is made holds everyone, says who made it, and moves on its
own time. On SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
import time_machine

from rota import engine
from rota.actor import SYSTEM, Actor
from rota.service import hosts, meetings, reschedule
from rota.service.errors import Invalid
from rota.store.db import Database
from tests.databases import database_url, db, postgres_url
from tests.teams import Team, make_team, monday

__all__ = ["database_url", "db", "postgres_url"]

ALL_DAY = [
    {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "start": "00:00", "end": "24:00"}
]


def sync(team: Team, minutes: float = 30, **fields: object) -> meetings.MeetingRequest:
    start = monday() + timedelta(hours=10)
    request = meetings.MeetingRequest(
        title="Sync",
        host_ids=[team.ada, team.grace],
        start=start,
        end=start + timedelta(minutes=minutes),
    )
    return replace(request, **fields)


GRACE = Actor("user", "u_grace", "Grace Hopper")


def book(team: Team, request: meetings.MeetingRequest) -> meetings.Booking:
    return meetings.create_meeting(team.db, team.org_id, request, actor=GRACE)


REFUSALS = {
    "no host": (
        lambda team: sync(team, host_ids=[]),
        "Name at least one host.",
        {"host_ids": "must name at least one host"},
    ),
    "a host twice": (
        lambda team: sync(team, host_ids=[team.ada, team.ada]),
        "A host is named twice.",
        {"host_ids": "a host is named more than once"},
    ),
    "no time": (
        lambda team: sync(team, 0),
        "end must be after start.",
        {"end": "must be after start"},
    ),
    "a day and a minute": (
        lambda team: sync(team, 24 * 60 + 1),
        "A meeting lasts at most a day.",
        {"end": "at most 24 hours"},
    ),
    "a guest twice": (
        lambda team: sync(
            team, guests=[meetings.Guest("A", "a@x.io"), meetings.Guest("B", "A@X.IO")]
        ),
        "A guest is named twice.",
        {"attendees.1.email": "named twice"},
    ),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_a_meeting_is_refused_in_words_naming_the_field(db: Database, case: str) -> None:
    team = make_team(db)
    request, message, details = REFUSALS[case]
    with pytest.raises(Invalid) as refused:
        book(team, request(team))
    assert (refused.value.message, refused.value.details) == (message, details)


def test_hosts_not_of_the_organization_or_deleted_are_named(db: Database) -> None:
    team = make_team(db)
    hosts.delete_host(db, team.org_id, team.linus)
    with pytest.raises(Invalid) as refused:
        book(team, sync(team, host_ids=[team.ada, team.linus, "h_nobody"]))
    assert refused.value.message == "Some of the hosts named are not hosts here."
    assert refused.value.details == {"host_ids.1": "no such host", "host_ids.2": "no such host"}


def test_a_meeting_lasts_up_to_a_whole_day(db: Database) -> None:
    team = make_team(db)
    for host_id in (team.ada, team.grace):
        hosts.update_host(db, team.org_id, host_id, {"working_hours": ALL_DAY})
    made = book(team, sync(team, 24 * 60))
    assert made.end_at - made.start_at == timedelta(days=1)


def test_busy_hosts_are_named_and_a_start_now_is_still_bookable(db: Database) -> None:
    team = make_team(db)
    first = book(team, sync(team))
    with pytest.raises(engine.SlotUnavailable) as refused:
        book(team, sync(team, title="Again"))
    assert str(refused.value) == "Not free at that time: Ada Lovelace, Grace Hopper."
    later = sync(team).start + timedelta(hours=2)
    with time_machine.travel(later, tick=False):
        made = book(team, sync(team, start=later, end=later + timedelta(minutes=30)))
    assert made.start_at == later
    with (
        time_machine.travel(later + timedelta(seconds=1), tick=False),
        pytest.raises(engine.SlotUnavailable) as passed,
    ):
        book(team, sync(team, start=later, end=later + timedelta(minutes=30)))
    assert str(passed.value) == "That time has already passed."
    assert [(e.action, e.host_ids, e.actor) for e in first.history] == [
        ("created", [team.ada, team.grace], GRACE)
    ]


def test_a_meeting_moves_over_its_own_time_and_its_invites_count_up(db: Database) -> None:
    team = make_team(db)
    made = book(team, sync(team, 60))
    moved = reschedule.reschedule(
        db,
        team.org_id,
        made.id,
        start=made.start_at + timedelta(minutes=30),
        reason=None,
        actor=SYSTEM,
    )
    assert moved.start_at == made.start_at + timedelta(minutes=30)
    assert (made.sequence, moved.sequence) == (0, 1)
