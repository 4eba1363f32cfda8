"""Property-based requests over the whole OpenAPI schema (schemathesis): whatever
it sends, the server answers without a 5xx and within its own documented schema.

Kept small (a few examples per operation) so it runs in well under two minutes;
each backend gets an organization with a host, a booking type and a booking, so
that some requests reach real resources rather than only 404s.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import checks

from rota.api import create_app
from rota.service import orgs
from rota.store.db import Database
from tests.api.support import Api, monday

CHECKS = [
    checks.not_a_server_error,
    checks.response_schema_conformance,
    checks.status_code_conformance,
    checks.content_type_conformance,
]


BASE = "http://testserver"

# POST /v1/inbound/email takes a raw email: any bytes, and some that look like one.
schemathesis.openapi.media_type(
    "message/rfc822",
    st.one_of(
        st.binary(max_size=200),
        st.builds(
            lambda subject, body: (
                f"From: a@example.com\r\nSubject: {subject}\r\n\r\n{body}".encode()
            ),
            st.text(max_size=20),
            st.text(max_size=50),
        ),
    ),
)


def send(client: TestClient, kwargs: dict[str, Any]) -> httpx.Response:
    """Send a case through Starlette's test client (schemathesis's own ASGI transport
    does not work with the requests/urllib3 versions installed)."""
    if "data" in kwargs:
        kwargs["content"] = kwargs.pop("data")
    cookies = kwargs.pop("cookies", None)
    if cookies:
        client.cookies = cookies
    return client.request(**kwargs)


@pytest.fixture
def served(database_url: str, db: Database) -> tuple[Any, str]:
    """The app with an organization holding a small team, and that organization's key."""
    app = create_app(database_url)
    key = orgs.create_key(db, "acme")
    with TestClient(app) as client:
        api = Api(client, key)
        hosts = [api.host(name)["id"] for name in ("Ada", "Bob")]
        api.booking_type("rr", hosts)
        api.book("rr", monday() + timedelta(hours=9))
    return app, key


def test_any_request_gets_a_documented_answer(served: tuple[Any, str]) -> None:
    app, key = served
    client = TestClient(app, base_url=BASE, raise_server_exceptions=False)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    headers = {"Authorization": f"Bearer {key}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=6,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers(case: Any) -> None:
            response = send(client, case.as_transport_kwargs(base_url=BASE, headers=headers))
            case.validate_response(response, checks=CHECKS, headers=headers)

        answers()
