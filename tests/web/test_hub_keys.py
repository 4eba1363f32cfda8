"""The Hub's API keys (API.md, People): an admin revokes their organization's keys, and
another organization's key is not found for them and keeps working."""

from __future__ import annotations

from fastapi.testclient import TestClient

from rota.service import orgs
from tests.teams import Team, make_team
from tests.web.pages import sign_in


def test_an_admin_cannot_revoke_another_organizations_key(client: TestClient, team: Team) -> None:
    make_team(team.db, "globex")
    theirs = orgs.create_key(team.db, "globex")
    [their_key] = orgs.list_keys(team.db, "globex")
    csrf = sign_in(client, orgs.create_key(team.db, "acme"))
    refused = client.post(f"/hub/keys/{their_key.id}/revoke", data={"csrf_token": csrf})
    assert refused.status_code == 404
    assert orgs.authenticate(team.db, theirs) is not None
    assert [k.revoked_at for k in orgs.list_keys(team.db, "globex")] == [None]
    spare = orgs.create_key(team.db, "acme")
    [own] = [k for k in orgs.list_keys(team.db, "acme") if spare.startswith(k.prefix)]
    done = client.post(
        f"/hub/keys/{own.id}/revoke", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert done.status_code == 303
    assert orgs.authenticate(team.db, spare) is None
