"""Signing in to the Booking Hub with an API key, the session, and CSRF protection.

The session is a cookie signed with itsdangerous (HMAC-SHA1 over a key derived
from ``ROTA_SECRET_KEY``, the same server secret that encrypts calendar
passwords): it holds the organization id and a CSRF token, never the API key.
It is ``HttpOnly`` (no script reads it), ``SameSite=Lax`` (other sites' forms
do not carry it) and scoped to ``/hub``, and it expires after `MAX_AGE`.

Every Hub form carries the session's CSRF token in a hidden field and every
htmx request sends it in the ``X-CSRF-Token`` header; a state-changing request
without the matching token is refused. Signing in issues a fresh token, so a
token planted before sign-in is worthless afterwards.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse, Response

from rota.api.auth import Db
from rota.calendars.secrets import secret_key
from rota.service import orgs
from rota.web.templating import is_timezone, page, problem

COOKIE = "rota_hub"
COOKIE_PATH = "/hub"
MAX_AGE = 12 * 3600
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD"})
FRAMING = "frame-ancestors 'none'"

router = APIRouter(prefix="/hub", include_in_schema=False)


@dataclass(frozen=True, slots=True)
class Visit:
    """What the session cookie holds: who is signed in (None before sign-in) and the
    CSRF token of the forms."""

    org_id: str | None
    csrf: str
    timezone: str = "UTC"
    """The zone the Hub shows times in: the browser's, read when signing in."""


@dataclass(frozen=True, slots=True)
class Hub:
    """A signed-in request: the organization whose data it may see, the CSRF token its
    forms carry, and the zone it shows times in."""

    org_id: str
    csrf: str
    timezone: str


class SignInRequired(Exception):
    """No valid session: the request is refused and the person sent to sign in."""


class CsrfRefused(Exception):
    """A state-changing request without the session's CSRF token."""


def _signer(request: Request) -> URLSafeTimedSerializer:
    # Made on first use, not at app creation: building an app (in a test, or for the
    # OpenAPI page) should not create the secret key file.
    state = request.app.state
    signer: URLSafeTimedSerializer | None = getattr(state, "hub_signer", None)
    if signer is None:
        signer = URLSafeTimedSerializer(secret_key(), salt="rota.web.hub-session")
        state.hub_signer = signer
    return signer


def read_visit(request: Request) -> Visit | None:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data = _signer(request).loads(raw, max_age=MAX_AGE)
    except BadSignature:  # also an expired one (SignatureExpired is a BadSignature)
        return None
    if not isinstance(data, dict) or not isinstance(data.get("csrf"), str):
        return None
    org_id, zone = data.get("org"), data.get("tz")
    return Visit(
        org_id if isinstance(org_id, str) else None,
        data["csrf"],
        zone if isinstance(zone, str) and is_timezone(zone) else "UTC",
    )


def write_visit(request: Request, response: Response, visit: Visit) -> None:
    value = _signer(request).dumps({"org": visit.org_id, "csrf": visit.csrf, "tz": visit.timezone})
    response.set_cookie(
        COOKIE,
        value,
        max_age=MAX_AGE,
        path=COOKIE_PATH,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def new_visit(org_id: str | None = None, timezone: str = "UTC") -> Visit:
    return Visit(org_id, secrets.token_urlsafe(32), timezone)


async def _sent_token(request: Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        # Starlette keeps the parsed form, so the endpoint's Form() parameters still work.
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


async def check_csrf(request: Request, visit: Visit) -> None:
    if request.method in SAFE_METHODS:
        return
    if not secrets.compare_digest(await _sent_token(request), visit.csrf):
        raise CsrfRefused


async def signed_in(request: Request) -> Hub:
    """The dependency of every Hub page and action."""
    visit = read_visit(request)
    if visit is None or visit.org_id is None:
        raise SignInRequired
    await check_csrf(request, visit)
    return Hub(visit.org_id, visit.csrf, visit.timezone)


SignedIn = Annotated[Hub, Depends(signed_in)]


def _safe_next(target: str | None) -> str:
    """Only a Hub path of this site, so the sign-in form cannot redirect elsewhere."""
    if target and target.startswith("/hub/") and not target.startswith("//"):
        return target
    return "/hub/bookings"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> Response:
    visit = read_visit(request)
    if visit is not None and visit.org_id is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    visit = visit or new_visit()
    response = page(request, "hub/login.html", {"csrf": visit.csrf, "next": _safe_next(next)})
    response.headers.update({"X-Frame-Options": "DENY", "Content-Security-Policy": FRAMING})
    write_visit(request, response, visit)
    return response


@router.post("/login", response_class=HTMLResponse)
async def login(
    request: Request,
    db: Db,
    api_key: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
    timezone: Annotated[str, Form()] = "",
) -> Response:
    visit = read_visit(request)
    if visit is None:
        raise CsrfRefused
    await check_csrf(request, visit)
    org_id = await run_in_threadpool(orgs.authenticate, db, api_key.strip())
    if org_id is None:
        context = {
            "csrf": visit.csrf,
            "next": _safe_next(next),
            "error": "That API key is not valid. Check it, or make a new one with "
            "`rota keys create --org SLUG`.",
        }
        return page(request, "hub/login.html", context, status_code=401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    write_visit(request, response, new_visit(org_id, timezone if is_timezone(timezone) else "UTC"))
    return response


@router.post("/logout")
def logout(_hub: SignedIn) -> Response:
    response = RedirectResponse("/hub/login?signed_out=1", status_code=303)
    response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="lax")
    return response


def refuse_without_session(request: Request, _exc: Exception) -> Response:
    """A page asked for without a session goes to sign-in and comes back; an action
    is refused outright (its form data would be lost by a redirect anyway)."""
    target = f"/hub/login?next={quote(request.url.path)}"
    if request.headers.get("HX-Request"):
        return Response(status_code=401, headers={"HX-Redirect": target})
    if request.method in SAFE_METHODS:
        return RedirectResponse(target, status_code=303)
    return problem(
        request,
        401,
        "Sign in first",
        "This action needs you to be signed in to the Booking Hub.",
        link=target,
        link_text="Sign in",
    )


def refuse_csrf(request: Request, _exc: Exception) -> Response:
    return problem(
        request,
        403,
        "Form expired",
        "This form did not carry this session's security token, so nothing was changed. "
        "Go back, reload the page and try again.",
        link="/hub/bookings",
        link_text="Back to the Hub",
    )
