"""Browser tests: the app served by uvicorn on a free port, Debian's Chromium driven by
Playwright, and the accessibility check (axe-core, run inside the page).

Chromium is the system's (``/usr/bin/chromium``); Playwright's own browser
download is never used. Without it the browser tests skip, or fail under
``ROTA_REQUIRE_ALL=1``.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from playwright.sync_api import Page, expect

from rota.api import create_app
from rota.serving import free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
# Violations that fail a page whatever axe's impact rating: the basics the pages
# promise (labelled inputs, named buttons, headings in order, contrast).
BASICS = frozenset({"label", "button-name", "heading-order", "color-contrast", "select-name"})
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@contextmanager
def serve(database_url: str) -> Iterator[str]:
    """The whole app (API, Hub, booking pages) on 127.0.0.1; its base URL."""
    port = free_port()
    config = uvicorn.Config(
        create_app(database_url), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="rota-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def check_accessibility(page: Page) -> None:
    """Run axe-core in the page; fail on serious or critical violations and on any
    violation of the basics."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the pages' Content-Security-Policy
        # (own scripts only) stays in force and would refuse an injected <script>.
        page.evaluate(f"() => {{ {AXE.read_text()}\n }}")
    results: dict[str, Any] = page.evaluate(
        """() => axe.run(document, {runOnly: {type: "tag",
              values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})"""
    )
    failing = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical") or v["id"] in BASICS
    ]
    assert not failing, f"accessibility violations on {page.url}:\n" + "\n".join(failing)


def sign_in(page: Page, base_url: str, api_key: str) -> None:
    page.goto(f"{base_url}/hub/login")
    page.get_by_label("API key").fill(api_key)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Bookings")).to_be_visible()


def docs_screenshot(page: Page, name: str, *, full_page: bool = True) -> None:
    """With ``ROTA_UPDATE_SCREENSHOTS=1``, save the page (or what is in view) as the
    README's screenshot."""
    if os.environ.get("ROTA_UPDATE_SCREENSHOTS") == "1":
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.screenshot(path=DOCS_SCREENSHOTS / name, full_page=full_page)
