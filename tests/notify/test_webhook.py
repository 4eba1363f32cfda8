from __future__ import annotations

import hashlib
import hmac
import json

import httpx
import pytest

from rota.notify.errors import DeliveryError
from rota.notify.webhook import new_secret, post, sign, verify
from tests.notify.webhook_receiver import running_receiver

SECRET = "whsec_test"
BODY = b'{"event":"booking.created"}'


def test_signature_is_hmac_sha256_of_time_dot_body() -> None:
    header = sign(SECRET, BODY, 1_700_000_000)
    expected = hmac.new(SECRET.encode(), b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"
    assert verify(SECRET, BODY, header, now=1_700_000_010)


@pytest.mark.parametrize(
    ("secret", "body", "now"),
    [
        ("whsec_other", BODY, 1_700_000_000),  # wrong secret
        (SECRET, BODY + b" ", 1_700_000_000),  # body changed
        (SECRET, BODY, 1_700_000_301),  # too old: a replay
        (SECRET, BODY, 1_699_999_939),  # from the future, beyond clock skew
    ],
)
def test_verify_refuses(secret: str, body: bytes, now: int) -> None:
    assert not verify(secret, body, sign(SECRET, BODY, 1_700_000_000), now=now)


def test_verify_allows_a_minute_of_clock_skew_either_way() -> None:
    header = sign(SECRET, BODY, 1_700_000_000)
    assert verify(SECRET, BODY, header, now=1_699_999_940)
    assert verify(SECRET, BODY, header, now=1_700_000_060)
    assert not verify(SECRET, BODY, header, now=1_699_999_000)
    assert not verify(SECRET, BODY, header, now=1_700_000_000 - 30, tolerance=10)


def test_verify_refuses_garbage_headers() -> None:
    assert not verify(SECRET, BODY, "")
    assert not verify(SECRET, BODY, "t=abc,v1=00")
    assert not verify(SECRET, BODY, "v1=00")


def test_secrets_are_random() -> None:
    assert new_secret() != new_secret()
    assert new_secret().startswith("whsec_")


def test_post_reaches_a_receiver_that_checks_the_signature() -> None:
    secret = new_secret()
    with running_receiver(secret) as receiver, httpx.Client(timeout=5) as client:
        post(client, receiver.url, BODY, secret, event="booking.created", delivery_id="ob_1")
    [delivered] = receiver.received
    assert delivered.signature_ok
    assert json.loads(delivered.body) == {"event": "booking.created"}
    assert delivered.headers["Rota-Event"] == "booking.created"
    assert delivered.headers["Rota-Delivery"] == "ob_1"
    assert delivered.headers["Content-Type"] == "application/json"


def test_a_failing_receiver_is_retryable_and_gone_is_final() -> None:
    with running_receiver(SECRET) as receiver, httpx.Client(timeout=5) as client:
        receiver.status = 500
        with pytest.raises(DeliveryError) as failure:
            post(client, receiver.url, BODY, SECRET, event="booking.created", delivery_id="d")
        assert not failure.value.permanent
        receiver.status = 410
        with pytest.raises(DeliveryError) as failure:
            post(client, receiver.url, BODY, SECRET, event="booking.created", delivery_id="d")
        assert failure.value.permanent


def test_an_unreachable_receiver_is_retryable() -> None:
    with httpx.Client(timeout=2) as client, pytest.raises(DeliveryError) as failure:
        post(client, "http://127.0.0.1:9/x", BODY, SECRET, event="e", delivery_id="d")
    assert not failure.value.permanent
