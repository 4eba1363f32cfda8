"""The Jinja2 environment of the pages and the ways they show times.

Every time is stored as a UTC instant and shown in the zone of whoever reads
it: the booker's on the booking pages, the organization's reader's choice (a
host's own zone) in the Hub. The zone is always printed next to the time.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import HTMLResponse

from rota import __version__

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
HTMX = "vendor/htmx-2.0.11.min.js"

templates = Jinja2Templates(directory=HERE / "templates")


@cache
def timezone_names() -> tuple[str, ...]:
    """IANA zones people pick from: "Area/City" names and UTC, sorted.

    Legacy aliases ("US/Eastern", "Etc/GMT+5") and the system's own files are left
    out of the list; they remain valid wherever a zone name is typed.
    """
    areas = (
        "Africa/",
        "America/",
        "Antarctica/",
        "Asia/",
        "Atlantic/",
        "Australia/",
        "Europe/",
        "Indian/",
        "Pacific/",
    )
    names = {n for n in zoneinfo.available_timezones() if n.startswith(areas)}
    return ("UTC", *sorted(names))


def is_timezone(name: str) -> bool:
    return name in timezone_names() or name in zoneinfo.available_timezones()


def local(moment: datetime, timezone: str) -> datetime:
    return moment.astimezone(zoneinfo.ZoneInfo(timezone))


def day_text(moment: datetime, timezone: str) -> str:
    """``Tuesday 1 December 2026``."""
    at = local(moment, timezone)
    return f"{at:%A} {at.day} {at:%B %Y}"


def time_text(moment: datetime, timezone: str) -> str:
    return f"{local(moment, timezone):%H:%M}"


def span_text(start: datetime, end: datetime, timezone: str) -> str:
    """``Tuesday 1 December 2026, 10:00 to 10:30 (Europe/Berlin)``."""
    return (
        f"{day_text(start, timezone)}, {time_text(start, timezone)} to "
        f"{time_text(end, timezone)} ({timezone})"
    )


def at_text(moment: datetime, timezone: str) -> str:
    """``Tuesday 1 December 2026 at 10:00 (Europe/Berlin)``."""
    return f"{day_text(moment, timezone)} at {time_text(moment, timezone)} ({timezone})"


def moment_text(moment: datetime, timezone: str) -> str:
    """``2026-12-01 10:00 (Europe/Berlin)``: compact, for tables."""
    return f"{local(moment, timezone):%Y-%m-%d %H:%M} ({timezone})"


templates.env.filters.update(
    day_text=day_text,
    time_text=time_text,
    span_text=span_text,
    at_text=at_text,
    moment_text=moment_text,
)
templates.env.globals.update(version=__version__, htmx=HTMX, zones=timezone_names())


def page(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """Render template `name` as a whole page.

    htmx requests get the whole page too and pick the part they swap with
    ``hx-select``: one rendering path, so every page also works as a plain form.
    """
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def problem(
    request: Request,
    status_code: int,
    title: str,
    message: str,
    *,
    link: str | None = None,
    link_text: str | None = None,
) -> HTMLResponse:
    """A page that says in words what went wrong (not found, refused, expired)."""
    context = {"title": title, "message": message, "link": link, "link_text": link_text}
    return page(request, "problem.html", context, status_code=status_code)
