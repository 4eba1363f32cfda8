"""An organization's colour (issue 11): its booking and manage pages use it as their
accent. A ``#rrggbb`` hex string, or null for rota's own look; a plain added column,
which SQLite and PostgreSQL both add in place.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("organizations", sa.Column("brand_colour", sa.String(length=7), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organizations") as batch:
        batch.drop_column("brand_colour")
