"""`rota ask`: the plan is shown and runs only with --yes; questions are answered; what
is not understood says so with suggestions and exit code 1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from rota.cli import app
from rota.service import bookings
from rota.store.db import Database
from tests.teams import Team, make_team, monday


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'rota.db'}"


@pytest.fixture
def team(url: str) -> Iterator[Team]:
    db = Database(url)
    db.upgrade()
    yield make_team(db)
    db.dispose()


def ask(url: str, text: str, *more: str) -> Result:
    return CliRunner().invoke(app, ["ask", "--org", "acme", "--database-url", url, text, *more])


def test_a_change_runs_only_with_yes(url: str, team: Team) -> None:
    call = team.book(monday() + timedelta(hours=10))
    holder = call.host_ids[0]
    other = next(h for h in (team.ada, team.grace, team.linus) if h != holder)
    text = f"give Alan Turing's call to {team.names[other].split()[0]}"

    previewed = ask(url, text)
    assert previewed.exit_code == 0, previewed.output
    assert f"reassign_booking booking_id={call.id} host_id={other}" in previewed.output
    assert "nothing changed" in previewed.output
    assert bookings.get_booking(team.db, team.org_id, call.id).host_ids == [holder]

    done = ask(url, text, "--yes")
    assert done.exit_code == 0, done.output
    assert "done: reassign_booking" in done.output
    assert bookings.get_booking(team.db, team.org_id, call.id).host_ids == [other]


def test_a_question_is_answered(url: str, team: Team) -> None:
    call = team.book(monday() + timedelta(hours=10))
    holder = team.names[call.host_ids[0]].split()[0]
    answered = ask(url, f"what does {holder} have next week?")
    assert answered.exit_code == 0, answered.output
    answer = json.loads(answered.output.split("\n", 1)[1])
    assert [b["id"] for b in answer["bookings"]] == [call.id]


def test_what_is_not_understood_says_how_to_ask(url: str, team: Team) -> None:
    result = ask(url, "what's the weather like")
    assert result.exit_code == 1
    assert "did not understand" in result.output and "try: " in result.output


def test_a_bad_timezone_or_organization_is_one_line(url: str, team: Team) -> None:
    zone = ask(url, "who is free", "--timezone", "Mars/Olympus")
    assert zone.exit_code == 1 and "unknown timezone" in zone.output
    org = CliRunner().invoke(app, ["ask", "--org", "nobody", "--database-url", url, "who is free"])
    assert org.exit_code == 1 and "No organization 'nobody'" in org.output
