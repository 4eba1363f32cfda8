"""The error envelope of API.md, for every error the app can answer with.

``{"error": {"code": ..., "message": ..., "details": ...}}``: the service's and
the engine's refusals with their own codes, validation failures as 422
``invalid_request`` naming each bad field, unknown paths and methods, and, as a
last resort, 500 ``internal_error`` without leaking internals.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from rota import outbound
from rota.api.schemas import ErrorBody
from rota.engine import RoutingError
from rota.service.errors import ServiceError, status_of

log = logging.getLogger("rota.api")

# Validation errors whose rule API.md gives its own code.
OWN_CODES = frozenset({"team_needs_more_hosts", "range_too_long"})

HTTP_CODES = {
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


def envelope(code: str, message: str, details: Any | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    return {"error": error}


def error_response(
    status: int, code: str, message: str, details: Any | None = None, **kwargs: Any
) -> JSONResponse:
    return JSONResponse(envelope(code, message, details), status_code=status, **kwargs)


class ApiError(Exception):
    """An error raised by the API layer itself (authentication)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _field(loc: tuple[int | str, ...]) -> str:
    # The location kind ("body", "query", "path", "header") leads: a body, query or path
    # field is named by itself (a query parameter and a body field never share a name).
    if loc and loc[0] in ("body", "query", "path"):
        loc = loc[1:]
    # API.md's dotted path: "hosts.0.weight".
    return ".".join(str(part) for part in loc) or "body"


def _detail(error: Any) -> tuple[str, str]:
    if error["type"] == "json_invalid":
        # Its location is a character offset into the body, not a field.
        return "body", "the body is not valid JSON"
    message = str(error["msg"]).removeprefix("Value error, ")
    return _field(tuple(error["loc"])), message


def validation_details(errors: Any) -> dict[str, str]:
    """API.md's ``details``: each bad field's dotted path, and what is wrong with it
    (the first problem found, when a field has several)."""
    details: dict[str, str] = {}
    for error in errors:
        field, message = _detail(error)
        details.setdefault(field, message)
    return details


def first_problem(details: dict[str, str]) -> str:
    """``field: sentence`` of the first bad field, for an error's message."""
    return next((f"{field}: {why}" for field, why in details.items()), "body: invalid")


async def _validation(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    details = validation_details(errors)
    code = next((e["type"] for e in errors if e["type"] in OWN_CODES), "invalid_request")
    message = f"The request is not valid: {first_problem(details)}."
    return error_response(422, code, message, details)


async def _service(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError | RoutingError)
    status, details = status_of(exc), exc.details
    if status == 422 and not isinstance(details, dict):
        # Every 422 names what is wrong; a refusal about the whole request names the body.
        details = {"body": exc.message}
    return error_response(status, exc.code, exc.message, details)


async def _api(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return error_response(exc.status, exc.code, exc.message, headers=headers)


async def _url_not_allowed(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, outbound.UrlNotAllowed)
    return error_response(
        422,
        "url_not_allowed",
        f"The server may not reach this URL: {exc}.",
        {"url": f"{exc}; only http(s) URLs of public addresses are allowed"},
    )


async def _http(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = HTTP_CODES.get(exc.status_code, "bad_request" if exc.status_code < 500 else "error")
    message = exc.detail if isinstance(exc.detail, str) else "The request failed."
    if exc.status_code == 404:
        message = "There is nothing at this path."
    return error_response(exc.status_code, code, message, headers=exc.headers)


async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return error_response(500, "internal_error", "Something went wrong on the server.")


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(ServiceError, _service)
    app.add_exception_handler(RoutingError, _service)
    app.add_exception_handler(ApiError, _api)
    app.add_exception_handler(outbound.UrlNotAllowed, _url_not_allowed)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses an endpoint may answer with."""
    return {
        status: {"model": ErrorBody, "description": DESCRIPTIONS[status]} for status in statuses
    }


DESCRIPTIONS = {
    401: "Missing or wrong API key (`unauthorized`).",
    404: "No such resource in this organization (`not_found`).",
    409: "The current state refuses the request (see the error code).",
    422: "The request is not valid (`invalid_request` or a specific code).",
}
