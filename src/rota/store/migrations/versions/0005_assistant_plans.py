"""The assistant's plans awaiting confirmation (10 minutes, run at most once).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assistant_plans",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("org_id", sa.String(length=40), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("confirmed_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name=op.f("fk_assistant_plans_org_id_organizations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistant_plans")),
    )
    op.create_index(op.f("ix_assistant_plans_org_id"), "assistant_plans", ["org_id"])
    op.create_index(op.f("ix_assistant_plans_expires_at"), "assistant_plans", ["expires_at"])


def downgrade() -> None:
    op.drop_table("assistant_plans")
