from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.notify.smtp_server import SmtpServer, running_smtp


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    with running_smtp() as server:
        yield server


@pytest.fixture
def smtp_tls_server(tmp_path: Path) -> Iterator[SmtpServer]:
    with running_smtp(tmp_path) as server:
        yield server
