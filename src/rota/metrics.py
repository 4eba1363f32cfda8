"""What the process counts for ``GET /metrics`` (Prometheus client library).

Counters and histograms live in the process that counts (with several
server processes, each has its own: scrape each, or sum them). Figures that
every process would see alike (the outbox backlog, calendars failing) are
read from the database when scraped, by `rota.api.operations`.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

REQUEST_SECONDS = Histogram(
    "rota_http_request_duration_seconds",
    "Time to answer an HTTP request, by method, route template and status.",
    ["method", "route", "status"],
)
BOOKINGS_MADE = Counter("rota_bookings_made", "Bookings made (API and booking pages).")
CALENDAR_SYNC_FAILURES = Counter(
    "rota_calendar_sync_failures", "Calendar syncs that could not read the host's calendar."
)
