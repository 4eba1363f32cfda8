"""Rate limits on what anyone may call without a key: the booking and manage
pages, and Hub sign-in.

Booking a time sends invitations to the address typed in, so an unlimited
booking form is an open mail relay; an unlimited sign-in form lets anyone
guess keys. Each client address gets, per window:

- ``ROTA_RATE_LIMIT_PAGES`` (default ``120/minute``): reading ``/book/...``
  and ``/manage/...`` pages (the day picker asks once per day clicked);
- ``ROTA_RATE_LIMIT_BOOKING`` (default ``10/minute;100/hour``): posting a
  booking, a cancellation or a move on those pages;
- ``ROTA_RATE_LIMIT_SIGN_IN`` (default ``10/minute;100/hour``): ``POST /hub/login``,
  asking for a sign-in link by email (``POST /hub/sign-in``) and using one.

Each value is in the notation of the `limits` library (``N/second|minute|hour|day``,
several joined by ``;``). Counting uses a moving window. With ``ROTA_REDIS_URL``
(``redis://host:6379/0``, ``rediss://`` for TLS) every server process counts in
that Redis, so the limits hold however many processes serve; without it each
process counts in memory. If Redis stops answering, requests are let through
(and logged): the pages stay up rather than shut everyone out.

Past a limit the answer is 429 with ``Retry-After`` in seconds: a short page
for a browser, the API's error envelope (code ``rate_limited``) otherwise.
The client address is the connection's; behind a proxy, run uvicorn with
``--forwarded-allow-ips`` so it is the visitor's.
"""

from __future__ import annotations

import logging
import math
import os
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from limits.storage import storage_from_string
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from rota.api.errors import error_response
from rota.web.templating import problem

log = logging.getLogger("rota.web")

DEFAULTS = {
    "pages": ("ROTA_RATE_LIMIT_PAGES", "120/minute"),
    "booking": ("ROTA_RATE_LIMIT_BOOKING", "10/minute;100/hour"),
    "sign_in": ("ROTA_RATE_LIMIT_SIGN_IN", "10/minute;100/hour"),
}
PUBLIC_PAGES = ("/book/", "/manage/")


def rule_of(method: str, path: str) -> str | None:
    """Which limit a request counts against, if any."""
    if path.startswith(PUBLIC_PAGES):
        return "pages" if method in ("GET", "HEAD") else "booking"
    if (path == "/hub/login" or path.startswith("/hub/sign-in")) and method == "POST":
        return "sign_in"
    return None


def limits_from_env() -> dict[str, list[RateLimitItem]]:
    rules = {}
    for rule, (variable, default) in DEFAULTS.items():
        value = os.environ.get(variable) or default
        try:
            rules[rule] = parse_many(value)
        except ValueError:
            example = "'10/minute' or '5/second;100/hour'"
            why = f"{variable}={value!r} is not a rate limit such as {example}"
            raise ValueError(why) from None
    return rules


def storage_from_env() -> Storage:
    url = os.environ.get("ROTA_REDIS_URL")
    if not url:
        storage = storage_from_string("async+memory://")
    else:
        storage = storage_from_string(
            f"async+{url}", implementation="redispy", key_prefix="rota", wrap_exceptions=True
        )
    assert isinstance(storage, Storage)  # an async+ scheme gives an async store
    return storage


@dataclass(frozen=True)
class Refusal:
    retry_after: int


class RateLimiter:
    """Counts requests per rule and client address in `storage`."""

    def __init__(self, storage: Storage, rules: dict[str, list[RateLimitItem]]) -> None:
        self.strategy = MovingWindowRateLimiter(storage)
        self.rules = rules

    async def check(self, rule: str, client: str) -> Refusal | None:
        """Count one request; a refusal when it is over any of the rule's limits."""
        for item in self.rules[rule]:
            try:
                if await self.strategy.hit(item, rule, client):
                    continue
                stats = await self.strategy.get_window_stats(item, rule, client)
            except StorageError as error:
                log.warning("rate limits not checked: the store does not answer: %s", error)
                return None
            return Refusal(max(1, math.ceil(stats.reset_time - time.time())))
        return None


class RateLimits:
    """ASGI middleware: `RateLimiter` in front of the public pages and sign-in."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter | None = None) -> None:
        self.app = app
        self.limiter = limiter or RateLimiter(storage_from_env(), limits_from_env())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        rule = rule_of(scope["method"], scope["path"]) if scope["type"] == "http" else None
        if rule is None:
            await self.app(scope, receive, send)
            return
        client = scope["client"][0] if scope.get("client") else "unknown"
        refusal = await self.limiter.check(rule, client)
        if refusal is None:
            await self.app(scope, receive, send)
            return
        await refused(Request(scope), refusal)(scope, receive, send)


def refused(request: Request, refusal: Refusal) -> Response:
    headers = {"Retry-After": str(refusal.retry_after)}
    wait = _wait_text(refusal.retry_after)
    if "text/html" in request.headers.get("accept", "") or "hx-request" in request.headers:
        response: Response = problem(
            request,
            429,
            "Too many requests",
            f"Too many requests came from your address in a short time. "
            f"Please try again in {wait}.",
        )
        response.headers.update(headers)
        return response
    message = f"Too many requests from this address; try again in {wait}."
    return error_response(429, "rate_limited", message, headers=headers)


def _wait_text(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{math.ceil(seconds / 60)} minutes"
