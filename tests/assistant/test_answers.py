"""The assistant's answers to questions, on SQLite and PostgreSQL, field by field as
`POST /v1/assistant` returns them: the times found for named hosts, who is free (in
unbroken runs), how a type's bookings are shared (hosts by name, shares to two
decimals) and a host's agenda (only their confirmed bookings in the range asked
about, at most 50)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from rota.actor import SYSTEM
from rota.service import assistant, bookings, meetings
from rota.store.db import Database
from tests.databases import database_url, db, postgres_url
from tests.teams import Team, make_team, monday

__all__ = ["database_url", "db", "postgres_url"]

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def wednesday() -> datetime:
    """00:00 UTC of the Wednesday after next: every test's day, in the future."""
    return monday(2) + 2 * DAY


def on(day: datetime) -> str:
    """The day as the assistant reads it, as in "on 9 Dec"."""
    return f"on {day.day} {day:%b}"


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def answer(team: Team, text: str) -> dict[str, Any]:
    said = assistant.ask(team.db, team.org_id, text, "UTC")
    assert isinstance(said, assistant.Answer), said
    return said.answer


def test_a_time_found_names_the_hosts_the_length_and_each_slots_start_and_end(
    db: Database,
) -> None:
    team = make_team(db)
    day = wednesday()
    team.held_by(team.grace, day + 10 * HOUR, "Zed Secretname")
    found = answer(team, f"when can Ada and Grace meet {on(day)} for 45 minutes?")
    quarters = [day + 8 * HOUR + k * timedelta(minutes=15) for k in range(38)]
    free = [
        t
        for t in quarters
        if t + timedelta(minutes=45) <= day + 10 * HOUR or t >= day + 10.5 * HOUR
    ]
    assert found == {
        "host_ids": [team.ada, team.grace],
        "duration_minutes": 45,
        "slots": [{"start": iso(t), "end": iso(t + timedelta(minutes=45))} for t in free],
    }


def test_who_is_free_gives_each_hosts_free_time_as_unbroken_runs(db: Database) -> None:
    team = make_team(db)
    day = wednesday()
    team.held_by(team.ada, day + 10 * HOUR, "Alan Turing")
    free = answer(team, f"who is free {on(day)} for 15 minutes")
    whole_day = [{"start": iso(day + 8 * HOUR), "end": iso(day + 18 * HOUR)}]
    assert free == {
        "start": iso(day),
        "end": iso(day + DAY),
        "free": [
            {
                "host_id": team.ada,
                "name": "Ada Lovelace",
                "times": [
                    {"start": iso(day + 8 * HOUR), "end": iso(day + 10 * HOUR)},
                    {"start": iso(day + 10.5 * HOUR), "end": iso(day + 18 * HOUR)},
                ],
            },
            {"host_id": team.grace, "name": "Grace Hopper", "times": whole_day},
            {"host_id": team.linus, "name": "Linus Torvalds", "times": whole_day},
        ],
    }


def test_the_distribution_names_each_host_and_rounds_the_fair_share_to_two_decimals(
    db: Database,
) -> None:
    team = make_team(db)
    team.held_by(team.grace, wednesday() + 10 * HOUR, "Alan Turing")
    shared = answer(team, "how is the distribution of intro?")
    assert set(shared) == {"booking_type", "window_days", "hosts"}
    assert shared["booking_type"] == "intro"
    assert shared["window_days"] == 30
    assert sorted(shared["hosts"], key=lambda h: h["name"]) == [
        {"host_id": team.ada, "name": "Ada Lovelace", "bookings": 0, "expected": 0.33},
        {"host_id": team.grace, "name": "Grace Hopper", "bookings": 1, "expected": 0.33},
        {"host_id": team.linus, "name": "Linus Torvalds", "bookings": 0, "expected": 0.33},
    ]


def test_an_agenda_lists_only_the_hosts_confirmed_bookings_of_the_day_asked_about(
    db: Database,
) -> None:
    team = make_team(db)
    day = wednesday()
    team.held_by(team.ada, day - DAY + 10 * HOUR, "Before Day")
    solo = team.book(day + 9 * HOUR, slug="office-hours", name="Alan Turing")
    intro = team.held_by(team.ada, day + 11 * HOUR, "Grace Brewster")
    gone = team.held_by(team.ada, day + 13 * HOUR, "Cancelled Caller")
    bookings.cancel(db, team.org_id, gone, None, actor=SYSTEM)
    team.held_by(team.grace, day + 14 * HOUR, "Not Adas")
    meeting = meetings.create_meeting(
        db,
        team.org_id,
        meetings.MeetingRequest(
            title="Planning", host_ids=[team.ada], start=day + 16 * HOUR, end=day + 17 * HOUR
        ),
        actor=SYSTEM,
    )
    team.held_by(team.ada, day + DAY + 10 * HOUR, "After Day")

    agenda = answer(team, f"what does Ada have {on(day)}?")
    assert agenda == {
        "host_id": team.ada,
        "bookings": [
            {
                "id": solo.id,
                "start": iso(day + 9 * HOUR),
                "end": iso(day + 9 * HOUR + timedelta(minutes=20)),
                "attendee_name": "Alan Turing",
                "title": solo.title,
                "booking_type": "office-hours",
            },
            {
                "id": intro,
                "start": iso(day + 11 * HOUR),
                "end": iso(day + 11.5 * HOUR),
                "attendee_name": "Grace Brewster",
                "title": bookings.get_booking(db, team.org_id, intro).title,
                "booking_type": "intro",
            },
            {
                "id": meeting.id,
                "start": iso(day + 16 * HOUR),
                "end": iso(day + 17 * HOUR),
                "attendee_name": None,
                "title": "Planning",
                "booking_type": None,
            },
        ],
    }


def test_an_agenda_shows_at_most_fifty_bookings_the_earliest_first(db: Database) -> None:
    team = make_team(db)
    starts = [
        monday(1) + day * DAY + 8 * HOUR + k * timedelta(minutes=20)
        for day in range(2)
        for k in range(30)
    ][:51]
    for start in starts:
        team.book(start, slug="office-hours")
    agenda = answer(team, "what does Ada have next week?")
    assert [b["start"] for b in agenda["bookings"]] == [iso(t) for t in starts[:50]]
