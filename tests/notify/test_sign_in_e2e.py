"""Hub sign-in by email, end to end with a real SMTP server (API.md, People): ask for
a link, read the email, sign in; the link fails a second time and after 15 minutes."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import time_machine
from fastapi.testclient import TestClient
from httpx import Response

from rota.notify.sign_in import SUBJECT
from tests.api.support import monday
from tests.notify.smtp_server import SmtpServer
from tests.notify.stack import Stack
from tests.web.pages import field, text

ADA = "ada@example.com"


def ask(client: TestClient, email: str) -> Response:
    form = client.get("/hub/sign-in")
    assert form.status_code == 200
    response: Response = client.post(
        "/hub/sign-in", data={"email": email, "csrf_token": field(form.text, "csrf_token")}
    )
    return response


def link_in(smtp: SmtpServer, address: str) -> str:
    """The path of the link in the last email to `address`."""
    message = smtp.to(address)[-1]
    assert message["Subject"] == SUBJECT
    body = message.get_body(("plain",))
    assert body is not None
    [url] = re.findall(r"http://\S+/hub/sign-in/\S+", body.get_content())
    return urlsplit(url).path


def use(client: TestClient, path: str) -> Response:
    page = client.get(path)
    response: Response = client.post(
        path, data={"csrf_token": field(page.text, "csrf_token")}, follow_redirects=False
    )
    return response


def test_a_user_signs_in_by_email_once_and_not_after_15_minutes(
    stack: Stack, smtp_server: SmtpServer
) -> None:
    client = stack.api.client
    user = {"email": ADA, "name": "Ada Lovelace", "role": "admin"}
    assert stack.api.post("/v1/users", user).status_code == 201
    with time_machine.travel(monday(), tick=False) as traveller:
        asked = ask(client, "ADA@example.com")
        assert asked.status_code == 200
        assert "a sign-in link is on its way" in text(asked.text)
        stranger = ask(client, "nobody@example.com")
        # The same answer for an address nobody has: the form tells no one who has an account.
        said = text(asked.text).replace("ADA@example.com", "someone")
        assert text(stranger.text).replace("nobody@example.com", "someone") == said
        assert stack.deliver() == 1
        path = link_in(smtp_server, ADA)
        signed_in = use(client, path)
        assert signed_in.status_code == 303, signed_in.text
        assert client.get("/hub/bookings", follow_redirects=False).status_code == 200
        other_browser = TestClient(client.app)
        again = use(other_browser, path)
        assert again.status_code == 401 and "used already" in text(again.text)
        ask(other_browser, ADA)
        stack.deliver()
        late = link_in(smtp_server, ADA)
        traveller.shift(timedelta(minutes=16))
        assert use(other_browser, late).status_code == 401
        assert other_browser.get("/hub/bookings", follow_redirects=False).status_code == 303


def test_one_person_gets_a_few_links_per_15_minutes_whoever_asks(
    stack: Stack, smtp_server: SmtpServer
) -> None:
    client = stack.api.client
    user = {"email": ADA, "name": "Ada Lovelace", "role": "admin"}
    assert stack.api.post("/v1/users", user).status_code == 201
    with time_machine.travel(monday(), tick=False) as traveller:
        for _ in range(5):
            assert ask(client, ADA).status_code == 200
        stack.deliver()
        assert len(smtp_server.to(ADA)) == 3
        traveller.shift(timedelta(minutes=16))
        ask(client, ADA)
        stack.deliver()
        assert len(smtp_server.to(ADA)) == 4


def test_an_address_that_is_not_one_is_asked_again(stack: Stack) -> None:
    refused = ask(stack.api.client, "not an address")
    assert refused.status_code == 422 and "Enter an email address" in text(refused.text)
