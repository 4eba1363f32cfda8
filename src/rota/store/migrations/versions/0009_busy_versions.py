"""Each host's busy version: a number the database raises whenever the host's busy
time, time off or bookings change, so that a slot listing can keep what it read of a
host and read it again only once it changed (`rota.store.busy_cache`).

Triggers raise it, so no way of writing those rows can forget to. On PostgreSQL they
run once per statement and take the hosts' rows in id order, the order every writer
locks hosts in (`rota.store.locking`), so they add no deadlock.

SQLite drops a table's triggers when a batch migration rebuilds that table: a later
migration that rebuilds ``busy_blocks``, ``time_off`` or ``booking_hosts`` creates them
again (`create_triggers`).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TABLES = ("busy_blocks", "time_off", "booking_hosts")

_POSTGRES_BUMP = """
CREATE FUNCTION rota_bump_busy_versions(ids varchar[]) RETURNS void LANGUAGE sql AS $$
    WITH locked AS (SELECT id FROM hosts WHERE id = ANY(ids) ORDER BY id FOR UPDATE)
    UPDATE hosts SET busy_version = busy_version + 1 WHERE id IN (SELECT id FROM locked)
$$
"""

# One function per kind of statement: each sees the transition tables its trigger names.
_POSTGRES_ON = {
    "INSERT": ("REFERENCING NEW TABLE AS new_rows", "SELECT host_id FROM new_rows"),
    "UPDATE": (
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "SELECT host_id FROM old_rows UNION SELECT host_id FROM new_rows",
    ),
    "DELETE": ("REFERENCING OLD TABLE AS old_rows", "SELECT host_id FROM old_rows"),
}

_SQLITE_ON = {
    "INSERT": "id = NEW.host_id",
    "UPDATE": "id IN (OLD.host_id, NEW.host_id)",
    "DELETE": "id = OLD.host_id",
}


def create_triggers(dialect: str, table: str) -> None:
    for event in ("INSERT", "UPDATE", "DELETE"):
        name = f"{table}_busy_version_{event.lower()}"
        if dialect == "postgresql":
            referencing, changed = _POSTGRES_ON[event]
            op.execute(
                f"""
                CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM rota_bump_busy_versions(ARRAY({changed}));
                    RETURN NULL;
                END $$
                """
            )
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )
        else:
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN "
                f"UPDATE hosts SET busy_version = busy_version + 1 WHERE {_SQLITE_ON[event]}; "
                "END"
            )


def upgrade() -> None:
    op.add_column(
        "hosts", sa.Column("busy_version", sa.BigInteger(), nullable=False, server_default="0")
    )
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(_POSTGRES_BUMP)
    for table in TABLES:
        create_triggers(dialect, table)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in TABLES:
        for event in ("insert", "update", "delete"):
            name = f"{table}_busy_version_{event}"
            if dialect == "postgresql":
                op.execute(f"DROP TRIGGER {name} ON {table}")
                op.execute(f"DROP FUNCTION {name}()")
            else:
                op.execute(f"DROP TRIGGER {name}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION rota_bump_busy_versions(varchar[])")
    op.drop_column("hosts", "busy_version")
