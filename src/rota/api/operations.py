"""Running rota: liveness, readiness, Prometheus metrics, and the OpenAPI page.

- ``GET /healthz``: 200 while the process answers (for a restart probe).
- ``GET /readyz``: 200 when the database answers and its migrations are at
  the head this code ships, else 503 (for a load balancer: a server whose
  database is down or not yet migrated gets no traffic).
- ``GET /metrics``: Prometheus text: request latency (`rota.metrics`), bookings
  made, calendar sync failures, and, read from the database when scraped,
  the outbox backlog, its oldest pending message's age and the calendars
  whose last sync failed.
- ``GET /docs``: Swagger UI from the package's own static files (vendored
  from npm's ``swagger-ui-dist``), so the page loads nothing from another site.

None of these needs a key: they say nothing about any organization's data.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable
from datetime import UTC, datetime

import orjson
from fastapi import APIRouter, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select, text
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rota import metrics
from rota.store import migrate
from rota.store.db import Database
from rota.store.tables import HostCalendar, OutboxMessage

log = logging.getLogger("rota.api")
router = APIRouter(include_in_schema=False)

SWAGGER_JS = "/static/vendor/swagger-ui-5.35.0-bundle.js"
SWAGGER_CSS = "/static/vendor/swagger-ui-5.35.0.css"


def _db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    try:
        engine = _db(request).engine
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        current = migrate.is_current(engine)
    except Exception as error:  # any failure to answer means "not ready", said in the log
        log.warning("not ready: the database does not answer: %s", error)
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, 503)
    if not current:
        return JSONResponse({"status": "unavailable", "database": "not migrated"}, 503)
    return JSONResponse({"status": "ok"})


@router.get("/metrics")
def prometheus_metrics(request: Request) -> Response:
    scraped = CollectorRegistry()
    scraped.register(DatabaseCollector(_db(request)))
    body = generate_latest(REGISTRY) + generate_latest(scraped)
    return Response(body, media_type=CONTENT_TYPE_LATEST)


@router.get("/docs")
def docs(request: Request) -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url=request.app.openapi_url,
        title=f"{request.app.title} API",
        swagger_js_url=SWAGGER_JS,
        swagger_css_url=SWAGGER_CSS,
        swagger_favicon_url="data:,",
    )


class DatabaseCollector(Collector):
    """Figures every process sees alike, read from the database at scrape time."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def collect(self) -> Iterable[GaugeMetricFamily]:
        pending = OutboxMessage.status == "pending"
        with self.db.read() as session:
            backlog, oldest = session.execute(
                select(func.count(), func.min(OutboxMessage.created_at)).where(pending)
            ).one()
            failing = session.scalar(
                select(func.count()).where(HostCalendar.last_error.is_not(None))
            )
        age = (datetime.now(UTC) - oldest).total_seconds() if oldest is not None else 0.0
        yield GaugeMetricFamily(
            "rota_outbox_backlog", "Outbox messages waiting to be delivered.", value=backlog
        )
        yield GaugeMetricFamily(
            "rota_outbox_oldest_pending_age_seconds",
            "Age of the oldest outbox message still waiting (0 when none).",
            value=max(age, 0.0),
        )
        yield GaugeMetricFamily(
            "rota_calendars_failing",
            "Connected calendars whose last sync failed.",
            value=failing or 0,
        )


REQUEST_LOG = logging.getLogger("rota.requests")


def log_requests_as_json() -> bool:
    """``ROTA_LOG_FORMAT=json``: one JSON line per request on the ``rota.requests``
    logger, for log collectors, beside uvicorn's own access lines."""
    return os.environ.get("ROTA_LOG_FORMAT", "").lower() == "json"


class RequestTimer:
    """Times every HTTP request into `rota.metrics.REQUEST_SECONDS`, by route template
    (``/v1/bookings/{booking_id}``), so that ids do not make a series each; with
    `log_requests_as_json`, logs each request as one JSON line. The route template
    stands for the path there too, so no id or manage token is written to the log."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.json_log = log_requests_as_json()
        if self.json_log and not REQUEST_LOG.handlers:
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter("%(message)s"))
            REQUEST_LOG.addHandler(handler)
            REQUEST_LOG.setLevel(logging.INFO)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            took = time.perf_counter() - started
            metrics.REQUEST_SECONDS.labels(scope["method"], template, str(status)).observe(took)
            if self.json_log:
                line = {
                    "at": datetime.now(UTC).isoformat(),
                    "method": scope["method"],
                    "route": template,
                    "status": status,
                    "ms": round(took * 1000, 2),
                }
                REQUEST_LOG.info(orjson.dumps(line).decode())
