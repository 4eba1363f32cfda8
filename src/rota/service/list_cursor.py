"""The cursor of a list of bookings: where the previous page ended (its last
booking's start, then id), opaque to the client.

A cursor the server cannot have given is refused as invalid, whatever it holds, so
a crafted one is a 422 and never a number out of range or a control character
reaching the database.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime

from rota.service.errors import Invalid
from rota.store.tables import Booking, to_us

_EARLIEST = to_us(datetime(1, 1, 2, tzinfo=UTC))
_LATEST = to_us(datetime(9999, 12, 31, tzinfo=UTC))
_LONGEST_ID = 100


def cursor_after(booking: Booking) -> str:
    """The cursor of the page that follows `booking`."""
    raw = json.dumps([to_us(booking.start_at), booking.id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def position(cursor: str) -> tuple[int, str]:
    """The start (microseconds) and id of the booking a page ended on."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        start_us, booking_id = json.loads(raw)
    except (ValueError, binascii.Error, TypeError):
        start_us = booking_id = None
    if (
        type(start_us) is int
        and _EARLIEST <= start_us <= _LATEST
        and isinstance(booking_id, str)
        and len(booking_id) <= _LONGEST_ID
        and booking_id.isascii()
        and booking_id.isprintable()
    ):
        return start_us, booking_id
    raise Invalid("The cursor is not one this server gave.", details={"cursor": "invalid"})
