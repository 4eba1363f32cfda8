"""Picking a time: a month calendar of the days with free times, then the day's times.

Everything is laid out in the booker's timezone: a day is a day on their wall
clock, and a slot belongs to the day it starts on there. The state of the
picker (zone, month, day, chosen start) lives in the address, so each step is
a link that works without JavaScript and can be bookmarked or shared.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from rota import engine
from rota.service import slots
from rota.store.db import Database
from rota.web import form_dates
from rota.web.templating import is_timezone


@dataclass(frozen=True, slots=True)
class Choice:
    """What the booker has chosen so far, read from the address."""

    timezone: str
    detected: bool
    """False when the address named no zone: the page then asks the browser for it."""
    month: date
    """The first day of the month shown."""
    day: date | None = None
    start: datetime | None = None


@dataclass(frozen=True, slots=True)
class Day:
    date: date
    available: bool
    selected: bool
    link: str


@dataclass(frozen=True, slots=True)
class Time:
    slot: engine.Slot
    start: datetime
    end: datetime
    chosen: bool
    link: str


@dataclass(slots=True)
class Picker:
    choice: Choice
    base: str
    """The page's own path: every link of the picker goes back to it."""
    weeks: list[list[Day | None]] = field(default_factory=list)
    day: date | None = None
    times: list[Time] = field(default_factory=list)
    chosen: Time | None = None
    previous_month: str | None = None
    next_month: str | None = None
    first_weekday: int = 0
    """Monday 0 … Sunday 6: the column the weeks start with (Sunday in the US)."""

    @property
    def weekday_order(self) -> list[int]:
        return [(self.first_weekday + n) % 7 for n in range(7)]

    def link(self, **params: str | None) -> str:
        query = {"tz": self.choice.timezone, **params}
        return f"{self.base}?{urlencode({k: v for k, v in query.items() if v})}"


def _month(text: str | None, today: date) -> date:
    if text:
        first = form_dates.day(f"{text}-01") if len(text) == 7 else None
        # The month after must exist too: the picker links to it.
        if first is not None and form_dates.day(f"{_next_month(first):%Y-%m-%d}") is not None:
            return first
    return today.replace(day=1)


_day = form_dates.day
_instant = form_dates.instant


def read_choice(params: Mapping[str, str], now: datetime, fallback_zone: str = "UTC") -> Choice:
    """The picker's state from the query string; anything malformed is ignored."""
    zone = params.get("tz", "")
    detected = is_timezone(zone)
    if not detected:
        zone = fallback_zone
    start = _instant(params.get("start"))
    day = _day(params.get("day"))
    if start is not None and day is None:
        day = start.astimezone(ZoneInfo(zone)).date()
    today = now.astimezone(ZoneInfo(zone)).date()
    month = _month(params.get("month"), day or today)
    return Choice(zone, detected, max(month, today.replace(day=1)), day, start)


def _next_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)


def _weeks(first: date, first_weekday: int) -> list[list[date | None]]:
    weeks = calendar.Calendar(firstweekday=first_weekday).monthdatescalendar(
        first.year, first.month
    )
    return [[day if day.month == first.month else None for day in week] for week in weeks]


def build(
    db: Database,
    org_id: str,
    slug: str,
    choice: Choice,
    *,
    base: str,
    window_days: int,
    now: datetime,
    first_weekday: int = 0,
) -> Picker:
    """The month of `choice` with its free days, and the times of the chosen day (or of
    the month's first free day when none is chosen); weeks start on `first_weekday`."""
    zone = ZoneInfo(choice.timezone)
    first, following = choice.month, _next_month(choice.month)
    offered = slots.list_slots(
        db,
        org_id,
        slug,
        datetime.combine(first, time(), zone).astimezone(UTC),
        datetime.combine(following, time(), zone).astimezone(UTC),
    )
    by_day: dict[date, list[engine.Slot]] = {}
    for slot in offered:
        by_day.setdefault(datetime.fromtimestamp(slot.start, zone).date(), []).append(slot)
    picker = Picker(choice, base, first_weekday=first_weekday)
    picker.day = choice.day if choice.day is not None else min(by_day, default=None)
    month_text = f"{first:%Y-%m}"
    for week in _weeks(first, first_weekday):
        picker.weeks.append(
            [
                None
                if day is None
                else Day(
                    day,
                    available=day in by_day,
                    selected=day == picker.day,
                    link=picker.link(month=month_text, day=day.isoformat()),
                )
                for day in week
            ]
        )
    for slot in by_day.get(picker.day, []) if picker.day else []:
        start = datetime.fromtimestamp(slot.start, UTC)
        end = datetime.fromtimestamp(slot.end, UTC)
        chosen = choice.start is not None and start == choice.start
        link = picker.link(month=month_text, day=str(picker.day), start=start.isoformat())
        picker.times.append(Time(slot, start, end, chosen, link))
    picker.chosen = next((t for t in picker.times if t.chosen), None)
    today = now.astimezone(zone).date()
    if first > today.replace(day=1):
        before = (first - timedelta(days=1)).replace(day=1)
        picker.previous_month = picker.link(month=f"{before:%Y-%m}")
    if following <= today + timedelta(days=window_days):
        picker.next_month = picker.link(month=f"{following:%Y-%m}")
    return picker
