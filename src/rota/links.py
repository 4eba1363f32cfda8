"""Absolute links to rota's pages, for responses and emails that leave the server.

The base is ``ROTA_PUBLIC_URL`` when set (the address people reach the server at,
behind a proxy for instance). Otherwise it is the server's own address: the one
the current request came to (set by `rota.api.app`'s middleware), or, outside a
request (the CLI, the worker), the address ``rota serve`` listens on.
"""

from __future__ import annotations

import os
from contextvars import ContextVar

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"

request_base: ContextVar[str | None] = ContextVar("rota_request_base", default=None)
"""The base URL of the request being served, if any."""


def public_url() -> str:
    base = os.environ.get("ROTA_PUBLIC_URL") or request_base.get() or DEFAULT_PUBLIC_URL
    return base.rstrip("/")


def manage_url(token: str) -> str:
    """The attendee's private page of a booking (reschedule, cancel)."""
    return f"{public_url()}/manage/{token}"


def hub_booking_url(booking_id: str) -> str:
    """The booking in the Booking Hub, for its hosts."""
    return f"{public_url()}/hub/bookings/{booking_id}"
