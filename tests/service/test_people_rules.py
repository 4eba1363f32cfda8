"""The Hub's users and their sign-in links, on SQLite and PostgreSQL: a refused user is
told why, naming the field, and a taken email which address, however the race for it
went; a changed email or host counts at once, whatever its case; users are listed in
the order they were made; a link is signed in with its own token only; and the sign-in
emails are limited per person, each on their own, for exactly as long as their links
last, and retried like any other email."""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from rota.notify.errors import DeliveryError
from rota.notify.outbox import Delivery, SqlOutbox
from rota.notify.worker import Backoff, Worker
from rota.service import hub_sessions, orgs, users
from rota.service.errors import Conflict, Invalid, NotFound
from rota.store.db import Database
from rota.store.tables import OutboxMessage
from tests.teams import Team, make_team, monday


def admin(db: Database, org_id: str, email: str) -> users.User:
    name = email.split("@")[0].title()
    return users.create_user(db, org_id, email=email, name=name, role="admin", host_id=None)


def sign_in_emails(db: Database) -> list[tuple[str, str]]:
    """(organization name, recipient) of each sign-in email queued, in no set order."""
    with db.read() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "sign_in"))
        payloads = [json.loads(row.payload) for row in rows]
    return sorted((p["org"], p["to"]) for p in payloads)


def test_a_taken_email_is_refused_naming_the_address_and_the_field(db: Database) -> None:
    team = make_team(db)
    admin(db, team.org_id, "sam@example.com")
    kim = admin(db, team.org_id, "kim@example.com")
    with pytest.raises(Conflict) as refused:
        users.update_user(db, team.org_id, kim.id, {"email": "SAM@example.com"})
    assert refused.value.code == "email_taken"
    assert refused.value.message == (
        "The organization already has a user with the email 'SAM@example.com'."
    )
    assert refused.value.details == {"email": "already a user of the organization"}
    assert users.get_user(db, team.org_id, kim.id).email == "kim@example.com"


