"""What every Hub page shares: the organization, the section of the navigation, the
session's CSRF token and display timezone, and how refusals are shown."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from rota.engine import RoutingError
from rota.service import orgs
from rota.service.errors import ServiceError, status_of
from rota.store.db import Database
from rota.web.hub_auth import FRAMING, Hub
from rota.web.templating import page, problem

PRIVATE = {
    # The organization's data is not cached on the way, and no other site may frame the
    # Hub to trick a click on one of its buttons. (Booking pages may be framed: sites
    # embed them.)
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": FRAMING,
}


def hub_page(
    request: Request,
    db: Database,
    hub: Hub,
    template: str,
    context: dict[str, Any],
    *,
    section: str,
    status_code: int = 200,
) -> Response:
    frame = {"hub": hub, "org": orgs.get_org(db, hub.org_id), "section": section}
    response = page(request, template, {**frame, **context}, status_code=status_code)
    response.headers.update(PRIVATE)
    return response


def refused(error: ServiceError | RoutingError) -> tuple[int, str]:
    """The HTTP status and the sentence of a use case's refusal."""
    return status_of(error), error.message


def not_found(request: Request, what: str) -> Response:
    """Another organization's data is answered like missing data: not found."""
    return problem(
        request,
        404,
        f"{what} not found",
        f"There is no such {what.lower()} in your organization.",
        link="/hub/bookings",
        link_text="Back to the bookings",
    )
