"""Find a Time: when the people named are all free for an internal meeting."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import select

from rota import engine
from rota.service import clock
from rota.service.errors import Invalid
from rota.service.slots import check_range
from rota.store.db import Database
from rota.store.snapshot import load_schedules
from rota.store.tables import Host

NO_BOOKING_TYPE = ""
"""The snapshot is read for named hosts only, not for a booking type's pool."""


def find_a_time(
    db: Database,
    org_id: str,
    *,
    host_ids: Sequence[str],
    optional_host_ids: Sequence[str],
    duration_minutes: int,
    start: datetime,
    end: datetime,
    interval_minutes: int,
) -> list[engine.FreeTime]:
    """The times in ``[start, end]`` (at most 62 days) when every one of `host_ids` is
    free for the whole meeting, with the optional hosts free then too."""
    check_range(start, end)
    _check_people(host_ids, optional_host_ids)
    lo, hi = clock.epoch(start), clock.epoch(end)
    schedules = _schedules(
        db, org_id, {"host_ids": host_ids, "optional_host_ids": optional_host_ids}, lo, hi
    )
    return engine.find_a_time(
        [schedules[h] for h in host_ids],
        [schedules[h] for h in optional_host_ids],
        duration=duration_minutes * engine.MINUTE,
        start=lo,
        end=hi,
        interval=interval_minutes * engine.MINUTE,
    )


def free_grid(
    db: Database,
    org_id: str,
    *,
    host_ids: Sequence[str],
    duration_minutes: int,
    start: datetime,
    end: datetime,
    interval_minutes: int,
) -> engine.Grid:
    """Whether each of `host_ids` (rows, in order) is free for the whole meeting at each
    start of the grid in ``[start, end]`` (at most 62 days): the Hub's week of who is free."""
    check_range(start, end)
    _check_people(host_ids, ())
    lo, hi = clock.epoch(start), clock.epoch(end)
    schedules = _schedules(db, org_id, {"host_ids": host_ids}, lo, hi)
    return engine.free_grid(
        [schedules[h] for h in host_ids],
        duration=duration_minutes * engine.MINUTE,
        start=lo,
        end=hi,
        interval=interval_minutes * engine.MINUTE,
    )


def _schedules(
    db: Database, org_id: str, named: Mapping[str, Sequence[str]], lo: int, hi: int
) -> dict[str, engine.HostSchedule]:
    """The schedules of the hosts named (by field), with their busy time around
    ``[lo, hi]``; `Invalid` naming each id that is not a host of the organization."""
    everyone = [h for ids in named.values() for h in ids]
    with db.read() as session:
        known = set(
            session.scalars(
                select(Host.id).where(
                    Host.id.in_(everyone), Host.org_id == org_id, Host.deleted_at.is_(None)
                )
            )
        )
        unknown = {
            f"{field}.{i}": "no such host"
            for field, ids in named.items()
            for i, host_id in enumerate(ids)
            if host_id not in known
        }
        if unknown:
            raise Invalid("Some of the people named are not hosts here.", details=unknown)
        return load_schedules(
            session, NO_BOOKING_TYPE, lo - engine.DAY, hi + engine.DAY, extra_host_ids=everyone
        )


def _check_people(host_ids: Sequence[str], optional_host_ids: Sequence[str]) -> None:
    if not host_ids:
        raise Invalid(
            "Name at least one person who must attend.",
            details={"host_ids": "must name at least one host"},
        )
    named = [*host_ids, *optional_host_ids]
    if len(set(named)) != len(named):
        raise Invalid(
            "A person is named twice.", details={"host_ids": "a host is named more than once"}
        )
