"""The Booking Hub (``/hub``) and the booking pages (``/book``, ``/manage``).

Server-rendered Jinja2 pages over the use cases of `rota.service`, with htmx
(vendored in ``static/vendor``) for the parts that update in place; every page
also works as plain links and forms. `mount` adds them to the API's app.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette_compress import CompressMiddleware

from rota.web import (
    booking_page,
    hardening,
    hub_access,
    hub_ask,
    hub_auth,
    hub_bookings,
    hub_find_a_time,
    hub_hosts,
    hub_me,
    hub_organization,
    hub_schedule,
    hub_types,
    hub_users,
    manage_page,
    rate_limits,
)
from rota.web.static_files import STATIC_DIR, VersionedStatic


def mount(app: FastAPI) -> None:
    """Serve the pages and their static files from `app` (made by `rota.api.create_app`)."""
    app.mount("/static", VersionedStatic(directory=STATIC_DIR), name="static")
    app.add_exception_handler(hub_auth.SignInRequired, hub_auth.refuse_without_session)
    app.add_exception_handler(hub_auth.CsrfRefused, hub_auth.refuse_csrf)
    app.add_exception_handler(hub_access.Forbidden, hub_access.refuse_forbidden)
    modules = (
        booking_page,
        manage_page,
        hub_auth,
        hub_bookings,
        hub_hosts,
        hub_schedule,
        hub_types,
        hub_find_a_time,
        hub_ask,
        hub_me,
        hub_users,
        hub_organization,
    )
    for module in modules:
        app.include_router(module.router)
    # Pages and JSON go compressed to a client that accepts Brotli or gzip (a page's
    # HTML shrinks to about a fifth); small answers go as they are, compressing them
    # gains nothing. Gzip at level 1: a month of slots (200 KB of JSON) shrinks nearly
    # as much as at the default 9, in a fraction of the time (benchmarks/api.py).
    # Brotli at quality 4 makes 280 KB of slots 32 KB in 1.4 ms, smaller than gzip's
    # level 9 (34 KB in 13 ms) and not much slower than its level 1 (44 KB in 0.9 ms).
    # Zstandard stays off: browsers that take it take Brotli too, and it is not
    # measured here.
    app.add_middleware(
        CompressMiddleware,
        minimum_size=1000,
        zstd=False,
        brotli_quality=4,
        gzip_level=1,
    )
    app.add_middleware(rate_limits.RateLimits)  # inside SecurityHeaders: a 429 page gets them too
    app.add_middleware(hardening.SecurityHeaders)
    hardening.keep_tokens_out_of_access_log()


__all__ = ["mount"]
