from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rota.notify.transport import SmtpTransport, parse_smtp_url
from tests.notify.smtp_server import SmtpServer, running_smtp
from tests.notify.stack import SECRET_KEY, Stack, running_stack


@pytest.fixture(autouse=True)
def private_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    """The servers of these tests (receivers, feeds, Radicale) listen on loopback,
    which rota.outbound refuses unless allowed."""
    monkeypatch.setenv("ROTA_ALLOW_PRIVATE_URLS", "1")


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    with running_smtp() as server:
        yield server


@pytest.fixture
def smtp_tls_server(tmp_path: Path) -> Iterator[SmtpServer]:
    with running_smtp(tmp_path) as server:
        yield server


@pytest.fixture
def stack(
    tmp_path: Path, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Stack]:
    """rota with its emails going to the test SMTP server."""
    monkeypatch.setenv("ROTA_SECRET_KEY", SECRET_KEY)
    monkeypatch.setenv("ROTA_MAIL_FROM", "bookings@acme.example")
    transport = SmtpTransport(parse_smtp_url(f"smtp://{smtp_server.host}:{smtp_server.port}"))
    with running_stack(tmp_path, transport) as running:
        yield running
