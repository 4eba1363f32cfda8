"""Sign-in links on SQLite and PostgreSQL: one session per link, within 15 minutes;
nothing stored opens one; deleting the user ends their sessions."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import time_machine
from sqlalchemy import select

from rota.actor import Actor
from rota.service import hub_sessions, orgs, users
from rota.store.db import Database
from rota.store.tables import SignInLink
from tests.teams import make_team, monday


def token(link: users.Link) -> str:
    return link.url.rsplit("/", 1)[1]


def test_a_link_opens_one_session_of_its_user(db: Database) -> None:
    team = make_team(db)
    with time_machine.travel(monday(), tick=False) as traveller:
        link = users.create_with_link(
            db, "acme", email="ada@example.com", name="Ada", role="admin", host_id=team.ada
        )
        with db.read() as session:
            stored = session.scalars(select(SignInLink.token_hash)).all()
        assert stored == [orgs.hash_key(token(link))]  # the token itself is not kept
        # Two clicks at once: one session at most.
        with ThreadPoolExecutor(4) as pool:
            opened = list(pool.map(lambda _: users.redeem(db, token(link), "UTC"), range(4)))
        [session_id] = [s for s in opened if s is not None]
        hub = hub_sessions.lookup(db, session_id)
        assert hub is not None and hub.org_id == team.org_id
        assert hub.actor == Actor("user", link.user.id, "Ada")
        late = users.sign_in_link(db, "acme", "ADA@example.com")
        traveller.shift(timedelta(minutes=15))
        assert users.redeem(db, token(late), "UTC") is None
        users.delete_user(db, team.org_id, link.user.id)
        assert hub_sessions.lookup(db, session_id) is None


def test_a_member_signs_in_as_a_member_of_their_host(db: Database) -> None:
    team = make_team(db)
    link = users.create_with_link(
        db, "acme", email="grace@example.com", name="Grace", role="member", host_id=team.grace
    )
    session_id = users.redeem(db, token(link), "UTC")
    assert session_id is not None
    session = hub_sessions.lookup(db, session_id)
    assert session is not None and session.user is not None
    assert (session.user.role, session.user.host_id) == ("member", team.grace)
