"""Answering the assistant's questions from the use cases that know: Find a Time,
the distribution, the bookings list. Instants are ISO 8601 UTC, as in the API."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rota import assistant, engine
from rota.service import bookings, clock, distribution, find_a_time, hosts
from rota.store.db import Database

GRID_MINUTES = 15
SHOWN = 50
"""At most this many times or bookings in an answer."""


def answer(db: Database, org_id: str, question: assistant.Question) -> dict[str, Any]:
    match question:
        case assistant.FindATime(host_ids=host_ids, start=start, end=end, duration_minutes=m):
            found = find_a_time.find_a_time(
                db,
                org_id,
                host_ids=host_ids,
                optional_host_ids=(),
                duration_minutes=m,
                start=start,
                end=end,
                interval_minutes=GRID_MINUTES,
            )
            return {
                "host_ids": list(host_ids),
                "duration_minutes": m,
                "slots": [{"start": _iso(t.start), "end": _iso(t.end)} for t in found[:SHOWN]],
            }
        case assistant.WhoIsFree(start=start, end=end, duration_minutes=m):
            return _who_is_free(db, org_id, start, end, m)
        case assistant.HowIsTheDistribution(booking_type=slug):
            shared = distribution.distribution(db, org_id, slug)
            named = hosts.host_names(db, org_id)
            return {
                "booking_type": slug,
                "window_days": shared.window_days,
                "hosts": [
                    {
                        "host_id": s.host_id,
                        "name": named.get(s.host_id, s.host_id),
                        "bookings": s.bookings,
                        "expected": round(s.expected, 2),
                    }
                    for s in shared.hosts
                ],
            }
        case assistant.Agenda(host_id=host_id, start=start, end=end):
            page = bookings.list_bookings(
                db, org_id, host_id=host_id, status="confirmed", start=start, end=end, limit=SHOWN
            )
            return {
                "host_id": host_id,
                "bookings": [
                    {
                        "id": b.id,
                        "start": _iso(clock.epoch(b.start_at)),
                        "end": _iso(clock.epoch(b.end_at)),
                        "attendee_name": b.attendee_name,
                        "title": b.title,
                        "booking_type": b.booking_type.slug if b.booking_type else None,
                    }
                    for b in page.bookings
                ],
            }
    raise AssertionError(question)


def _who_is_free(
    db: Database, org_id: str, start: datetime, end: datetime, minutes: int
) -> dict[str, Any]:
    """Each host's free times of `minutes` in the range, merged into runs."""
    free = []
    for host in hosts.list_hosts(db, org_id):
        found = find_a_time.find_a_time(
            db,
            org_id,
            host_ids=[host.id],
            optional_host_ids=(),
            duration_minutes=minutes,
            start=start,
            end=end,
            interval_minutes=GRID_MINUTES,
        )
        if found:
            free.append({"host_id": host.id, "name": host.name, "times": _runs(found)})
    return {"start": _iso(clock.epoch(start)), "end": _iso(clock.epoch(end)), "free": free}


def _runs(found: list[engine.FreeTime]) -> list[dict[str, str]]:
    runs: list[list[int]] = []
    for t in found:
        if runs and t.start <= runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], t.end)
        else:
            runs.append([t.start, t.end])
    return [{"start": _iso(s), "end": _iso(e)} for s, e in runs]


def _iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat().replace("+00:00", "Z")
