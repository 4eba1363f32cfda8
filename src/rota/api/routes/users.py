"""``/v1/users``: the people who sign in to the Hub (admins, and members who are each
one host of the team)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from rota.api.auth import Db, OrgId
from rota.api.errors import responses
from rota.api.schemas import UserIn, UserList, UserOut, UserPatch
from rota.service import users

router = APIRouter(prefix="/v1/users", tags=["users"], responses=responses(401, 404, 422))


@router.post("", status_code=201, response_model=UserOut, responses=responses(409))
def create_user(body: UserIn, org_id: OrgId, db: Db) -> UserOut:
    """A user; 409 ``email_taken`` when the organization has one with that email."""
    row = users.create_user(
        db, org_id, email=body.email, name=body.name, role=body.role, host_id=body.host_id
    )
    return UserOut.of(row)


@router.get("", response_model=UserList)
def list_users(org_id: OrgId, db: Db) -> UserList:
    return UserList(users=[UserOut.of(u) for u in users.list_users(db, org_id)])


@router.get("/{user_id}", response_model=UserOut)
def get_user(user_id: str, org_id: OrgId, db: Db) -> UserOut:
    return UserOut.of(users.get_user(db, org_id, user_id))


@router.patch("/{user_id}", response_model=UserOut, responses=responses(409))
def update_user(user_id: str, body: UserPatch, org_id: OrgId, db: Db) -> UserOut:
    changes = body.model_dump(include=body.model_fields_set)
    return UserOut.of(users.update_user(db, org_id, user_id, changes))


@router.delete("/{user_id}", status_code=204, response_class=Response)
def delete_user(user_id: str, org_id: OrgId, db: Db) -> Response:
    """Delete the user: their Hub sessions end and their sign-in links stop working."""
    users.delete_user(db, org_id, user_id)
    return Response(status_code=204)
