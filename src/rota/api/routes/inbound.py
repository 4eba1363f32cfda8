"""``POST /v1/inbound/email``: replies to invitations, forwarded by a mail provider.

The body is the raw email (``Content-Type: message/rfc822``). The key is the API
key, as ``Authorization: Bearer`` or as the password of HTTP Basic, which is what
inbound-mail services let one put in a forwarding URL.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from rota.api import schemas
from rota.api.auth import Db, database
from rota.api.errors import ApiError, responses
from rota.service import orgs, replies

router = APIRouter(prefix="/v1/inbound", tags=["inbound"], responses=responses(401, 422))

MEDIA_TYPE = "message/rfc822"


def _key(header: str) -> str | None:
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip() or None
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[2] or None
    return None


def mail_organization(request: Request) -> str:
    """The organization whose API key came as Bearer or as the Basic password."""
    key = _key(request.headers.get("authorization", ""))
    if key is None:
        raise ApiError(
            401,
            "unauthorized",
            "Send an API key as 'Authorization: Bearer <key>' or as the password of Basic.",
        )
    org_id = orgs.authenticate(database(request), key)
    if org_id is None:
        raise ApiError(401, "unauthorized", "The API key is not valid.")
    return org_id


class InboundOut(BaseModel):
    outcome: Literal["recorded", "reassigned", "kept", "ignored"]
    booking: schemas.BookingOut | None = None


@router.post(
    "/email",
    response_model=InboundOut,
    responses={202: {"model": InboundOut, "description": "Stored; nothing to apply."}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def inbound_email(
    request: Request, org_id: Annotated[str, Depends(mail_organization)], db: Db
) -> Any:
    """An email for rota. An iTIP REPLY to a booking records the participant's answer
    (200); a host's DECLINED on a round-robin booking whose type says
    ``on_host_decline: "reassign"`` moves it to the next fair host. Anything else is
    kept and acknowledged with 202."""
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind != MEDIA_TYPE:
        raise ApiError(415, "unsupported_media_type", f"Send the raw email as {MEDIA_TYPE}.")
    data = await request.body()
    outcome = await run_in_threadpool(replies.receive, db, org_id, data)
    body = InboundOut(
        outcome=outcome.outcome,
        booking=None if outcome.booking is None else schemas.BookingOut.of(outcome.booking),
    )
    status = 202 if outcome.outcome == "ignored" else 200
    return JSONResponse(body.model_dump(mode="json"), status_code=status)
