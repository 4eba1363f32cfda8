"""Initial schema: organizations, keys, hosts and their time, booking types and
their pools, bookings with hosts, fairness credits and history, idempotency keys,
and the notify/calendar tables (outbox, webhooks, host calendars).

Instants are BIGINT microseconds since the epoch, UTC (see rota.store.tables).

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

NO_OVERLAP = """
ALTER TABLE booking_hosts ADD CONSTRAINT booking_hosts_no_overlap
EXCLUDE USING gist (host_id WITH =, int8range(busy_start, busy_end) WITH &&)
WHERE (active)
"""


def upgrade() -> None:
    op.create_table(
        "organizations",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
        sa.UniqueConstraint("slug", name=op.f("uq_organizations_slug")),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("org_id", sa.String(length=40), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("revoked_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name=op.f("fk_api_keys_org_id_organizations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
    )
    op.create_index(op.f("ix_api_keys_org_id"), "api_keys", ["org_id"], unique=False)

    op.create_table(
        "booking_types",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("org_id", sa.String(length=40), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("host_mode", sa.String(length=16), nullable=False),
        sa.Column("slot_interval_minutes", sa.Integer(), nullable=True),
        sa.Column("buffer_before_minutes", sa.Integer(), nullable=False),
        sa.Column("buffer_after_minutes", sa.Integer(), nullable=False),
        sa.Column("minimum_notice_minutes", sa.Integer(), nullable=False),
        sa.Column("booking_window_days", sa.Integer(), nullable=False),
        sa.Column("rotation", sa.String(length=16), nullable=False),
        sa.Column("fairness_window_days", sa.Integer(), nullable=False),
        sa.Column("max_bookings_per_host_per_day", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("deleted_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name=op.f("fk_booking_types_org_id_organizations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_types")),
    )
    op.create_index(op.f("ix_booking_types_org_id"), "booking_types", ["org_id"], unique=False)
    op.create_index(
        "uq_booking_types_org_slug_live",
        "booking_types",
        ["org_id", "slug"],
        unique=True,
        sqlite_where=sa.text("deleted_at IS NULL"),
        postgresql_where=sa.text("deleted_at IS NULL"),
    )

    op.create_table(
        "hosts",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("org_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("working_hours", sa.JSON(), nullable=False),
        sa.Column("date_overrides", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("deleted_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name=op.f("fk_hosts_org_id_organizations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hosts")),
    )
    op.create_index(op.f("ix_hosts_org_id"), "hosts", ["org_id"], unique=False)

    op.create_table(
        "idempotency_keys",
        sa.Column("org_id", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response_body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name=op.f("fk_idempotency_keys_org_id_organizations")
        ),
        sa.PrimaryKeyConstraint("org_id", "key", name=op.f("pk_idempotency_keys")),
    )
    op.create_table(
        "webhooks",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("org_id", sa.String(length=40), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("secret", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name=op.f("fk_webhooks_org_id_organizations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhooks")),
    )
    op.create_index(op.f("ix_webhooks_org_id"), "webhooks", ["org_id"], unique=False)

    op.create_table(
        "booking_type_hosts",
        sa.Column("booking_type_id", sa.String(length=40), nullable=False),
        sa.Column("host_id", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("fixed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_type_id"],
            ["booking_types.id"],
            name=op.f("fk_booking_type_hosts_booking_type_id_booking_types"),
        ),
        sa.ForeignKeyConstraint(
            ["host_id"], ["hosts.id"], name=op.f("fk_booking_type_hosts_host_id_hosts")
        ),
        sa.PrimaryKeyConstraint("booking_type_id", "host_id", name=op.f("pk_booking_type_hosts")),
    )
    op.create_index(
        op.f("ix_booking_type_hosts_host_id"), "booking_type_hosts", ["host_id"], unique=False
    )

    op.create_table(
        "bookings",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("org_id", sa.String(length=40), nullable=False),
        sa.Column("booking_type_id", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("start_at", sa.BigInteger(), nullable=False),
        sa.Column("end_at", sa.BigInteger(), nullable=False),
        sa.Column("buffer_before_minutes", sa.Integer(), nullable=False),
        sa.Column("buffer_after_minutes", sa.Integer(), nullable=False),
        sa.Column("rotating_host_id", sa.String(length=40), nullable=True),
        sa.Column("attendee_name", sa.String(length=200), nullable=False),
        sa.Column("attendee_email", sa.String(length=320), nullable=False),
        sa.Column("attendee_timezone", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("assigned_at", sa.BigInteger(), nullable=False),
        sa.Column("cancelled_at", sa.BigInteger(), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("manage_token", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_type_id"],
            ["booking_types.id"],
            name=op.f("fk_bookings_booking_type_id_booking_types"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name=op.f("fk_bookings_org_id_organizations")
        ),
        sa.ForeignKeyConstraint(
            ["rotating_host_id"], ["hosts.id"], name=op.f("fk_bookings_rotating_host_id_hosts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bookings")),
        sa.UniqueConstraint("manage_token", name=op.f("uq_bookings_manage_token")),
    )
    op.create_index(op.f("ix_bookings_org_id"), "bookings", ["org_id"], unique=False)
    op.create_index("ix_bookings_org_start", "bookings", ["org_id", "start_at", "id"], unique=False)
    op.create_index(
        "ix_bookings_type_assigned", "bookings", ["booking_type_id", "assigned_at"], unique=False
    )

    op.create_table(
        "busy_blocks",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("host_id", sa.String(length=40), nullable=False),
        sa.Column("start_at", sa.BigInteger(), nullable=False),
        sa.Column("end_at", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("external_uid", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["host_id"], ["hosts.id"], name=op.f("fk_busy_blocks_host_id_hosts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_busy_blocks")),
    )
    op.create_index(
        "ix_busy_blocks_host_external_uid",
        "busy_blocks",
        ["host_id", "source", "external_uid"],
        unique=False,
    )
    op.create_index(
        "ix_busy_blocks_host_span", "busy_blocks", ["host_id", "end_at", "start_at"], unique=False
    )

    op.create_table(
        "host_calendars",
        sa.Column("host_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("username", sa.String(length=200), nullable=True),
        sa.Column("password_encrypted", sa.Text(), nullable=True),
        sa.Column("last_synced_at", sa.BigInteger(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["host_id"], ["hosts.id"], name=op.f("fk_host_calendars_host_id_hosts")
        ),
        sa.PrimaryKeyConstraint("host_id", name=op.f("pk_host_calendars")),
    )
    op.create_table(
        "time_off",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("host_id", sa.String(length=40), nullable=False),
        sa.Column("start_at", sa.BigInteger(), nullable=False),
        sa.Column("end_at", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["host_id"], ["hosts.id"], name=op.f("fk_time_off_host_id_hosts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_time_off")),
    )
    op.create_index(
        "ix_time_off_host_span", "time_off", ["host_id", "end_at", "start_at"], unique=False
    )

    op.create_table(
        "booking_credits",
        sa.Column("booking_id", sa.String(length=40), nullable=False),
        sa.Column("host_id", sa.String(length=40), nullable=False),
        sa.Column("credit", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_booking_credits_booking_id_bookings")
        ),
        sa.ForeignKeyConstraint(
            ["host_id"], ["hosts.id"], name=op.f("fk_booking_credits_host_id_hosts")
        ),
        sa.PrimaryKeyConstraint("booking_id", "host_id", name=op.f("pk_booking_credits")),
    )
    op.create_table(
        "booking_history",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("booking_id", sa.String(length=40), nullable=False),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("host_ids", sa.JSON(), nullable=False),
        sa.Column("from_host_ids", sa.JSON(), nullable=True),
        sa.Column("by", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_booking_history_booking_id_bookings")
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_booking_history")),
    )
    op.create_index(
        op.f("ix_booking_history_booking_id"), "booking_history", ["booking_id"], unique=False
    )

    op.create_table(
        "booking_hosts",
        sa.Column("booking_id", sa.String(length=40), nullable=False),
        sa.Column("host_id", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("busy_start", sa.BigInteger(), nullable=False),
        sa.Column("busy_end", sa.BigInteger(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_booking_hosts_booking_id_bookings")
        ),
        sa.ForeignKeyConstraint(
            ["host_id"], ["hosts.id"], name=op.f("fk_booking_hosts_host_id_hosts")
        ),
        sa.PrimaryKeyConstraint("booking_id", "host_id", name=op.f("pk_booking_hosts")),
    )
    op.create_index(
        "ix_booking_hosts_host_busy",
        "booking_hosts",
        ["host_id", "busy_end", "busy_start"],
        unique=False,
    )

    op.create_table(
        "outbox",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("org_id", sa.String(length=40), nullable=False),
        sa.Column("booking_id", sa.String(length=40), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.BigInteger(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("sent_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_outbox_booking_id_bookings")
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name=op.f("fk_outbox_org_id_organizations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    op.create_index(op.f("ix_outbox_org_id"), "outbox", ["org_id"], unique=False)
    op.create_index("ix_outbox_status_next", "outbox", ["status", "next_attempt_at"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        # The database itself refuses two active bookings of one host whose
        # buffered times overlap, whatever the application does.
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(NO_OVERLAP)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE booking_hosts DROP CONSTRAINT IF EXISTS booking_hosts_no_overlap")
    op.drop_table("outbox")
    op.drop_table("booking_hosts")
    op.drop_table("booking_history")
    op.drop_table("booking_credits")
    op.drop_table("time_off")
    op.drop_table("host_calendars")
    op.drop_table("busy_blocks")
    op.drop_table("bookings")
    op.drop_table("booking_type_hosts")
    op.drop_table("webhooks")
    op.drop_table("idempotency_keys")
    op.drop_table("hosts")
    op.drop_table("booking_types")
    op.drop_table("api_keys")
    op.drop_table("organizations")
