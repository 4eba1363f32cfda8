"""Hostile requests stopped at the door, before any route, parser or key check runs.

- A body over `MAX_BODY_BYTES` is 413 ``payload_too_large``: a declared length
  is refused unread; a chunked body is read up to the limit and no further.
- NUL and other control characters (and lone surrogates, which no database
  stores) are 422 ``invalid_request`` in the path, the query and every text of
  a JSON or form body. In JSON, free text (`FREE_TEXT` fields) may hold
  newlines and tabs; names, titles, emails and ids are one line. In the
  pages' forms any field may hold line breaks (textareas of lines). PostgreSQL refuses NUL in
  text with an error, so this is also what keeps such input from being a 500.
- A JSON body nested too deeply for the parser is 422 ``invalid_request``.

Every refusal names the field, as API.md's ``details`` (dotted path to a sentence).
The body read here is handed on to the app unchanged, so it is read only once.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rota.api.errors import envelope

MAX_BODY_BYTES = 1024 * 1024
FREE_TEXT = frozenset({"description", "notes", "reason"})
"""Fields whose text may run over several lines (newlines, tabs)."""
_LINE_BREAKS = frozenset("\n\r\t")


class RequestGuard:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body_bytes:
            await _too_large(self.max_body_bytes)(scope, receive, send)
            return
        details = dict(_url_problems(scope))
        if details:
            await _invalid(details)(scope, receive, send)
            return
        if not _may_have_body(scope, headers):
            await self.app(scope, receive, send)
            return
        body = await _read(receive, self.max_body_bytes)
        if body is None:
            await _too_large(self.max_body_bytes)(scope, receive, send)
            return
        details = dict(_body_problems(headers.get("content-type", ""), body))
        if details:
            await _invalid(details)(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


def _may_have_body(scope: Scope, headers: Headers) -> bool:
    return scope["method"] not in ("GET", "HEAD", "OPTIONS") or (
        "content-length" in headers or "transfer-encoding" in headers
    )


async def _read(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None past ``limit`` bytes (the rest is left unread)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break  # the client went away; the app sees an empty body and answers no one
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: wait for the disconnect

    return replay


def _too_large(limit: int) -> JSONResponse:
    message = f"The request body is larger than {limit // 1024} KiB."
    return JSONResponse(envelope("payload_too_large", message), status_code=413)


def _invalid(details: dict[str, str]) -> JSONResponse:
    field, sentence = next(iter(details.items()))
    message = f"The request is not valid: {field}: {sentence}."
    return JSONResponse(envelope("invalid_request", message, details), status_code=422)


def bad_character(text: str, *, free_text: bool = False) -> str | None:
    """Why ``text`` may not be stored, or None when it may."""
    for char in text:
        if free_text and char in _LINE_BREAKS:
            continue
        category = unicodedata.category(char)
        if category == "Cc":
            if free_text:
                return "must not contain control characters other than newlines and tabs"
            return "must be one line without control characters"
        if category == "Cs":
            return "must not contain unpaired surrogates (not valid Unicode)"
    return None


def _url_problems(scope: Scope) -> Iterator[tuple[str, str]]:
    # The server has already percent-decoded the path: "%00" is a NUL here.
    path: str = scope["path"]
    if (why := bad_character(path)) is not None:
        yield "path", why
    query = scope["query_string"].decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True, errors="surrogateescape"):
        for text in (name, value):
            if (why := bad_character(text)) is not None:
                yield name if _printable(name) else "query", why
                break


def _printable(name: str) -> bool:
    return bad_character(name) is None and len(name) <= 100


def _body_problems(content_type: str, body: bytes) -> Iterator[tuple[str, str]]:
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "application/json" or kind.endswith("+json"):
        try:
            data = json.loads(body)
        except RecursionError:
            yield "body", "is nested too deeply"
            return
        except ValueError:
            return  # not JSON: the route's own parsing says so
        yield from _value_problems(data, ())
    elif kind == "application/x-www-form-urlencoded":
        text = body.decode("utf-8", errors="surrogateescape")
        for name, value in parse_qsl(text, keep_blank_values=True):
            # A page's form has textareas of lines (date overrides, lists): the page
            # parses those itself, so any form field may hold line breaks.
            if (why := bad_character(value, free_text=True) or bad_character(name)) is not None:
                yield (name if _printable(name) else "body"), why


def _value_problems(value: Any, path: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        free = bool(path) and path[-1] in FREE_TEXT
        if (why := bad_character(value, free_text=free)) is not None:
            yield ".".join(path) or "body", why
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _value_problems(item, (*path, str(index)))
    elif isinstance(value, dict):
        for key, item in value.items():
            if (why := bad_character(key)) is not None:
                yield ".".join(path) or "body", f"has a key that {why}"
                continue
            yield from _value_problems(item, (*path, key))
