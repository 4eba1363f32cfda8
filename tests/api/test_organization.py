"""``/v1/organization``: the key's organization, its name and its colour (issue 11: the
booking page shows the organization's name and colour if set)."""

from __future__ import annotations

from tests.api.support import Api, assert_error


def test_the_organization_is_read_and_its_name_and_colour_changed(api: Api) -> None:
    first = api.get("/v1/organization")
    assert first.status_code == 200, first.text
    assert {k: first.json()[k] for k in ("slug", "name", "brand_colour")} == {
        "slug": "acme",
        "name": "acme",
        "brand_colour": None,
    }
    changed = api.patch("/v1/organization", {"name": "Acme Sales", "brand_colour": "#1A73E8"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["brand_colour"] == "#1a73e8"  # stored in lower case
    assert api.get("/v1/organization").json() == changed.json()
    # Only what is named changes; null goes back to rota's own look.
    renamed = api.patch("/v1/organization", {"name": "Acme"}).json()
    assert (renamed["name"], renamed["brand_colour"]) == ("Acme", "#1a73e8")
    plain = api.patch("/v1/organization", {"brand_colour": None}).json()
    assert (plain["name"], plain["brand_colour"]) == ("Acme", None)


def test_each_organization_sees_and_changes_only_its_own(api: Api, other_api: Api) -> None:
    other_api.patch("/v1/organization", {"brand_colour": "#ff0000"})
    assert api.get("/v1/organization").json()["brand_colour"] is None
    assert other_api.get("/v1/organization").json()["slug"] == "globex"


def test_a_colour_that_is_not_rrggbb_is_a_422_naming_the_field(api: Api) -> None:
    for colour in ("red", "#12345", "#1234567", "#12345g", "1a73e8", "#1a73e8 ", "", 123):
        body = assert_error(
            api.patch("/v1/organization", {"brand_colour": colour}), 422, "invalid_request"
        )
        assert list(body["error"]["details"]) == ["brand_colour"], colour
    body = assert_error(
        api.patch("/v1/organization", {"brand_colour": "red"}), 422, "invalid_request"
    )
    assert body["error"]["details"]["brand_colour"] == (
        "must be a colour written #rrggbb, like #1a73e8"
    )
    for bad in ({"name": None}, {"name": ""}, {"name": "two\nlines"}, {"slug": "x"}):
        assert_error(api.patch("/v1/organization", bad), 422, "invalid_request")
    assert api.get("/v1/organization").json()["name"] == "acme"


def test_the_organization_needs_a_key(api: Api) -> None:
    response = api.client.get("/v1/organization")
    assert_error(response, 401, "unauthorized")
