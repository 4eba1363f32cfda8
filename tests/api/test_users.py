"""``/v1/users``: the people who sign in to the Hub (API.md, People)."""

from __future__ import annotations

from tests.api.support import Api, assert_error


def test_users_are_created_read_changed_and_deleted(api: Api) -> None:
    host_id = api.host("Ada")["id"]
    admin = api.post("/v1/users", {"email": "Boss@Example.com", "name": "Bo Ss", "role": "admin"})
    assert admin.status_code == 201, admin.text
    assert {k: admin.json()[k] for k in ("email", "name", "role", "host_id")} == {
        "email": "Boss@example.com",
        "name": "Bo Ss",
        "role": "admin",
        "host_id": None,
    }
    member = api.post(
        "/v1/users",
        {"email": "ada@example.com", "name": "Ada Lovelace", "role": "member", "host_id": host_id},
    )
    assert member.status_code == 201, member.text
    member_id = member.json()["id"]
    listed = api.get("/v1/users").json()["users"]
    assert [u["name"] for u in listed] == ["Bo Ss", "Ada Lovelace"]
    assert api.get(f"/v1/users/{member_id}").json() == member.json()
    renamed = api.patch(f"/v1/users/{member_id}", {"name": "Ada King"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Ada King"
    assert renamed.json()["host_id"] == host_id
    assert api.delete(f"/v1/users/{member_id}").status_code == 204
    assert_error(api.get(f"/v1/users/{member_id}"), 404, "not_found")
    assert [u["name"] for u in api.get("/v1/users").json()["users"]] == ["Bo Ss"]


def test_a_member_is_a_host_of_the_organization(api: Api, other_api: Api) -> None:
    theirs = other_api.host("Eve")["id"]
    alone = {"email": "m@example.com", "name": "M", "role": "member"}
    body = assert_error(api.post("/v1/users", alone), 422, "invalid_request")
    assert "host_id" in body["error"]["details"]
    assert_error(api.post("/v1/users", {**alone, "host_id": theirs}), 422, "invalid_request")
    admin_id = api.post("/v1/users", {**alone, "role": "admin"}).json()["id"]
    refused = api.patch(f"/v1/users/{admin_id}", {"role": "member"})
    assert_error(refused, 422, "invalid_request")


def test_emails_are_checked_and_unique_in_the_organization(api: Api, other_api: Api) -> None:
    bad = {"email": "not an address", "name": "X", "role": "admin"}
    assert_error(api.post("/v1/users", bad), 422, "invalid_request")
    first = {"email": "sam@example.com", "name": "Sam", "role": "admin"}
    assert api.post("/v1/users", first).status_code == 201
    again = {**first, "email": "SAM@example.com"}
    assert_error(api.post("/v1/users", again), 409, "email_taken")
    # Another organization may have a user with the same email.
    assert other_api.post("/v1/users", first).status_code == 201
    kim = api.post("/v1/users", {**first, "email": "kim@example.com"}).json()["id"]
    taken = api.patch(f"/v1/users/{kim}", {"email": "sam@example.com"})
    assert_error(taken, 409, "email_taken")
    assert_error(api.patch(f"/v1/users/{kim}", {"name": None}), 422, "invalid_request")


def test_another_organizations_users_are_not_found(api: Api, other_api: Api) -> None:
    user_id = api.post(
        "/v1/users", {"email": "a@example.com", "name": "A", "role": "admin"}
    ).json()["id"]
    assert_error(other_api.get(f"/v1/users/{user_id}"), 404, "not_found")
    assert_error(other_api.patch(f"/v1/users/{user_id}", {"name": "B"}), 404, "not_found")
    assert_error(other_api.delete(f"/v1/users/{user_id}"), 404, "not_found")
    assert other_api.get("/v1/users").json() == {"users": []}
    assert api.get(f"/v1/users/{user_id}").json()["name"] == "A"
