"""Importing a team file keeps every field it gives a host: its own working hours and
date overrides (Monday to Friday, 09:00-17:00 when it gives no hours), the reason of its
time off, and the title of its busy blocks, listed as made through the API (source
``api``). On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from rota import teamfile
from rota.service import hosts, orgs, team_import
from rota.store.db import Database
from rota.store.tables import BusyBlock, TimeOff
from tests.databases import database_url, db, postgres_url
from tests.teams import monday

__all__ = ["database_url", "db", "postgres_url"]

NINE_TO_FIVE = [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"}]
MORNINGS = [{"days": ["tue", "thu"], "start": "10:00", "end": "12:30"}]


def load(db: Database, *people: dict[str, Any]) -> dict[str, str]:
    """Import a team file of these hosts, as ``rota import`` does; their server ids."""
    team = teamfile.parse(json.dumps({"hosts": list(people)}))
    org_id = orgs.ensure_org(db, "acme")
    imported = team_import.import_team(
        db, org_id, [h.model_dump(mode="json") for h in team.hosts], []
    )
    return imported.host_ids


def person(file_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": file_id, "name": file_id, "email": f"{file_id}@x.io", "timezone": "UTC", **fields}


def test_a_hosts_own_hours_and_date_overrides_are_kept(db: Database) -> None:
    day_off = (monday() + timedelta(days=1)).date().isoformat()
    short_day = (monday() + timedelta(days=3)).date().isoformat()
    overrides = [
        {"date": day_off, "intervals": []},
        {"date": short_day, "intervals": [{"start": "09:00", "end": "11:00"}]},
    ]
    ids = load(
        db,
        person("a", working_hours=MORNINGS, date_overrides=overrides),
        person("b"),
    )
    org_id = orgs.ensure_org(db, "acme")
    ada = hosts.get_host(db, org_id, ids["a"])
    assert (ada.working_hours, ada.date_overrides) == (MORNINGS, overrides)
    bob = hosts.get_host(db, org_id, ids["b"])
    assert (bob.working_hours, bob.date_overrides) == (NINE_TO_FIVE, [])


def test_a_host_with_no_working_hours_is_imported_as_never_free(db: Database) -> None:
    """As the API stores it and the simulator reads it: an empty list is no hours."""
    ids = load(db, person("a", working_hours=[]))
    assert hosts.get_host(db, orgs.ensure_org(db, "acme"), ids["a"]).working_hours == []


def test_time_off_keeps_its_reason_and_busy_blocks_their_title(db: Database) -> None:
    week = monday()

    def span(hours: int, **label: str) -> dict[str, str]:
        start = week + timedelta(hours=hours)
        return {
            "start": start.isoformat(),
            "end": (start + timedelta(hours=1)).isoformat(),
            **label,
        }

    ids = load(
        db,
        person(
            "a",
            time_off=[span(9, reason="Dentist"), span(11)],
            busy=[span(13, title="Board meeting"), span(15)],
        ),
    )
    org_id = orgs.ensure_org(db, "acme")
    off = hosts.list_spans(db, org_id, ids["a"], TimeOff)
    busy = hosts.list_spans(db, org_id, ids["a"], BusyBlock)
    assert [(o.start_at, o.reason) for o in off] == [
        (week + timedelta(hours=9), "Dentist"),
        (week + timedelta(hours=11), None),
    ]
    assert [(b.start_at, b.title, b.source) for b in busy] == [
        (week + timedelta(hours=13), "Board meeting", "api"),
        (week + timedelta(hours=15), None, "api"),
    ]
