"""The Hub's Find a Time: pick who must come and who may, a length and a week, and see
each day's times when everyone required is free, with the optional people free then.

The times come from the same use case as ``POST /v1/find-a-time``; they are shown
in the session's timezone, one day under another, so the page reads on a phone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from starlette.responses import Response

from rota.api.auth import Db
from rota.service import find_a_time, hosts
from rota.service.errors import Invalid
from rota.web import form_dates
from rota.web.hub_auth import SignedIn
from rota.web.hub_frame import hub_page

router = APIRouter(prefix="/hub/find-a-time", include_in_schema=False)

LENGTHS = (15, 30, 45, 60, 90, 120)


@dataclass(frozen=True, slots=True)
class Time:
    start: datetime
    end: datetime
    also_free: str
    """The optional people free then, by name."""


@router.get("")
def find_a_time_page(request: Request, hub: SignedIn, db: Db) -> Response:
    query = request.query_params
    people = hosts.list_hosts(db, hub.org_id)
    names = {h.id: h.name for h in people}
    known = set(names)
    need = [h for h in query.getlist("need") if h in known]
    want = [h for h in query.getlist("want") if h in known and h not in need]
    zone = ZoneInfo(hub.timezone)
    today = datetime.now(zone).date()
    week = form_dates.day(query.get("week")) or today - timedelta(days=today.weekday())
    length = int(query["minutes"]) if query.get("minutes", "") in map(str, LENGTHS) else 30
    days: list[tuple[date, list[Time]]] = []
    error = None
    monday = datetime.combine(week, datetime.min.time(), zone)
    start = max(monday, datetime.now(zone))  # times already past are not offered
    if need and start >= monday + timedelta(days=7):
        error = "That week is over: pick this week or a later one."
    elif need:
        try:
            found = find_a_time.find_a_time(
                db,
                hub.org_id,
                host_ids=need,
                optional_host_ids=want,
                duration_minutes=length,
                start=start,
                end=monday + timedelta(days=7),
                interval_minutes=30 if length >= 30 else 15,
            )
        except Invalid as refusal:
            error = refusal.message
        else:
            local = [
                Time(
                    datetime.fromtimestamp(t.start, zone),
                    datetime.fromtimestamp(t.end, zone),
                    ", ".join(names[h] for h in t.optional_free),
                )
                for t in found
            ]
            days = [(d, list(ts)) for d, ts in groupby(local, key=lambda t: t.start.date())]
    context = {
        "people": people,
        "required": ", ".join(names[h] for h in need),
        "need": need,
        "want": want,
        "week": week,
        "previous": week - timedelta(days=7),
        "next": week + timedelta(days=7),
        "length": length,
        "lengths": LENGTHS,
        "days": days,
        "error": error,
        "zone": hub.timezone,
    }
    return hub_page(request, db, hub, "hub/find_a_time.html", context, section="find")
