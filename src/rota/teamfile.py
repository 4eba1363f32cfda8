"""Team files: a whole team (hosts and booking types) in one JSON document.

A team file holds ``{"now"?: instant, "hosts": [...], "booking_types": [...]}``
in the shapes of API.md; each host carries an ``id`` of the file's own choosing
that the booking types' pools refer to, and may carry ``time_off`` and ``busy``
lists. ``rota simulate`` runs on it in memory and ``rota import`` loads it into
the database, so both read it through the models below.

The models are pydantic v2 and mirror API.md field for field, defaults
included, so the API can reuse them for request bodies: ``HostFields`` is the
body of ``POST /v1/hosts``, ``BookingTypeIn`` the body of
``POST /v1/booking-types``, ``TimeOffIn`` and ``BusyIn`` those of the time-off
and busy endpoints. A broken rule that API.md gives an error code of its own
raises a ``PydanticCustomError`` whose ``type`` is that code (for instance
``team_needs_more_hosts``), so an API layer can map it to its error body.
"""

from __future__ import annotations

import unicodedata
import zoneinfo
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, Self

from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from rota import engine

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""API.md's day names in the engine's order (0 = Monday)."""


def _offset_string(value: object) -> object:
    # pydantic would read a bare number as epoch seconds; API.md only allows RFC 3339
    # strings with an offset (AwareDatetime then refuses a string without one).
    if isinstance(value, int | float):
        raise ValueError("an instant must be an RFC 3339 string with an offset")
    return value


Instant = Annotated[AwareDatetime, BeforeValidator(_offset_string)]
"""An RFC 3339 instant that carries an offset (``2026-12-01T09:00:00Z``)."""

_BREAKS = frozenset({"Cc", "Zl", "Zp", "Cs"})
"""Control characters (newline, U+0085 NEL among them) and the line and paragraph
separators U+2028 and U+2029: an email header cannot carry them, and every email of a
booking would fail if a name held one."""


def _one_line(value: str) -> str:
    if any(unicodedata.category(char) in _BREAKS for char in value):
        raise ValueError("must be one line, without line breaks or control characters")
    value = value.strip()
    if not value:
        raise ValueError("must not be blank")
    return value


OneLine = Annotated[str, AfterValidator(_one_line)]
"""A name or title: one line that can go into an email header."""


def _mailable(value: str) -> str:
    """An address mail can be sent to: checked by email-validator (syntax only, no DNS),
    with an ASCII local part; an international domain is kept as punycode, which is how
    it goes out."""
    try:
        checked = validate_email(value, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as error:
        raise ValueError(f"is not an email address mail can be sent to: {error}") from None
    address = checked.ascii_email
    if address is None:  # only with allow_smtputf8, which is off
        raise ValueError("is not an email address mail can be sent to")
    return address


Email = Annotated[str, Field(max_length=320), AfterValidator(_mailable)]
"""An email address that mail can be sent to (API.md: deliverable syntax)."""


@lru_cache(maxsize=1)
def _iana_names() -> frozenset[str]:
    # available_timezones() also lists the system's own files, which are no IANA names.
    return frozenset(zoneinfo.available_timezones() - {"localtime", "posixrules"})


def _iana_timezone(value: str) -> str:
    if value not in _iana_names():
        raise ValueError(f"unknown timezone {value!r}: use an IANA name such as 'Europe/Berlin'")
    return value


Timezone = Annotated[str, AfterValidator(_iana_timezone)]
"""An IANA timezone name (``Europe/Berlin``)."""

WallTime = Annotated[str, Field(pattern=r"^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$")]
"""A wall-clock time ``HH:MM`` in the host's zone; ``24:00`` is midnight at the day's end."""


def minutes(wall: str) -> int:
    """Minutes after local midnight of a ``HH:MM`` wall time (``24:00`` is 1440)."""
    hours, mins = wall.split(":")
    return int(hours) * 60 + int(mins)


class _Input(BaseModel):
    # A misspelt field ("weigth") is a mistake to report, not something to ignore.
    model_config = ConfigDict(extra="forbid")


class IntervalIn(_Input):
    """Wall-clock hours within one day."""

    start: WallTime
    end: WallTime

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if minutes(self.end) <= minutes(self.start):
            raise ValueError(f"end {self.end} must be after start {self.start}")
        return self


class WorkingHoursIn(IntervalIn):
    """Hours on some weekdays: ``{"days": ["mon", ...], "start": "09:00", "end": "17:00"}``."""

    days: list[Weekday] = Field(min_length=1)


def _default_working_hours() -> list[WorkingHoursIn]:
    return [WorkingHoursIn(days=["mon", "tue", "wed", "thu", "fri"], start="09:00", end="17:00")]


class DateOverrideIn(_Input):
    """Replaces one local date's working hours; an empty ``intervals`` is a day off."""

    date: date
    intervals: list[IntervalIn] = Field(default_factory=list)


