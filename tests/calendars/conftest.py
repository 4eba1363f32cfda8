from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.calendars.radicale_server import Radicale, running_radicale


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    with running_radicale(tmp_path_factory.mktemp("radicale")) as server:
        yield server
