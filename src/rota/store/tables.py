"""The database tables, as SQLAlchemy 2 typed mappings.

Every instant is stored as a BIGINT of microseconds since the Unix epoch, UTC
(`Instant`). Integers behave the same on SQLite and PostgreSQL, sort and
compare without timezone surprises, and feed the engine (which counts in epoch
seconds) without parsing; PostgreSQL's exclusion constraint works on
`int8range` of them. On the Python side the ORM hands out aware UTC datetimes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from rota import actor as actors
from rota.actor import Actor, ActorKind

US = 1_000_000


def to_us(moment: datetime) -> int:
    """An aware datetime as integer microseconds since the epoch."""
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * US + delta.microseconds


def from_us(value: int) -> datetime:
    return datetime.fromtimestamp(value // US, UTC).replace(microsecond=value % US)


class Instant(TypeDecorator[datetime]):
    """An aware datetime stored as microseconds since the epoch (see module doc)."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; attach a timezone")
        return to_us(value)

    def process_result_value(self, value: int | None, dialect: Dialect) -> datetime | None:
        return None if value is None else from_us(int(value))


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: Instant,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


def _org_fk() -> Mapped[str]:
    return mapped_column(String(40), ForeignKey("organizations.id"), index=True)


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    brand_colour: Mapped[str | None] = mapped_column(String(7))
    """``#rrggbb``: the accent of the organization's booking pages (none: rota's own)."""
    created_at: Mapped[datetime]


class ApiKey(Base):
    """Only a SHA-256 of the key is kept; the key itself is shown once, at creation."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    org_id: Mapped[str] = _org_fk()
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class HubSession(Base):
    """A Booking Hub sign-in. The cookie carries the random session id; only its SHA-256
    is kept, so a copy of the database opens no session. A session counts while it is
    neither revoked (signed out) nor expired and its API key is not revoked."""

    __tablename__ = "hub_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    org_id: Mapped[str] = _org_fk()
    api_key_id: Mapped[str | None] = mapped_column(String(40), ForeignKey("api_keys.id"))
    """Signed in with an API key; else `user_id` is set (signed in by email link)."""
    user_id: Mapped[str | None] = mapped_column(String(40), ForeignKey("users.id"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    """The token every form and htmx request of the session must carry. Kept as is
    (not hashed): the pages show it, and without the session's cookie it is worth nothing."""
    timezone: Mapped[str] = mapped_column(String(64))
    """The zone the Hub shows times in: the browser's, read when signing in."""
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    revoked_at: Mapped[datetime | None]
    api_key: Mapped[ApiKey | None] = relationship(lazy="joined")
    user: Mapped[User | None] = relationship(lazy="joined")

    @property
    def actor(self) -> Actor:
        """Who acts through the session: its user, or the API key it was opened with."""
        if self.user is not None:
            return actors.user(self.user.id, self.user.name)
        assert self.api_key is not None
        return actors.api_key(self.api_key.id, self.api_key.prefix)


class User(Base):
    """A person of the organization who signs in to the Hub by email link: an admin,
    or a member who is one host of the team (`host_id`)."""

    __tablename__ = "users"
    __table_args__ = (Index("uq_users_org_email", "org_id", "email_key", unique=True),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    org_id: Mapped[str] = _org_fk()
    email: Mapped[str] = mapped_column(String(320))
    email_key: Mapped[str] = mapped_column(String(320))
    """The email lower-cased: one user per address and organization, however written."""
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    """``"admin"`` or ``"member"``."""
    host_id: Mapped[str | None] = mapped_column(String(40), ForeignKey("hosts.id"))
    created_at: Mapped[datetime]


class SignInLink(Base):
    """A one-time sign-in link: only the SHA-256 of its token is kept; it counts once,
    within its lifetime."""

    __tablename__ = "sign_in_links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(40), ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class Host(Base):
    __tablename__ = "hosts"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    org_id: Mapped[str] = _org_fk()
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    timezone: Mapped[str] = mapped_column(String(64))
    working_hours: Mapped[list[Any]]
    """``[{"days": ["mon", ...], "start": "09:00", "end": "17:00"}, ...]`` as in API.md."""
    date_overrides: Mapped[list[Any]]
    """``[{"date": "2026-12-24", "intervals": [{"start", "end"}]}, ...]`` as in API.md."""
    created_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]
    """Hosts are kept after deletion so that past bookings still name them."""
    busy_version: Mapped[int] = mapped_column(BigInteger, server_default="0")
    """Raised by the database's own triggers whenever the host's busy blocks, time off or
    bookings change (migration 0009): what `rota.store.busy_cache` checks."""


