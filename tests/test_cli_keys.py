"""`rota keys list|revoke` (API.md, Getting a key): the list runs oldest first, and
revoking a key of another organization is refused in one line and leaves it working."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import time_machine
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rota.api import create_app
from rota.cli import app
from tests.teams import monday


def rota(url: str, *args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, [*args, "--database-url", url])
    return result.exit_code, result.output.strip().splitlines()


def new_key(url: str, org: str) -> str:
    code, lines = rota(url, "keys", "create", "--org", org)
    assert code == 0, lines
    return lines[-1]


def listed(url: str, org: str) -> list[str]:
    code, lines = rota(url, "keys", "list", "--org", org)
    assert code == 0, lines
    return lines


def test_revoking_another_organizations_key_is_refused_and_it_keeps_working(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'rota.db'}"
    ours, theirs = new_key(url, "acme"), new_key(url, "globex")
    [their_line] = listed(url, "globex")
    their_id = their_line.split()[0]
    code, lines = rota(url, "keys", "revoke", their_id, "--org", "acme")
    assert code == 1
    assert lines == [f"error: Organization 'acme' has no key {their_id!r}."]
    assert "active" in listed(url, "globex")[0]
    with TestClient(create_app(url)) as client:
        for key in (ours, theirs):
            answer = client.get("/v1/hosts", headers={"Authorization": f"Bearer {key}"})
            assert answer.status_code == 200
    assert rota(url, "keys", "revoke", their_id, "--org", "globex")[0] == 0
    assert "revoked" in listed(url, "globex")[0]
    assert "active" in listed(url, "acme")[0]


def test_keys_are_listed_oldest_first(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'rota.db'}"
    start = monday()
    prefixes = {}
    with time_machine.travel(start, tick=False) as traveller:
        for hours in (2, 0, 1, 3):
            traveller.move_to(start + timedelta(hours=hours))
            prefixes[hours] = new_key(url, "acme")[:11]
    lines = listed(url, "acme")
    assert [line.split()[1].rstrip("…") for line in lines] == [prefixes[h] for h in range(4)]
