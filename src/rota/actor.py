"""Who made a change: the `actor` of every booking history entry.

A plain value passed from the entry point (an API request, a Hub session, the
attendee's pages, the worker) down to the use case that writes the history, so
that each entry says who, not only how (``by``). It imports nothing of rota, so
every layer may use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ActorKind = Literal["user", "api_key", "attendee", "system"]


@dataclass(frozen=True, slots=True)
class Actor:
    kind: ActorKind
    id: str | None
    """The user's or API key's id; None for the attendee and the system."""
    name: str
    """How the Hub names them: the user's name, the key's first characters."""

    def describe(self) -> str:
        """The actor for people: "Ada Lovelace (user)", "API key rota_AbCdEf…"."""
        match self.kind:
            case "user":
                return f"{self.name} (user)"
            case "attendee":
                return f"{self.name} (attendee)"
            case _:
                return self.name


SYSTEM = Actor("system", None, "rota")
"""Changes nobody asked for at that moment: a host declining by email, the worker."""

COMMAND_LINE = Actor("system", None, "rota command line")
"""Whoever runs ``rota`` on the server (no key, no user: the operator)."""


def api_key(key_id: str, prefix: str) -> Actor:
    return Actor("api_key", key_id, f"API key {prefix}…")


def attendee(name: str) -> Actor:
    return Actor("attendee", None, name)


def user(user_id: str, name: str) -> Actor:
    return Actor("user", user_id, name)
