"""Answers racing for one booking, across two server processes, on SQLite and
PostgreSQL: every participant's answer is kept (API.md, Replies)."""

from __future__ import annotations

from datetime import timedelta

from tests.api.support import iso, monday
from tests.api.test_concurrency import Servers, booking, round_robin, servers, team
from tests.api.test_inbound_email import RFC822, reply

__all__ = ["servers"]

ROUNDS = 6


def test_a_host_and_a_guest_answering_at_once_both_have_their_answer_kept(
    servers: Servers,
) -> None:
    with servers.client() as c:
        ada, bob = team(c, ["ada", "bob"])
        round_robin(c, "rr", [ada, bob])
    emails = {ada: "ada@x.io", bob: "bob@x.io"}
    for round_ in range(ROUNDS):
        with servers.client() as c:
            start = iso(monday() + timedelta(days=round_ % 5, hours=9 + round_))
            made = booking("rr", start, str(round_))(c).json()
        [host] = made["host_ids"]
        guest = f"guest{round_}@x.io"
        answers = [
            reply(made["id"], guest, "ACCEPTED"),
            reply(made["id"], emails[host], "TENTATIVE"),
        ]
        sent = servers.race(
            [
                lambda c, data=data: c.post("/v1/inbound/email", content=data, headers=RFC822)
                for data in answers
            ]
        )
        assert [r.status_code for r in sent] == [200, 200], [r.text for r in sent]
        with servers.client() as c:
            shown = c.get(f"/v1/bookings/{made['id']}").json()
        assert {p["email"]: p["response"] for p in shown["participants"]} == {
            guest: "accepted",
            emails[host]: "tentative",
        }
