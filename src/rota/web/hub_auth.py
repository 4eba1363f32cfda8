"""Signing in to the Booking Hub with an API key, the session, and CSRF protection.

The Hub's cookie is signed with itsdangerous (HMAC-SHA1 over a key derived from
``ROTA_SECRET_KEY``, the same server secret that encrypts calendar passwords) and
never holds the API key. Before sign-in it holds the CSRF token of the sign-in
form; after, only the id of a session kept by `rota.service.hub_sessions`, which
every Hub request looks up: signing out, or revoking the API key, ends the session
on the server, so a copy of the cookie taken earlier is worthless. The cookie is
``HttpOnly`` (no script reads it), ``SameSite=Lax`` (other sites' forms do not
carry it), ``Secure`` over https and scoped to ``/hub``; the signature's age limit
matches the session's.

Every Hub form carries the session's CSRF token in a hidden field and every
htmx request sends it in the ``X-CSRF-Token`` header; a state-changing request
without the matching token is refused. Signing in issues a fresh token, so a
token planted before sign-in is worthless afterwards.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse, Response

from rota import teamfile
from rota.actor import Actor
from rota.api.auth import Db
from rota.calendars.secrets import secret_key
from rota.service import hub_sessions, users
from rota.store.tables import HubSession
from rota.web.templating import is_timezone, page, problem

COOKIE = "rota_hub"
COOKIE_PATH = "/hub"
MAX_AGE = int(hub_sessions.LIFETIME.total_seconds())
LOGIN_CSRF = "csrf"
SESSION = "session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD"})
FRAMING = "frame-ancestors 'none'"

router = APIRouter(prefix="/hub", include_in_schema=False)


@dataclass(frozen=True, slots=True)
class Hub:
    """A signed-in request: the organization whose data it may see, the CSRF token its
    forms carry, and the zone it shows times in."""

    org_id: str
    csrf: str
    timezone: str
    actor: Actor
    """Who acts through this session: its user, or the API key it was opened with."""
    role: str = "admin"
    """``"admin"`` (an admin user, or anyone signed in with an API key) or ``"member"``."""
    host_id: str | None = None
    """The host the user is, if any: a member's own schedule and bookings."""

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


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


