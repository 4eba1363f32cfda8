"""The Hub's people and keys, for admins: the users who sign in (create one and see
their one-time sign-in link, make a new link, delete them) and the organization's
API keys (create one and see it once, revoke one).

A link or a key is shown on the page that made it and never again: only their
hashes are kept (`rota.service.users`, `rota.service.orgs`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response

from rota.api.auth import Db
from rota.api.schemas import UserIn
from rota.service import hosts, orgs, users
from rota.service.errors import NotFound, ServiceError
from rota.store.db import Database
from rota.web import form_errors
from rota.web.hub_access import Admin, Forbidden
from rota.web.hub_auth import Hub
from rota.web.hub_frame import hub_page, not_found

router = APIRouter(prefix="/hub", include_in_schema=False)


def _page(
    request: Request,
    db: Database,
    hub: Hub,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    shown: dict[str, Any] | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    """The users and keys page; `shown` is a link or key to show this once."""
    slug = orgs.get_org(db, hub.org_id).slug
    context = {
        "people": users.list_users(db, hub.org_id),
        "hosts": hosts.list_hosts(db, hub.org_id),
        "names": hosts.host_names(db, hub.org_id),
        "keys": orgs.list_keys(db, slug),
        "form": form or {"role": "member"},
        "errors": errors or {},
        "shown": shown,
        "notice": notice,
        "me": hub.actor.id,
    }
    return hub_page(
        request, db, hub, "hub/users.html", context, section="users", status_code=status_code
    )


@router.get("/users")
def users_page(request: Request, hub: Admin, db: Db) -> Response:
    notice = None
    if request.query_params.get("deleted"):
        notice = "The user is deleted: their sessions ended and their links stopped working."
    elif request.query_params.get("revoked"):
        notice = "The key is revoked: requests and Hub sessions made with it are refused."
    return _page(request, db, hub, notice=notice)


@router.post("/users")
def create_user(
    request: Request,
    hub: Admin,
    db: Db,
    email: Annotated[str, Form(max_length=320)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=16)] = "",
    host_id: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Create a user and show their first one-time sign-in link (valid 15 minutes),
    to hand over however suits (the user can also ask for one by email)."""
    form = {"email": email.strip(), "name": name.strip(), "role": role, "host_id": host_id}
    fields = {**form, "host_id": host_id or None}
    try:
        checked = UserIn.model_validate(fields)
        link = users.create_with_link(
            db,
            orgs.get_org(db, hub.org_id).slug,
            email=checked.email,
            name=checked.name,
            role=checked.role,
            host_id=checked.host_id,
        )
    except ValidationError as invalid:
        errors = form_errors.by_field(invalid, "email")
        return _page(request, db, hub, form=form, errors=errors, status_code=422)
    except ServiceError as refusal:
        where = next(iter(refusal.details), "email") if isinstance(refusal.details, dict) else ""
        errors = {where or "email": refusal.message}
        return _page(request, db, hub, form=form, errors=errors, status_code=refusal.status)
    shown = {"what": "link", "for": link.user.name, "value": link.url}
    return _page(request, db, hub, shown=shown, status_code=201)


@router.post("/users/{user_id}/link")
def new_link(request: Request, user_id: str, hub: Admin, db: Db) -> Response:
    try:
        user = users.get_user(db, hub.org_id, user_id)
    except NotFound:
        return not_found(request, "User")
    link = users.sign_in_link(db, orgs.get_org(db, hub.org_id).slug, user.email)
    return _page(request, db, hub, shown={"what": "link", "for": user.name, "value": link.url})


@router.post("/users/{user_id}/delete")
def delete_user(request: Request, user_id: str, hub: Admin, db: Db) -> Response:
    if user_id == hub.actor.id:
        raise Forbidden("You cannot delete yourself: ask another admin.")
    try:
        users.delete_user(db, hub.org_id, user_id)
    except NotFound:
        return not_found(request, "User")
    return RedirectResponse("/hub/users?deleted=1", status_code=303)


@router.post("/keys")
def create_key(request: Request, hub: Admin, db: Db) -> Response:
    """A new API key, shown this once."""
    key = orgs.create_key(db, orgs.get_org(db, hub.org_id).slug)
    shown = {"what": "key", "for": key[: len(orgs.KEY_PREFIX) + 6], "value": key}
    return _page(request, db, hub, shown=shown, status_code=201)


@router.post("/keys/{key_id}/revoke")
def revoke_key(request: Request, key_id: str, hub: Admin, db: Db) -> Response:
    try:
        orgs.revoke_key(db, orgs.get_org(db, hub.org_id).slug, key_id)
    except NotFound:
        return not_found(request, "API key")
    return RedirectResponse("/hub/users?revoked=1#keys", status_code=303)
