"""``/v1/webhooks``: an organization's subscriptions to booking events.

Each delivery is a POST of JSON signed with the subscription's secret
(``Rota-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">``), sent through
the outbox with retries. The secret is shown once, in the answer to the POST.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Self
from urllib.parse import urlsplit

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from rota.api.auth import Db, OrgId
from rota.api.errors import responses
from rota.service import subscriptions
from rota.store.tables import Webhook

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"], responses=responses(401, 404, 422))

Event = Literal[
    "booking.created",
    "booking.reassigned",
    "booking.rescheduled",
    "booking.cancelled",
    "booking.replied",
]


def http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http:// or https:// URL")
    return value


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=2000, examples=["https://example.com/rota-hooks"])
    events: list[Event] = Field(min_length=1)

    _url = field_validator("url")(http_url)


class WebhookOut(BaseModel):
    id: str
    url: str
    events: list[Event]
    created_at: datetime

    @classmethod
    def of(cls, row: Webhook) -> Self:
        return cls.model_validate(row, from_attributes=True)


class WebhookCreated(WebhookOut):
    secret: str = Field(description="Signs every delivery; shown only in this answer.")


class WebhookList(BaseModel):
    webhooks: list[WebhookOut]


@router.post("", status_code=201, response_model=WebhookCreated)
def create_webhook(body: WebhookIn, org_id: OrgId, db: Db) -> WebhookCreated:
    row = subscriptions.subscribe(db, org_id, body.url, body.events)
    return WebhookCreated.model_validate(row, from_attributes=True)


@router.get("", response_model=WebhookList)
def list_webhooks(org_id: OrgId, db: Db) -> WebhookList:
    return WebhookList(webhooks=[WebhookOut.of(r) for r in subscriptions.subscriptions(db, org_id)])


@router.get("/{webhook_id}", response_model=WebhookOut)
def get_webhook(webhook_id: str, org_id: OrgId, db: Db) -> WebhookOut:
    return WebhookOut.of(subscriptions.subscription(db, org_id, webhook_id))


@router.delete("/{webhook_id}", status_code=204, response_class=Response)
def delete_webhook(webhook_id: str, org_id: OrgId, db: Db) -> Response:
    subscriptions.unsubscribe(db, org_id, webhook_id)
    return Response(status_code=204)
