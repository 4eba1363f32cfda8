"""Webhook deliveries: a JSON body POSTed to a subscriber, signed with its secret.

The signature header is ``Rota-Signature: t=<unix seconds>,v1=<hex>``, where
``v1`` is HMAC-SHA256 under the subscription's secret of ``f"{t}.{body}"``.
Signing the time with the body lets a receiver refuse a replayed request
(``verify`` allows five minutes by default); the signature is made when the
request is sent, so a retry carries a fresh time, and a time ahead of the
receiver's clock by more than a minute of skew is refused too: it would stretch
the replay window.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import httpx

from rota import outbound
from rota.notify.errors import DeliveryError, PermanentDeliveryError

SIGNATURE_HEADER = "Rota-Signature"
EVENT_HEADER = "Rota-Event"
DELIVERY_HEADER = "Rota-Delivery"
EVENTS = ("booking.created", "booking.reassigned", "booking.cancelled")
DEFAULT_TOLERANCE = 300
CLOCK_SKEW = 60
TOTAL_SECONDS = 15.0
"""How long a receiver has to take a delivery and answer, all told (then it is retried)."""


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The ``Rota-Signature`` header value for ``body`` sent at ``timestamp``."""
    return f"t={timestamp},v1={_digest(secret, timestamp, body)}"


def verify(
    secret: str,
    body: bytes,
    header: str,
    *,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> bool:
    """Whether ``header`` signs exactly ``body`` with ``secret``, made within ``tolerance``
    seconds before now and at most `CLOCK_SKEW` seconds after."""
    fields: dict[str, list[str]] = {}
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        fields.setdefault(key, []).append(value)
    try:
        timestamp = int(fields["t"][0])
    except (KeyError, ValueError):
        return False
    age = (time.time() if now is None else now) - timestamp
    if not -min(CLOCK_SKEW, tolerance) <= age <= tolerance:
        return False
    expected = _digest(secret, timestamp, body)
    # Several v1 values are allowed so that a secret can be rolled over.
    return any(hmac.compare_digest(expected, given) for given in fields.get("v1", []))


def post(
    client: httpx.Client,
    url: str,
    body: bytes,
    secret: str,
    *,
    event: str,
    delivery_id: str,
    now: float | None = None,
    total_seconds: float = TOTAL_SECONDS,
) -> None:
    """Send one delivery; any answer but 2xx is a failure the outbox retries.

    ``Rota-Delivery`` stays the same across retries so that a receiver can
    drop a repeat. Redirects are not followed: the subscription names the URL.
    A 410 Gone says the receiver wants no more, so that one is final, and so
    is a URL that `rota.outbound` refuses. Only the status of the answer is
    read; errors name no URL (the subscription has it) and no answer body.
    The whole request, however slowly the receiver answers, ends within
    ``total_seconds``.
    """
    timestamp = int(time.time() if now is None else now)
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(secret, body, timestamp),
        EVENT_HEADER: event,
        DELIVERY_HEADER: delivery_id,
        "User-Agent": "rota-webhooks/1",
    }
    try:
        answer = outbound.request(
            client,
            "POST",
            url,
            content=body,
            headers=headers,
            read_body=False,
            total_seconds=total_seconds,
        )
    except outbound.UrlNotAllowed as error:
        raise PermanentDeliveryError(f"POST: {error}") from error
    except outbound.OutboundError as error:
        raise DeliveryError(f"POST: {error}") from error
    if answer.status == 410:
        raise PermanentDeliveryError("POST: 410 Gone")
    if not 200 <= answer.status < 300:
        raise DeliveryError(f"POST: HTTP {answer.status}")
