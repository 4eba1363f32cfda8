"""How ``POST /v1/inbound/email`` reads its API key (API.md, Replies), on SQLite and
PostgreSQL: as Bearer or as the HTTP Basic password, whatever the spaces after the
scheme; the Basic password is everything after the first ':' and must be base64 of
UTF-8 to the letter. Without a key it reads, the refusal says how to send one; with a
key that is not valid, it says so."""

from __future__ import annotations

import base64
from email.message import EmailMessage

import httpx
import pytest

from tests.api.support import Api

HOW = "Send an API key as 'Authorization: Bearer <key>' or as the password of Basic."
NOT_VALID = "The API key is not valid."


def note() -> bytes:
    """An email that is no reply to an invitation: kept and acknowledged with 202."""
    message = EmailMessage()
    message["From"] = "grace@example.com"
    message["To"] = "rota@acme.example"
    message["Subject"] = "Hello"
    message.set_content("Just saying hello.")
    return message.as_bytes()


def send(api: Api, authorization: str | None) -> httpx.Response:
    headers = {"Content-Type": "message/rfc822"}
    if authorization is not None:
        headers["Authorization"] = authorization
    response: httpx.Response = api.client.post("/v1/inbound/email", content=note(), headers=headers)
    return response


def basic(credentials: str) -> str:
    return "Basic " + base64.b64encode(credentials.encode()).decode()


def refused(response: httpx.Response, message: str) -> None:
    assert response.status_code == 401, response.text
    error = response.json()["error"]
    assert (error["code"], error["message"]) == ("unauthorized", message)


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer {key}",
        "Bearer   {key}",
        "bearer {key}",
        "Basic {inbound}",
        "Basic   {inbound}",
        "BASIC {blank_user}",
    ],
)
def test_the_key_is_read_as_bearer_or_basic_password_whatever_the_spaces_after_the_scheme(
    api: Api, authorization: str
) -> None:
    header = authorization.format(
        key=api.key,
        inbound=basic(f"inbound:{api.key}")[len("Basic ") :],
        blank_user=basic(f":{api.key}")[len("Basic ") :],
    )
    response = send(api, header)
    assert response.status_code == 202, response.text
    assert response.json()["outcome"] == "ignored"


def test_the_basic_password_is_all_after_the_first_colon(api: Api) -> None:
    refused(send(api, basic(f"inbound:x:{api.key}")), NOT_VALID)
    refused(send(api, basic(f"inbound:{api.key}:")), NOT_VALID)


def test_a_basic_value_that_is_not_base64_to_the_letter_is_refused_saying_how(
    api: Api,
) -> None:
    encoded = basic(f"inbound:{api.key}")[len("Basic ") :]
    refused(send(api, f"Basic !{encoded}"), HOW)
    refused(send(api, f"Basic {encoded[:4]}.{encoded[4:]}"), HOW)
    refused(send(api, "Basic " + base64.b64encode(b"inbound:\xff\xfe").decode()), HOW)


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer   ", "Token {key}", "{key}", "Basic", "Basic {no_colon}"],
)
def test_without_a_key_it_can_read_the_refusal_says_how_to_send_one(
    api: Api, authorization: str | None
) -> None:
    header = (
        None
        if authorization is None
        else authorization.format(key=api.key, no_colon=basic(api.key)[len("Basic ") :])
    )
    refused(send(api, header), HOW)


def test_a_key_that_is_not_valid_is_refused_saying_so(api: Api) -> None:
    refused(send(api, "Bearer rota_notakey"), NOT_VALID)
    refused(send(api, basic("inbound:rota_notakey")), NOT_VALID)
