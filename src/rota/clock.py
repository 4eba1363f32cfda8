"""rota's clock: one place to read the time (and to stop it in tests)."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)


def epoch(moment: datetime) -> int:
    """Whole seconds since the epoch, the engine's instants (rounded down)."""
    return int(moment.timestamp() // 1)
