"""A pytest plugin for mutation runs (tools/mutation.py): the quickest tests first.

mutmut stops a mutant's run at the first failing test, so a mutant that some quick test
kills should not wait for the slow ones to pass first. Durations come from mutmut's own
stats of the clean run (absent while it collects them).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

STATS = Path("mutmut-stats.json")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not STATS.exists():
        return
    durations = json.loads(STATS.read_text())["duration_by_test"]
    items.sort(key=lambda item: durations.get(item.nodeid, 0.0))
