"""A pytest plugin for mutation runs (tools/mutation.py).

- The quickest tests first: mutmut stops a mutant's run at the first failing test, so a
  mutant that some quick test kills should not wait for the slow ones to pass first.
  Durations come from mutmut's own stats of the clean run (absent while it collects them).
- No answer cached before the mutation: mutmut forks each mutant's run from a process that
  has run the tests on the code as written, so the engine's ``functools`` caches (zones,
  weekly hours) would hand a mutant the right answers. They are emptied first.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

STATS = Path("mutmut-stats.json")


def pytest_sessionstart(session: pytest.Session) -> None:
    for name, module in list(sys.modules.items()):
        if name == "rota" or name.startswith("rota."):
            for value in list(vars(module).values()):
                clear = getattr(value, "cache_clear", None)
                if callable(clear):
                    clear()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not STATS.exists():
        return
    durations = json.loads(STATS.read_text())["duration_by_test"]
    items.sort(key=lambda item: durations.get(item.nodeid, 0.0))
