"""Bearer API keys: every admin endpoint runs as the organization of its key."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from rota.actor import Actor
from rota.api.errors import ApiError
from rota.service import orgs
from rota.store.db import Database

bearer = HTTPBearer(auto_error=False, description="An API key from `rota keys create`.")


def database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def organization(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> str:
    """The id of the organization whose key authorized the request."""
    if credentials is None:
        raise ApiError(401, "unauthorized", "Send an API key as 'Authorization: Bearer <key>'.")
    key = orgs.check_key(database(request), credentials.credentials)
    if key is None:
        raise ApiError(401, "unauthorized", "The API key is not valid.")
    request.state.api_key = key
    return key.org_id


def caller(request: Request, _org_id: Annotated[str, Depends(organization)]) -> Actor:
    """Who makes the request (the API key), for the history of what it changes. The
    key was checked once, by `organization` (FastAPI runs a dependency once a request)."""
    key: orgs.ValidKey = request.state.api_key
    return key.actor


Db = Annotated[Database, Depends(database)]
OrgId = Annotated[str, Depends(organization)]
Caller = Annotated[Actor, Depends(caller)]
