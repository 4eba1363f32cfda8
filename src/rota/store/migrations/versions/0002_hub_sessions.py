"""Booking Hub sessions kept in the database, so that signing out (or revoking the
API key used to sign in) ends a session even where a copy of its cookie survives.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("org_id", sa.String(length=40), nullable=False),
        sa.Column("api_key_id", sa.String(length=40), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("revoked_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["api_key_id"], ["api_keys.id"], name=op.f("fk_hub_sessions_api_key_id_api_keys")
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name=op.f("fk_hub_sessions_org_id_organizations")
        ),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_hub_sessions")),
    )
    op.create_index(op.f("ix_hub_sessions_org_id"), "hub_sessions", ["org_id"], unique=False)
    op.create_index(
        op.f("ix_hub_sessions_expires_at"), "hub_sessions", ["expires_at"], unique=False
    )


def downgrade() -> None:
    op.drop_table("hub_sessions")
