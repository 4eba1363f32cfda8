"""A booking's whole life: where it moved from (history), the attendee's notes and the
participants' answers, a booking type's description, location and what a declining
host means, and the inbound emails (iTIP replies) as received.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


# Plain ADD/DROP COLUMN, which SQLite (3.35 on) does in place: a batch copy of these
# tables would drop tables that others refer to, which foreign keys forbid.


def upgrade() -> None:
    op.add_column("booking_history", sa.Column("from_start_at", sa.BigInteger(), nullable=True))
    op.add_column("booking_history", sa.Column("start_at", sa.BigInteger(), nullable=True))
    op.add_column("bookings", sa.Column("notes", sa.Text(), nullable=True))
    op.add_column("bookings", sa.Column("responses", sa.JSON(), nullable=True))
    op.add_column("booking_types", sa.Column("description", sa.Text(), nullable=True))
    op.add_column("booking_types", sa.Column("location_kind", sa.String(length=16), nullable=True))
    op.add_column("booking_types", sa.Column("location_value", sa.Text(), nullable=True))
    op.add_column(
        "booking_types",
        sa.Column(
            "on_host_decline", sa.String(length=16), nullable=False, server_default="reassign"
        ),
    )
    op.create_table(
        "inbound_emails",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("org_id", sa.String(length=40), nullable=False),
        sa.Column("booking_id", sa.String(length=40), nullable=True),
        sa.Column("received_at", sa.BigInteger(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name=op.f("fk_inbound_emails_org_id_organizations")
        ),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_inbound_emails_booking_id_bookings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_emails")),
    )
    op.create_index(op.f("ix_inbound_emails_org_id"), "inbound_emails", ["org_id"], unique=False)


def downgrade() -> None:
    op.drop_table("inbound_emails")
    for name in ("on_host_decline", "location_value", "location_kind", "description"):
        op.drop_column("booking_types", name)
    op.drop_column("bookings", "responses")
    op.drop_column("bookings", "notes")
    op.drop_column("booking_history", "start_at")
    op.drop_column("booking_history", "from_start_at")
