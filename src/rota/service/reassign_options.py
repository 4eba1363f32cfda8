"""Who could take a booking over: the choices a person sees before reassigning.

Read only. Each pool host is tried with the engine's own reassign rule (the
one `rota.service.reassign` applies when the choice is made), so "free" here
means exactly "a manual reassign to this host would be accepted now", and the
automatic choice named is the one an automatic reassign would make now.
"""

from __future__ import annotations

from dataclasses import dataclass

from rota import engine
from rota.service import clock, lookup
from rota.store.db import Database
from rota.store.snapshot import load_snapshot


@dataclass(frozen=True, slots=True)
class Candidate:
    host_id: str
    free: bool
    """Whether a manual reassign to this host would be accepted now."""
    on_booking: bool
    """Already one of the booking's hosts."""


@dataclass(frozen=True, slots=True)
class Options:
    team: bool
    """False for a solo booking type or an internal meeting (nobody to move it to), or a
    cancelled booking."""
    candidates: list[Candidate]
    next_fair_host_id: str | None
    """Whom an automatic reassign would choose now (None: nobody is free)."""
    leaving_host_id: str | None
    """The host who would hand the booking over (None when there are no choices)."""


def reassign_options(
    db: Database, org_id: str, booking_id: str, *, from_host_id: str | None = None
) -> Options:
    """The pool of the booking's type, each host free or not at the booking's time.
    `from_host_id` names the host who would leave (needed when several hold it)."""
    with db.read() as session:
        booking = lookup.booking(session, org_id, booking_id)
        row = booking.booking_type
        if row is None or row.host_mode == engine.HostMode.SOLO or booking.status != "confirmed":
            return Options(team=False, candidates=[], next_fair_host_id=None, leaving_host_id=None)
        start, end = clock.epoch(booking.start_at), clock.epoch(booking.end_at)
        snapshot = load_snapshot(
            session,
            row,
            start,
            start + 1,
            now=clock.epoch(clock.now()),
            exclude_booking_id=booking.id,
        )
        holders = tuple(booking.host_ids)
        meeting = engine.Meeting(start, end, holders, booking.rotating_host_id)
        leaving = (
            from_host_id if from_host_id in holders else booking.rotating_host_id or holders[0]
        )

    def choose(to_host_id: str | None) -> str | None:
        try:
            choice = engine.reassign(
                snapshot.booking_type,
                snapshot.schedules,
                snapshot.ledger,
                meeting,
                from_host_id=leaving,
                to_host_id=to_host_id,
            )
        except (engine.HostUnavailable, engine.NoHostAvailable):
            return None
        return choice.to_host_ids[0]

    candidates = [
        Candidate(
            host_id=member.host_id,
            free=member.host_id not in holders and choose(member.host_id) is not None,
            on_booking=member.host_id in holders,
        )
        for member in snapshot.booking_type.hosts
    ]
    return Options(
        team=True,
        candidates=candidates,
        next_fair_host_id=choose(None),
        leaving_host_id=leaving,
    )
