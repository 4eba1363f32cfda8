"""The pages' static files (stylesheet, scripts, icon), addressed by their content.

A page links each file as ``/static/rota.css?v=<hash>``, the hash of the file's
bytes. An address carrying the current hash is cached for a year as
``immutable``: a browser never asks again, and a changed file gets a new
address, so no one is stuck with an old copy. Any other address (no ``v``, an
old ``v``) must be checked again each time (``no-cache``, with the ETag and
Last-Modified that Starlette sends), since its bytes may change at the next
release. The vendored files under ``vendor/`` carry their version in their
names (``htmx-2.0.11.min.js``) and are cached for a year too.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

STATIC_DIR = Path(__file__).parent / "static"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


@cache
def content_hash(name: str) -> str:
    """The first 12 hex digits of the SHA-256 of ``static/<name>``."""
    return hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:12]


def static_url(name: str) -> str:
    """``/static/<name>?v=<hash>``: the address a page links a static file by."""
    return f"/static/{name}?v={content_hash(name)}"


class VersionedStatic(StaticFiles):
    """`StaticFiles` that tells how long a file may be kept, by its address."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = _cache_control(path, scope)
        return response


def _cache_control(path: str, scope: Scope) -> str:
    if path.startswith("vendor/"):
        return IMMUTABLE
    query = scope.get("query_string", b"").decode("latin-1")
    version = dict(p.partition("=")[::2] for p in query.split("&")).get("v")
    try:
        current = content_hash(path)
    except OSError:
        return REVALIDATE
    return IMMUTABLE if version == current else REVALIDATE
