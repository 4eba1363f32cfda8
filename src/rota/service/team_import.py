"""Loading a team file (API.md, Team files) into an organization, all or nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rota.service import clock
from rota.service.booking_types import add_booking_type
from rota.service.hosts import working_hours_or_default
from rota.service.ids import new_id
from rota.store.db import Database
from rota.store.tables import BusyBlock, Host, TimeOff


@dataclass(frozen=True, slots=True)
class Imported:
    host_ids: dict[str, str]
    """The file's host ids mapped to the ids the server gave them."""
    booking_types: list[str]
    """Slugs of the booking types created."""


def import_team(
    db: Database,
    org_id: str,
    hosts: Sequence[Mapping[str, Any]],
    booking_types: Sequence[Mapping[str, Any]],
) -> Imported:
    """Create the file's hosts (with their time off and busy blocks) and booking types.

    `hosts` are in JSON form (instants as RFC 3339 strings) and carry the file's own
    ``id``, which the booking types' pools refer to.
    """
    moment = clock.now()
    ids: dict[str, str] = {}
    with db.write() as session:
        for item in hosts:
            host = Host(
                id=new_id("host"),
                org_id=org_id,
                name=item["name"],
                email=item["email"],
                timezone=item["timezone"],
                working_hours=working_hours_or_default(item.get("working_hours")),
                date_overrides=list(item.get("date_overrides") or []),
                created_at=moment,
            )
            ids[item["id"]] = host.id
            session.add(host)
            session.flush()  # the unit of work orders inserts by relationship, not by key
            for span in item.get("time_off") or []:
                session.add(
                    TimeOff(
                        id=new_id("off"),
                        host_id=host.id,
                        start_at=datetime.fromisoformat(span["start"]),
                        end_at=datetime.fromisoformat(span["end"]),
                        reason=span.get("reason"),
                        created_at=moment,
                    )
                )
            for span in item.get("busy") or []:
                session.add(
                    BusyBlock(
                        id=new_id("busy"),
                        host_id=host.id,
                        start_at=datetime.fromisoformat(span["start"]),
                        end_at=datetime.fromisoformat(span["end"]),
                        title=span.get("title"),
                        source="api",
                        created_at=moment,
                    )
                )
        session.flush()
        slugs = []
        for fields in booking_types:
            pool = [{**m, "host_id": ids.get(m["host_id"], m["host_id"])} for m in fields["hosts"]]
            slugs.append(add_booking_type(session, org_id, {**fields, "hosts": pool}).slug)
    return Imported(ids, slugs)
