"""``ROTA_TEST_TODAY=2027-07-04T12:00:00+00:00`` runs the tests as if that were now (the
clock ticks on from there), to check that they pass on any date, in either season of
daylight saving time. Only this process's clock moves: PostgreSQL, OpenSSL, and the
servers and workers the tests start in other processes keep the real one, so leave
those tests out::

    ROTA_TEST_TODAY=2027-07-04T12:00:00+00:00 .venv/bin/pytest -n 2 \
        -m "not postgres and not browser" --ignore tests/api/test_concurrency.py \
        --ignore tests/notify/test_worker_crash.py --ignore tests/notify/test_serve_worker.py \
        --ignore tests/test_cli_server.py
"""

from __future__ import annotations

import os
from datetime import datetime

import pytest
import time_machine


def pytest_configure(config: pytest.Config) -> None:
    today = os.environ.get("ROTA_TEST_TODAY")
    if today:
        traveller = time_machine.travel(datetime.fromisoformat(today), tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)