class _SpanIn(_Input):
    start: Instant
    end: Instant

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self

    @property
    def span(self) -> engine.Span:
        return int(self.start.timestamp()), int(self.end.timestamp())


class TimeOffIn(_SpanIn):
    """``{"start": instant, "end": instant, "reason": "…"}``."""

    reason: str | None = None


class BusyIn(_SpanIn):
    """``{"start": instant, "end": instant, "title": "…"}``."""

    title: str | None = None


class HostFields(_Input):
    """A host as ``POST /v1/hosts`` takes it."""

    name: OneLine = Field(min_length=1, max_length=200)
    email: Email
    timezone: Timezone
    working_hours: list[WorkingHoursIn] = Field(default_factory=_default_working_hours)
    date_overrides: list[DateOverrideIn] = Field(default_factory=list)


class HostIn(HostFields):
    """A host of a team file: the API's host plus the file's own ``id`` and its blocked time."""

    id: str = Field(min_length=1, max_length=100)
    time_off: list[TimeOffIn] = Field(default_factory=list)
    busy: list[BusyIn] = Field(default_factory=list)


class PoolMemberIn(_Input):
    """``{"host_id": "…", "weight": 100, "priority": 2, "fixed": false}``."""

    host_id: str = Field(min_length=1)
    weight: int = Field(default=100, ge=0)
    priority: int = Field(default=2, ge=0, le=4)
    fixed: bool = False


LocationKind = Literal["in_person", "phone", "video", "custom"]


class LocationIn(_Input):
    """Where the meeting happens: ``{"kind": "video", "value": "https://..."}``."""

    kind: LocationKind
    value: str = Field(min_length=1, max_length=2000)

    @model_validator(mode="after")
    def _video_is_a_link(self) -> Self:
        self.value = self.value.strip()
        if not self.value:
            raise ValueError("value must not be blank")
        if self.kind == "video" and not self.value.lower().startswith(("https://", "http://")):
            raise ValueError("a video location is a link starting with https://")
        return self


class BookingTypeIn(_Input):
    """A booking type as ``POST /v1/booking-types`` takes it (pool hosts by id)."""

    slug: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=100)
    title: OneLine = Field(min_length=1, max_length=200)
    duration_minutes: int = Field(gt=0, le=24 * 60)
    host_mode: engine.HostMode
    hosts: list[PoolMemberIn]
    slot_interval_minutes: int | None = Field(default=None, gt=0, le=24 * 60)
    """None until validated; then the duration when the input left it out."""
    buffer_before_minutes: int = Field(default=0, ge=0, le=24 * 60)
    buffer_after_minutes: int = Field(default=0, ge=0, le=24 * 60)
    minimum_notice_minutes: int = Field(default=0, ge=0)
    booking_window_days: int = Field(default=60, ge=1, le=3660)
    rotation: engine.Rotation = engine.Rotation.AVAILABILITY
    fairness_window_days: int = Field(default=30, ge=0)
    max_bookings_per_host_per_day: int | None = Field(default=None, ge=1)
    catch_up_limit: int = Field(default=3, ge=0, le=1000)
    description: str | None = Field(default=None, max_length=5000)
    location: LocationIn | None = None
    on_host_decline: Literal["reassign", "keep"] = "reassign"

    @field_validator("hosts")
    @classmethod
    def _pool(cls, hosts: list[PoolMemberIn], info: ValidationInfo) -> list[PoolMemberIn]:
        ids = [m.host_id for m in hosts]
        repeated = sorted({h for h in ids if ids.count(h) > 1})
        if repeated:
            raise ValueError(f"a host is in the pool more than once: {', '.join(repeated)}")
        mode = info.data.get("host_mode")
        if mode is None:
            return hosts  # host_mode itself is invalid and already reported
        if mode == engine.HostMode.SOLO and len(hosts) != 1:
            raise PydanticCustomError(
                "team_needs_more_hosts", "a solo booking type takes exactly one host"
            )
        if mode != engine.HostMode.SOLO and len(hosts) < 2:
            raise PydanticCustomError(
                "team_needs_more_hosts",
                "a {mode} booking type takes two or more hosts",
                {"mode": mode.value},
            )
        fixed = [m.host_id for m in hosts if m.fixed]
        if fixed and mode != engine.HostMode.ROUND_ROBIN:
            raise ValueError(f"only round_robin pools have fixed hosts ({', '.join(fixed)})")
        if len(fixed) == len(hosts):
            raise ValueError("a round_robin pool needs at least one host who is not fixed")
        return hosts

    @model_validator(mode="after")
    def _interval_defaults_to_duration(self) -> Self:
        if self.slot_interval_minutes is None:
            self.slot_interval_minutes = self.duration_minutes
        return self


