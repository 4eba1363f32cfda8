"""Organizations and their API keys, on SQLite and PostgreSQL: an organization revokes
only its own keys, and asking for another's is refused in words as if it did not
exist; keys are listed oldest first; a bad colour is refused in words; and a database
holds no organization until one is made."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from rota.service import orgs
from rota.service.errors import Invalid, NotFound
from rota.store.db import Database
from tests.teams import monday


def key_id(db: Database, key: str) -> str:
    valid = orgs.check_key(db, key)
    assert valid is not None
    return valid.id


def test_an_organization_cannot_revoke_another_organizations_key(db: Database) -> None:
    ours, theirs = orgs.create_key(db, "acme"), orgs.create_key(db, "globex")
    their_id = key_id(db, theirs)
    with pytest.raises(NotFound) as refused:
        orgs.revoke_key(db, "acme", their_id)
    assert refused.value.message == f"Organization 'acme' has no key {their_id!r}."
    assert orgs.authenticate(db, theirs) is not None
    assert [k.revoked_at for k in orgs.list_keys(db, "globex")] == [None]
    revoked = orgs.revoke_key(db, "globex", their_id)
    assert revoked.id == their_id and revoked.revoked_at is not None
    assert orgs.authenticate(db, theirs) is None
    assert orgs.authenticate(db, ours) is not None


def test_an_unknown_key_is_refused_naming_the_organization_and_the_key(db: Database) -> None:
    orgs.create_key(db, "acme")
    with pytest.raises(NotFound) as refused:
        orgs.revoke_key(db, "acme", "key_nope")
    assert refused.value.message == "Organization 'acme' has no key 'key_nope'."


def test_keys_are_listed_oldest_first_whatever_order_they_were_stored_in(db: Database) -> None:
    start = monday()
    made = {}
    with time_machine.travel(start + timedelta(hours=2), tick=False) as traveller:
        # The clock was set back between the first two keys.
        for hours in (2, 0, 1, 3):
            traveller.move_to(start + timedelta(hours=hours))
            made[hours] = key_id(db, orgs.create_key(db, "acme"))
    listed = orgs.list_keys(db, "acme")
    assert [k.id for k in listed] == [made[h] for h in (0, 1, 2, 3)]
    assert [k.created_at for k in listed] == sorted(k.created_at for k in listed)


def test_a_bad_colour_is_refused_in_words(db: Database) -> None:
    org_id = orgs.ensure_org(db, "acme")
    with pytest.raises(Invalid) as refused:
        orgs.update_org(db, org_id, {"brand_colour": "red"})
    assert refused.value.message == "The colour must be a colour written #rrggbb, like #1a73e8."


def test_a_database_holds_no_organization_until_one_is_made(db: Database) -> None:
    assert orgs.org_is_empty(db)
    orgs.ensure_org(db, "acme")
    assert not orgs.org_is_empty(db)
    orgs.ensure_org(db, "globex")
    assert not orgs.org_is_empty(db)


def test_an_unknown_organization_is_refused_naming_it(db: Database) -> None:
    orgs.ensure_org(db, "acme")
    with pytest.raises(NotFound) as refused:
        orgs.find_org(db, "nobody")
    assert refused.value.message == "No organization 'nobody'."
    assert orgs.find_org(db, "acme").slug == "acme"


def test_an_organization_slug_is_words_of_up_to_a_hundred_characters(db: Database) -> None:
    longest = "a" * 100
    orgs.ensure_org(db, longest)
    assert orgs.find_org(db, longest).slug == longest
    for bad in ("a" * 101, "Acme", "acme--sales", "acme_sales"):
        with pytest.raises(Invalid) as refused:
            orgs.ensure_org(db, bad)
        assert refused.value.message == (
            f"{bad!r} is not an organization slug: use lower-case letters and digits,"
            " words joined by '-' (acme, acme-sales), at most 100 characters."
        )
        assert refused.value.details == {"org": "must be lower-case words joined by '-'"}
