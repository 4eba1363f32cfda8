"""Organizations (their name and colour) and their API keys.

A key is ``rota_`` plus 32 random bytes; only its SHA-256 is stored. A plain
hash (not a slow password hash) is right here: the key has 256 bits of entropy,
so there is nothing to brute-force, and every request must check it quickly.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from rota import actor as actors
from rota.actor import Actor
from rota.service import clock
from rota.service.errors import Invalid, NotFound
from rota.service.ids import new_id
from rota.store.db import Database
from rota.store.tables import ApiKey, Organization

KEY_PREFIX = "rota_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def check_slug(slug: str) -> str:
    """An organization's slug is part of its booking pages' addresses (``/book/SLUG/...``)."""
    if len(slug) > 100 or not SLUG.fullmatch(slug):
        raise Invalid(
            f"{slug!r} is not an organization slug: use lower-case letters and digits,"
            " words joined by '-' (acme, acme-sales), at most 100 characters.",
            details={"org": "must be lower-case words joined by '-'"},
        )
    return slug


def ensure_org(db: Database, slug: str, name: str | None = None) -> str:
    """The id of the organization `slug`, created if it does not exist yet."""
    check_slug(slug)
    with db.write() as session:
        org_id = session.scalar(select(Organization.id).where(Organization.slug == slug))
        if org_id is not None:
            return org_id
        org = Organization(id=new_id("org"), slug=slug, name=name or slug, created_at=clock.now())
        session.add(org)
        return org.id


def find_org(db: Database, slug: str) -> Organization:
    """The organization `slug` (the booking pages' addresses name it), or NotFound."""
    with db.read() as session:
        org = session.scalar(select(Organization).where(Organization.slug == slug))
    if org is None:
        raise NotFound(f"No organization {slug!r}.")
    return org


def get_org(db: Database, org_id: str) -> Organization:
    with db.read() as session:
        return _org(session, org_id)


def _org(session: Session, org_id: str) -> Organization:
    org = session.get(Organization, org_id)
    if org is None:
        raise NotFound(f"No organization with id {org_id!r}.")
    return org


COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def brand_colour(value: str) -> str:
    """An organization's colour as stored: ``#rrggbb`` in lower case (``#1A73E8`` is
    ``#1a73e8``); anything else is a ValueError saying what is expected."""
    if not COLOUR.fullmatch(value):
        raise ValueError("must be a colour written #rrggbb, like #1a73e8")
    return value.lower()


def update_org(db: Database, org_id: str, changes: Mapping[str, Any]) -> Organization:
    """Change the fields named in `changes`: ``name`` (one line, checked by the caller's
    model) and ``brand_colour`` (``#rrggbb``, or None for rota's own look)."""
    colour = changes.get("brand_colour")
    if colour is not None:
        try:
            colour = brand_colour(colour)
        except ValueError as error:
            raise Invalid(f"The colour {error}.", details={"brand_colour": str(error)}) from None
    with db.write() as session:
        org = _org(session, org_id)
        if "name" in changes:
            org.name = changes["name"]
        if "brand_colour" in changes:
            org.brand_colour = colour
        return org


def create_key(db: Database, org_slug: str) -> str:
    """A new API key for the organization (created if needed). Shown only this once."""
    org_id = ensure_org(db, org_slug)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with db.write() as session:
        session.add(
            ApiKey(
                id=new_id("key"),
                org_id=org_id,
                key_hash=hash_key(key),
                prefix=key[: len(KEY_PREFIX) + 6],
                created_at=clock.now(),
            )
        )
    return key


class ValidKey(NamedTuple):
    """A valid, unrevoked API key: its id, its organization's and its first characters."""

    id: str
    org_id: str
    prefix: str

    @property
    def actor(self) -> Actor:
        return actors.api_key(self.id, self.prefix)


def check_key(db: Database, key: str) -> ValidKey | None:
    """The key `key` if it is valid and unrevoked, else None."""
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    with db.read() as session:
        row = session.execute(
            select(ApiKey.id, ApiKey.org_id, ApiKey.prefix).where(
                ApiKey.key_hash == hash_key(key), ApiKey.revoked_at.is_(None)
            )
        ).first()
    return None if row is None else ValidKey(row.id, row.org_id, row.prefix)


def list_keys(db: Database, org_slug: str) -> list[ApiKey]:
    """The organization's keys, oldest first, revoked ones included (never the keys
    themselves: only their first characters are kept to tell them apart)."""
    org = find_org(db, org_slug)
    with db.read() as session:
        return list(
            session.scalars(
                select(ApiKey).where(ApiKey.org_id == org.id).order_by(ApiKey.created_at)
            )
        )


def revoke_key(db: Database, org_slug: str, key_id: str) -> ApiKey:
    """Revoke one of the organization's keys: every request and Hub session made with it
    is refused from now on. Revoking a revoked key changes nothing."""
    org = find_org(db, org_slug)
    with db.write() as session:
        key = session.scalar(select(ApiKey).where(ApiKey.org_id == org.id, ApiKey.id == key_id))
        if key is None:
            raise NotFound(f"Organization {org_slug!r} has no key {key_id!r}.")
        if key.revoked_at is None:
            key.revoked_at = clock.now()
        return key


def authenticate(db: Database, key: str) -> str | None:
    """The organization id of a valid, unrevoked key, else None."""
    valid = check_key(db, key)
    return None if valid is None else valid.org_id


def org_is_empty(db: Database) -> bool:
    """Whether the database holds no organization at all (a fresh install)."""
    with db.read() as session:
        return session.scalar(select(Organization.id).limit(1)) is None