def test_an_email_change_that_loses_the_race_is_refused_in_the_same_words(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = make_team(db)
    admin(db, team.org_id, "sam@example.com")
    kim = admin(db, team.org_id, "kim@example.com")
    # Kim's change looks for the address before Sam's user is committed.
    monkeypatch.setattr(users, "_by_email", lambda *args: None)
    with pytest.raises(Conflict) as refused:
        users.update_user(db, team.org_id, kim.id, {"email": "sam@example.com"})
    assert refused.value.code == "email_taken"
    assert refused.value.message == (
        "The organization already has a user with the email 'sam@example.com'."
    )
    monkeypatch.undo()
    assert users.get_user(db, team.org_id, kim.id).email == "kim@example.com"


def test_a_new_email_is_kept_as_written_and_found_in_any_case(db: Database) -> None:
    team = make_team(db)
    kim = admin(db, team.org_id, "kim@example.com")
    changed = users.update_user(db, team.org_id, kim.id, {"email": "Kim.New@Example.com"})
    assert changed.email == "Kim.New@Example.com"
    assert users.sign_in_link(db, "acme", "kim.new@example.com").user.id == kim.id
    assert users.sign_in_link(db, "acme", "KIM.NEW@EXAMPLE.COM").user.id == kim.id
    with pytest.raises(NotFound):
        users.sign_in_link(db, "acme", "kim@example.com")
    with pytest.raises(Conflict) as refused:
        admin(db, team.org_id, "kim.new@example.com")
    assert refused.value.code == "email_taken"
    # Writing one's own address in another case is no clash with oneself.
    again = users.update_user(db, team.org_id, kim.id, {"email": "kim.new@example.com"})
    assert again.email == "kim.new@example.com"


def test_a_users_host_changes_when_named_and_stays_when_not(db: Database) -> None:
    team = make_team(db)
    grace = users.create_user(
        db, team.org_id, email="g@example.com", name="Grace", role="member", host_id=team.grace
    )
    moved = users.update_user(db, team.org_id, grace.id, {"host_id": team.linus})
    assert moved.host_id == team.linus
    renamed = users.update_user(db, team.org_id, grace.id, {"name": "Grace H."})
    assert (renamed.name, renamed.host_id) == ("Grace H.", team.linus)
    promoted = users.update_user(db, team.org_id, grace.id, {"role": "admin", "host_id": None})
    assert (promoted.role, promoted.host_id) == ("admin", None)
    assert users.get_user(db, team.org_id, grace.id).host_id is None


def test_users_are_listed_in_the_order_they_were_made(db: Database) -> None:
    team = make_team(db)
    made: list[str] = []
    with time_machine.travel(monday(), tick=False) as traveller:
        # Ids are random: make users until their ids do not sort like their making.
        while len(made) < 4 or made == sorted(made):
            made.append(admin(db, team.org_id, f"user{len(made)}@example.com").id)
            traveller.shift(timedelta(seconds=1))
    assert [u.id for u in users.list_users(db, team.org_id)] == made


def test_an_unknown_email_is_refused_naming_the_organization_and_the_address(
    db: Database,
) -> None:
    make_team(db)
    with pytest.raises(NotFound) as refused:
        users.sign_in_link(db, "acme", "nobody@example.com")
    assert refused.value.message == (
        "Organization 'acme' has no user with the email 'nobody@example.com'."
    )


def test_only_the_links_own_token_signs_in(db: Database) -> None:
    team = make_team(db)
    admin(db, team.org_id, "kim@example.com")
    link = users.sign_in_link(db, "acme", "kim@example.com")
    for forged in (secrets.token_urlsafe(32), "x", "a" * 100):
        assert users.redeem(db, forged, "UTC") is None
    session_id = users.redeem(db, link.url.rsplit("/", 1)[1], "UTC")
    assert session_id is not None
    signed_in = hub_sessions.lookup(db, session_id)
    assert signed_in is not None and signed_in.user_id == link.user.id


@pytest.fixture
def sams(db: Database) -> Team:
    """Sam is a user of acme (made first) and of globex; Kim of acme only."""
    team = make_team(db)
    admin(db, team.org_id, "sam@example.com")
    admin(db, orgs.ensure_org(db, "globex"), "Sam@Example.com")
    admin(db, team.org_id, "kim@example.com")
    return team


def links_for(db: Database, org: str, email: str, count: int) -> None:
    for _ in range(count):
        users.sign_in_link(db, org, email)


def test_email_links_says_how_many_emails_it_queued(db: Database, sams: Team) -> None:
    with time_machine.travel(monday(), tick=False):
        assert users.email_links(db, "nobody@example.com") == 0
        assert users.email_links(db, "SAM@example.com") == 2
        assert users.email_links(db, "kim@example.com") == 1
    assert sign_in_emails(db) == [
        ("acme", "kim@example.com"),
        ("acme", "sam@example.com"),
        ("globex", "Sam@Example.com"),
    ]


def test_one_persons_links_do_not_count_against_another(db: Database, sams: Team) -> None:
    with time_machine.travel(monday(), tick=False):
        links_for(db, "acme", "kim@example.com", users.MAX_RECENT_LINKS)
        assert users.email_links(db, "kim@example.com") == 0
        assert users.email_links(db, "sam@example.com") == 2
    assert sign_in_emails(db) == [("acme", "sam@example.com"), ("globex", "Sam@Example.com")]


def test_a_user_at_the_limit_does_not_stop_the_emails_of_the_others(
    db: Database, sams: Team
) -> None:
    start = monday()
    with time_machine.travel(start, tick=False) as traveller:
        links_for(db, "acme", "sam@example.com", users.MAX_RECENT_LINKS)
        assert users.email_links(db, "sam@example.com") == 1
        assert sign_in_emails(db) == [("globex", "Sam@Example.com")]
        traveller.move_to(start + users.LINK_LIFE + timedelta(minutes=1))
        links_for(db, "globex", "sam@example.com", users.MAX_RECENT_LINKS)
        assert users.email_links(db, "sam@example.com") == 1
    assert sign_in_emails(db) == [("acme", "sam@example.com"), ("globex", "Sam@Example.com")]


def test_a_link_counts_against_the_limit_until_the_moment_it_expires(
    db: Database, sams: Team
) -> None:
    start: datetime = monday()
    with time_machine.travel(start, tick=False) as traveller:
        links_for(db, "acme", "kim@example.com", users.MAX_RECENT_LINKS)
        traveller.move_to(start + users.LINK_LIFE - timedelta(microseconds=1))
        assert users.email_links(db, "kim@example.com") == 0
        traveller.move_to(start + users.LINK_LIFE)
        assert users.email_links(db, "kim@example.com") == 1


def test_a_sign_in_email_that_fails_is_tried_again_as_any_other(db: Database, sams: Team) -> None:
    tries: list[int] = []

    def mail_server_down(delivery: Delivery) -> None:
        tries.append(delivery.attempts)
        raise DeliveryError("451 try again later")

    with time_machine.travel(monday(), tick=False) as traveller:
        assert users.email_links(db, "kim@example.com") == 1
        worker = Worker(
            SqlOutbox(db.engine), {"sign_in": mail_server_down}, backoff=Backoff(max_attempts=2)
        )
        for _ in range(3):
            worker.run_once()
            traveller.shift(timedelta(minutes=1))
    assert tries == [1, 2]
    with db.read() as session:
        [status] = session.scalars(select(OutboxMessage.status)).all()
    assert status == "failed"


REFUSALS = {
    "an unknown role": (
        {"role": "owner", "host_id": None},
        "role is admin or member.",
        {"role": "must be admin or member"},
    ),
    "a member without a host": (
        {"role": "member", "host_id": None},
        "A member is one host of the team: give their host_id.",
        {"host_id": "required for a member"},
    ),
    "a host of no organization": (
        {"role": "admin", "host_id": "host_nope"},
        "No host with id 'host_nope' in the organization.",
        {"host_id": "not a host of the organization"},
    ),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_a_user_refused_is_told_why_naming_the_field(db: Database, case: str) -> None:
    team = make_team(db)
    fields, message, details = REFUSALS[case]
    with pytest.raises(Invalid) as refused:
        users.create_user(db, team.org_id, email="m@example.com", name="M", **fields)
    assert (refused.value.message, refused.value.details) == (message, details)
    kim = admin(db, team.org_id, "kim@example.com")
    with pytest.raises(Invalid) as again:
        users.update_user(db, team.org_id, kim.id, fields)
    assert (again.value.message, again.value.details) == (message, details)
    assert [u.email for u in users.list_users(db, team.org_id)] == ["kim@example.com"]


def test_a_host_of_another_organization_is_not_a_host_of_this_one(db: Database) -> None:
    team = make_team(db)
    theirs = make_team(db, "globex")
    with pytest.raises(Invalid) as refused:
        users.create_user(
            db, team.org_id, email="m@example.com", name="M", role="member", host_id=theirs.ada
        )
    assert refused.value.details == {"host_id": "not a host of the organization"}


def test_a_new_user_with_a_taken_email_is_refused_naming_it_however_the_race_went(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = make_team(db)
    admin(db, team.org_id, "sam@example.com")
    with pytest.raises(Conflict) as refused:
        admin(db, team.org_id, "Sam@Example.com")
    assert refused.value.message == (
        "The organization already has a user with the email 'Sam@Example.com'."
    )
    # The second user looks for the address before the first one is committed.
    monkeypatch.setattr(users, "_by_email", lambda *args: None)
    with pytest.raises(Conflict) as lost:
        admin(db, team.org_id, "SAM@example.com")
    assert lost.value.code == "email_taken"
    assert lost.value.message == (
        "The organization already has a user with the email 'SAM@example.com'."
    )
    assert lost.value.details == {"email": "already a user of the organization"}