class TeamFile(_Input):
    """A team file: hosts with ids of the file's choosing and booking types over them."""

    now: Instant | None = None
    """When the simulator starts booking; None: the current time."""
    hosts: list[HostIn]
    booking_types: list[BookingTypeIn] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self) -> Self:
        # Checked across lists, so the messages name the paths themselves.
        problems = []
        seen: set[str] = set()
        for i, host in enumerate(self.hosts):
            if host.id in seen:
                problems.append(f"hosts[{i}].id: {host.id!r} is used by another host")
            seen.add(host.id)
        slugs: set[str] = set()
        for i, booking_type in enumerate(self.booking_types):
            if booking_type.slug in slugs:
                problems.append(f"booking_types[{i}].slug: {booking_type.slug!r} is used twice")
            slugs.add(booking_type.slug)
            for j, member in enumerate(booking_type.hosts):
                if member.host_id not in seen:
                    problems.append(
                        f"booking_types[{i}].hosts[{j}].host_id: "
                        f"no host with id {member.host_id!r} in this file"
                    )
        if problems:
            raise PydanticCustomError("invalid_reference", "; ".join(problems))
        return self

    def booking_type(self, slug: str) -> BookingTypeIn:
        """The booking type of that slug; KeyError names the slugs the file has."""
        for booking_type in self.booking_types:
            if booking_type.slug == slug:
                return booking_type
        known = ", ".join(b.slug for b in self.booking_types) or "none"
        raise KeyError(f"no booking type {slug!r} in this file (it has: {known})")

    def start(self) -> int:
        """The file's ``now`` in epoch seconds, or the current time to the minute."""
        if self.now is not None:
            return int(self.now.timestamp())
        current = int(datetime.now().timestamp())
        return current - current % engine.MINUTE

    def schedules(self) -> dict[str, engine.HostSchedule]:
        """Every host's schedule for the engine, by the file's host ids."""
        return {host.id: to_schedule(host) for host in self.hosts}


def to_schedule(host: HostIn) -> engine.HostSchedule:
    """The engine's view of a host: hours, overrides, busy spans and time off."""
    return engine.HostSchedule(
        host_id=host.id,
        timezone=host.timezone,
        working_hours=tuple(
            engine.WeeklyHours(
                frozenset(WEEKDAYS.index(d) for d in h.days), minutes(h.start), minutes(h.end)
            )
            for h in host.working_hours
        ),
        date_overrides=tuple(
            engine.DateOverride(
                o.date, tuple((minutes(i.start), minutes(i.end)) for i in o.intervals)
            )
            for o in host.date_overrides
        ),
        busy=engine.as_spans([b.span for b in host.busy]),
        time_off=engine.as_spans([b.span for b in host.time_off]),
    )


def to_booking_type(booking_type: BookingTypeIn) -> engine.BookingType:
    return engine.BookingType(
        slug=booking_type.slug,
        duration_minutes=booking_type.duration_minutes,
        host_mode=booking_type.host_mode,
        hosts=tuple(
            engine.PoolMember(m.host_id, m.weight, m.priority, m.fixed) for m in booking_type.hosts
        ),
        slot_interval_minutes=booking_type.slot_interval_minutes,
        buffer_before_minutes=booking_type.buffer_before_minutes,
        buffer_after_minutes=booking_type.buffer_after_minutes,
        minimum_notice_minutes=booking_type.minimum_notice_minutes,
        booking_window_days=booking_type.booking_window_days,
        rotation=booking_type.rotation,
        fairness_window_days=booking_type.fairness_window_days,
        max_bookings_per_host_per_day=booking_type.max_bookings_per_host_per_day,
        catch_up_limit=booking_type.catch_up_limit,
    )


class TeamFileError(Exception):
    """A team file that cannot be read or is not valid; ``str()`` is the whole report."""

    def __init__(self, path: Path | str, problems: list[str], headline: str) -> None:
        self.path = str(path)
        self.problems = problems
        lines = "".join(f"\n  {p}" for p in problems)
        super().__init__(f"{self.path}: {headline}{lines}")


def field_path(loc: tuple[int | str, ...]) -> str:
    """``("hosts", 2, "timezone")`` as ``hosts[2].timezone``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else str(part)
    return out


def describe(error: ValidationError) -> list[str]:
    """One line per problem: the path of the bad field, then what is wrong with it."""
    lines = []
    for problem in error.errors(include_url=False):
        message = str(problem["msg"]).removeprefix("Value error, ")
        path = field_path(problem["loc"])
        if not path and problem["type"] not in ("invalid_reference", "json_invalid"):
            path = "top level"
        lines.append(f"{path}: {message}" if path else message)
    return lines


def parse(text: str | bytes, path: Path | str = "<team file>") -> TeamFile:
    """The team file of that JSON text; TeamFileError names the path of every bad field."""
    try:
        return TeamFile.model_validate_json(text)
    except ValidationError as error:
        raise TeamFileError(path, describe(error), "not a valid team file:") from None


def load(path: Path | str) -> TeamFile:
    """Read and validate the team file at ``path``."""
    try:
        text = Path(path).read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        raise TeamFileError(path, [], f"cannot read the file: {reason}") from None
    return parse(text, path)
