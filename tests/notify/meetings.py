"""A booking's meeting as the notify tests use it."""

from __future__ import annotations

from datetime import UTC, datetime

from rota.notify.invite import Meeting, Person, booking_uid

ADA = Person("Ada Lovelace", "ada@example.com", "Europe/London", role="host")
ALAN = Person("Alan Turing", "alan@example.com", "Asia/Tokyo", role="host")
GRACE = Person("Grace Hopper", "grace@example.com", "America/New_York")


def meeting(sequence: int = 0, hosts: tuple[Person, ...] = (ADA,), **changes: object) -> Meeting:
    values: dict[str, object] = {
        "uid": booking_uid("bk_1"),
        "sequence": sequence,
        "start": datetime(2026, 12, 1, 15, 0, tzinfo=UTC),
        "end": datetime(2026, 12, 1, 15, 30, tzinfo=UTC),
        "summary": "Discovery call",
        "organizer_name": "Acme bookings",
        "organizer_email": "bookings@acme.example",
        "participants": (*hosts, GRACE),
        "stamp": datetime(2026, 11, 20, 12, 0, tzinfo=UTC),
    }
    values.update(changes)
    return Meeting(**values)  # type: ignore[arg-type]
