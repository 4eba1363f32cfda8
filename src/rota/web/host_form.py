"""A host's hours as a person types them: one line of intervals per weekday, and one
line per date override.

``09:00-17:00`` or ``09:00-12:00, 13:00-17:00`` for a weekday (empty: not
working), ``2026-12-24 off`` or ``2026-12-27 10:00-12:00`` for a date. The
typed text becomes API.md's ``working_hours`` and ``date_overrides`` and is
then checked by the same models as the API's requests (`rota.teamfile`), so
the rules and their wording are the API's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from rota import teamfile
from rota.web import form_errors

DAY_NAMES = dict(
    zip(
        teamfile.WEEKDAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)
_INTERVAL = re.compile(r"^(\d{1,2}):(\d{2})\s*(?:-|\u2013|to)\s*(\d{1,2}):(\d{2})$")
_OVERRIDE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*:?\s*(.*)$")


class FormError(ValueError):
    """Text that cannot be read as hours; the message says what is expected."""


def _intervals(text: str) -> list[dict[str, str]]:
    intervals = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        match = _INTERVAL.match(part)
        if match is None:
            raise FormError(f"{part!r} is not a time range like 09:00-17:00.")
        h1, m1, h2, m2 = match.groups()
        if (int(h2), int(m2)) <= (int(h1), int(m1)):
            raise FormError(
                f"{part} ends before it starts: the end comes second, as in 09:00-17:00."
            )
        intervals.append({"start": f"{int(h1):02d}:{m1}", "end": f"{int(h2):02d}:{m2}"})
    return intervals


def _text(intervals: Sequence[Mapping[str, Any]]) -> str:
    ordered = sorted(intervals, key=lambda i: str(i["start"]))
    return ", ".join(f"{i['start']}-{i['end']}" for i in ordered)


def hours_by_day(working_hours: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Stored working hours as one line per weekday."""
    per_day: dict[str, list[Mapping[str, Any]]] = {day: [] for day in teamfile.WEEKDAYS}
    for item in working_hours:
        for day in item["days"]:
            per_day[day].append(item)
    return {day: _text(items) for day, items in per_day.items()}


def working_hours(lines: Mapping[str, str]) -> list[dict[str, Any]]:
    """Weekday lines as API.md's working hours; days with the same hours share an entry."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for day in teamfile.WEEKDAYS:
        try:
            intervals = _intervals(lines.get(day, ""))
        except FormError as error:
            raise FormError(f"{DAY_NAMES[day]}: {error}") from None
        for interval in intervals:
            grouped.setdefault((interval["start"], interval["end"]), []).append(day)
    return [
        {"days": days, "start": start, "end": end} for (start, end), days in sorted(grouped.items())
    ]


def overrides_text(date_overrides: Sequence[Mapping[str, Any]]) -> str:
    lines = sorted(f"{item['date']} {_text(item['intervals']) or 'off'}" for item in date_overrides)
    return "\n".join(lines)


def date_overrides(text: str) -> list[dict[str, Any]]:
    overrides = []
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        match = _OVERRIDE.match(line)
        if match is None:
            raise FormError(f"{line!r} does not start with a date like 2026-12-24.")
        day, rest = match.groups()
        intervals = [] if rest.strip().lower() in ("", "off") else _intervals(rest.strip())
        overrides.append({"date": day, "intervals": intervals})
    return overrides


def host_fields(form: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The host as ``POST /v1/hosts`` takes it, and the problems per form field."""
    errors: dict[str, str] = {}
    fields: dict[str, Any] = {
        "name": form.get("name", "").strip(),
        "email": form.get("email", "").strip(),
        "timezone": form.get("timezone", ""),
    }
    try:
        fields["working_hours"] = working_hours({d: form.get(f"hours_{d}", "") for d in DAY_NAMES})
    except FormError as error:
        errors["working_hours"] = str(error)
    try:
        fields["date_overrides"] = date_overrides(form.get("date_overrides", ""))
    except FormError as error:
        errors["date_overrides"] = str(error)
    if errors:
        return fields, errors
    try:
        checked = teamfile.HostFields.model_validate(fields)
    except ValidationError as error:
        return fields, form_errors.by_field(error, "name")
    return checked.model_dump(mode="json"), {}
