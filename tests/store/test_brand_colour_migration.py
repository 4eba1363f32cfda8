"""Migration 0010 (an organization's colour) on SQLite and PostgreSQL: it adds the
column the table declares, and going back and forth keeps the organizations."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from rota.service import orgs
from rota.store.db import Database
from rota.store.migrate import alembic_config
from rota.store.tables import Organization


def _columns(db: Database) -> dict[str, bool]:
    return {c["name"]: c["nullable"] for c in inspect(db.engine).get_columns("organizations")}


def test_the_colour_column_comes_and_goes_with_the_migration(db: Database) -> None:
    org_id = orgs.ensure_org(db, "acme", "Acme")
    orgs.update_org(db, org_id, {"brand_colour": "#1a73e8"})
    assert _columns(db) == {c.name: bool(c.nullable) for c in Organization.__table__.columns}
    assert _columns(db)["brand_colour"] is True

    config = alembic_config(db.engine)
    command.downgrade(config, "0009")
    assert "brand_colour" not in _columns(db)
    command.upgrade(config, "head")

    org = orgs.get_org(db, org_id)
    assert (org.name, org.brand_colour) == ("Acme", None)
