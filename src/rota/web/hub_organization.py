"""The Hub's Organization page, for admins: the organization's name and its colour,
which its booking and manage pages wear (`rota.web.brand`).

The colour has two fields: a colour picker and a text field for a ``#rrggbb`` typed or
pasted (or emptied: rota's own look). hub.js keeps them in step; without JavaScript
the text field counts when it was changed, else the picker does (`chosen_colour`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response

from rota.api.auth import Db
from rota.api.routes.organization import OrganizationPatch
from rota.service import orgs
from rota.store.db import Database
from rota.web import form_errors
from rota.web.hub_access import Admin
from rota.web.hub_auth import Hub
from rota.web.hub_frame import hub_page

router = APIRouter(prefix="/hub", include_in_schema=False)

PICKER_DEFAULT = "#1d4ed8"
"""What the picker shows without a colour: rota's own accent (rota.css)."""


def picker_value(colour: str) -> str:
    """What the picker shows for the text field's `colour` (a picker always shows one)."""
    return colour.lower() if orgs.COLOUR.fullmatch(colour) else PICKER_DEFAULT


def chosen_colour(typed: str, picked: str, shown: str) -> str:
    """The colour the form asks for ("" for none): the text field when it differs from
    what the page showed (`shown`), else the picker when it was moved, else `shown`."""
    typed = typed.strip()
    if typed != shown:
        return typed
    if picked and picked.lower() != picker_value(shown):
        return picked
    return shown


def _page(
    request: Request,
    db: Database,
    hub: Hub,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    org = orgs.get_org(db, hub.org_id)
    shown = form or {"name": org.name, "brand_colour": org.brand_colour or ""}
    context = {
        "form": shown,
        "picker": picker_value(shown["brand_colour"]),
        "errors": errors or {},
        "notice": notice,
    }
    return hub_page(
        request,
        db,
        hub,
        "hub/organization.html",
        context,
        section="organization",
        status_code=status_code,
    )


@router.get("/organization")
def organization_page(request: Request, hub: Admin, db: Db) -> Response:
    notice = "Saved." if request.query_params.get("saved") else None
    return _page(request, db, hub, notice=notice)


@router.post("/organization")
def save_organization(
    request: Request,
    hub: Admin,
    db: Db,
    name: Annotated[str, Form(max_length=200)] = "",
    brand_colour: Annotated[str, Form(max_length=100)] = "",
    brand_colour_pick: Annotated[str, Form(max_length=100)] = "",
    shown_colour: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    colour = chosen_colour(brand_colour, brand_colour_pick, shown_colour)
    form = {"name": name.strip(), "brand_colour": colour}
    try:
        checked = OrganizationPatch.model_validate(
            {"name": form["name"], "brand_colour": colour or None}
        )
    except ValidationError as invalid:
        errors = form_errors.by_field(invalid, "name")
        return _page(request, db, hub, form=form, errors=errors, status_code=422)
    orgs.update_org(db, hub.org_id, checked.model_dump())
    return RedirectResponse("/hub/organization?saved=1", status_code=303)
