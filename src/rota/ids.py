"""Server-chosen identifiers: a short prefix saying what it is, then random bits."""

from __future__ import annotations

import secrets


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(10)}"


def new_token() -> str:
    """An unguessable token for links handed to people outside the organization."""
    return secrets.token_urlsafe(32)
