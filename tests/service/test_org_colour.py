"""An organization's colour as the use case keeps it, whoever asks (API, Hub, CLI):
``#rrggbb`` in lower case, or none; anything else refused in words."""

from __future__ import annotations

import pytest

from rota.service import orgs
from rota.service.errors import Invalid
from rota.store.db import Database


def test_a_colour_is_kept_in_lower_case_and_a_bad_one_refused(db: Database) -> None:
    org_id = orgs.ensure_org(db, "acme")
    assert orgs.update_org(db, org_id, {"brand_colour": "#1A73E8"}).brand_colour == "#1a73e8"
    for bad in ("red", "#1a73e8;", " #1a73e8", "#1a73e"):
        with pytest.raises(Invalid) as refused:
            orgs.update_org(db, org_id, {"brand_colour": bad})
        assert refused.value.details == {
            "brand_colour": "must be a colour written #rrggbb, like #1a73e8"
        }
    assert orgs.get_org(db, org_id).brand_colour == "#1a73e8"
    orgs.update_org(db, org_id, {"name": "Acme"})  # what is not named stays
    assert orgs.get_org(db, org_id).brand_colour == "#1a73e8"
    assert orgs.update_org(db, org_id, {"brand_colour": None}).brand_colour is None
