"""A small team to read requests against, on a pinned Tuesday, 1 Dec 2026, 10:00 UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from rota.assistant import Appointment, Kind, Person, Reading, Request, RulePlanner, Team

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)

SOFIA = Person("host_sofia", "Sofia Ruiz")
BOB = Person("host_bob", "Bob Stone")
ADA = Person("host_ada", "Ada Lovelace")
SAM_LEE = Person("host_samlee", "Sam Lee")
SAM_PARK = Person("host_sampark", "Sam Park")
HOSTS = (SOFIA, BOB, ADA, SAM_LEE, SAM_PARK)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)


def _booking(id: str, attendee: str, start: datetime, host: Person) -> Appointment:
    end = start.replace(minute=start.minute + 30)
    return Appointment(id, attendee, start, end, (host.id,), "Discovery Call")


GRACE = _booking("bk_0000000001", "Grace Hopper", at(2, 10), SOFIA)
ALAN_1 = _booking("bk_0000000002", "Alan Turing", at(2, 14), SOFIA)
ALAN_2 = _booking("bk_0000000003", "Alan Turing", at(4, 9), BOB)
LINUS = _booking("bk_0000000004", "Linus Torvalds", at(3, 11), ADA)
KATE = _booking("bk_0000000005", "Katherine Johnson", at(8, 15), SOFIA)
BOOKINGS = (GRACE, ALAN_1, ALAN_2, LINUS, KATE)
TYPES = (Kind("discovery-call", "Discovery Call"), Kind("demo", "Product Demo"))
TEAM = Team(HOSTS, BOOKINGS, TYPES)


def ask(text: str, zone: str = "UTC", team: Team = TEAM) -> Reading:
    return RulePlanner().read(Request(text, ZoneInfo(zone), NOW), team)
