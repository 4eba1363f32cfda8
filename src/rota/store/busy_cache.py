"""What slot listings read of each host's busy time, kept while the host is unchanged.

A busy team is listed far more often than its calendars change. Every host row carries
a busy version that the database itself raises (triggers, migration 0009) in the
transaction that adds, changes or removes one of its busy blocks, time off ranges or
bookings, whichever process or path writes it. A listing reads the versions with the
hosts' schedules, as it always did, and reads busy time again only for the hosts whose
version moved since it was kept; the rest comes from here.

The versions are read before the busy time, so what is kept is never older than the
version it is filed under. Bookings never read from here: they read under the hosts'
locks, as before.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from rota.engine import model


@dataclass(frozen=True, slots=True)
class Kept:
    """A host's busy time and time off over one range, as of one busy version."""

    version: int
    busy: model.SpanArray
    time_off: model.SpanArray


class BusyCache:
    """The busy time of the hosts listed lately, per host and range, the least recently
    used forgotten first beyond `capacity` entries. Safe to share between threads."""

    def __init__(self, capacity: int = 5_000) -> None:
        self.capacity = capacity
        self._kept: OrderedDict[tuple[str, int, int], Kept] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, host_id: str, start: int, end: int, version: int) -> Kept | None:
        """What was kept of the host over ``[start, end)`` if its version is still
        `version`."""
        key = (host_id, start, end)
        with self._lock:
            kept = self._kept.get(key)
            if kept is None or kept.version != version:
                return None
            self._kept.move_to_end(key)
            return kept

    def put(self, host_id: str, start: int, end: int, kept: Kept) -> None:
        key = (host_id, start, end)
        with self._lock:
            self._kept[key] = kept
            self._kept.move_to_end(key)
            while len(self._kept) > self.capacity:
                self._kept.popitem(last=False)

    def __len__(self) -> int:
        return len(self._kept)
