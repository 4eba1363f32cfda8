"""The JSON shapes of API.md that the team file models (`rota.teamfile`) do not
already give: responses, bookings, reassignments, and partial updates."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal, Self, cast

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, model_validator

from rota import engine, links, teamfile
from rota.actor import ActorKind
from rota.store import tables

EARLIEST = datetime(1970, 1, 2, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def _bounded(moment: datetime) -> datetime:
    # Far beyond any calendar, and keeps every stored instant convertible both ways.
    if not EARLIEST <= moment < LATEST:
        raise ValueError("an instant must lie between the years 1970 and 9000")
    return moment


Instant = Annotated[teamfile.Instant, AfterValidator(_bounded)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorDetail(BaseModel):
    code: str = Field(examples=["not_found"])
    message: str
    details: Any | None = None


class ErrorBody(BaseModel):
    """Every error, whatever the status."""

    error: ErrorDetail


# Hosts ---------------------------------------------------------------------


class HostOut(BaseModel):
    id: str
    name: str
    email: str
    timezone: str
    working_hours: list[teamfile.WorkingHoursIn]
    date_overrides: list[teamfile.DateOverrideIn]

    @classmethod
    def of(cls, row: tables.Host) -> Self:
        return cls.model_validate(row, from_attributes=True)


class HostList(BaseModel):
    hosts: list[HostOut]


class HostPatch(_Input):
    """Only the fields named change; ``working_hours: null`` restores the default."""

    name: teamfile.OneLine | None = Field(default=None, min_length=1, max_length=200)
    email: teamfile.Email | None = None
    timezone: teamfile.Timezone | None = None
    working_hours: list[teamfile.WorkingHoursIn] | None = None
    date_overrides: list[teamfile.DateOverrideIn] | None = None

    @model_validator(mode="after")
    def _required_not_null(self) -> Self:
        for name in ("name", "email", "timezone", "date_overrides"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
        return self


class TimeOffBody(teamfile.TimeOffIn):
    start: Instant
    end: Instant


class BusyBody(teamfile.BusyIn):
    start: Instant
    end: Instant


class TimeOffOut(BaseModel):
    id: str
    start: datetime
    end: datetime
    reason: str | None

    @classmethod
    def of(cls, row: tables.TimeOff) -> Self:
        return cls(id=row.id, start=row.start_at, end=row.end_at, reason=row.reason)


class TimeOffCreated(TimeOffOut):
    conflicts: list[str] = Field(
        description="The host's confirmed bookings the time off overlaps (ids, in start "
        "order): they stay with the host until moved (reassign-bookings)."
    )


class TimeOffList(BaseModel):
    time_off: list[TimeOffOut]


class BusyOut(BaseModel):
    id: str
    start: datetime
    end: datetime
    title: str | None
    source: str = Field(description="`api`, or `calendar` when calendar sync wrote it")

    @classmethod
    def of(cls, row: tables.BusyBlock) -> Self:
        return cls(
            id=row.id, start=row.start_at, end=row.end_at, title=row.title, source=row.source
        )


class BusyList(BaseModel):
    busy: list[BusyOut]


# Booking types --------------------------------------------------------------


LocationKind = Literal["in_person", "phone", "video", "custom"]


class LocationOut(BaseModel):
    kind: LocationKind
    value: str


def _location(row: tables.BookingType | tables.Booking) -> LocationOut | None:
    """A booking type's location, or an internal meeting's own."""
    if row.location_kind is None or row.location_value is None:
        return None
    kind = cast(LocationKind, row.location_kind)
    return LocationOut.model_construct(kind=kind, value=row.location_value)


class BookingTypeOut(BaseModel):
    slug: str
    title: str
    duration_minutes: int
    host_mode: engine.HostMode
    hosts: list[teamfile.PoolMemberIn]
    slot_interval_minutes: int
    buffer_before_minutes: int
    buffer_after_minutes: int
    minimum_notice_minutes: int
    booking_window_days: int
    rotation: engine.Rotation
    fairness_window_days: int
    max_bookings_per_host_per_day: int | None
    catch_up_limit: int
    description: str | None = None
    location: LocationOut | None = None
    on_host_decline: Literal["reassign", "keep"] = "reassign"

    @classmethod
    def of(cls, row: tables.BookingType) -> Self:
        return cls(
            slug=row.slug,
            title=row.title,
            duration_minutes=row.duration_minutes,
            host_mode=engine.HostMode(row.host_mode),
            hosts=[
                teamfile.PoolMemberIn(
                    host_id=m.host_id, weight=m.weight, priority=m.priority, fixed=m.fixed
                )
                for m in row.pool
            ],
            slot_interval_minutes=row.slot_interval_minutes or row.duration_minutes,
            buffer_before_minutes=row.buffer_before_minutes,
            buffer_after_minutes=row.buffer_after_minutes,
            minimum_notice_minutes=row.minimum_notice_minutes,
            booking_window_days=row.booking_window_days,
            rotation=engine.Rotation(row.rotation),
            fairness_window_days=row.fairness_window_days,
            max_bookings_per_host_per_day=row.max_bookings_per_host_per_day,
            catch_up_limit=row.catch_up_limit,
            description=row.description,
            location=_location(row),
            on_host_decline=cast(Literal["reassign", "keep"], row.on_host_decline),
        )


class BookingTypeList(BaseModel):
    booking_types: list[BookingTypeOut]


class BookingTypePatch(_Input):
    """Only the fields named change; a ``hosts`` list replaces the whole pool. The
    result must still be a valid booking type (checked as a whole)."""

    slug: str | None = Field(default=None, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=100)
    title: teamfile.OneLine | None = Field(default=None, min_length=1, max_length=200)
    duration_minutes: int | None = None
    host_mode: engine.HostMode | None = None
    hosts: list[teamfile.PoolMemberIn] | None = None
    slot_interval_minutes: int | None = None
    buffer_before_minutes: int | None = None
    buffer_after_minutes: int | None = None
    minimum_notice_minutes: int | None = None
    booking_window_days: int | None = None
    rotation: engine.Rotation | None = None
    fairness_window_days: int | None = None
    max_bookings_per_host_per_day: int | None = None
    catch_up_limit: int | None = None
    description: str | None = Field(default=None, max_length=5000)
    location: teamfile.LocationIn | None = None
    on_host_decline: Literal["reassign", "keep"] | None = None


class SlotOut(BaseModel):
    start: datetime
    end: datetime
    host_ids: list[str]


class SlotList(BaseModel):
    booking_type: str
    timezone: str
    slots: list[SlotOut]


class ShareOut(BaseModel):
    host_id: str
    weight: int
    priority: int
    bookings: int
    expected: float


class DistributionOut(BaseModel):
    window_days: int
    hosts: list[ShareOut]


# Bookings -------------------------------------------------------------------


class AttendeeIn(_Input):
    name: teamfile.OneLine = Field(min_length=1, max_length=200)
    email: teamfile.Email
    timezone: teamfile.Timezone | None = None


class AttendeeOut(BaseModel):
    """The attendee as stored (as given, whatever rules held then)."""

    name: str
    email: str
    timezone: str | None = None


class BookingIn(_Input):
    booking_type: str = Field(min_length=1, max_length=100)
    start: Instant
    attendee: AttendeeIn
    notes: str | None = Field(default=None, max_length=5000, description="The attendee's note.")


BookingStatus = Literal["confirmed", "cancelled"]
HistoryAction = Literal["created", "reassigned", "rescheduled", "cancelled"]
Response = Literal["needs_action", "accepted", "declined", "tentative"]


class ActorOut(BaseModel):
    """Who made the change."""

    kind: ActorKind
    id: str | None = Field(description="The user's or API key's id; null otherwise.")
    name: str


class HistoryOut(BaseModel):
    at: datetime
    action: HistoryAction
    host_ids: list[str]
    from_host_ids: list[str] | None = None
    by: str
    reason: str | None
    from_start: datetime | None = Field(default=None, description="Rescheduled: the old start.")
    start: datetime | None = Field(default=None, description="Rescheduled: the new start.")
    actor: ActorOut


class ParticipantOut(BaseModel):
    email: str
    name: str
    role: Literal["host", "attendee"]
    response: Response


def _participants(row: tables.Booking) -> list[ParticipantOut]:
    answers = row.responses or {}
    people: list[tuple[str, str, Literal["host", "attendee"]]] = [
        (held.host.name, held.host.email, "host") for held in row.hosts
    ]
    people += [(a.name, a.email, "attendee") for a in _attendees(row)]
    return [
        ParticipantOut.model_construct(
            email=email,
            name=name,
            role=role,
            response=cast(Response, answers.get(email.lower(), "needs_action")),
        )
        for name, email, role in people
    ]


def _attendees(row: tables.Booking) -> list[AttendeeOut]:
    if row.attendee_name is not None and row.attendee_email is not None:
        attendee = AttendeeOut.model_construct(
            name=row.attendee_name, email=row.attendee_email, timezone=row.attendee_timezone
        )
        return [attendee]
    return [
        AttendeeOut.model_construct(name=g["name"], email=g["email"], timezone=None)
        for g in row.guests or []
    ]


class BookingOut(BaseModel):
    id: str
    booking_type: str | None = Field(description="The type's slug; null for an internal meeting.")
    title: str = Field(description="The type's title, or an internal meeting's own.")
    status: BookingStatus
    start: datetime
    end: datetime
    host_ids: list[str]
    attendee: AttendeeOut | None = Field(
        description="Who booked; null for an internal meeting (see attendees)."
    )
    attendees: list[AttendeeOut] = Field(
        description="The attendee, or an internal meeting's guests besides its hosts."
    )
    description: str | None = Field(default=None, description="An internal meeting's own.")
    created_at: datetime
    cancelled_at: datetime | None = None
    history: list[HistoryOut]
    manage_url: str | None = Field(
        description="The attendee's manage page (reschedule, cancel); null for a meeting."
    )
    notes: str | None = None
    location: LocationOut | None = None
    participants: list[ParticipantOut]

    @classmethod
    def of(cls, row: tables.Booking) -> BookingOut:
        kind = row.booking_type
        attendees = _attendees(row)
        return cls.model_construct(
            id=row.id,
            booking_type=kind.slug if kind is not None else None,
            title=kind.title if kind is not None else row.title or "Meeting",
            status=cast(BookingStatus, row.status),
            start=row.start_at,
            end=row.end_at,
            host_ids=row.host_ids,
            attendee=attendees[0] if kind is not None else None,
            attendees=attendees,
            description=row.description,
            created_at=row.created_at,
            cancelled_at=row.cancelled_at,
            history=[
                HistoryOut.model_construct(
                    at=h.at,
                    action=cast(HistoryAction, h.action),
                    host_ids=h.host_ids,
                    from_host_ids=h.from_host_ids,
                    by=h.by,
                    reason=h.reason,
                    from_start=h.from_start_at,
                    start=h.start_at,
                    actor=ActorOut.model_construct(
                        kind=cast(ActorKind, h.actor_kind), id=h.actor_id, name=h.actor_name
                    ),
                )
                for h in row.history
            ],
            manage_url=links.manage_url(row.manage_token) if kind is not None else None,
            notes=row.notes,
            location=_location(kind if kind is not None else row),
            participants=_participants(row),
        )


class BookingList(BaseModel):
    bookings: list[BookingOut]
    next_cursor: str | None


class ReassignIn(_Input):
    host_id: str | None = None
    from_host_id: str | None = None
    reason: str | None = Field(default=None, max_length=2000)


class RescheduleIn(_Input):
    start: Instant
    reason: str | None = Field(default=None, max_length=2000)


class CancelIn(_Input):
    reason: str | None = Field(default=None, max_length=2000)


class HostReassignIn(_Input):
    start: Instant
    end: Instant
    reason: str | None = Field(default=None, max_length=2000)
    time_off: StrictBool = Field(
        default=False,
        description="Add time off over the range first, so nothing new lands on the host.",
    )
    dry_run: StrictBool = Field(
        default=False,
        description="Change nothing; answer with the plan of the moves. Only true or "
        "false: a flag that keeps data safe is not guessed from a string or a number.",
    )

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class ReassignFailure(BaseModel):
    booking_id: str
    error: ErrorDetail


class PlannedMove(BaseModel):
    booking_id: str
    to_host_ids: list[str] = Field(description="The hosts who would take the booking.")


class HostReassignOut(BaseModel):
    reassigned: list[BookingOut]
    failed: list[ReassignFailure]
    plan: list[PlannedMove] = Field(
        description="With dry_run: who would take each booking (nothing was changed); else empty."
    )


UserRole = Literal["admin", "member"]


class UserIn(_Input):
    email: teamfile.Email
    name: teamfile.OneLine = Field(min_length=1, max_length=200)
    role: UserRole
    host_id: str | None = Field(
        default=None, max_length=40, description="Required for a member: the host they are."
    )


class UserPatch(_Input):
    """Only the fields named change; ``host_id: null`` unties an admin from a host."""

    email: teamfile.Email | None = None
    name: teamfile.OneLine | None = Field(default=None, min_length=1, max_length=200)
    role: UserRole | None = None
    host_id: str | None = Field(default=None, max_length=40)

    @model_validator(mode="after")
    def _required_not_null(self) -> Self:
        for name in ("email", "name", "role"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
        return self


class UserOut(BaseModel):
    id: str
    email: str
    name: str
    role: UserRole
    host_id: str | None
    created_at: datetime

    @classmethod
    def of(cls, row: tables.User) -> UserOut:
        return cls(
            id=row.id,
            email=row.email,
            name=row.name,
            role="admin" if row.role == "admin" else "member",
            host_id=row.host_id,
            created_at=row.created_at,
        )


class UserList(BaseModel):
    users: list[UserOut]
