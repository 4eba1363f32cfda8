from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.calendars.radicale_server import Radicale, running_radicale
from tests.notify.stack import SECRET_KEY, Stack, running_stack


@pytest.fixture(autouse=True)
def private_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    """The servers of these tests (receivers, feeds, Radicale) listen on loopback,
    which rota.outbound refuses unless allowed."""
    monkeypatch.setenv("ROTA_ALLOW_PRIVATE_URLS", "1")


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    with running_radicale(tmp_path_factory.mktemp("radicale")) as server:
        yield server


@pytest.fixture
def stack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stack]:
    """rota with emails written to a folder; calendar passwords under the test key."""
    monkeypatch.setenv("ROTA_SECRET_KEY", SECRET_KEY)
    with running_stack(tmp_path) as running:
        yield running
