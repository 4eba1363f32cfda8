"""Refusals of the use cases, each with the status and error code of API.md.

The engine's own refusals (`rota.engine.errors.RoutingError`) carry a code too;
`status_of` gives the HTTP status for either kind.
"""

from __future__ import annotations

from rota.engine.errors import RoutingError


class ServiceError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, details: object | None = None, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.details = details
        if code is not None:
            self.code = code


class NotFound(ServiceError):
    """Absent, deleted, or another organization's: the same answer for all three."""

    status = 404
    code = "not_found"


class Forbidden(ServiceError):
    """The signed-in person may not do this (a member, on someone else's things)."""

    status = 403
    code = "forbidden"


class Conflict(ServiceError):
    """The request is well formed but the current state refuses it (a code says why)."""

    status = 409
    code = "conflict"


class Invalid(ServiceError):
    status = 422
    code = "invalid_request"


ROUTING_STATUS = {
    "slot_unavailable": 409,
    "no_host_available": 409,
    "host_unavailable": 409,
    "not_a_team_booking": 409,
    "host_not_in_pool": 422,
    "invalid_request": 422,
}


def status_of(error: ServiceError | RoutingError) -> int:
    if isinstance(error, ServiceError):
        return error.status
    return ROUTING_STATUS.get(error.code, 409)
