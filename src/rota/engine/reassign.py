"""Who takes over an existing booking (API.md, Reassign).

Automatic: the next fair host of the pool, by the same rules as a new booking
(free at the booking's time: in its hours, outside time off and busy time,
under the daily cap; top priority among the free, positive weights, smallest
lag, least recently assigned, smallest id), other than the hosts already on it.
No new credits are earned: the ledger moves the booking's count to the new
host and leaves the credits where they were, so the host who lost the booking
is next in line and the one who took it waits.

Manual: the named host must be in the type's pool and free; the daily cap is
not applied, since a person chose them on purpose.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from rota.engine import board
from rota.engine.errors import (
    FromHostRequired,
    HostNotInPool,
    HostUnavailable,
    InvalidRequest,
    NoHostAvailable,
    NotATeamBooking,
)
from rota.engine.fairness import NOBODY, Pool
from rota.engine.model import (
    DAY,
    MINUTE,
    BookingType,
    HostMode,
    HostSchedule,
    Ledger,
    Meeting,
    PoolMember,
    Reassignment,
)


def _leaving(meeting: Meeting, from_host_id: str | None) -> str:
    if from_host_id is None:
        if len(meeting.host_ids) > 1:
            raise FromHostRequired(
                "This booking has several hosts: say which one leaves with from_host_id.",
                {"from_host_id": "required when the booking has several hosts"},
            )
        return meeting.host_ids[0]
    if from_host_id not in meeting.host_ids:
        raise InvalidRequest(
            "from_host_id is not a host of this booking.",
            {"from_host_id": "not a host of this booking"},
        )
    return from_host_id


def _duty(
    booking_type: BookingType,
    schedules: Mapping[str, HostSchedule],
    members: list[PoolMember],
    meeting: Meeting,
    *,
    cap: int | None,
) -> board.Duty:
    """Which of ``members`` are on duty and free for the meeting (``cap``: the daily cap)."""
    hosts = [schedules[m.host_id] for m in members]
    starts = np.array([meeting.start], dtype=np.int64)
    working = board.working(hosts, meeting.start - DAY, meeting.end + DAY)
    shape = board.Shape(
        duration=meeting.end - meeting.start,
        before=booking_type.buffer_before_minutes * MINUTE,
        after=booking_type.buffer_after_minutes * MINUTE,
    )
    return board.duty(hosts, working, starts, shape, cap)


def reassign(
    booking_type: BookingType,
    schedules: Mapping[str, HostSchedule],
    ledger: Ledger,
    meeting: Meeting,
    *,
    from_host_id: str | None,
    to_host_id: str | None,
) -> Reassignment:
    """Choose who replaces a host of ``meeting``. ``schedules`` must not count the
    meeting itself as busy for the candidates."""
    if booking_type.host_mode == HostMode.SOLO:
        raise NotATeamBooking("A solo booking type has one host: there is nobody to move it to.")
    leaving = _leaving(meeting, from_host_id)
    if to_host_id is not None:
        member = next((m for m in booking_type.hosts if m.host_id == to_host_id), None)
        if member is None:
            raise HostNotInPool("That host is not in this booking type's host pool.")
        if to_host_id in meeting.host_ids:
            raise HostUnavailable("That host is already on this booking.")
        if (
            to_host_id not in schedules
            or not _duty(booking_type, schedules, [member], meeting, cap=None).free[0, 0]
        ):
            raise HostUnavailable("That host is not free at the booking's time.")
        return _moved(meeting, leaving, to_host_id, "manual")
    candidates = [
        m
        for m in (
            booking_type.rotating
            if booking_type.host_mode == HostMode.ROUND_ROBIN
            else booking_type.hosts
        )
        if m.host_id not in meeting.host_ids and m.host_id in schedules
    ]
    if candidates:
        duty = _duty(
            booking_type,
            schedules,
            candidates,
            meeting,
            cap=booking_type.max_bookings_per_host_per_day,
        )
        pool = Pool(candidates, ledger)
        eligible, credits = pool.decide(duty.free, duty.on_duty)
        chosen = int(pool.choose(eligible, credits, new_credits=False)[0])
        if chosen != NOBODY:
            return _moved(meeting, leaving, candidates[chosen].host_id, "auto")
    raise NoHostAvailable("No other host of the pool is free at the booking's time.")


def _moved(meeting: Meeting, leaving: str, joining: str, by: str) -> Reassignment:
    host_ids = tuple(joining if h == leaving else h for h in meeting.host_ids)
    rotating = meeting.rotating_host_id
    if rotating == leaving:
        rotating = joining
    return Reassignment((leaving,), (joining,), host_ids, rotating, by)
