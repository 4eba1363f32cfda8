"""The range of a slot listing: refused in words, naming `end`, when it is empty or
longer than the most a listing covers; that longest range itself is fine."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rota.service import clock, slots
from rota.service.errors import Invalid
from rota.store.db import Database
from tests.databases import database_url, db, postgres_url
from tests.teams import make_team, monday

__all__ = ["database_url", "db", "postgres_url"]


def test_an_empty_or_too_long_range_is_refused_naming_the_end(db: Database) -> None:
    team = make_team(db)
    start = monday()
    longest = timedelta(days=slots.MAX_RANGE_DAYS)
    assert slots.list_slots(db, team.org_id, "intro", start, start + longest)
    refusals = {
        start: ("end must be after start.", {"end": "must be after start"}),
        start + longest + timedelta(seconds=1): (
            f"The range is longer than {slots.MAX_RANGE_DAYS} days.",
            {"end": f"at most {slots.MAX_RANGE_DAYS} days after start"},
        ),
    }
    for end, said in refusals.items():
        with pytest.raises(Invalid) as refused:
            slots.list_slots(db, team.org_id, "intro", start, end)
        assert (refused.value.message, refused.value.details) == said


def test_a_range_ending_a_moment_after_a_slot_starts_lists_that_slot(db: Database) -> None:
    team = make_team(db)
    ten = monday() + timedelta(hours=10)
    listed = slots.list_slots(
        db, team.org_id, "intro", ten - timedelta(hours=1), ten + timedelta(milliseconds=500)
    )
    assert listed[-1].start == clock.epoch(ten)
