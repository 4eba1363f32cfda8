"""What every response tells the browser, and what the access log may not hold.

Headers (on every response, error pages included, whatever route made them):

- ``X-Content-Type-Options: nosniff`` everywhere: a browser never reads a JSON
  answer or a calendar file as a script or a page.
- ``Referrer-Policy: same-origin`` unless a page sets a stricter one: no
  address of rota is sent to another site when a page links out.
- The Hub gets a Content-Security-Policy that runs only rota's own scripts
  and that no other site may frame (``frame-ancestors 'none'`` and
  ``X-Frame-Options: DENY``: a framed Hub could be tricked into a click), and
  is never cached on the way. The booking and manage pages get the same
  script policy but any site may frame them (``frame-ancestors *``): sites
  embed them with the Hub's embed snippet, and a booking made in the frame
  ends on its manage page, in the frame too. A manage page's address is its
  token, so no other site can frame one it was not given.
- The OpenAPI page (``/docs``) starts Swagger UI with an inline script, so it
  gets no script policy.

The manage token is the attendee's key to a booking, so `TokenRedaction`
takes it out of the access log lines (uvicorn's ``uvicorn.access`` logger).
"""

from __future__ import annotations

import logging
import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SCRIPTS_OWN = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'"
)
HUB_POLICY = f"{SCRIPTS_OWN}; frame-ancestors 'none'"
EMBEDDABLE = f"{SCRIPTS_OWN}; frame-ancestors *"
PAGES = ("/book/", "/manage/")
_MANAGE_TOKEN = re.compile(r"(/manage/)[^/?#\s]+")


def headers_for(path: str) -> dict[str, str]:
    headers = {"X-Content-Type-Options": "nosniff"}
    if path == "/hub" or path.startswith("/hub/"):
        headers |= {"Content-Security-Policy": HUB_POLICY, "X-Frame-Options": "DENY"}
    elif path.startswith(PAGES):
        headers["Content-Security-Policy"] = EMBEDDABLE
    return headers


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = headers_for(scope["path"])
        private = "X-Frame-Options" in extra

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.update(extra)
                # A page that chose stricter ones keeps them (manage pages: no referrer).
                headers.setdefault("Referrer-Policy", "same-origin")
                if private:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def redact(text: str) -> str:
    return _MANAGE_TOKEN.sub(r"\1[token]", text)


class TokenRedaction(logging.Filter):
    """Rewrites the path of uvicorn's access lines: ``/manage/[token]/move``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


_REDACTION = TokenRedaction()


def keep_tokens_out_of_access_log() -> None:
    access = logging.getLogger("uvicorn.access")
    if _REDACTION not in access.filters:
        access.addFilter(_REDACTION)
