"""docs/api.md describes every route the server answers, and README.md links only
to files that ship with the repository."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path
from types import ModuleType

from fastapi.routing import APIRoute

from rota import web
from rota.api import create_app, operations
from rota.web import booking_page, hub_auth, manage_page

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "docs" / "api.md"


def documented() -> set[str]:
    """Every "`METHOD /path`" written in the reference."""
    return set(re.findall(r"`((?:GET|POST|PUT|PATCH|DELETE) /[^`\s]*)`", REFERENCE.read_text()))


def test_every_route_of_the_openapi_schema_is_in_the_reference() -> None:
    schema = create_app("sqlite://").openapi()
    routes = {
        f"{method.upper()} {path}"
        for path, operations_of_path in schema["paths"].items()
        for method in operations_of_path
    }
    assert routes, "the schema lists no route"
    assert routes - documented() == set()


def _web_modules() -> list[ModuleType]:
    """Every module of `rota.web` with a router: the booking pages and the Hub's."""
    found = (
        importlib.import_module(f"rota.web.{m.name}") for m in pkgutil.iter_modules(web.__path__)
    )
    return [module for module in found if hasattr(module, "router")]


def test_every_route_outside_the_schema_is_in_the_reference() -> None:
    # Probes, /docs, the booking and manage pages and the Hub are not in /openapi.json.
    modules = [operations, *_web_modules()]
    assert {booking_page, manage_page, hub_auth} <= set(modules)
    routes = {
        f"{method} {route.path}"
        for module in modules
        for route in module.router.routes
        if isinstance(route, APIRoute)
        for method in route.methods
    }
    assert len(routes) > 20
    assert routes - documented() == set()


def test_readme_links_only_to_files_in_the_repository() -> None:
    readme = (ROOT / "README.md").read_text()
    targets = re.findall(r"\]\(([^)\s]+)\)", readme)
    local = [t.split("#")[0] for t in targets if not re.match(r"[a-z]+:", t) and t[0] != "#"]
    assert "docs/api.md" in local
    missing = [t for t in local if not (ROOT / t).resolve().is_relative_to(ROOT)]
    missing += [t for t in local if not (ROOT / t).exists()]
    assert missing == []
    # Named in the text without a link is the same broken promise.
    assert re.findall(r"\b(?:API|DESIGN)\.md", readme) == []
