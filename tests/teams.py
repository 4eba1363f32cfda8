"""A small team built through the service layer, for tests of the use cases and pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from rota.actor import SYSTEM
from rota.service import booking_types, bookings, hosts, orgs, reassign
from rota.store.db import Database
from rota.store.tables import Booking, TimeOff

EVERY_DAY = [
    {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "start": "08:00", "end": "18:00"}
]


def monday(weeks_ahead: int = 1) -> datetime:
    """00:00 UTC of the Monday `weeks_ahead` weeks from this week's."""
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks_ahead)


@dataclass(frozen=True)
class Team:
    """Organization ``acme``: Ada, Grace and Linus (UTC, every day 08:00-18:00), the
    round-robin ``intro`` (30 minutes, all three) and the solo ``office-hours`` (Ada)."""

    db: Database
    org_id: str
    ada: str
    grace: str
    linus: str

    @property
    def names(self) -> dict[str, str]:
        return {self.ada: "Ada Lovelace", self.grace: "Grace Hopper", self.linus: "Linus Torvalds"}

    def book(self, start: datetime, slug: str = "intro", name: str = "Alan Turing") -> Booking:
        email = name.lower().replace(" ", ".") + "@example.com"
        booked = bookings.book(
            self.db,
            self.org_id,
            booking_type=slug,
            start=start,
            attendee=bookings.Attendee(name, email, "Europe/Berlin"),
            actor=SYSTEM,
        )
        assert isinstance(booked, Booking)
        return booked

    def time_off(self, host_id: str, start: datetime, end: datetime, label: str) -> None:
        hosts.add_span(self.db, self.org_id, host_id, TimeOff, start=start, end=end, label=label)

    def held_by(
        self, host_id: str, start: datetime, name: str = "Alan Turing", slug: str = "intro"
    ) -> str:
        """A call of the type `slug` with `name` at `start`, handed to `host_id`; its id."""
        booking = self.book(start, slug, name)
        if booking.host_ids != [host_id]:
            reassign.reassign(
                self.db,
                self.org_id,
                booking.id,
                to_host_id=host_id,
                from_host_id=None,
                reason=None,
                actor=SYSTEM,
            )
        return booking.id

    def add_type(self, slug: str, title: str, host_ids: list[str]) -> str:
        """A 30-minute type of these hosts (solo for one, round-robin for more); its id."""
        fields = {
            "slug": slug,
            "title": title,
            "duration_minutes": 30,
            "host_mode": "solo" if len(host_ids) == 1 else "round_robin",
            "hosts": [{"host_id": h} for h in host_ids],
        }
        return booking_types.create_booking_type(self.db, self.org_id, fields).id


def make_team(db: Database, org: str = "acme") -> Team:
    org_id = orgs.ensure_org(db, org)
    ids = [
        hosts.create_host(
            db,
            org_id,
            name=name,
            email=name.split()[0].lower() + f"@{org}.example.com",
            timezone="UTC",
            working_hours=EVERY_DAY,
        ).id
        for name in ("Ada Lovelace", "Grace Hopper", "Linus Torvalds")
    ]
    booking_types.create_booking_type(
        db,
        org_id,
        {
            "slug": "intro",
            "title": "Intro call",
            "duration_minutes": 30,
            "host_mode": "round_robin",
            "hosts": [{"host_id": host_id} for host_id in ids],
        },
    )
    booking_types.create_booking_type(
        db,
        org_id,
        {
            "slug": "office-hours",
            "title": "Office hours",
            "duration_minutes": 20,
            "host_mode": "solo",
            "hosts": [{"host_id": ids[0]}],
        },
    )
    return Team(db, org_id, *ids)
