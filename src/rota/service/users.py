"""People of an organization who sign in to the Hub: admins, and members who are each
one host of the team; and their one-time sign-in links.

A sign-in link carries 256 random bits; only their SHA-256 is kept (as for API keys
and sessions, nothing to brute-force, and a copy of the table signs nobody in). A
link counts once, within `LINK_LIFE`: redeeming it marks it used in the same
statement that checks it, so two clicks racing open one session at most.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from rota import links
from rota.service import clock, hub_sessions, lookup, orgs
from rota.service.errors import Conflict, Invalid, NotFound
from rota.service.ids import new_id
from rota.store.db import Database
from rota.store.tables import HubSession, Organization, OutboxMessage, SignInLink, User

LINK_LIFE = timedelta(minutes=15)
ROLES = ("admin", "member")


def _email_taken(email: str) -> Conflict:
    return Conflict(
        f"The organization already has a user with the email {email!r}.",
        details={"email": "already a user of the organization"},
        code="email_taken",
    )


def _check(session: Session, org_id: str, role: str, host_id: str | None) -> None:
    if role not in ROLES:
        raise Invalid("role is admin or member.", details={"role": "must be admin or member"})
    if host_id is None:
        if role == "member":
            raise Invalid(
                "A member is one host of the team: give their host_id.",
                details={"host_id": "required for a member"},
            )
        return
    try:
        lookup.host(session, org_id, host_id)
    except NotFound:
        raise Invalid(
            f"No host with id {host_id!r} in the organization.",
            details={"host_id": "not a host of the organization"},
        ) from None


def _by_email(session: Session, org_id: str, email: str) -> User | None:
    return session.scalar(
        select(User).where(User.org_id == org_id, User.email_key == email.lower())
    )


def create_user(
    db: Database, org_id: str, *, email: str, name: str, role: str, host_id: str | None
) -> User:
    """A new user; 409 ``email_taken`` when the organization has one with that email."""
    try:
        with db.write() as session:
            _check(session, org_id, role, host_id)
            if _by_email(session, org_id, email) is not None:
                raise _email_taken(email)
            user = User(
                id=new_id("usr"),
                org_id=org_id,
                email=email,
                email_key=email.lower(),
                name=name,
                role=role,
                host_id=host_id,
                created_at=clock.now(),
            )
            session.add(user)
            session.flush()
    except IntegrityError:  # the same email created concurrently
        raise _email_taken(email) from None
    return user


def _user(session: Session, org_id: str, user_id: str) -> User:
    user = session.get(User, user_id)
    if user is None or user.org_id != org_id:
        raise NotFound(f"No user with id {user_id!r}.")
    return user


def get_user(db: Database, org_id: str, user_id: str) -> User:
    with db.read() as session:
        return _user(session, org_id, user_id)


def list_users(db: Database, org_id: str) -> list[User]:
    with db.read() as session:
        query = select(User).where(User.org_id == org_id).order_by(User.created_at, User.id)
        return list(session.scalars(query))


def update_user(db: Database, org_id: str, user_id: str, changes: dict[str, Any]) -> User:
    """Change the fields named in `changes` (email, name, role, host_id)."""
    try:
        with db.write() as session:
            user = _user(session, org_id, user_id)
            role = changes.get("role", user.role)
            host_id = changes.get("host_id", user.host_id)
            _check(session, org_id, role, host_id)
            email = changes.get("email", user.email)
            other = _by_email(session, org_id, email)
            if other is not None and other.id != user.id:
                raise _email_taken(email)
            user.email, user.email_key = email, email.lower()
            user.name = changes.get("name", user.name)
            user.role, user.host_id = role, host_id
            session.flush()
    except IntegrityError:
        raise _email_taken(str(changes.get("email"))) from None
    return user


def delete_user(db: Database, org_id: str, user_id: str) -> None:
    """Delete the user: their sessions end and their sign-in links stop working."""
    with db.write() as session:
        user = _user(session, org_id, user_id)
        session.execute(delete(HubSession).where(HubSession.user_id == user.id))
        session.execute(delete(SignInLink).where(SignInLink.user_id == user.id))
        session.delete(user)


@dataclass(frozen=True, slots=True)
class Link:
    user: User
    url: str


def _new_link(session: Session, user: User) -> str:
    token = secrets.token_urlsafe(32)
    now = clock.now()
    session.add(
        SignInLink(
            token_hash=orgs.hash_key(token),
            user_id=user.id,
            created_at=now,
            expires_at=now + LINK_LIFE,
        )
    )
    return f"{links.public_url()}/hub/sign-in/{token}"


def sign_in_link(db: Database, org_slug: str, email: str) -> Link:
    """A new one-time sign-in link for the organization's user with `email`."""
    org = orgs.find_org(db, org_slug)
    with db.write() as session:
        user = _by_email(session, org.id, email)
        if user is None:
            raise NotFound(f"Organization {org_slug!r} has no user with the email {email!r}.")
        return Link(user, _new_link(session, user))


def create_with_link(
    db: Database, org_slug: str, *, email: str, name: str, role: str, host_id: str | None
) -> Link:
    """Create a user (`rota users create`) and their first sign-in link."""
    org = orgs.find_org(db, org_slug)
    user = create_user(db, org.id, email=email, name=name, role=role, host_id=host_id)
    with db.write() as session:
        return Link(user, _new_link(session, user))


def redeem(db: Database, token: str, timezone: str) -> str | None:
    """Sign in with a link's token: a new Hub session's id, or None when the token is
    not a link, was used already, or is older than `LINK_LIFE`. A member's session may
    do what members may (`rota.web.hub_auth`), an admin's everything."""
    if not token or len(token) > 100:
        return None
    now = clock.now()
    with db.write() as session:
        user_id = session.scalar(
            update(SignInLink)
            .where(
                SignInLink.token_hash == orgs.hash_key(token),
                SignInLink.used_at.is_(None),
                SignInLink.expires_at > now,
            )
            .values(used_at=now)
            .returning(SignInLink.user_id)
        )
        if user_id is None:
            return None
        user = session.get_one(User, user_id)
        return hub_sessions.add_session(session, user.org_id, timezone, user_id=user.id)


MAX_RECENT_LINKS = 3
"""Sign-in emails one user gets per `LINK_LIFE` at most, whoever asks and from where:
the per-address rate limit of the form does not stop many addresses filling one
person's inbox."""


def email_links(db: Database, email: str) -> int:
    """Queue an email with a new sign-in link to each user with `email` (one per
    organization that has them); how many were queued. The form that asks says the
    same whatever this finds, so it does not tell who has an account."""
    now = clock.now()
    queued = 0
    with db.write() as session:
        for user in session.scalars(select(User).where(User.email_key == email.lower())):
            recent = session.scalar(
                select(func.count())
                .select_from(SignInLink)
                .where(SignInLink.user_id == user.id, SignInLink.created_at > now - LINK_LIFE)
            )
            if (recent or 0) >= MAX_RECENT_LINKS:
                continue
            org = session.get_one(Organization, user.org_id)
            payload = {"to": user.email, "name": user.name, "org": org.name}
            payload["url"] = _new_link(session, user)
            session.add(
                OutboxMessage(
                    id=new_id("msg"),
                    org_id=user.org_id,
                    booking_id=None,
                    kind="sign_in",
                    payload=json.dumps(payload),
                    status="pending",
                    attempts=0,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
            queued += 1
    return queued
