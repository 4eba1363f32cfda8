"""Typed refusals of the engine; each carries the error code of API.md."""

from __future__ import annotations


class RoutingError(Exception):
    """A request the routing rules refuse. ``code`` is the API's error code."""

    code = "routing_error"

    def __init__(self, message: str, details: object | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class SlotUnavailable(RoutingError):
    code = "slot_unavailable"


class NoHostAvailable(RoutingError):
    code = "no_host_available"


class HostUnavailable(RoutingError):
    code = "host_unavailable"


class HostNotInPool(RoutingError):
    code = "host_not_in_pool"


class NotATeamBooking(RoutingError):
    code = "not_a_team_booking"


class InvalidRequest(RoutingError):
    """A request whose fields contradict the booking (422 in the API)."""

    code = "invalid_request"


class FromHostRequired(InvalidRequest):
    """The booking has several hosts and the request did not say which one leaves."""