class TimeOff(Base):
    __tablename__ = "time_off"
    __table_args__ = (Index("ix_time_off_host_span", "host_id", "end_at", "start_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    host_id: Mapped[str] = mapped_column(String(40), ForeignKey("hosts.id"))
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class BusyBlock(Base):
    __tablename__ = "busy_blocks"
    __table_args__ = (
        Index("ix_busy_blocks_host_span", "host_id", "end_at", "start_at"),
        Index("ix_busy_blocks_host_external_uid", "host_id", "source", "external_uid"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    host_id: Mapped[str] = mapped_column(String(40), ForeignKey("hosts.id"))
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    title: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), default="api")
    """``"api"`` (made through the API) or ``"calendar"`` (written by calendar sync)."""
    external_uid: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime]


class BookingType(Base):
    __tablename__ = "booking_types"
    __table_args__ = (
        # A deleted type keeps its row (its bookings refer to it) but frees its slug.
        Index(
            "uq_booking_types_org_slug_live",
            "org_id",
            "slug",
            unique=True,
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    org_id: Mapped[str] = _org_fk()
    slug: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    duration_minutes: Mapped[int]
    host_mode: Mapped[str] = mapped_column(String(16))
    slot_interval_minutes: Mapped[int | None]
    buffer_before_minutes: Mapped[int] = mapped_column(Integer, default=0)
    buffer_after_minutes: Mapped[int] = mapped_column(Integer, default=0)
    minimum_notice_minutes: Mapped[int] = mapped_column(Integer, default=0)
    booking_window_days: Mapped[int] = mapped_column(Integer, default=60)
    rotation: Mapped[str] = mapped_column(String(16), default="availability")
    fairness_window_days: Mapped[int] = mapped_column(Integer, default=30)
    catch_up_limit: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    max_bookings_per_host_per_day: Mapped[int | None]
    description: Mapped[str | None] = mapped_column(Text)
    location_kind: Mapped[str | None] = mapped_column(String(16))
    """``"in_person"``, ``"phone"``, ``"video"`` or ``"custom"``; None: no location."""
    location_value: Mapped[str | None] = mapped_column(Text)
    on_host_decline: Mapped[str] = mapped_column(
        String(16), default="reassign", server_default="reassign"
    )
    """``"reassign"`` (a host who declines is replaced) or ``"keep"``."""
    created_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]

    pool: Mapped[list[PoolMember]] = relationship(
        order_by="PoolMember.position", cascade="all, delete-orphan", lazy="selectin"
    )


class PoolMember(Base):
    """A host in a booking type's pool, with its weight, priority and fixed flag."""

    __tablename__ = "booking_type_hosts"

    booking_type_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("booking_types.id"), primary_key=True
    )
    host_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("hosts.id"), primary_key=True, index=True
    )
    position: Mapped[int]
    weight: Mapped[int] = mapped_column(Integer, default=100)
    priority: Mapped[int] = mapped_column(Integer, default=2)
    fixed: Mapped[bool] = mapped_column(Boolean, default=False)


