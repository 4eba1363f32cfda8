"""Importing a team file: hosts with their time off, booking types over them."""

from __future__ import annotations

from rota import teamfile
from rota.service import booking_types, hosts, orgs, team_import
from rota.store.db import Database
from rota.store.tables import BusyBlock, TimeOff

TEAM = """{
  "hosts": [
    {"id": "a", "name": "Ada", "email": "ada@x.io", "timezone": "Europe/London",
     "time_off": [{"start": "2026-12-24T00:00:00Z", "end": "2026-12-27T00:00:00Z"}],
     "busy": [{"start": "2026-12-01T10:00:00+01:00", "end": "2026-12-01T11:00:00+01:00"}]},
    {"id": "b", "name": "Bob", "email": "bob@x.io", "timezone": "UTC"}
  ],
  "booking_types": [
    {"slug": "rr", "title": "RR", "duration_minutes": 30, "host_mode": "round_robin",
     "hosts": [{"host_id": "a", "weight": 200}, {"host_id": "b", "fixed": true}],
     "description": "Say hello.", "location": {"kind": "phone", "value": "+1 555 0100"}}
  ]
}"""


def test_a_team_file_is_imported_with_its_references_resolved(db: Database) -> None:
    team = teamfile.parse(TEAM)
    org_id = orgs.ensure_org(db, "acme")
    imported = team_import.import_team(
        db,
        org_id,
        [h.model_dump(mode="json") for h in team.hosts],
        [b.model_dump(mode="json") for b in team.booking_types],
    )
    assert imported.booking_types == ["rr"]
    ada = imported.host_ids["a"]
    [off] = hosts.list_spans(db, org_id, ada, TimeOff)
    [busy] = hosts.list_spans(db, org_id, ada, BusyBlock)
    assert off.start_at.isoformat() == "2026-12-24T00:00:00+00:00"
    assert busy.start_at.isoformat() == "2026-12-01T09:00:00+00:00"
    row = booking_types.get_booking_type(db, org_id, "rr")
    assert (row.description, row.location_kind, row.location_value) == (
        "Say hello.",
        "phone",
        "+1 555 0100",
    )
    pool = row.pool
    assert [(m.host_id, m.weight, m.fixed) for m in pool] == [
        (ada, 200, False),
        (imported.host_ids["b"], 100, True),
    ]
