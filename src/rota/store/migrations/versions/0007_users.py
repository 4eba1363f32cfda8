"""People: users (admins and members, a member being one host of the team), their
one-time sign-in links, and Hub sessions opened by a user rather than an API key.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("org_id", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("email_key", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("host_id", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name=op.f("fk_users_org_id_organizations")
        ),
        sa.ForeignKeyConstraint(["host_id"], ["hosts.id"], name=op.f("fk_users_host_id_hosts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
    )
    op.create_index(op.f("ix_users_org_id"), "users", ["org_id"])
    op.create_index("uq_users_org_email", "users", ["org_id", "email_key"], unique=True)
    op.create_table(
        "sign_in_links",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("used_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sign_in_links_user_id_users")
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_sign_in_links")),
    )
    op.create_index(op.f("ix_sign_in_links_user_id"), "sign_in_links", ["user_id"])
    # hub_sessions is referred to by no table, so SQLite's batch copy (needed to make
    # api_key_id nullable) is safe here.
    with op.batch_alter_table("hub_sessions") as batch:
        batch.alter_column("api_key_id", existing_type=sa.String(length=40), nullable=True)
        batch.add_column(sa.Column("user_id", sa.String(length=40), nullable=True))
        batch.create_foreign_key(
            op.f("fk_hub_sessions_user_id_users"), "users", ["user_id"], ["id"]
        )


def downgrade() -> None:
    op.execute("DELETE FROM hub_sessions WHERE user_id IS NOT NULL")
    with op.batch_alter_table("hub_sessions") as batch:
        batch.drop_constraint(op.f("fk_hub_sessions_user_id_users"), type_="foreignkey")
        batch.drop_column("user_id")
        batch.alter_column("api_key_id", existing_type=sa.String(length=40), nullable=False)
    op.drop_table("sign_in_links")
    op.drop_table("users")
