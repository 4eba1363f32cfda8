"""The Jinja2 environment of the pages and the ways they show times.

Every time is stored as a UTC instant and shown in the zone of whoever reads
it: the booker's on the booking pages, the organization's reader's choice (a
host's own zone) in the Hub. The zone is always printed next to the time.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError, dates
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from starlette.requests import Request
from starlette.responses import HTMLResponse

from rota import __version__, links
from rota.web.brand import brand_of
from rota.web.static_files import static_url

HERE = Path(__file__).parent
HTMX = "vendor/htmx-2.0.11.min.js"

DEFAULT_LOCALE = Locale("en")

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


@cache
def _zone(name: str) -> zoneinfo.ZoneInfo:
    # zoneinfo keeps only a few zones loaded; the timezone picker reads hundreds.
    return zoneinfo.ZoneInfo(name)


def local(moment: datetime, timezone: str) -> datetime:
    return moment.astimezone(_zone(timezone))


@lru_cache(maxsize=256)
def reader_locale(accept_language: str | None) -> Locale:
    """The reader's locale: the first language of an ``Accept-Language`` header, by its
    weights, that Babel knows; English (``en``, as CLDR writes it for the US) otherwise.

    Only how dates and times are written follows it: the pages' words are English.
    """
    wanted: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and tag != "*" and weight > 0:
            wanted.append((-weight, index, tag))
    for _, _, tag in sorted(wanted):
        try:
            return Locale.parse(tag, sep="-")
        except (ValueError, TypeError, UnknownLocaleError):
            continue
    return DEFAULT_LOCALE


def request_locale(request: Request | None) -> Locale:
    if request is None:
        return DEFAULT_LOCALE
    return reader_locale(request.headers.get("accept-language"))


def day_text(moment: datetime, timezone: str, locale: Locale = DEFAULT_LOCALE) -> str:
    """``Tuesday, December 1, 2026`` (en), ``Dienstag, 1. Dezember 2026`` (de)."""
    return dates.format_date(local(moment, timezone), "full", locale=locale)


def time_text(moment: datetime, timezone: str, locale: Locale = DEFAULT_LOCALE) -> str:
    """``10:00 AM`` (en), ``10:00`` (de)."""
    return dates.format_time(local(moment, timezone), "short", locale=locale)


def span_text(
    start: datetime, end: datetime, timezone: str, locale: Locale = DEFAULT_LOCALE
) -> str:
    """``Tuesday, December 1, 2026, 10:00 AM to 10:30 AM (Europe/Berlin)``."""
    return (
        f"{day_text(start, timezone, locale)}, {time_text(start, timezone, locale)} to "
        f"{time_text(end, timezone, locale)} ({timezone})"
    )


def at_text(moment: datetime, timezone: str, locale: Locale = DEFAULT_LOCALE) -> str:
    """``Tuesday, December 1, 2026 at 10:00 AM (Europe/Berlin)``."""
    day, time = day_text(moment, timezone, locale), time_text(moment, timezone, locale)
    return f"{day} at {time} ({timezone})"


def moment_text(moment: datetime, timezone: str, locale: Locale = DEFAULT_LOCALE) -> str:
    """``Dec 1, 2026, 10:00 AM (Europe/Berlin)``: compact, for tables."""
    at = local(moment, timezone)
    day = dates.format_skeleton("yMMMd", at, locale=locale)
    return f"{day}, {dates.format_time(at, 'short', locale=locale)} ({timezone})"


def date_text(day: date, form: str, locale: Locale = DEFAULT_LOCALE) -> str:
    """A calendar day: ``full`` is ``Tuesday, December 1, 2026`` (en) or ``Dienstag,
    1. Dezember 2026`` (de); any other `form` is a CLDR skeleton, ``yMMMM`` for
    ``December 2026``, ``MMMMd`` for ``December 1``."""
    if form == "full":
        return dates.format_date(day, "full", locale=locale)
    return dates.format_skeleton(form, day, locale=locale)


def _with_locale(format_: Callable[..., str]) -> Callable[..., str]:
    """A filter that writes in the locale of the page's reader (its ``request``)."""

    @pass_context
    def localised(context: Context, *args: Any) -> str:
        return format_(*args, locale=request_locale(context.get("request")))

    return localised


templates.env.filters.update(
    day_text=_with_locale(day_text),
    time_text=_with_locale(time_text),
    span_text=_with_locale(span_text),
    at_text=_with_locale(at_text),
    moment_text=_with_locale(moment_text),
    date_text=_with_locale(date_text),
)
templates.env.globals.update(
    version=__version__,
    htmx=HTMX,
    static_url=static_url,
    brand_of=brand_of,
    public_url=links.public_url,  # ROTA_PUBLIC_URL or the server's own address
)


def page(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """Render template `name` as a whole page.

    htmx requests get the whole page too and pick the part they swap with
    ``hx-select``: one rendering path, so every page also works as a plain form.
    """
    # As a BCP 47 tag (en-US), the form the browser's Intl formats take (booking.js).
    context = {"reader_locale": str(request_locale(request)).replace("_", "-"), **context}
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
