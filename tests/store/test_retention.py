"""Retention: sent outbox messages and idempotency keys past the period, and ended Hub
sessions, are deleted by `rota purge` and by the worker; everything else stays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from rota import outbound
from rota.cli import app
from rota.notify import runner
from rota.service import orgs
from rota.store import retention
from rota.store.db import Database
from rota.store.tables import ApiKey, HubSession, IdempotencyKey, OutboxMessage

NOW = datetime.now(UTC)
OLD = NOW - timedelta(days=40)
RECENT = NOW - timedelta(days=5)


def fill(db: Database) -> None:
    """Rows of every kind, on each side of a 30-day period."""
    orgs.create_key(db, "acme")
    with db.write() as session:
        org_id = session.scalar(select(ApiKey.org_id))
        key_id = session.scalar(select(ApiKey.id))
        assert org_id and key_id

        def message(name: str, status: str, at: datetime) -> OutboxMessage:
            return OutboxMessage(
                id=name,
                org_id=org_id,
                kind="webhook",
                payload="{}",
                status=status,
                attempts=1,
                next_attempt_at=NOW + timedelta(days=1),  # not due: the worker leaves them
                created_at=at,
                sent_at=at if status == "sent" else None,
            )

        def hub_session(name: str, expires: datetime, revoked: datetime | None) -> HubSession:
            return HubSession(
                id_hash=name,
                org_id=org_id,
                api_key_id=key_id,
                csrf_token="t",
                timezone="UTC",
                created_at=OLD,
                expires_at=expires,
                revoked_at=revoked,
            )

        session.add_all(
            [
                message("old-sent", "sent", OLD),
                message("recent-sent", "sent", RECENT),
                message("old-failed", "failed", OLD),
                message("old-pending", "pending", OLD),
                IdempotencyKey(
                    org_id=org_id,
                    key="old",
                    request_hash="h",
                    status_code=201,
                    response_body="{}",
                    created_at=OLD,
                ),
                IdempotencyKey(
                    org_id=org_id,
                    key="recent",
                    request_hash="h",
                    status_code=201,
                    response_body="{}",
                    created_at=RECENT,
                ),
                hub_session("expired", NOW - timedelta(minutes=1), None),
                hub_session("signed-out", NOW + timedelta(hours=1), RECENT),
                hub_session("live", NOW + timedelta(hours=1), None),
            ]
        )


def left(db: Database) -> tuple[set[str], set[str], set[str]]:
    with db.read() as session:
        return (
            set(session.scalars(select(OutboxMessage.id))),
            set(session.scalars(select(IdempotencyKey.key))),
            set(session.scalars(select(HubSession.id_hash))),
        )


KEPT = (
    {"recent-sent", "old-failed", "old-pending"},
    {"recent"},
    {"live"},
)


def test_purge_deletes_only_what_the_period_no_longer_keeps(db: Database) -> None:
    fill(db)
    purged = retention.purge(db, timedelta(days=30))
    assert purged == retention.Purged(sent_messages=1, idempotency_keys=1, hub_sessions=2)
    assert left(db) == KEPT
    assert retention.purge(db, timedelta(days=30)) == retention.Purged(0, 0, 0)
    # A shorter period reaches the recent rows too.
    assert retention.purge(db, timedelta(days=1)).sent_messages == 1


def test_rota_purge_uses_days_or_the_environment(
    db: Database, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(db)
    runner_ = CliRunner()
    monkeypatch.setenv("ROTA_RETENTION_DAYS", "60")
    result = runner_.invoke(app, ["purge", "--database-url", database_url])
    assert result.exit_code == 0, result.output
    assert "deleted 0 sent messages and 0 idempotency keys older than 60 days" in result.output
    assert "and 2 ended Hub sessions" in result.output
    result = runner_.invoke(app, ["purge", "--days", "30", "--database-url", database_url])
    assert result.exit_code == 0, result.output
    assert "deleted 1 sent messages and 1 idempotency keys older than 30 days" in result.output
    assert left(db) == KEPT
    monkeypatch.setenv("ROTA_RETENTION_DAYS", "forever")
    refused = runner_.invoke(app, ["purge", "--database-url", database_url])
    assert refused.exit_code == 1
    assert "ROTA_RETENTION_DAYS='forever'" in refused.output


def test_the_worker_purges(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fill(db)
    monkeypatch.setenv("ROTA_OUTBOX_DIR", str(tmp_path))
    monkeypatch.delenv("ROTA_SMTP_URL", raising=False)
    monkeypatch.setenv("ROTA_RETENTION_DAYS", "30")
    settings = runner.WorkerSettings.from_env()
    assert settings.retention == timedelta(days=30)
    with outbound.client() as http:
        worker, _ = runner.build(db, settings, http)
        worker.run_periodic()
    assert left(db) == KEPT
