"""Every error answers the envelope of API.md; no input makes a 5xx."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.support import Api, assert_error


def test_admin_endpoints_need_a_valid_key(client: TestClient, api: Api) -> None:
    for path in ("/v1/hosts", "/v1/booking-types", "/v1/bookings", "/v1/hosts/x"):
        assert_error(client.get(path), 401, "unauthorized")
        for header in ("Bearer wrong", "Basic abc", f"Bearer {api.key}x", "Bearer"):
            assert_error(client.get(path, headers={"Authorization": header}), 401, "unauthorized")
    response = client.get("/v1/hosts")
    assert response.headers["www-authenticate"] == "Bearer"
    assert_error(client.post("/v1/hosts", json={}), 401, "unauthorized")


def test_unknown_paths_and_methods_answer_the_envelope(api: Api) -> None:
    assert_error(api.get("/v1/nothing"), 404, "not_found")
    assert_error(api.request("PUT", "/v1/hosts"), 405, "method_not_allowed")


def test_malformed_bodies_are_422_invalid_request(api: Api) -> None:
    json_headers = {"Content-Type": "application/json"}
    for raw in (b"{", b"null", b"[]", b'"text"', b"\xff\xfe", b'{"name": "A"'):
        response = api.post("/v1/hosts", content=raw, headers=json_headers)
        body = assert_error(response, 422, "invalid_request")
        assert body["error"]["details"]
    response = api.post("/v1/hosts", content=b"name=A", headers={"Content-Type": "text/plain"})
    assert_error(response, 422, "invalid_request")
    assert api.get("/v1/hosts").json() == {"hosts": []}


def test_validation_details_name_each_bad_field(api: Api) -> None:
    response = api.post("/v1/hosts", {"name": "", "email": "x", "timezone": "Nowhere"})
    body = assert_error(response, 422, "invalid_request")
    assert set(body["error"]["details"]) == {"name", "email", "timezone"}
    assert all(isinstance(why, str) and why for why in body["error"]["details"].values())


def test_a_body_that_is_not_json_is_named_as_such(api: Api) -> None:
    response = api.post(
        "/v1/hosts", content=b'{"name": "A",', headers={"Content-Type": "application/json"}
    )
    body = assert_error(response, 422, "invalid_request")
    assert body["error"]["details"] == {"body": "the body is not valid JSON"}
    assert "not valid JSON" in body["error"]["message"]


def test_openapi_and_docs_are_served(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert "/v1/bookings/{booking_id}/reassign" in schema["paths"]
    assert client.get("/docs").status_code == 200
