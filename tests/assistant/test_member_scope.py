"""What a member of the team (Ada, one host) may ask the assistant, on SQLite and
PostgreSQL, as the Hub asks for them: their own bookings handed to the team, and
themselves marked out, run; anything else is refused in its own words, both when
asked and when an admin's plan for it is confirmed by the member, and nothing
changes."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from rota.actor import SYSTEM, Actor
from rota.service import assistant, bookings, hosts, reassign
from rota.service.assistant_scope import Member
from rota.service.errors import Forbidden, NotFound
from rota.store.db import Database
from rota.store.tables import TimeOff
from tests.databases import database_url, db, postgres_url
from tests.teams import Team, make_team, monday

__all__ = ["database_url", "db", "postgres_url"]

ADA = Actor("user", "user_ada", "Ada Lovelace")
HOUR = timedelta(hours=1)

ONLY_OWN = "You can hand over only your own bookings."
NOT_A_PERSON = "You can hand your bookings to the team, not to a person you name."
ONLY_YOURSELF = "You can mark only yourself out."
ADMIN_TIME = "Only an admin can look at other people's time or book meetings."
OWN_AGENDA = "You can see only your own bookings."
NO_CANCEL = "Only an admin can cancel or move a booking; hand it over instead."
NO_SHARES = "Only an admin can see how bookings are shared."


def wednesday() -> datetime:
    """00:00 UTC of the Wednesday after next: every test's day, in the future."""
    return monday(2) + 2 * timedelta(days=1)


def on(day: datetime) -> str:
    return f"on {day.day} {day:%b}"


def as_ada(team: Team, text: str) -> assistant.Preview | assistant.Answer | assistant.NotUnderstood:
    return assistant.ask(team.db, team.org_id, text, "UTC", member=Member(team.ada))


def as_admin(team: Team, text: str) -> assistant.Preview | assistant.Answer:
    said = assistant.ask(team.db, team.org_id, text, "UTC")
    assert not isinstance(said, assistant.NotUnderstood), said
    return said


def test_a_member_hands_their_own_booking_to_the_team(db: Database) -> None:
    team = make_team(db)
    mine = team.held_by(team.ada, wednesday() + 10 * HOUR, "Alan Turing")
    plan = as_ada(team, "give Alan Turing's call to the team")
    assert isinstance(plan, assistant.Preview), plan
    assert plan.actions == [{"kind": "reassign_booking", "booking_id": mine, "host_id": None}]
    [result] = assistant.confirm(db, team.org_id, plan.plan_id, ADA, member=Member(team.ada))
    assert result.ok, result.error
    assert team.ada not in bookings.get_booking(db, team.org_id, mine).host_ids


def test_a_member_marks_themselves_out(db: Database) -> None:
    team = make_team(db)
    day = wednesday()
    plan = as_ada(team, f"I'm out {on(day)}")
    assert isinstance(plan, assistant.Preview), plan
    [result] = assistant.confirm(db, team.org_id, plan.plan_id, ADA, member=Member(team.ada))
    assert result.ok, result.error
    [off] = hosts.list_spans(db, team.org_id, team.ada, TimeOff)
    assert (off.start_at, off.end_at) == (day, day + 24 * HOUR)