def _from_cookie(request: Request, name: str) -> str | None:
    """The cookie's `LOGIN_CSRF` or `SESSION`; None when absent, forged or too old."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data = _signer(request).loads(raw, max_age=MAX_AGE)
    except BadSignature:  # also an expired one (SignatureExpired is a BadSignature)
        return None
    value = data.get(name) if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def _write_cookie(request: Request, response: Response, name: str, value: str) -> None:
    response.set_cookie(
        COOKIE,
        _signer(request).dumps({name: value}),
        max_age=MAX_AGE,
        path=COOKIE_PATH,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


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


async def check_csrf(request: Request, token: str) -> None:
    if request.method in SAFE_METHODS:
        return
    if not secrets.compare_digest(await _sent_token(request), token):
        raise CsrfRefused


async def _session_id(request: Request) -> str:
    """The session id the cookie carries, not yet looked up."""
    session_id = _from_cookie(request, SESSION)
    if session_id is None:
        raise SignInRequired
    return session_id


SessionId = Annotated[str, Depends(_session_id)]


def _session(db: Db, session_id: SessionId) -> HubSession:
    # A plain function: FastAPI runs it, and so the lookup's query, off the event loop.
    session = hub_sessions.lookup(db, session_id)
    if session is None:
        raise SignInRequired
    return session


async def signed_in(request: Request, session: Annotated[HubSession, Depends(_session)]) -> Hub:
    """The dependency of every Hub page and action."""
    await check_csrf(request, session.csrf_token)
    user = session.user
    role, host_id = ("admin", None) if user is None else (user.role, user.host_id)
    return Hub(session.org_id, session.csrf_token, session.timezone, session.actor, role, host_id)


SignedIn = Annotated[Hub, Depends(signed_in)]
"""Anyone signed in: an admin, or a member (whose route then checks what is theirs,
`rota.web.hub_access`)."""


def _safe_next(target: str | None) -> str:
    """Only a Hub path of this site, so the sign-in form cannot redirect elsewhere."""
    if target and target.startswith("/hub/") and not target.startswith("//"):
        return target
    return "/hub/bookings"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, db: Db, next: str | None = None) -> Response:
    session_id = _from_cookie(request, SESSION)
    if session_id is not None and hub_sessions.lookup(db, session_id) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    # A token already issued is kept, so that sign-in forms open in two tabs both work.
    csrf = _from_cookie(request, LOGIN_CSRF) or secrets.token_urlsafe(32)
    response = page(request, "hub/login.html", {"csrf": csrf, "next": _safe_next(next)})
    response.headers.update({"X-Frame-Options": "DENY", "Content-Security-Policy": FRAMING})
    _write_cookie(request, response, LOGIN_CSRF, csrf)
    return response


@router.post("/login", response_class=HTMLResponse)
async def login(
    request: Request,
    db: Db,
    api_key: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
    timezone: Annotated[str, Form()] = "",
) -> Response:
    csrf = _from_cookie(request, LOGIN_CSRF)
    if csrf is None:
        raise CsrfRefused
    await check_csrf(request, csrf)
    zone = timezone if is_timezone(timezone) else "UTC"
    session_id = await run_in_threadpool(hub_sessions.open_session, db, api_key.strip(), zone)
    if session_id is None:
        context = {
            "csrf": csrf,
            "next": _safe_next(next),
            "error": "That API key is not valid. Check it, or make a new one with "
            "`rota keys create --org SLUG`.",
        }
        return page(request, "hub/login.html", context, status_code=401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    _write_cookie(request, response, SESSION, session_id)
    return response


SENT = (
    "If {email} is the address of a user of the Booking Hub, a sign-in link is on its "
    "way to it. It works once, within 15 minutes."
)


def _sign_in_page(request: Request, context: dict[str, Any], status_code: int = 200) -> Response:
    response = page(request, "hub/sign_in.html", context, status_code=status_code)
    response.headers.update({"X-Frame-Options": "DENY", "Content-Security-Policy": FRAMING})
    return response


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request, db: Db) -> Response:
    """Ask for a sign-in link by email (for users; admins may also use an API key)."""
    session_id = _from_cookie(request, SESSION)
    if session_id is not None and hub_sessions.lookup(db, session_id) is not None:
        return RedirectResponse("/hub/bookings", status_code=303)
    csrf = _from_cookie(request, LOGIN_CSRF) or secrets.token_urlsafe(32)
    response = _sign_in_page(request, {"csrf": csrf})
    _write_cookie(request, response, LOGIN_CSRF, csrf)
    return response


@router.post("/sign-in", response_class=HTMLResponse)
async def request_sign_in_link(
    request: Request, db: Db, email: Annotated[str, Form(max_length=320)] = ""
) -> Response:
    """Email a link to the users with that address. The answer is the same whether or
    not there are any, so the form does not tell who has an account; the form is rate
    limited per client (`rota.web.rate_limits`) and each user gets a few links per 15
    minutes at most (`users.MAX_RECENT_LINKS`)."""
    csrf = _from_cookie(request, LOGIN_CSRF)
    if csrf is None:
        raise CsrfRefused
    await check_csrf(request, csrf)
    typed = email.strip()
    try:
        address = TypeAdapter(teamfile.Email).validate_python(typed)
    except ValidationError:
        context = {"csrf": csrf, "email": typed, "error": "Enter an email address."}
        return _sign_in_page(request, context, status_code=422)
    await run_in_threadpool(users.email_links, db, address)
    return _sign_in_page(request, {"csrf": csrf, "sent": SENT.format(email=address)})


@router.get("/sign-in/{token}", response_class=HTMLResponse)
def sign_in_link_form(request: Request, token: str) -> Response:
    """The page of a one-time sign-in link. Opening it changes nothing: mail scanners
    and link previews fetch links, and would otherwise use the link up. The person
    signs in by pressing the button (a POST carrying the sign-in form's CSRF token)."""
    csrf = _from_cookie(request, LOGIN_CSRF) or secrets.token_urlsafe(32)
    response = page(request, "hub/sign_in_link.html", {"csrf": csrf, "token": token})
    response.headers.update(
        {
            "X-Frame-Options": "DENY",
            "Content-Security-Policy": FRAMING,
            "Referrer-Policy": "no-referrer",
        }
    )
    _write_cookie(request, response, LOGIN_CSRF, csrf)
    return response


@router.post("/sign-in/{token}", response_class=HTMLResponse)
async def sign_in_with_link(
    request: Request, token: str, db: Db, timezone: Annotated[str, Form()] = ""
) -> Response:
    """Use the link: a session for its user, who is then the actor of what they do."""
    csrf = _from_cookie(request, LOGIN_CSRF)
    if csrf is None:
        raise CsrfRefused
    await check_csrf(request, csrf)
    zone = timezone if is_timezone(timezone) else "UTC"
    session_id = await run_in_threadpool(users.redeem, db, token, zone)
    if session_id is None:
        context = {
            "csrf": csrf,
            "next": "/hub/bookings",
            "error": "That sign-in link was used already or is more than 15 minutes old. "
            "Ask for a new one.",
        }
        return page(request, "hub/login.html", context, status_code=401)
    response = RedirectResponse("/hub/bookings", status_code=303)
    _write_cookie(request, response, SESSION, session_id)
    return response


@router.post("/logout")
def logout(db: Db, session_id: SessionId, _hub: SignedIn) -> Response:
    hub_sessions.revoke(db, session_id)
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
