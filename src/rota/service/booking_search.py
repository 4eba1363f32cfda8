"""Finding bookings by a few letters a person remembers: the condition on `Booking`
behind `bookings.list_bookings(search=...)`.

A typed booking matches on its attendee's name or email, a meeting on its title or a
guest's name or email; letters match anywhere, ignoring case. The guests are a JSON
list, read element by element with each database's own table function (SQLite's
``json_each``, PostgreSQL's ``json_array_elements``) so that the keys and the quoting
of the stored JSON never match. SQLite's ``lower`` folds ASCII letters only, so there
"émile" does not find "Émile"; PostgreSQL folds every letter.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    ColumnElement,
    SQLColumnExpression,
    and_,
    case,
    column,
    exists,
    func,
    null,
    or_,
    select,
)

from rota.store.tables import Booking

MAX_SEARCH = 200
"""Longest text searched for: as long as the longest name stored."""


def matching(text: str, dialect: str) -> ColumnElement[bool]:
    """The condition that a booking matches `text` (already stripped, not empty) on
    the database of `dialect` (SQLAlchemy's dialect name)."""
    folded = text.casefold()
    return or_(
        _has(Booking.attendee_name, folded),
        _has(Booking.attendee_email, folded),
        and_(
            Booking.booking_type_id.is_(None),
            or_(_has(Booking.title, folded), _a_guest(folded, dialect)),
        ),
    )


def _has(value: SQLColumnExpression[str | None], folded: str) -> ColumnElement[bool]:
    return func.lower(value).contains(folded, autoescape=True)


def _a_guest(folded: str, dialect: str) -> ColumnElement[bool]:
    if dialect == "sqlite":
        guests = func.json_each(Booking.guests)
    else:
        # PostgreSQL refuses to take elements out of a JSON that is not a list (a JSON null).
        listed = case((func.json_typeof(Booking.guests) == "array", Booking.guests), else_=null())
        guests = func.json_array_elements(listed)
    guest = guests.table_valued(column("value", JSON)).alias("guest")
    name, email = guest.c.value["name"].as_string(), guest.c.value["email"].as_string()
    return exists(select(1).select_from(guest).where(or_(_has(name, folded), _has(email, folded))))
