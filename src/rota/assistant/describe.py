"""Plans and questions in words, with times in the asker's zone."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from rota.assistant.plan import Appointment


def moment(at: datetime, zone: ZoneInfo) -> str:
    local = at.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %H:%M}"


def day(at: datetime, zone: ZoneInfo) -> str:
    local = at.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b}"


def span(start: datetime, end: datetime, zone: ZoneInfo) -> str:
    """ "on Wed 2 Dec" for whole days, else "from … to …"."""
    first, last = start.astimezone(zone), end.astimezone(zone)
    if first.time() == time(0) and last.time() == time(0):
        days = (last.date() - first.date()).days
        if days == 1:
            return f"on {day(start, zone)}"
        if days > 1:
            return f"from {day(start, zone)} to {day(end - timedelta(days=1), zone)}"
    if last.time() == time(0):
        return f"from {moment(start, zone)} to the end of {day(end - timedelta(days=1), zone)}"
    if first.date() == last.date():
        return f"on {day(start, zone)} from {first:%H:%M} to {last:%H:%M}"
    return f"from {moment(start, zone)} to {moment(end, zone)}"


def booking(item: Appointment, zone: ZoneInfo) -> str:
    kind = item.booking_type or "meeting"
    return f"{item.attendee_name}'s {kind} ({moment(item.start, zone)})"
