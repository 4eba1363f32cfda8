"""Who made each change: the `actor` of every booking history entry (a user, an API
key, the attendee or the system), next to `by` (how).

Entries written before this have no record of who. They are given the closest
truthful answer from their `by`: the attendee's own changes name the attendee;
manual changes were made with an API key (the API or a Hub session opened with
one), which one is not known; everything else (automatic routing, a host's
decline) is the system.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN with a default (SQLite does it in place; see 0004).
    op.add_column(
        "booking_history",
        sa.Column("actor_kind", sa.String(length=16), nullable=False, server_default="system"),
    )
    op.add_column("booking_history", sa.Column("actor_id", sa.String(length=40), nullable=True))
    op.add_column(
        "booking_history",
        sa.Column("actor_name", sa.String(length=200), nullable=False, server_default="rota"),
    )
    op.execute(
        "UPDATE booking_history SET actor_kind = 'api_key', actor_name = 'API key'"
        """ WHERE "by" = 'manual'"""
    )
    op.execute(
        "UPDATE booking_history SET actor_kind = 'attendee', actor_name = ("
        "SELECT bookings.attendee_name FROM bookings"
        " WHERE bookings.id = booking_history.booking_id)"
        """ WHERE "by" = 'attendee'"""
    )


def downgrade() -> None:
    for name in ("actor_name", "actor_id", "actor_kind"):
        op.drop_column("booking_history", name)
