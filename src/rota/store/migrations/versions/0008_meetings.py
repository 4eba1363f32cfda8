"""Internal meetings: bookings without a booking type (API.md, Find a Time and
meetings). A meeting has its own title, description and location, and its guests
(any number, as a JSON list) instead of the one attendee of a typed booking, so
``booking_type_id`` and the attendee's name and email become nullable.

On SQLite a column's NOT NULL can only be dropped by copying the table (batch
mode). `bookings` is referred to by other tables, so `rota.store.migrate` runs
SQLite's migrations with foreign keys off and checks them before it commits, as
SQLite's own procedure for such changes says.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

NEW_COLUMNS: dict[str, sa.types.TypeEngine[Any]] = {
    "title": sa.String(length=200),
    "description": sa.Text(),
    "location_kind": sa.String(length=16),
    "location_value": sa.Text(),
    "guests": sa.JSON(),
}


def upgrade() -> None:
    with op.batch_alter_table("bookings") as batch:
        batch.alter_column("booking_type_id", existing_type=sa.String(length=40), nullable=True)
        batch.alter_column("attendee_name", existing_type=sa.String(length=200), nullable=True)
        batch.alter_column("attendee_email", existing_type=sa.String(length=320), nullable=True)
        for name, kind in NEW_COLUMNS.items():
            batch.add_column(sa.Column(name, kind, nullable=True))


# Meetings cannot be kept without their columns: going back deletes them, with
# everything that refers to them.
MEETINGS = "SELECT id FROM bookings WHERE booking_type_id IS NULL"
DEPENDANTS = ("booking_hosts", "booking_history", "booking_credits", "outbox", "inbound_emails")


def downgrade() -> None:
    for table in DEPENDANTS:
        op.execute(f"DELETE FROM {table} WHERE booking_id IN ({MEETINGS})")
    op.execute("DELETE FROM bookings WHERE booking_type_id IS NULL")
    with op.batch_alter_table("bookings") as batch:
        for name in reversed(NEW_COLUMNS):
            batch.drop_column(name)
        batch.alter_column("attendee_email", existing_type=sa.String(length=320), nullable=False)
        batch.alter_column("attendee_name", existing_type=sa.String(length=200), nullable=False)
        batch.alter_column("booking_type_id", existing_type=sa.String(length=40), nullable=False)
