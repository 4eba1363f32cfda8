"""How the pages travel (issue 11): compressed, their static files cached for good
under addresses that change with the files, and the booking page in a frame on
another site through the Hub's embed snippet, while the Hub stays unframeable."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import brotli
import pytest
from fastapi.testclient import TestClient

from rota.service import booking_types, orgs
from tests.api.support import iso
from tests.teams import Team, monday

CHROMIUM = "gzip, deflate, br, zstd"


def test_a_page_is_sent_compressed_to_a_browser_that_accepts_gzip(
    client: TestClient, team: Team, hub: str
) -> None:
    for path in ("/book/acme/intro?tz=UTC", "/hub/bookings", "/hub/types/intro"):
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200
        assert response.headers["content-encoding"] == "gzip", path
        assert "accept-encoding" in response.headers["vary"].lower()
        assert int(response.headers["content-length"]) < len(response.content) / 2
        assert "</html>" in response.text  # decoded, whole
    plain = client.get("/book/acme/intro?tz=UTC", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    # the security headers still come with a compressed page
    hub_page = client.get("/hub/bookings", headers={"Accept-Encoding": "gzip"})
    assert "frame-ancestors 'none'" in hub_page.headers["content-security-policy"]


def test_a_browser_that_accepts_brotli_gets_brotli_and_others_gzip_or_nothing(
    client: TestClient, team: Team, hub: str
) -> None:
    # httpx decodes what it gets (brotli too): the raw bytes are read as sent.
    plain = client.get("/book/acme/intro?tz=UTC", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    for path in ("/book/acme/intro?tz=UTC", "/hub/bookings"):
        # what Chromium sends: Brotli, not Zstandard, which stays off
        with client.stream("GET", path, headers={"Accept-Encoding": CHROMIUM}) as sent:
            assert sent.headers["content-encoding"] == "br", path
            assert "accept-encoding" in sent.headers["vary"].lower()
            raw = b"".join(sent.iter_raw())
        assert int(sent.headers["content-length"]) == len(raw) < len(plain.content) / 3
        page = brotli.decompress(raw).decode()
        assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")
        if path.startswith("/book/"):
            # the same page as sent uncompressed (each page has its own form attempt id)
            same = re.sub(r'name="attempt" value="[^"]+"', "", page)
            assert same == re.sub(r'name="attempt" value="[^"]+"', "", plain.text)
    gzipped = client.get("/book/acme/intro?tz=UTC", headers={"Accept-Encoding": "gzip"})
    assert gzipped.headers["content-encoding"] == "gzip"
    refused = client.get("/book/acme/intro?tz=UTC", headers={"Accept-Encoding": "br;q=0, gzip"})
    assert refused.headers["content-encoding"] == "gzip"


def test_slot_listings_are_compressed_and_small_answers_are_not(
    client: TestClient, team: Team
) -> None:
    key = orgs.create_key(team.db, "acme")
    start = monday()
    params = {"start": iso(start), "end": iso(start + timedelta(days=30)), "timezone": "UTC"}
    for encoding in ("br", "gzip"):
        headers = {"Authorization": f"Bearer {key}", "Accept-Encoding": encoding}
        slots = client.get("/v1/booking-types/intro/slots", params=params, headers=headers)
        assert slots.status_code == 200
        assert slots.headers["content-encoding"] == encoding
        assert len(slots.json()["slots"]) > 50
        small = client.get("/healthz", headers=headers)  # under 1000 bytes: as it is
        assert small.json() == {"status": "ok"} and "content-encoding" not in small.headers


def test_static_files_are_cached_for_good_under_their_versioned_address(
    client: TestClient, team: Team
) -> None:
    page = client.get("/book/acme/intro").text
    linked = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert {re.sub(r"\?v=.*", "", a) for a in linked} >= {
        "/static/rota.css",
        "/static/booking.js",
        "/static/favicon.svg",
    }
    for address in linked:
        assert re.search(r"\?v=[0-9a-f]{12}$", address) or "/vendor/" in address, address
        response = client.get(html.unescape(address))
        assert response.status_code == 200, address
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    # an address without the current version (an old page, a hand-typed link) is checked
    # each time, so it never keeps an outdated file
    for address in ("/static/rota.css", "/static/rota.css?v=000000000000"):
        response = client.get(address)
        assert response.headers["cache-control"] == "no-cache"
        assert response.headers["etag"]
    css = client.get("/static/rota.css", headers={"Accept-Encoding": "gzip"})
    assert css.headers["content-encoding"] == "gzip"


def test_the_hub_gives_an_embed_snippet_for_each_booking_type(
    client: TestClient, team: Team, hub: str
) -> None:
    booking_types.update_booking_type(team.db, team.org_id, "intro", {"title": 'Say "hi" & go'})
    page = client.get("/hub/types/intro").text
    match = re.search(r'<textarea id="embed-code"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, "no embed code on the type's page"
    snippet = html.unescape(match.group(1))
    assert snippet.startswith(
        '<iframe src="http://testserver/book/acme/intro" title="Book Say &#34;hi&#34; &amp; go"'
        " data-rota-embed"
    )
    assert '<script src="http://testserver/static/embed.js" async></script>' in snippet
    script = client.get("/static/embed.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith(("text/javascript", "application/javascript"))
    assert "rota:height" in script.text


def test_the_embed_snippet_uses_the_public_address(
    client: TestClient, team: Team, hub: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # behind a proxy the Host header is not to be trusted; ROTA_PUBLIC_URL is
    monkeypatch.setenv("ROTA_PUBLIC_URL", "https://book.acme.example/")
    page = client.get("/hub/types/office-hours", headers={"Host": "evil.example"}).text
    assert 'src="https://book.acme.example/book/acme/office-hours"' in html.unescape(page)
    assert "evil.example" not in page


def test_only_the_booking_pages_may_be_framed(client: TestClient, team: Team, hub: str) -> None:
    for path in ("/book/acme/intro", "/book/acme/intro?tz=UTC&start=x"):
        headers = client.get(path).headers
        assert "frame-ancestors *" in headers["content-security-policy"]
        assert "x-frame-options" not in headers
    for path in ("/hub/bookings", "/hub/types/intro", "/hub/sign-in"):
        headers = client.get(path).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert headers["x-frame-options"] == "DENY"
