"""The database and server commands of the CLI: db upgrade, keys create, import, demo."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from rota import teamfile
from rota.cli import app
from rota.serving import free_port

ROOT = Path(__file__).resolve().parents[1]
TEAM = ROOT / "examples" / "sales-team.json"


def test_keys_create_prints_a_working_key_last(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'rota.db'}"
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade", "--database-url", url]).exit_code == 0
    result = runner.invoke(app, ["keys", "create", "--org", "acme", "--database-url", url])
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    imported = runner.invoke(app, ["import", str(TEAM), "--org", "acme", "--database-url", url])
    assert imported.exit_code == 0, imported.output
    assert "discovery-call" in imported.output

    from fastapi.testclient import TestClient

    from rota.api import create_app

    with TestClient(create_app(url)) as client:
        response = client.get("/v1/booking-types", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    slugs = {t["slug"] for t in response.json()["booking_types"]}
    assert slugs == {t.slug for t in teamfile.load(TEAM).booking_types}


def test_import_reports_an_invalid_team_file(tmp_path: Path) -> None:
    broken = tmp_path / "team.json"
    broken.write_text('{"hosts": [{"id": "a", "name": "A", "email": "a@x.io", "timezone": "X"}]}')
    url = f"sqlite:///{tmp_path / 'rota.db'}"
    result = CliRunner().invoke(app, ["import", str(broken), "--org", "o", "--database-url", url])
    assert result.exit_code == 1
    assert "timezone" in result.output


def test_demo_serves_the_demo_team_with_a_key_and_a_curl_line(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "ROTA_DATABASE_URL": f"sqlite:///{tmp_path / 'rota.db'}"}
    command = [str(Path(sys.executable).parent / "rota"), "demo", "--port", str(port)]
    process = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        lines: list[str] = []
        while not any("curl" in line for line in lines):
            line = process.stdout.readline()
            assert line, f"demo exited early: {lines}"
            lines.append(line)
        key = next(line.split()[-1] for line in lines if line.startswith("API key"))
        curl = next(line for line in lines if "curl" in line)
        url = curl.split("'")[-2]
        assert url.startswith(f"http://127.0.0.1:{port}/v1/booking-types/discovery-call/slots?")
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(url, headers={"Authorization": f"Bearer {key}"})
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the demo server did not start"
                time.sleep(0.2)
        assert response.status_code == 200, response.text
        assert response.json()["slots"]
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_keys_revoke_refuses_the_key_from_then_on(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'rota.db'}"
    runner = CliRunner()
    keep = runner.invoke(app, ["keys", "create", "--org", "acme", "--database-url", url])
    lose = runner.invoke(app, ["keys", "create", "--org", "acme", "--database-url", url])
    keep_key, lose_key = (r.output.strip().splitlines()[-1] for r in (keep, lose))
    listed = runner.invoke(app, ["keys", "list", "--org", "acme", "--database-url", url])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.strip().splitlines()
    assert len(lines) == 2 and all("active" in line for line in lines)
    assert lose_key not in listed.output  # only the first characters are shown
    lose_id = next(line.split()[0] for line in lines if lose_key[:11] in line)

    revoked = runner.invoke(
        app, ["keys", "revoke", lose_id, "--org", "acme", "--database-url", url]
    )
    assert revoked.exit_code == 0, revoked.output
    after = runner.invoke(app, ["keys", "list", "--org", "acme", "--database-url", url]).output
    assert sum("revoked" in line for line in after.splitlines()) == 1

    from fastapi.testclient import TestClient

    from rota.api import create_app

    with TestClient(create_app(url)) as client:
        for key, status in ((lose_key, 401), (keep_key, 200)):
            answer = client.get("/v1/hosts", headers={"Authorization": f"Bearer {key}"})
            assert answer.status_code == status

    unknown = runner.invoke(
        app, ["keys", "revoke", "key_nope", "--org", "acme", "--database-url", url]
    )
    assert unknown.exit_code == 1
    assert "no key" in unknown.output
