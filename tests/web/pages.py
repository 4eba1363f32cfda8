"""Reading the pages in TestClient tests: the links, forms and texts a person would use."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient


def links(page: str, id_prefix: str) -> list[str]:
    """The addresses of the links whose id starts with `id_prefix` (``day-``, ``time-``)."""
    found = re.findall(rf'<a[^>]*\bid="{re.escape(id_prefix)}[^"]*"[^>]*\bhref="([^"]+)"', page)
    return [html.unescape(link) for link in found]


def field(page: str, name: str) -> str:
    """The value of the form field `name` (the first one on the page)."""
    match = re.search(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*\bvalue="([^"]*)"', page)
    assert match, f"no field {name!r} on the page"
    return html.unescape(match.group(1))


def text(page: str) -> str:
    """The page's words, tags removed and spaces folded, for asserting what it says."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def sign_in(client: TestClient, api_key: str) -> str:
    """Sign `client` in to the Hub with `api_key`; the session's CSRF token."""
    form = client.get("/hub/login")
    response = client.post(
        "/hub/login",
        data={"api_key": api_key, "csrf_token": field(form.text, "csrf_token")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"])
    assert page.status_code == 200, page.text
    return field(page.text, "csrf_token")
