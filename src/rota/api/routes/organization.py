"""``/v1/organization``: the organization of the API key, its name and its colour (the
accent of its booking and manage pages)."""

from __future__ import annotations

from typing import Annotated, Self

from fastapi import APIRouter
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from rota import teamfile
from rota.api.auth import Db, OrgId
from rota.api.errors import responses
from rota.service import orgs
from rota.store.tables import Organization

router = APIRouter(prefix="/v1/organization", tags=["organization"], responses=responses(401, 422))

BrandColour = Annotated[
    str,
    Field(examples=["#1a73e8"], description="``#rrggbb``; null: rota's own look."),
    AfterValidator(orgs.brand_colour),
]


class OrganizationOut(BaseModel):
    id: str
    slug: str = Field(description="Part of the booking pages' addresses: /book/{slug}/...")
    name: str
    brand_colour: str | None

    @classmethod
    def of(cls, row: Organization) -> Self:
        return cls.model_validate(row, from_attributes=True)


class OrganizationPatch(BaseModel):
    """Only the fields named change; ``brand_colour: null`` goes back to rota's own look."""

    model_config = ConfigDict(extra="forbid")

    name: teamfile.OneLine | None = Field(default=None, min_length=1, max_length=200)
    brand_colour: BrandColour | None = None

    @model_validator(mode="after")
    def _name_not_null(self) -> Self:
        if "name" in self.model_fields_set and self.name is None:
            raise ValueError("name cannot be null")
        return self


@router.get("", response_model=OrganizationOut)
def get_organization(org_id: OrgId, db: Db) -> OrganizationOut:
    return OrganizationOut.of(orgs.get_org(db, org_id))


@router.patch("", response_model=OrganizationOut)
def update_organization(body: OrganizationPatch, org_id: OrgId, db: Db) -> OrganizationOut:
    changes = body.model_dump(include=body.model_fields_set)
    return OrganizationOut.of(orgs.update_org(db, org_id, changes))