class Booking(Base):
    __tablename__ = "bookings"
    __table_args__ = (
        Index("ix_bookings_org_start", "org_id", "start_at", "id"),
        Index("ix_bookings_type_assigned", "booking_type_id", "assigned_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    org_id: Mapped[str] = _org_fk()
    booking_type_id: Mapped[str | None] = mapped_column(String(40), ForeignKey("booking_types.id"))
    """None for an internal meeting (`rota.service.meetings`): it holds the hosts named,
    with its own `title`, `description`, location and `guests`."""
    status: Mapped[str] = mapped_column(String(16))
    """``"confirmed"`` or ``"cancelled"``."""
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    buffer_before_minutes: Mapped[int]
    buffer_after_minutes: Mapped[int]
    """The type's buffers when booked: the booking keeps blocking what it blocked then."""
    rotating_host_id: Mapped[str | None] = mapped_column(String(40), ForeignKey("hosts.id"))
    """The round-robin holder (it counts for fairness); None for solo and collective."""
    attendee_name: Mapped[str | None] = mapped_column(String(200))
    attendee_email: Mapped[str | None] = mapped_column(String(320))
    """The one attendee of a typed booking; None for a meeting, which has `guests`."""
    attendee_timezone: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    assigned_at: Mapped[datetime]
    """When the current rotating host was given the booking (creation or reassignment);
    the fairness window and the "assigned least recently" tie-break read it."""
    cancelled_at: Mapped[datetime | None]
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    """iCalendar SEQUENCE of the invites: rises with every change."""
    manage_token: Mapped[str] = mapped_column(String(64), unique=True)
    """Unguessable token for the attendee's manage-booking page."""
    notes: Mapped[str | None] = mapped_column(Text)
    """The attendee's note, given when booking."""
    responses: Mapped[dict[str, Any] | None]
    """Participants' answers to the invitation (iTIP REPLY), by lower-cased email:
    ``"accepted"``, ``"declined"`` or ``"tentative"``; a participant not named has
    not answered (``"needs_action"``)."""
    title: Mapped[str | None] = mapped_column(String(200))
    """A meeting's title (a typed booking is named by its type)."""
    description: Mapped[str | None] = mapped_column(Text)
    location_kind: Mapped[str | None] = mapped_column(String(16))
    """A meeting's location, as a booking type's; None: no location."""
    location_value: Mapped[str | None] = mapped_column(Text)
    guests: Mapped[list[Any] | None]
    """A meeting's guests besides its hosts: ``[{"name", "email"}, ...]``."""

    booking_type: Mapped[BookingType | None] = relationship(lazy="joined")
    hosts: Mapped[list[BookingHost]] = relationship(
        order_by="BookingHost.position", cascade="all, delete-orphan", lazy="selectin"
    )
    history: Mapped[list[HistoryEntry]] = relationship(
        order_by="HistoryEntry.seq", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def host_ids(self) -> list[str]:
        return [h.host_id for h in self.hosts]


class BookingHost(Base):
    """A host holding a booking. ``busy_*`` is the meeting widened by its buffers, and
    ``active`` mirrors the booking being confirmed: PostgreSQL's exclusion constraint
    over (host_id, busy range) where active is the last line against double booking."""

    __tablename__ = "booking_hosts"
    __table_args__ = (Index("ix_booking_hosts_host_busy", "host_id", "busy_end", "busy_start"),)

    booking_id: Mapped[str] = mapped_column(String(40), ForeignKey("bookings.id"), primary_key=True)
    host_id: Mapped[str] = mapped_column(String(40), ForeignKey("hosts.id"), primary_key=True)
    position: Mapped[int]
    busy_start: Mapped[datetime]
    busy_end: Mapped[datetime]
    active: Mapped[bool] = mapped_column(Boolean)

    host: Mapped[Host] = relationship(lazy="joined", innerjoin=True, viewonly=True)
    """The host as a person (name, email), for the booking's participants. Read only:
    a booking written in bulk (`rota.store.inserts`) sets it from what it already read."""


class FairnessCredit(Base):
    """A host's fairness credit for one round-robin booking (its share of the eligible set).
    Written with the booking as plain rows and read in bulk by the ledger query: no
    relationship loads them one booking at a time."""

    __tablename__ = "booking_credits"

    booking_id: Mapped[str] = mapped_column(String(40), ForeignKey("bookings.id"), primary_key=True)
    host_id: Mapped[str] = mapped_column(String(40), ForeignKey("hosts.id"), primary_key=True)
    credit: Mapped[float] = mapped_column(Float)


class LedgerDay(Base):
    """Running sums of a round-robin type's fairness ledger: for one host and one UTC day
    (the day its bookings were made), the confirmed bookings it holds, the credits it
    earned and when it was last given one. ``day`` `ALL_TIME_DAY` sums every day.

    Kept in the same transaction as each booking, cancellation and reassignment
    (`rota.store.ledger`), so reading a window costs hosts x days, whatever the
    number of bookings in it."""

    __tablename__ = "ledger_days"

    booking_type_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("booking_types.id"), primary_key=True
    )
    day: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    host_id: Mapped[str] = mapped_column(String(40), ForeignKey("hosts.id"), primary_key=True)
    bookings: Mapped[int] = mapped_column(Integer)
    expected: Mapped[float] = mapped_column(Float)
    last_assigned: Mapped[int | None] = mapped_column(BigInteger)
    """Microseconds since the epoch."""


ALL_TIME_DAY = -1
"""The `LedgerDay.day` of the all-time sums (read when the fairness window is 0)."""


class HistoryEntry(Base):
    __tablename__ = "booking_history"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    booking_id: Mapped[str] = mapped_column(String(40), ForeignKey("bookings.id"), index=True)
    at: Mapped[datetime]
    action: Mapped[str] = mapped_column(String(16))
    """``"created"``, ``"reassigned"``, ``"rescheduled"`` or ``"cancelled"``."""
    host_ids: Mapped[list[Any]]
    from_host_ids: Mapped[list[Any] | None]
    by: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    from_start_at: Mapped[datetime | None]
    """Rescheduled: the start the booking moved from."""
    start_at: Mapped[datetime | None]
    """Rescheduled: the start it moved to."""
    actor_kind: Mapped[str] = mapped_column(String(16), server_default="system")
    """Who made the change (`rota.actor.Actor`): ``"user"``, ``"api_key"``,
    ``"attendee"`` or ``"system"``."""
    actor_id: Mapped[str | None] = mapped_column(String(40))
    actor_name: Mapped[str] = mapped_column(String(200), server_default="rota")

    @property
    def actor(self) -> Actor:
        return Actor(cast(ActorKind, self.actor_kind), self.actor_id, self.actor_name)

    @actor.setter
    def actor(self, who: Actor) -> None:
        self.actor_kind, self.actor_id, self.actor_name = who.kind, who.id, who.name


class InboundEmail(Base):
    """An email received at ``POST /v1/inbound/email`` (an iTIP reply, or anything
    else), kept as received with what was done with it."""

    __tablename__ = "inbound_emails"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    org_id: Mapped[str] = _org_fk()
    booking_id: Mapped[str | None] = mapped_column(String(40), ForeignKey("bookings.id"))
    received_at: Mapped[datetime]
    outcome: Mapped[str] = mapped_column(String(32))
    raw: Mapped[str] = mapped_column(Text)


class IdempotencyKey(Base):
    """The first response to a POST made with an ``Idempotency-Key``, replayed on retries."""

    __tablename__ = "idempotency_keys"

    org_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("organizations.id"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    response_body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class OutboxMessage(Base):
    """A message to deliver (email invite, webhook, CalDAV write), written in the same
    transaction as the change it tells about and delivered at least once by the worker."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next", "status", "next_attempt_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    org_id: Mapped[str] = _org_fk()
    booking_id: Mapped[str | None] = mapped_column(String(40), ForeignKey("bookings.id"))
    kind: Mapped[str] = mapped_column(String(16))
    """``"email"``, ``"webhook"`` or ``"caldav"``."""
    payload: Mapped[str] = mapped_column(Text)
    """JSON text."""
    status: Mapped[str] = mapped_column(String(16), default="pending")
    """``"pending"``, ``"sent"`` or ``"failed"``."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class Webhook(Base):
    __tablename__ = "webhooks"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    org_id: Mapped[str] = _org_fk()
    url: Mapped[str] = mapped_column(Text)
    events: Mapped[list[Any]]
    secret: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]


class HostCalendar(Base):
    """A host's external calendar (ICS feed or CalDAV); the password is encrypted at rest."""

    __tablename__ = "host_calendars"

    host_id: Mapped[str] = mapped_column(String(40), ForeignKey("hosts.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    url: Mapped[str] = mapped_column(Text)
    username: Mapped[str | None] = mapped_column(String(200))
    password_encrypted: Mapped[str | None] = mapped_column(Text)
    last_synced_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
