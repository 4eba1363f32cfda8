"""The FastAPI application of API.md."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

import rota
from rota import links, web
from rota.api import errors, operations
from rota.api.guard import RequestGuard
from rota.api.routes import (
    assistant,
    booking_types,
    bookings,
    calendars,
    find_a_time,
    hosts,
    inbound,
    meetings,
    messages,
    organization,
    users,
    webhooks,
)
from rota.store.db import Database

DESCRIPTION = """\
rota decides who hosts each booking of a team: one person (solo), the whole
group (collective), or one of a rotating pool (round-robin, shaped by weight,
priority and fairness).

Admin endpoints take `Authorization: Bearer <api key>` (`rota keys create --org SLUG`).
Every error answers `{"error": {"code", "message", "details"}}`.
"""


class ServerAddress:
    """Makes the address this server listens on (the socket's, not the client's Host
    header, which anyone can set) the base of the links built during a request, unless
    ``ROTA_PUBLIC_URL`` names another (`rota.links`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        server = scope.get("server")
        if scope["type"] != "http" or not server or server[1] is None:
            await self.app(scope, receive, send)
            return
        host, port = server
        host = f"[{host}]" if ":" in host else host  # IPv6
        scheme = scope.get("scheme", "http")
        default = {"http": 80, "https": 443}.get(scheme)
        base = f"{scheme}://{host}" if port == default else f"{scheme}://{host}:{port}"
        token = links.request_base.set(base)
        try:
            await self.app(scope, receive, send)
        finally:
            links.request_base.reset(token)


def create_app(database_url: str | None = None) -> FastAPI:
    """The app on `database_url` (default: ``ROTA_DATABASE_URL`` or ``./rota.db``).

    The database must already be migrated (`rota db upgrade`; `rota serve` does it).
    Other parts (the booking pages) mount their routers on the returned app.
    """
    db = Database(database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        db.dispose()

    app = FastAPI(
        title="rota",
        version=rota.__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        # /docs is served by rota.api.operations from packaged files; ReDoc would load a CDN.
        docs_url=None,
        redoc_url=None,
    )
    app.state.db = db
    errors.install(app)
    app.add_middleware(RequestGuard)
    app.add_middleware(ServerAddress)
    app.add_middleware(operations.RequestTimer)  # outermost: refusals are timed too
    app.include_router(operations.router)
    for module in (
        hosts,
        booking_types,
        bookings,
        messages,
        webhooks,
        calendars,
        find_a_time,
        meetings,
        assistant,
        inbound,
        users,
        organization,
    ):
        app.include_router(module.router)
    web.mount(app)
    return app
