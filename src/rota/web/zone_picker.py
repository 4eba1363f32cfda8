"""The timezone picker of the booking pages and of the Hub's host forms: each zone a
person may pick, once per city, written as its offset now and its city in the reader's
language, ``(UTC-05:00) New York`` (with a true minus sign), in the order of their
offsets. The option's value is the zone's IANA name, what addresses and hosts keep.

The city names come from CLDR through Babel; the list of one minute in one
language is kept, since offsets change on the minute at the earliest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache, lru_cache

from babel import Locale, dates
from babel.core import get_global

from rota.web.templating import DEFAULT_LOCALE, is_timezone, local, timezone_names


@dataclass(frozen=True, slots=True)
class Zone:
    name: str
    """The IANA name, what the address and the form carry."""
    label: str
    """``(UTC-05:00) New York`` (with a true minus sign): the offset now and the city."""
    offset: timedelta


def _offset_text(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "\u2212" if minutes < 0 else "+"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


@lru_cache(maxsize=256)
def _language_cities(language: str) -> dict[str, str]:
    locale = Locale(language)
    return {
        zone: "UTC" if zone == "UTC" else dates.get_timezone_location(zone, locale, True)
        for zone in pickable_zones()
    }


def _cities(locale: Locale) -> dict[str, str]:
    """Each pickable zone's city in `locale`'s language (``Europe/Vienna``: "Vienna",
    "Wien"). Kept per language, not per locale: naming 419 cities takes a third of a
    second, and there are some hundred languages but many more locales to ask for."""
    return _language_cities(locale.language)


@cache
def pickable_zones() -> tuple[str, ...]:
    """The zones of the timezone picker: `timezone_names` less the old names of zones
    that CLDR knows under a newer one (``Asia/Calcutta`` is ``Asia/Kolkata``), so each
    city is listed once."""
    names = set(timezone_names())
    aliases: Mapping[str, str] = get_global("zone_aliases")
    return tuple(z for z in timezone_names() if aliases.get(z, z) == z or aliases[z] not in names)


def zone_label(zone: str, moment: datetime, locale: Locale = DEFAULT_LOCALE) -> str:
    """``(UTC-05:00) New York`` for ``America/New_York`` in December, written with a
    minus sign (U+2212) as typography wants."""
    city = _cities(locale).get(zone)
    if city is None:
        city = "UTC" if zone == "UTC" else dates.get_timezone_location(zone, locale, True)
    return f"({_offset_text(local(moment, zone).utcoffset() or timedelta())}) {city}"


def zone_choices(moment: datetime, locale: Locale, current: str) -> list[Zone]:
    """The picker's zones by their offset at `moment`, then city; `current` among them
    even when it is an old name (but not when it is no zone at all: a form sent back
    with what was typed)."""
    zones = list(_zones_at(moment.replace(second=0, microsecond=0), locale))
    if current not in pickable_zones() and is_timezone(current):
        offset = local(moment, current).utcoffset() or timedelta()
        zones.append(Zone(current, zone_label(current, moment, locale), offset))
        zones.sort(key=lambda z: z.offset)  # stable: the cities stay in their order
    return zones


@lru_cache(maxsize=64)
def _zones_at(minute: datetime, locale: Locale) -> tuple[Zone, ...]:
    # Offsets change on the minute at the earliest, so one list serves every page of
    # that minute in that language.
    cities = _cities(locale)
    offsets = {z: local(minute, z).utcoffset() or timedelta() for z in pickable_zones()}
    ordered = sorted(offsets, key=lambda z: (offsets[z], cities[z]))
    return tuple(Zone(z, f"({_offset_text(offsets[z])}) {cities[z]}", offsets[z]) for z in ordered)
