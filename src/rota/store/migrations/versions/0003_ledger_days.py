"""Running sums of the fairness ledger per booking type, UTC day and host, built from
the bookings already made, and the booking types' catch-up limit.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

DAY_US = 86_400 * 1_000_000
ALL_TIME_DAY = -1

# Each confirmed round-robin booking counts on the UTC day it was made: its holder holds
# it, and every host credited for it earned its credit (whoever holds it now).
_BY_DAY = f"""
SELECT booking_type_id, day, host_id,
       SUM(held) AS bookings, SUM(credit) AS expected, MAX(assigned) AS last_assigned
FROM (
    SELECT b.booking_type_id, b.created_at / {DAY_US} AS day, b.rotating_host_id AS host_id,
           1 AS held, 0.0 AS credit, b.assigned_at AS assigned
    FROM bookings b
    WHERE b.status = 'confirmed' AND b.rotating_host_id IS NOT NULL
    UNION ALL
    SELECT b.booking_type_id, b.created_at / {DAY_US}, c.host_id, 0, c.credit, NULL
    FROM booking_credits c JOIN bookings b ON b.id = c.booking_id
    WHERE b.status = 'confirmed' AND b.rotating_host_id IS NOT NULL
) AS counted
GROUP BY booking_type_id, day, host_id
"""


def upgrade() -> None:
    op.add_column(
        "booking_types",
        sa.Column("catch_up_limit", sa.Integer(), nullable=False, server_default="3"),
    )
    op.create_table(
        "ledger_days",
        sa.Column("booking_type_id", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("host_id", sa.String(length=40), nullable=False),
        sa.Column("bookings", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Float(), nullable=False),
        sa.Column("last_assigned", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_type_id"],
            ["booking_types.id"],
            name=op.f("fk_ledger_days_booking_type_id_booking_types"),
        ),
        sa.ForeignKeyConstraint(
            ["host_id"], ["hosts.id"], name=op.f("fk_ledger_days_host_id_hosts")
        ),
        sa.PrimaryKeyConstraint("booking_type_id", "day", "host_id", name=op.f("pk_ledger_days")),
    )
    columns = "booking_type_id, day, host_id, bookings, expected, last_assigned"
    op.execute(f"INSERT INTO ledger_days ({columns}) {_BY_DAY}")
    op.execute(
        f"""
        INSERT INTO ledger_days ({columns})
        SELECT booking_type_id, {ALL_TIME_DAY}, host_id,
               SUM(bookings), SUM(expected), MAX(last_assigned)
        FROM ledger_days GROUP BY booking_type_id, host_id
        """
    )


def downgrade() -> None:
    op.drop_table("ledger_days")
    op.drop_column("booking_types", "catch_up_limit")
