"""What the assistant understood: a plan of changes, a question, or neither.

A reader (`Planner`) turns what someone typed into one of these plain objects,
given what it may know of the team (`Team`). The rule-based reader of
`rota.assistant.rules` is the one shipped; a language model could be plugged in
later as another `Planner` producing the very same objects, so that previewing,
storing and running a plan stay one piece of code whoever read the text.

Every change is an action of API.md's kinds, holding ids (never names) and UTC
instants, so a stored plan runs exactly as it was previewed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, ClassVar, Protocol
from zoneinfo import ZoneInfo

# The team, as far as a reader needs to know it ---------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    """A host of the team."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Appointment:
    """An upcoming confirmed booking: whose it is (the attendee) and who holds it."""

    id: str
    attendee_name: str
    start: datetime
    end: datetime
    host_ids: tuple[str, ...]
    booking_type: str | None
    """The type's title; None for an internal meeting."""


@dataclass(frozen=True, slots=True)
class Kind:
    """A booking type."""

    slug: str
    title: str


@dataclass(frozen=True, slots=True)
class Team:
    hosts: Sequence[Person]
    bookings: Sequence[Appointment]
    booking_types: Sequence[Kind]

    def host(self, host_id: str) -> Person:
        return next(h for h in self.hosts if h.id == host_id)


@dataclass(frozen=True, slots=True)
class Request:
    text: str
    timezone: ZoneInfo
    """The asker's zone: dates and times are read in it."""
    now: datetime


# Changes: API.md's action kinds ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReassignBooking:
    booking_id: str
    host_id: str | None
    """None: the next fair host."""
    kind: ClassVar[str] = "reassign_booking"


@dataclass(frozen=True, slots=True)
class ReassignHostBookings:
    host_id: str
    start: datetime
    end: datetime
    time_off: bool
    kind: ClassVar[str] = "reassign_host_bookings"


@dataclass(frozen=True, slots=True)
class AddTimeOff:
    host_id: str
    start: datetime
    end: datetime
    kind: ClassVar[str] = "add_time_off"


@dataclass(frozen=True, slots=True)
class CancelBooking:
    booking_id: str
    kind: ClassVar[str] = "cancel_booking"


@dataclass(frozen=True, slots=True)
class RescheduleBooking:
    booking_id: str
    start: datetime
    kind: ClassVar[str] = "reschedule_booking"


@dataclass(frozen=True, slots=True)
class CreateMeeting:
    """An internal meeting, as ``POST /v1/meetings`` takes it."""

    title: str
    host_ids: tuple[str, ...]
    start: datetime
    end: datetime
    attendees: tuple[dict[str, str], ...] = ()
    """Guests besides the hosts: ``{"name", "email"}``."""
    description: str | None = None
    kind: ClassVar[str] = "create_meeting"


Action = (
    ReassignBooking
    | ReassignHostBookings
    | AddTimeOff
    | CancelBooking
    | RescheduleBooking
    | CreateMeeting
)
ACTIONS: dict[str, type[Action]] = {
    cls.kind: cls
    for cls in (
        ReassignBooking,
        ReassignHostBookings,
        AddTimeOff,
        CancelBooking,
        RescheduleBooking,
        CreateMeeting,
    )
}


def action_json(action: Action) -> dict[str, Any]:
    """The action as API.md shows it: ``kind`` first, instants in ISO 8601 UTC."""
    said: dict[str, Any] = {"kind": action.kind}
    for item in fields(action):
        value = getattr(action, item.name)
        if isinstance(value, datetime):
            value = value.isoformat().replace("+00:00", "Z")
        said[item.name] = list(value) if isinstance(value, tuple) else value
    return said


def action_of(said: dict[str, Any]) -> Action:
    """The action `action_json` wrote."""
    cls = ACTIONS[said["kind"]]
    values: dict[str, Any] = {
        name: datetime.fromisoformat(value)
        if name in ("start", "end")
        else tuple(value)
        if isinstance(value, list)
        else value
        for name, value in said.items()
        if name != "kind"
    }
    return cls(**values)


# Questions: answered at once, nothing changes ----------------------------------------


@dataclass(frozen=True, slots=True)
class WhoIsFree:
    start: datetime
    end: datetime
    duration_minutes: int


@dataclass(frozen=True, slots=True)
class FindATime:
    host_ids: tuple[str, ...]
    start: datetime
    end: datetime
    duration_minutes: int


@dataclass(frozen=True, slots=True)
class HowIsTheDistribution:
    booking_type: str
    """The type's slug."""


@dataclass(frozen=True, slots=True)
class Agenda:
    host_id: str
    start: datetime
    end: datetime


Question = WhoIsFree | FindATime | HowIsTheDistribution | Agenda


# What a reader gives ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    summary: str
    actions: tuple[Action, ...]


@dataclass(frozen=True, slots=True)
class Ask:
    summary: str
    question: Question


@dataclass(frozen=True, slots=True)
class Unclear:
    """Not understood, or a name that fits two people: says what was got and how to
    put it instead."""

    message: str
    suggestions: tuple[str, ...] = field(default=())


Reading = Change | Ask | Unclear


class Planner(Protocol):
    """Reads a request into a plan, a question or a refusal. Deterministic rules today
    (`rota.assistant.rules.RulePlanner`); a language model could be another."""

    def read(self, request: Request, team: Team) -> Reading: ...
