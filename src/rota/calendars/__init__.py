"""Hosts' own calendars: busy time in (ICS feed, CalDAV), booked meetings out (CalDAV)."""

from rota.calendars.caldav_client import CalDavAccount
from rota.calendars.ics import BusyEvent, CalendarError
from rota.calendars.secrets import SecretBox, SecretKeyError

__all__ = ["BusyEvent", "CalDavAccount", "CalendarError", "SecretBox", "SecretKeyError"]
