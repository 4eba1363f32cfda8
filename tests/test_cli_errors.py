"""The CLI reports database and input problems in one line with exit code 1, and
`rota demo` works on any database and refuses a taken port first."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from click.testing import Result
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rota import cli
from rota.api import create_app
from rota.cli import app
from rota.service import orgs
from rota.store.db import Database


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def one_line_error(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("nonsense", "Could not parse"),
        ("mysql://someone@127.0.0.1/db", "No module named"),
        ("sqlite:////no/such/directory/rota.db", "unable to open database file"),
        ("postgresql+psycopg://postgres:hunter2@127.0.0.1:1/test", "Connection refused"),
    ],
)
def test_a_database_that_cannot_be_used_is_one_line(url: str, said: str) -> None:
    line = one_line_error(run("keys", "create", "--org", "acme", "--database-url", url))
    assert said in line
    assert "hunter2" not in line


def test_input_problems_are_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'rota.db'}"
    assert "No organization 'nobody'" in one_line_error(
        run("keys", "list", "--org", "nobody", "--database-url", url)
    )
    assert "No organization 'nobody'" in one_line_error(
        run("keys", "revoke", "key_x", "--org", "nobody", "--database-url", url)
    )
    missing = tmp_path / "missing.json"
    assert "cannot read the file" in one_line_error(
        run("import", str(missing), "--org", "acme", "--database-url", url)
    )
    not_json = tmp_path / "team.json"
    not_json.write_text("{hosts: [")
    result = run("import", str(not_json), "--org", "acme", "--database-url", url)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert str(not_json) in result.output


@pytest.mark.parametrize("slug", ["Acme", "acme corp", "acme_sales", "-acme", "a" * 101, ""])
def test_an_organization_slug_is_checked_before_anything_is_made(slug: str, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'rota.db'}"
    team = Path(cli.DEMO_TEAM)
    for args in (("keys", "create"), ("import", str(team))):
        line = one_line_error(run(*args, "--org", slug, "--database-url", url))
        assert "is not an organization slug" in line
    db = Database(url)
    assert orgs.org_is_empty(db)
    db.dispose()


def test_demo_refuses_a_taken_port_before_touching_the_database(tmp_path: Path) -> None:
    database = tmp_path / "rota.db"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        for command in ("demo", "serve"):
            line = one_line_error(
                run(command, "--port", port, "--database-url", f"sqlite:///{database}")
            )
            assert f"cannot listen on 127.0.0.1:{port}" in line
    assert not database.exists()


def _demo_links(url: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str, str]:
    """Run `rota demo` without its server; its booking page path, slots path and key."""
    monkeypatch.setattr(cli, "_serve", lambda *args, **kwargs: None)
    result = run("demo", "--port", "8123", "--database-url", url)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    page = next(line for line in lines if line.startswith("Booking page:")).split()[-1]
    key = next(line for line in lines if line.startswith("API key")).split()[-1]
    slots = next(line for line in lines if "curl" in line).split("'")[-2]
    base = "http://127.0.0.1:8123"
    return page.removeprefix(base), slots.removeprefix(base), key


def test_demo_links_work_on_a_database_that_already_has_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'rota.db'}"
    # Someone's own organizations, one of them named "demo" without the demo's type.
    assert run("keys", "create", "--org", "acme", "--database-url", url).exit_code == 0
    assert run("keys", "create", "--org", "demo", "--database-url", url).exit_code == 0
    first = _demo_links(url, monkeypatch)
    again = _demo_links(url, monkeypatch)
    assert first[0] == again[0] == "/book/demo-2/discovery-call"  # the team is imported once
    with TestClient(create_app(url)) as client:
        for page, slots, key in (first, again):
            assert client.get(page).status_code == 200
            answer = client.get(slots, headers={"Authorization": f"Bearer {key}"})
            assert answer.status_code == 200 and answer.json()["slots"]
