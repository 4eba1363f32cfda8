"""The FastAPI application of API.md."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

import rota
from rota import web
from rota.api import errors, operations
from rota.api.guard import RequestGuard
from rota.api.routes import booking_types, bookings, calendars, hosts, messages, webhooks
from rota.store.db import Database

DESCRIPTION = """\
rota decides who hosts each booking of a team: one person (solo), the whole
group (collective), or one of a rotating pool (round-robin, shaped by weight,
priority and fairness).

Admin endpoints take `Authorization: Bearer <api key>` (`rota keys create --org SLUG`).
Every error answers `{"error": {"code", "message", "details"}}`.
"""


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
    app.add_middleware(operations.RequestTimer)  # outermost: refusals are timed too
    app.include_router(operations.router)
    for module in (hosts, booking_types, bookings, messages, webhooks, calendars):
        app.include_router(module.router)
    web.mount(app)
    return app
