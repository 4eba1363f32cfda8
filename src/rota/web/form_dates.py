"""Dates and wall-clock times typed into the Hub's forms and query strings.

They are read within the range the API takes for instants (`rota.api.schemas`:
from 1970-01-02 to 9000-01-01), so a year 0001 or 9999 is "not a date" to the
form, with the form's own sentence, rather than an overflow further down (a
day after 9999-12-31, midnight of 0001-01-01 in a zone east of UTC).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from rota.api.schemas import EARLIEST, LATEST

FIRST_DAY = EARLIEST.date()
LAST_DAY = LATEST.date()
"""Excluded: the range is half-open like the API's."""
DAYS_ARE = f"Dates are days like 2026-12-24, from {FIRST_DAY:%Y} to {LAST_DAY:%Y}."


def day(text: str | None) -> date | None:
    """``YYYY-MM-DD`` within the range, else None."""
    try:
        found = date.fromisoformat(text) if text else None
    except ValueError:
        return None
    return found if found is not None and FIRST_DAY <= found < LAST_DAY else None


def local_time(text: str | None, zone: str) -> datetime | None:
    """``YYYY-MM-DDTHH:MM`` (as a ``datetime-local`` field sends it) on the wall clock
    of ``zone``, within the range; else None."""
    try:
        found = datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
    if found is None or not FIRST_DAY <= found.date() < LAST_DAY:
        return None
    return found.replace(tzinfo=ZoneInfo(zone))


def instant(text: str | None) -> datetime | None:
    """An ISO instant with its offset, within the range; else None."""
    try:
        found = datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
    if found is None or found.tzinfo is None:
        return None
    # Compared by their own date first: converting 9999-12-31T23:59-14:00 would overflow.
    if not FIRST_DAY < found.date() < LAST_DAY:
        return None
    return found
