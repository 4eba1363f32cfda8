"""Reading dates, times and durations in the asker's timezone.

A sentence is scanned for its date phrase: a run of date words ("thursday at
3pm", "8 dec 3pm", "tomorrow afternoon", "monday to wednesday"). The phrase is
read as a `When`: a moment when a time of day is given, else a span (a day, part
of a day, a week). Spans the library reads loosely are read here: parts of a day
(morning 9-12, afternoon 12-17, evening 17-21), this week (from now to Monday),
next week, ranges ("from X to Y", "until Friday"). Everything else goes to
dateparser, told the asker's zone and the current moment, preferring the future.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import dateparser.date  # type: ignore[import-untyped]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = tuple(
    re.findall(
        r"\w+",
        "january february march april june july august september october november december"
        " jan feb mar apr jun jul aug sep sept oct nov dec",
    )
)
PARTS = {"morning": (9, 12), "afternoon": (12, 17), "evening": (17, 21), "tonight": (18, 24)}
CORE = frozenset(
    (*WEEKDAYS, *(d[:3] for d in WEEKDAYS), "tues", "thur", "thurs", *MONTHS, *PARTS)
) | {"today", "tomorrow", "week", "weekend", "noon", "midnight", "days", "weeks"}
LEAD = frozenset({"this", "next", "coming", "from", "between", "until", "till", "in", "rest"})
JOIN = frozenset({"at", "on", "of", "the", "this", "next", "coming", "around", "about"})
SPAN = frozenset({"to", "until", "till", "through", "thru", "and", "-"})
CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))?(am|pm)?$")
NUMBER = re.compile(r"^(\d{1,2})(st|nd|rd|th)?$")
DURATION = re.compile(
    r"\b(?:for\s+)?(?:(an?|one|half an?|\d+(?:\.\d+)?)\s*(hours?|hrs?|h|minutes?|mins?|m)\b)"
)


@dataclass(frozen=True, slots=True)
class When:
    """A moment (``exact``: start == end) or a span ``[start, end)``, UTC."""

    start: datetime
    end: datetime
    exact: bool


def find_duration(text: str) -> tuple[int | None, str]:
    """Minutes of a duration said in `text` ("for 45 minutes", "an hour", "1.5h"),
    and the text without it (so "45" is not read as a date)."""
    match = DURATION.search(text)
    if match is None:
        return None, text
    amount, unit = match.group(1), match.group(2)
    count = {"a": 1.0, "an": 1.0, "one": 1.0}.get(amount)
    if count is None:
        count = 0.5 if amount.startswith("half") else float(amount)
    minutes = round(count * (60 if unit.startswith("h") else 1))
    return minutes, f"{text[: match.start()]} {text[match.end() :]}"


def _tokens(text: str) -> list[str]:
    text = re.sub(r"(\d)\s+(am|pm)\b", r"\1\2", text)
    text = re.sub(r"[,;!?]|\.(?=\s|$)", " , ", text)
    return text.split()


def _is_core(tokens: list[str], i: int) -> bool:
    word = tokens[i]
    if word in CORE:
        return True
    clock = CLOCK.match(word)
    if clock and (clock.group(2) or clock.group(3)):
        return True
    if NUMBER.match(word):
        # A bare number is a day of a month next to the month's name, or "in 3 days".
        near = tokens[max(0, i - 1) : i + 2]
        return any(w in MONTHS or w in ("days", "weeks") for w in near)
    return False


def phrases(text: str) -> list[str]:
    """The date phrases of `text` (lower case), in order."""
    tokens = _tokens(text)
    found: list[str] = []
    i = 0
    while i < len(tokens):
        if not (_is_core(tokens, i) or tokens[i] in LEAD):
            i += 1
            continue
        j, last_core = i, -1
        while j < len(tokens) and (
            _is_core(tokens, j) or tokens[j] in JOIN or tokens[j] in SPAN or tokens[j] in LEAD
        ):
            if _is_core(tokens, j):
                last_core = j
            j += 1
        if last_core >= 0:
            first = i
            while tokens[first] in ("to", "and", "-", "at", "on", "of", "the"):
                first += 1
            found.append(" ".join(tokens[first : last_core + 1]))
            i = last_core + 1
        else:
            i = j + 1
    return found


def find_when(text: str, zone: ZoneInfo, now: datetime) -> tuple[When | None, str]:
    """The first date phrase of `text` that reads, and the text without it."""
    for phrase in phrases(text):
        when = read(phrase, zone, now)
        if when is not None:
            return when, text.replace(phrase, " ", 1)
    return None, text


def _day(day: date, zone: ZoneInfo, hours: tuple[int, int] = (0, 24)) -> When:
    midnight = datetime.combine(day, time(0), tzinfo=zone)
    start = (midnight + timedelta(hours=hours[0])).replace(tzinfo=None)
    end = (midnight + timedelta(hours=hours[1])).replace(tzinfo=None)
    return When(_utc(start, zone), _utc(end, zone), exact=False)


def _utc(wall: datetime, zone: ZoneInfo) -> datetime:
    return wall.replace(tzinfo=zone).astimezone(UTC)


def _span(start: When, end: When) -> When | None:
    upto = end.start if end.exact else end.end
    return When(start.start, upto, exact=False) if upto > start.start else None


def read(phrase: str, zone: ZoneInfo, now: datetime) -> When | None:
    """`phrase` as a moment or a span in `zone`, or None when it does not read."""
    phrase = re.sub(r"^(?:on|at|by|the)\s+", "", phrase.strip())
    local = now.astimezone(zone)
    today = local.date()
    ranged = re.fullmatch(
        r"(?:from\s+|between\s+)?(.+?)\s+(?:to|until|till|through|thru|and|-)\s+(.+)", phrase
    )
    if ranged:
        left = read(ranged.group(1), zone, now)
        if left is None:
            return None
        # "monday to wednesday": the second is read from the first, not from now.
        right = read(ranged.group(2), zone, max(now, left.start))
        return _span(left, right) if right else None
    upto = re.fullmatch(r"(?:until|till|through|thru)\s+(.+)", phrase)
    if upto:
        end = read(upto.group(1), zone, now)
        return _span(When(now, now, exact=True), end) if end else None
    monday = today - timedelta(days=today.weekday())
    if phrase in ("this week", "the rest of the week", "rest of the week", "week"):
        week_end = _day(monday + timedelta(days=6), zone).end
        return When(now, week_end, exact=False)
    if phrase in ("next week", "the coming week"):
        first = _day(monday + timedelta(days=7), zone)
        return When(first.start, _day(monday + timedelta(days=13), zone).end, exact=False)
    if phrase in ("this weekend", "weekend", "the weekend"):
        saturday = monday + timedelta(days=5)
        return When(_day(saturday, zone).start, _day(saturday + timedelta(days=1), zone).end, False)
    part = re.fullmatch(r"(?:(.+?)\s+)?(morning|afternoon|evening|tonight)", phrase)
    if part:
        said = part.group(1)
        if said in (None, "this", "today", "tonight"):
            day: date | None = today
        else:
            whole = read(said, zone, now)
            day = whole.start.astimezone(zone).date() if whole and not whole.exact else None
        return None if day is None else _day(day, zone, PARTS[part.group(2)])
    if phrase == "today":
        return _day(today, zone)
    if phrase == "tomorrow":
        return _day(today + timedelta(days=1), zone)
    return _parsed(phrase, zone, local)


def _parsed(phrase: str, zone: ZoneInfo, local: datetime) -> When | None:
    settings: dict[str, Any] = {
        "TIMEZONE": str(zone.key),
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": local.replace(tzinfo=None),
        "RETURN_TIME_AS_PERIOD": True,
        "STRICT_PARSING": False,
    }
    parser = dateparser.date.DateDataParser(languages=["en"], settings=settings)
    try:
        data = parser.get_date_data(phrase)
        found: datetime | None = data.date_obj
        if found is None or data.period not in ("time", "day"):
            return None
        if data.period == "time":
            moment = _utc(found, zone)
            return When(moment, moment, exact=True)
        return _day(found.date(), zone)
    except (ValueError, OverflowError):  # a date past what datetime holds
        return None
