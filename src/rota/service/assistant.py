"""The assistant's use cases: ask (read a request into a stored plan, or answer a
question at once) and confirm (run a plan, once).

A plan is stored with its actions as ids and UTC instants, lives `PLAN_LIFE` and is
claimed by one conditional UPDATE, so it runs at most once even when two server
processes are asked to confirm it at the same moment. The actions then run one by
one through the same use cases as the API (`rota.service.assistant_run`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update

from rota import assistant
from rota.actor import Actor
from rota.assistant.speaker import spoken_by
from rota.ids import new_id
from rota.service import assistant_answers, assistant_run, clock
from rota.service.assistant_scope import Member
from rota.service.errors import Conflict, Forbidden, NotFound
from rota.store.assistant_plans import AssistantPlan
from rota.store.db import Database
from rota.store.tables import Booking, BookingHost, BookingType, Host

PLAN_LIFE = timedelta(minutes=10)
HORIZON = timedelta(days=62)
"""Bookings a request may name: those not over yet and starting within this."""
PLANNER: assistant.Planner = assistant.RulePlanner()
MEMBER_EXAMPLES = (
    "I'm out tomorrow, give my bookings to the team",
    "give my call on Thursday to the team",
    "what do I have this week?",
)
"""What a member may ask (`rota.service.assistant_scope`)."""


@dataclass(frozen=True, slots=True)
class Preview:
    summary: str
    actions: list[dict[str, Any]]
    plan_id: str


@dataclass(frozen=True, slots=True)
class Answer:
    summary: str
    answer: dict[str, Any]


@dataclass(frozen=True, slots=True)
class NotUnderstood:
    message: str
    suggestions: list[str]


def ask(
    db: Database,
    org_id: str,
    text: str,
    timezone: str,
    planner: assistant.Planner = PLANNER,
    *,
    member: Member | None = None,
) -> Preview | Answer | NotUnderstood:
    """Read `text` (dates in `timezone`): a change is stored as a plan to confirm, a
    question is answered now, anything else says what was got and how to ask.
    `member`: the asker is that member, who may ask only about their own things."""
    moment = clock.now()
    known = team(db, org_id)
    if member is not None:
        mine = [h.name for h in known.hosts if h.id == member.host_id]
        text = spoken_by(text, mine[0]) if mine else text
    reading = planner.read(assistant.Request(text, ZoneInfo(timezone), moment), known)
    if isinstance(reading, assistant.Unclear):
        return NotUnderstood(reading.message, list(reading.suggestions))
    if member is not None:
        held = {b.id: b.host_ids for b in known.bookings}
        items = reading.actions if isinstance(reading, assistant.Change) else [reading.question]
        for item in items:
            why = member.refusal(item, lambda booking_id: held.get(booking_id, ()))
            if why is not None:
                return NotUnderstood(f"{reading.summary} {why}", list(MEMBER_EXAMPLES))
    if isinstance(reading, assistant.Ask):
        return Answer(reading.summary, assistant_answers.answer(db, org_id, reading.question))
    actions = [assistant.action_json(a) for a in reading.actions]
    plan = AssistantPlan(
        id=new_id("plan"),
        org_id=org_id,
        summary=reading.summary,
        actions=actions,
        created_at=moment,
        expires_at=moment + PLAN_LIFE,
    )
    with db.write() as session:
        session.add(plan)
    return Preview(reading.summary, actions, plan.id)


def confirm(
    db: Database, org_id: str, plan_id: str, actor: Actor, *, member: Member | None = None
) -> list[assistant_run.Result]:
    """Run the plan's actions in order, each as its own use case on behalf of `actor`
    (who confirms); a plan runs once and only within `PLAN_LIFE` of being made.
    Another organization's plan is not found. A `member` may run only a plan of their
    own things (`Forbidden` otherwise, and the plan stays unrun)."""
    moment = clock.now()
    if member is not None:
        _check_member(db, org_id, plan_id, member)
    with db.write() as session:
        claimed = session.execute(
            update(AssistantPlan)
            .where(
                AssistantPlan.id == plan_id,
                AssistantPlan.org_id == org_id,
                AssistantPlan.confirmed_at.is_(None),
                AssistantPlan.expires_at > moment,
            )
            .values(confirmed_at=moment)
        )
        if getattr(claimed, "rowcount", 0) != 1:
            _refuse(session.get(AssistantPlan, plan_id), org_id)
        plan = session.get(AssistantPlan, plan_id)
        assert plan is not None
        actions = [assistant.action_of(fields) for fields in plan.actions]
    return [assistant_run.run(db, org_id, action, actor) for action in actions]


def _check_member(db: Database, org_id: str, plan_id: str, member: Member) -> None:
    with db.read() as session:
        plan = session.get(AssistantPlan, plan_id)
        if plan is None or plan.org_id != org_id:
            raise NotFound("No such plan.")

        def holders(booking_id: str) -> list[str]:
            # A booking cancelled since the plan was made is still the member's: running
            # the plan then tells them it is cancelled, not that it is someone else's.
            found = session.scalars(
                select(BookingHost.host_id)
                .join(Booking, Booking.id == BookingHost.booking_id)
                .where(Booking.id == booking_id, Booking.org_id == org_id)
            )
            return list(found)

        for fields in plan.actions:
            why = member.refusal(assistant.action_of(fields), holders)
            if why is not None:
                raise Forbidden(why)


def _refuse(plan: AssistantPlan | None, org_id: str) -> None:
    if plan is None or plan.org_id != org_id:
        raise NotFound("No such plan.")
    if plan.confirmed_at is not None:
        raise Conflict("This plan has already run.", code="plan_already_run")
    raise Conflict("This plan has expired; ask again for a new one.", code="plan_expired")


def team(db: Database, org_id: str) -> assistant.Team:
    """What a request may name: the hosts, the booking types and the upcoming
    confirmed bookings, in three queries."""
    moment = clock.now()
    with db.read() as session:
        hosts = [
            assistant.Person(host_id, name)
            for host_id, name in session.execute(
                select(Host.id, Host.name)
                .where(Host.org_id == org_id, Host.deleted_at.is_(None))
                .order_by(Host.created_at, Host.id)
            )
        ]
        kinds = [
            assistant.Kind(slug, title)
            for slug, title in session.execute(
                select(BookingType.slug, BookingType.title)
                .where(BookingType.org_id == org_id, BookingType.deleted_at.is_(None))
                .order_by(BookingType.slug)
            )
        ]
        rows = session.execute(
            select(
                Booking.id,
                # A meeting has no attendee: it is named by its title.
                func.coalesce(Booking.attendee_name, Booking.title, ""),
                Booking.start_at,
                Booking.end_at,
                BookingType.title,
                BookingHost.host_id,
            )
            .join(BookingType, BookingType.id == Booking.booking_type_id, isouter=True)
            .join(BookingHost, BookingHost.booking_id == Booking.id)
            .where(
                Booking.org_id == org_id,
                Booking.status == "confirmed",
                Booking.end_at > moment,
                Booking.start_at < moment + HORIZON,
            )
            .order_by(Booking.start_at, Booking.id, BookingHost.position)
        )
        bookings: dict[str, tuple[str, datetime, datetime, str | None, list[str]]] = {}
        for booking_id, attendee, start, end, title, host_id in rows:
            bookings.setdefault(booking_id, (attendee, start, end, title, []))[4].append(host_id)
    return assistant.Team(
        hosts,
        [
            assistant.Appointment(booking_id, attendee, start, end, tuple(held), title)
            for booking_id, (attendee, start, end, title, held) in bookings.items()
        ],
        kinds,
    )