@pytest.mark.parametrize(
    ("words", "why"),
    [
        ("give Zed Secretname's call to the team", ONLY_OWN),
        ("give Zed Secretname's call to Linus", ONLY_OWN),
        ("give Alan Turing's call to Linus", NOT_A_PERSON),
        ("Linus is out {day}", ONLY_YOURSELF),
        ("Linus is out {day}, give his bookings to the team", ONLY_YOURSELF),
        ("book a meeting with Ada and Linus Torvalds {day} at 9am", ADMIN_TIME),
        ("who is free {day}?", ADMIN_TIME),
        ("when can Ada and Linus meet {day}?", ADMIN_TIME),
        ("what does Grace have {day}?", OWN_AGENDA),
        ("cancel Alan Turing's call", NO_CANCEL),
        ("move Zed Secretname's call to {day} at 3pm", NO_CANCEL),
        ("how is the distribution of intro?", NO_SHARES),
    ],
)
def test_a_member_is_refused_in_words_and_nothing_changes(
    db: Database, words: str, why: str
) -> None:
    team = make_team(db)
    day = wednesday()
    mine = team.held_by(team.ada, day + 10 * HOUR, "Alan Turing")
    theirs = team.held_by(team.grace, day + 12 * HOUR, "Zed Secretname")
    before = {b: bookings.get_booking(db, team.org_id, b) for b in (mine, theirs)}
    text = words.format(day=on(day))

    admin = as_admin(team, text)
    refused = as_ada(team, text)
    assert isinstance(refused, assistant.NotUnderstood), refused
    assert refused.message == f"{admin.summary} {why}"
    assert refused.suggestions == list(assistant.MEMBER_EXAMPLES)
    if isinstance(admin, assistant.Preview):
        with pytest.raises(Forbidden) as forbidden:
            assistant.confirm(db, team.org_id, admin.plan_id, ADA, member=Member(team.ada))
        assert forbidden.value.message == why

    for booking_id, was in before.items():
        now = bookings.get_booking(db, team.org_id, booking_id)
        assert (now.status, now.host_ids, now.start_at) == (was.status, was.host_ids, was.start_at)
    assert [b.id for b in bookings.list_bookings(db, team.org_id).bookings] == [mine, theirs]
    assert hosts.list_spans(db, team.org_id, team.linus, TimeOff) == []


def test_a_member_confirming_a_plan_that_is_not_there_is_told_so(db: Database) -> None:
    team, other = make_team(db), make_team(db, "globex")
    mine = team.held_by(team.ada, wednesday() + 10 * HOUR, "Alan Turing")
    other.held_by(other.ada, wednesday() + 10 * HOUR, "Alan Turing")
    theirs = assistant.ask(db, other.org_id, "give Alan Turing's call to the team", "UTC")
    assert isinstance(theirs, assistant.Preview), theirs
    for plan_id in ("plan_nosuchplan", theirs.plan_id):
        with pytest.raises(NotFound) as refused:
            assistant.confirm(db, team.org_id, plan_id, ADA, member=Member(team.ada))
        assert refused.value.message == "No such plan."
    assert bookings.get_booking(db, team.org_id, mine).host_ids == [team.ada]


def test_a_member_cannot_hand_over_a_booking_handed_away_from_them_since(db: Database) -> None:
    team = make_team(db)
    mine = team.held_by(team.ada, wednesday() + 10 * HOUR, "Alan Turing")
    plan = as_ada(team, "give Alan Turing's call to the team")
    assert isinstance(plan, assistant.Preview), plan
    reassign.reassign(
        db, team.org_id, mine, to_host_id=team.linus, from_host_id=None, reason=None, actor=SYSTEM
    )
    with pytest.raises(Forbidden) as refused:
        assistant.confirm(db, team.org_id, plan.plan_id, ADA, member=Member(team.ada))
    assert str(refused.value) == ONLY_OWN
    assert bookings.get_booking(db, team.org_id, mine).host_ids == [team.linus]


def test_a_member_confirming_a_hand_over_of_a_booking_cancelled_since_is_told_it_is_cancelled(
    db: Database,
) -> None:
    team = make_team(db)
    mine = team.held_by(team.ada, wednesday() + 10 * HOUR, "Alan Turing")
    plan = as_ada(team, "give Alan Turing's call to the team")
    assert isinstance(plan, assistant.Preview), plan
    bookings.cancel(db, team.org_id, mine, None, actor=SYSTEM)
    [result] = assistant.confirm(db, team.org_id, plan.plan_id, ADA, member=Member(team.ada))
    assert not result.ok
    assert result.error is not None and result.error["code"] == "booking_cancelled"
    assert bookings.get_booking(db, team.org_id, mine).host_ids == [team.ada]


def test_a_member_whose_host_was_deleted_is_answered_not_failed(db: Database) -> None:
    team = make_team(db)
    hosts.delete_host(db, team.org_id, team.linus)
    said = assistant.ask(db, team.org_id, "I'm out tomorrow", "UTC", member=Member(team.linus))
    assert isinstance(said, assistant.NotUnderstood), said
